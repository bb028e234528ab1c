"""The chat App and ``make_app``, the one factory the ``qa chat`` command, the tests and the benchmark use.

The App only arranges: the engine is loaded and every answer composed in one
worker thread (``answer_loop``) that takes questions from a queue, so the
interface never waits, and questions typed while the index is still loading
are answered as soon as it is ready. Answers come back with ``call_from_thread``.
"""

from __future__ import annotations

import itertools
import queue
from collections import deque
from collections.abc import Callable
from datetime import datetime
from pathlib import Path
from typing import Any

from textual import on, work
from textual.app import App, ComposeResult, SystemCommand
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.widgets import Footer, Header, Input, ProgressBar, Static
from textual.worker import get_current_worker

from qa.corpus import Corpus
from qa.export import Exchange, conversation_markdown, exchange_markdown
from qa.history import QuestionHistory, Recall
from qa.tui import examples
from qa.tui.clean import clean_question
from qa.tui.render import SourceEntry, answer_content, plain, sources_for
from qa.tui.screens import HelpScreen, ReaderScreen, help_content
from qa.tui.slash import SLASH_COMMANDS, SlashCommand, parse_slash
from qa.tui.widgets import AnswerView, QuestionInput, QuestionView, SourceList, SpeakerChart

EngineLoader = Callable[[Callable[[str], None]], Any]
"""Builds or loads the engine, reporting progress through the callable it is given."""
Asker = Callable[[str, Any, "str | None"], Any]
"""(question, engine, speaker restriction) -> Answer."""
CHART_SPEAKERS = 6
SHOWN_EXCHANGES = 40
"""Exchanges kept on screen; older ones leave the screen (not the export) so layout stays fast."""
WELCOME = "Ask about these records in Chinese or English; every answer cites its sources. F1: keys and examples."


class ChatApp(App):
    """Questions in, cited answers out; sources, a speaker chart and a reader beside them."""

    CSS_PATH = "chat.tcss"
    TITLE = "qa"
    AUTO_FOCUS = "#question"
    BINDINGS = [
        Binding("f1", "help", "Help"),
        Binding("f2", "focus_sources", "Sources"),
        Binding("f3", "copy_answer", "Copy"),
        Binding("f4", "export", "Export"),
        Binding("ctrl+l", "clear", "Clear"),
        Binding("ctrl+up", "select_answer(-1)", "Previous answer", show=False),
        Binding("ctrl+down", "select_answer(1)", "Next answer", show=False),
        Binding("escape", "focus_question", "Question line", show=False),
    ]

    def __init__(self, corpus: Corpus, load_engine: EngineLoader, ask: Asker, history: QuestionHistory) -> None:
        super().__init__()
        self.corpus = corpus
        self.load_engine = load_engine
        self.ask = ask
        self.history = history
        self.engine: Any = None
        self.engine_error: str | None = None
        self.exchanges: dict[int, Exchange] = {}
        self.strengths: dict[int, list[tuple[str, float]]] = {}
        self.answer_views: dict[int, AnswerView] = {}
        self.selected: int | None = None
        self.source_speaker: str | None = None
        self.speaker: str | None = None
        self.topics: list[str] = []
        self.answered = 0
        """Answers shown so far (tests and the benchmark wait on it)."""
        self.questions: queue.Queue[tuple[int, str, str | None]] = queue.Queue()
        self.shown: deque[tuple[QuestionView, AnswerView]] = deque()
        self._ids = itertools.count(1)

    def compose(self) -> ComposeResult:
        yield Header()
        with Horizontal(id="status"):
            yield Static(plain("Loading the index…"), id="status-text", markup=False)
            yield ProgressBar(total=None, show_eta=False, show_percentage=False, id="progress")
        with Horizontal(id="body"):
            with VerticalScroll(id="conversation"):
                yield Static(plain(WELCOME), id="welcome", markup=False)
            with Vertical(id="side"):
                yield SpeakerChart(id="chart")
                yield SourceList(id="sources")
        yield QuestionInput(Recall(self.history.entries), placeholder="Ask a question (F1: help)", id="question")
        yield Footer()

    def on_mount(self) -> None:
        self.sub_title = corpus_summary(self.corpus)
        self.query_one("#chart").border_title = "Who spoke about it"
        self.query_one("#sources").border_title = "Sources"
        self.query_one("#conversation").anchor()
        if self.history.problem:
            self.notify(self.history.problem, severity="warning", markup=False)
        self.answer_loop()

    # -- the worker: engine, then answers ------------------------------------------------------------

    @work(thread=True, exit_on_error=False, name="answers")
    def answer_loop(self) -> None:
        worker = get_current_worker()
        try:
            engine = self.load_engine(lambda message: self.call_from_thread(self.show_progress, str(message)))
        except Exception as error:  # shown in the status line; the chat stays open and says why it cannot answer
            self.call_from_thread(self.engine_failed, describe(error))
            engine = None
        else:
            self.call_from_thread(self.engine_ready, engine)
        while not worker.is_cancelled:
            try:
                exchange_id, question, speaker = self.questions.get(timeout=0.1)
            except queue.Empty:
                continue
            result = self.compose_answer(engine, question, speaker)
            if not worker.is_cancelled:
                self.call_from_thread(self.show_answer, exchange_id, *result)

    def compose_answer(self, engine: Any, question: str, speaker: str | None):
        """(answer, speaker strengths, error) for one question; runs in the worker thread."""
        if engine is None:
            return None, [], f"the index is not available: {self.engine_error}"
        try:
            answer = self.ask(question, engine, speaker)
            strengths = engine.speaker_strength(question, top=CHART_SPEAKERS, speaker=speaker)
        except Exception as error:  # one failed question must not end the chat; the answer shows the error
            self.log.error(f"answer failed for {question!r}: {error!r}")
            return None, [], describe(error)
        return answer, strengths, None

    @work(thread=True, exit_on_error=False, name="topics")
    def find_topics(self) -> None:
        """Frequent topics for the help screen's example questions (tokenizing the corpus takes a moment)."""
        topics = examples.frequent_topics(self.corpus, self.engine.query_terms)
        self.call_from_thread(setattr, self, "topics", topics)

    def show_progress(self, message: str) -> None:
        self.query_one("#status-text", Static).update(plain(f"Loading the index: {message}"))

    def engine_ready(self, engine: Any) -> None:
        self.engine = engine
        self.query_one("#progress").display = False
        self.show_status()
        self.find_topics()

    def engine_failed(self, reason: str) -> None:
        self.engine_error = reason
        self.query_one("#progress").display = False
        self.query_one("#status-text", Static).update(plain(f"Cannot search: {reason}", "$text-error"))
        self.notify(reason, title="Index", severity="error", markup=False)

    def show_status(self) -> None:
        restriction = f"only {self.speaker}" if self.speaker else "all speakers"
        text = f"Ready · {restriction} · Enter asks · F1 help"
        self.query_one("#status-text", Static).update(plain(text))

    # -- asking -------------------------------------------------------------------------------------

    @on(Input.Submitted, "#question")
    async def submitted(self, event: Input.Submitted) -> None:
        event.input.clear()
        self.query_one(QuestionInput).recall.reset()
        cleaned = clean_question(event.value)
        if not cleaned.text:
            self.notify("Type a question first, or /help.", timeout=3)
            return
        self.history.add(cleaned.text)
        command = parse_slash(cleaned.text)
        if command is not None:
            await self.run_slash(command)
            return
        if cleaned.cut:
            self.notify(f"The question was cut to its first {len(cleaned.text)} characters.", severity="warning")
        self.ask_question(cleaned.text)

    def ask_question(self, question: str) -> None:
        exchange_id = next(self._ids)
        self.exchanges[exchange_id] = Exchange(question, speaker=self.speaker)
        view = self.answer_views[exchange_id] = AnswerView(exchange_id)
        if self.engine is None and self.engine_error is None:
            view.update(plain("… waiting for the index"))
        pair = (QuestionView(question), view)
        self.query_one("#conversation").mount(*pair)
        self.shown.append(pair)
        if len(self.shown) > SHOWN_EXCHANGES:
            self.query_one("#conversation").remove_children(self.shown.popleft())
        self.questions.put((exchange_id, question, self.speaker))

    def show_answer(self, exchange_id: int, answer: Any, strengths: list, error: str | None) -> None:
        self.answered += 1
        if exchange_id not in self.exchanges:
            return  # cleared meanwhile
        exchange = self.exchanges[exchange_id]
        self.exchanges[exchange_id] = Exchange(exchange.question, answer, exchange.speaker, error)
        self.strengths[exchange_id] = strengths
        view = self.answer_views[exchange_id]
        view.remove_class("-pending")
        if answer is None:
            view.add_class("-error")
            view.update(plain(f"No answer: {error}"))
        else:
            view.set_class(answer.abstained, "-declined")
            view.update(answer_content(answer))
            if getattr(answer, "notice", None):
                self.notify(answer.notice, severity="warning", markup=False)
        if exchange_id == max(self.exchanges):
            self.select(exchange_id)

    # -- the side panel -----------------------------------------------------------------------------

    def select(self, exchange_id: int | None) -> None:
        if self.selected in self.answer_views:
            self.answer_views[self.selected].remove_class("-selected")
        self.selected, self.source_speaker = exchange_id, None
        if exchange_id is not None:
            self.answer_views[exchange_id].add_class("-selected")
        self.show_side()

    def show_side(self) -> None:
        exchange = self.exchanges.get(self.selected) if self.selected is not None else None
        chart, sources = self.query_one(SpeakerChart), self.query_one(SourceList)
        chart.show(self.strengths.get(self.selected, []) if exchange else [], self.source_speaker)
        sources.show(sources_for(exchange, self.source_speaker) if exchange else [])
        declined = bool(exchange and exchange.answer is not None and exchange.answer.abstained)
        title = "Possibly related" if declined else "Sources"
        sources.border_title = f"{title} · {self.source_speaker}" if self.source_speaker else title

    @on(AnswerView.Chosen)
    def answer_chosen(self, event: AnswerView.Chosen) -> None:
        if self.exchanges.get(event.exchange_id) and self.exchanges[event.exchange_id].answer is not None:
            self.select(event.exchange_id)

    @on(SpeakerChart.SpeakerChosen)
    def speaker_chosen(self, event: SpeakerChart.SpeakerChosen) -> None:
        self.source_speaker = None if event.label == self.source_speaker else event.label
        self.show_side()

    @on(SourceList.SourceOpened)
    def source_opened(self, event: SourceList.SourceOpened) -> None:
        self.open_reader(event.entry)

    def open_reader(self, entry: SourceEntry) -> None:
        hit = entry.hit
        paragraph = next(i for i, p in enumerate(hit.speech.paragraphs) if p.id == hit.paragraph.id)
        speech = next(i for i, s in enumerate(hit.meeting.speeches) if s is hit.speech or s == hit.speech)
        terms = hit.matched or ()
        self.push_screen(ReaderScreen(hit.meeting, speech, paragraph, terms), lambda _: self.action_focus_question())

    # -- actions: keys, slash commands and the command palette end here -----------------------------

    async def run_slash(self, command: SlashCommand) -> None:
        if command.name == "speaker":
            self.restrict_speaker(command.argument or None)
        elif command.name == "export":
            self.action_export(command.argument)
        elif command.name in ("clear", "help"):
            await self.run_action(command.name)
        else:
            known = " ".join(f"/{name}" for name in SLASH_COMMANDS)
            self.notify(f"Unknown command /{command.name}; the commands are {known}.", severity="warning", markup=False)

    def restrict_speaker(self, speaker: str | None) -> None:
        if speaker and not any(speaker in s.label or speaker in (s.role or "") for _, s in self.corpus.speeches()):
            self.notify(
                f"No speaker or country in these records matches “{speaker}”.", severity="warning", markup=False
            )
            return
        self.speaker = speaker
        self.notify(
            f"Answers now only from {speaker}." if speaker else "Answers from all speakers again.", markup=False
        )
        if self.engine is not None:
            self.show_status()

    def action_help(self) -> None:
        keys = [(b.key_display or b.key, b.description) for b in self.BINDINGS if isinstance(b, Binding)]
        keys += [(b.key, b.description) for b in ReaderScreen.BINDINGS if isinstance(b, Binding)]
        keys += [("ctrl+p", "Command palette"), ("ctrl+q", "Quit"), ("up / down", "Earlier / later questions")]
        found = examples.example_questions(self.corpus, self.topics)
        self.push_screen(HelpScreen(help_content(keys, list(SLASH_COMMANDS.values()), found, self.sub_title)))

    def action_focus_question(self) -> None:
        self.query_one("#question").focus()

    def action_focus_sources(self) -> None:
        self.query_one(SourceList).focus()

    def action_select_answer(self, step: int) -> None:
        answered = [i for i, exchange in self.exchanges.items() if exchange.answer is not None]
        if answered:
            position = answered.index(self.selected) + step if self.selected in answered else len(answered) - 1
            self.select(answered[max(0, min(position, len(answered) - 1))])

    def action_copy_answer(self) -> None:
        exchange = self.exchanges.get(self.selected) if self.selected is not None else None
        if exchange is None:
            self.notify("No answer to copy yet.", severity="warning")
            return
        self.copy_to_clipboard(exchange_markdown(exchange))
        self.notify("Copied the answer and its citations.")

    def action_export(self, path: str = "") -> None:
        done = [exchange for exchange in self.exchanges.values() if exchange.answer is not None or exchange.error]
        if not done:
            self.notify("Nothing to export yet: ask a question first.", severity="warning")
            return
        target = Path(path).expanduser() if path else Path.cwd() / f"qa-conversation-{datetime.now():%Y%m%d-%H%M%S}.md"
        try:
            target.write_text(conversation_markdown(done, title=f"qa · {self.sub_title}"), encoding="utf-8")
        except OSError as error:
            self.notify(f"Cannot write {target}: {error.strerror or error}", severity="error", markup=False)
            return
        self.notify(f"Exported {len(done)} answer(s) to {target}", markup=False)

    async def action_clear(self) -> None:
        await self.query_one("#conversation").remove_children("QuestionView, AnswerView")
        self.shown.clear()
        self.exchanges.clear()
        self.answer_views.clear()
        self.strengths.clear()
        self.selected = None
        self.show_side()

    def get_system_commands(self, screen):
        yield from super().get_system_commands(screen)
        yield SystemCommand("Help", "Keys, commands and example questions (F1)", self.action_help)
        yield SystemCommand("Copy answer", "Copy the selected answer with its citations (F3)", self.action_copy_answer)
        yield SystemCommand("Export conversation", "Save it as Markdown in the current folder (F4)", self.action_export)
        yield SystemCommand("Clear conversation", "Remove every question and answer (ctrl+l)", self.action_clear)
        yield SystemCommand("All speakers", "Lift a /speaker restriction", lambda: self.restrict_speaker(None))


def describe(error: BaseException) -> str:
    """One line for an error: a UserError's message as is, anything else with its type."""
    from qa.errors import UserError

    return str(error) if isinstance(error, UserError) else f"{type(error).__name__}: {error}"


def corpus_summary(corpus: Corpus) -> str:
    """ "S/PV.8967 (2022-02-16) · 33 speeches" or "3 meetings, 2021-05-01 – 2022-02-16 · 97 speeches"."""
    meetings = corpus.meetings
    speeches = sum(len(meeting.speeches) for meeting in meetings)
    if len(meetings) == 1:
        return f"{meetings[0].symbol} ({meetings[0].date or 'no date'}) · {speeches} speeches"
    dates = sorted(meeting.date for meeting in meetings if meeting.date)
    span = f", {dates[0]} – {dates[-1]}" if dates else ""
    return f"{len(meetings)} meetings{span} · {speeches} speeches"


def make_app(
    seeds: Path | None = None,
    *,
    cache_dir: str | Path | None = None,
    prompts: Path | None = None,
    history: QuestionHistory | None = None,
    corpus: Corpus | None = None,
) -> ChatApp:
    """The chat on the records in ``seeds`` (default: the bundled ones), as ``qa chat`` opens it."""
    from qa.history import default_history_path
    from qa.paths import default_seeds_dir
    from qa.seeds import load_corpus
    from qa.templates import load_templates

    corpus = corpus or load_corpus(Path(seeds) if seeds else default_seeds_dir())
    templates = load_templates(prompts)  # a broken template is a one-line error before the chat opens

    def load_engine(notify: Callable[[str], None]):
        from qa.index import open_engine

        return open_engine(corpus, cache_dir=cache_dir, notify=notify)

    def ask(question: str, engine: Any, speaker: str | None):
        from qa.answer import answer

        return answer(question, engine, speaker=speaker, templates=templates)

    history = history or QuestionHistory(default_history_path())
    return ChatApp(corpus, load_engine, ask, history)
