"""The chat App and ``make_app``, the one factory the ``qa chat`` command, the tests and the benchmark use.

The App only arranges: the engine is loaded and every answer composed in one
worker thread (``answer_loop``) that takes questions from a queue, so the
interface never waits, and questions typed while the index is still loading
are answered as soon as it is ready. Answers come back with ``call_from_thread``.
"""

from __future__ import annotations

import itertools
from collections import deque
from collections.abc import Callable
from pathlib import Path
from typing import Any

from textual import on, work
from textual.app import App, ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.widgets import Footer, Header, Input, ProgressBar, Static
from textual.worker import get_current_worker

from qa.answer.pipeline import answer, prepare
from qa.answer.templates import load_templates
from qa.index.open import open_engine
from qa.paths import default_seeds_dir, user_cache_dir
from qa.records.load import load_corpus
from qa.records.model import Corpus
from qa.tui import examples
from qa.tui.actions import ChatActions
from qa.tui.clean import clean_question
from qa.tui.conversations import ConversationLog, default_folder
from qa.tui.export import Exchange
from qa.tui.history import QuestionHistory, Recall, default_history_path
from qa.tui.render import SourceEntry, answer_content, plain, sources_for
from qa.tui.screens import ReaderScreen
from qa.tui.service import AnswerService, Reply, Reports, corpus_summary
from qa.tui.slash import parse_slash
from qa.tui.widgets import AnswerView, QuestionInput, QuestionView, SourceList, SpeakerChart

CHAT_ONLY_ACTIONS = frozenset(
    {"focus_sources", "focus_chart", "focus_question", "select_answer", "clear", "conversations", "copy"}
)
SHOWN_EXCHANGES = 40
"""Exchanges kept on screen; older ones leave the screen (not the export) so layout stays fast."""
WELCOME = "Ask about these records in Chinese or English; every answer cites its sources. F1: keys and examples."


class ChatApp(ChatActions, App):
    """Questions in, cited answers out; sources, a speaker chart and a reader beside them."""

    CSS_PATH = "chat.tcss"
    TITLE = "qa"
    AUTO_FOCUS = "#question"
    HORIZONTAL_BREAKPOINTS = [(0, "-narrow"), (80, "-wide")]
    """Below 80 columns the side panel goes under the conversation (chat.tcss)."""
    BINDINGS = [
        Binding("f1", "help", "Help"),
        Binding("f2", "focus_sources", "Sources"),
        Binding("f3", "copy", "Copy"),
        Binding("f4", "export", "Export"),
        Binding("f5", "focus_chart", "Chart"),
        Binding("f6", "conversations", "Saved conversations", show=False),
        Binding("ctrl+l", "clear", "Clear"),
        Binding("ctrl+q", "quit", "Quit", priority=True),  # priority, as Textual's own: also from a modal screen
        Binding("ctrl+up", "select_answer(-1)", "Previous answer", show=False),
        Binding("ctrl+down", "select_answer(1)", "Next answer", show=False),
        Binding("escape", "focus_question", "Question line", show=False),
    ]

    def __init__(
        self,
        corpus: Corpus,
        service: AnswerService,
        history: QuestionHistory,
        conversation: ConversationLog | None = None,
        speaker: str | None = None,
    ) -> None:
        super().__init__()
        self.corpus = corpus
        self.service = service
        self.history = history
        self.conversation = conversation or ConversationLog(None)
        self.engine: Any = None
        self.engine_error: str | None = None
        self.exchanges: dict[int, Exchange] = {}
        self.strengths: dict[int, list[tuple[str, float]]] = {}
        self.chart_meetings: dict[int, int] = {}
        self.passages: dict[int, dict[str, list]] = {}
        self.answer_views: dict[int, AnswerView] = {}
        self.selected: int | None = None
        self.source_speaker: str | None = None
        self.speaker: str | None = speaker
        """The /speaker restriction (``qa chat --speaker`` starts with one)."""
        self.meeting: str | None = None
        """The meeting ``/meeting`` holds questions to (its symbol), None for all."""
        self.topics: list[str] = []
        self.answered = 0
        """Answers shown so far (tests and the benchmark wait on it)."""
        self.shown: deque[tuple[QuestionView, AnswerView]] = deque()
        self._ids = itertools.count(1)

    @property
    def chat(self):
        """The chat screen (the bottom of the stack), whatever screen is on top of it."""
        return self.screen_stack[0]

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """Actions that move around the chat only work while the chat is the screen shown."""
        if action in CHAT_ONLY_ACTIONS and self.screen is not self.chat:
            return False
        return True

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
        yield Footer(compact=True)  # compact: every key of the chat fits in 80 columns

    def on_mount(self) -> None:
        self.sub_title = corpus_summary(self.corpus)
        self.chat.query_one("#chart").border_title = "Who spoke about it"
        self.chat.query_one("#chart").border_subtitle = "BM25 score"
        self.chat.query_one("#chart").display = False
        self.chat.query_one("#sources").border_title = "Sources"
        if self.history.problem:
            self.notify(self.history.problem, severity="warning", markup=False)
        for problem in self.corpus.problems:
            self.notify(str(problem), title="Record skipped", severity="warning", markup=False)
        self.answer_loop()

    # -- the worker: engine, then answers ------------------------------------------------------------

    @work(thread=True, exit_on_error=False, name="answers")
    def answer_loop(self) -> None:
        worker = get_current_worker()
        back = self.call_from_thread
        reports = Reports(
            progress=lambda message: back(self.show_progress, str(message)),
            ready=lambda engine: back(self.engine_ready, engine),
            failed=lambda reason: back(self.engine_failed, reason),
            replied=lambda reply: back(self.show_answer, reply),
        )
        self.service.run(lambda: worker.is_cancelled, reports)

    @work(thread=True, exit_on_error=False, name="topics")
    def find_topics(self) -> None:
        """Frequent topics for the help screen's example questions (tokenizing the corpus takes a moment)."""
        topics = examples.frequent_topics(self.corpus, self.engine.query_terms)
        self.call_from_thread(setattr, self, "topics", topics)

    def show_progress(self, message: str) -> None:
        self.chat.query_one("#status-text", Static).update(plain(f"Loading the index: {message}"))

    def engine_ready(self, engine: Any) -> None:
        self.engine = engine
        if self.speaker and not self.speaker_known(self.speaker):  # qa chat --speaker, checked once names are known
            self.notify(f"No speaker or country matches “{self.speaker}”; answering from all.", markup=False)
            self.speaker = None
        self.chat.query_one("#progress").display = False
        self.show_status()
        self.find_topics()

    def engine_failed(self, reason: str) -> None:
        self.engine_error = reason
        self.chat.query_one("#progress").display = False
        self.chat.query_one("#status-text", Static).update(plain(f"Cannot search: {reason}", "$text-error"))
        self.notify(reason, title="Index", severity="error", markup=False)

    def show_status(self) -> None:
        restriction = f"only {self.speaker}" if self.speaker else "all speakers"
        restriction += f" · meeting {self.meeting}" if self.meeting else ""
        text = f"Ready · {restriction} · Enter asks · F1 help"
        self.chat.query_one("#status-text", Static).update(plain(text))

    # -- asking -------------------------------------------------------------------------------------

    @on(Input.Submitted, "#question")
    async def submitted(self, event: Input.Submitted) -> None:
        event.input.clear()
        cleaned = clean_question(event.value)
        if not cleaned.text:
            self.chat.query_one(QuestionInput).recall.reset()
            self.notify("Type a question first, or /help.", timeout=3)
            return
        self.remember(cleaned.text)
        self.chat.query_one(QuestionInput).recall.reset()  # after remembering: Up then gives this question
        command = parse_slash(cleaned.text)
        if command is not None:
            await self.run_slash(command)
            return
        if cleaned.cut:
            self.notify(f"The question was cut to its first {len(cleaned.text)} characters.", severity="warning")
        self.ask_question(cleaned.text)

    def remember(self, question: str) -> None:
        """Add to the history; say so once if it stops being saved."""
        problem = self.history.problem
        self.history.add(question)
        if self.history.problem != problem:
            self.notify(self.history.problem or "", severity="warning", markup=False)

    def ask_question(self, question: str, record: bool = True) -> None:
        """Ask ``question`` with the speaker restriction in force; ``record`` adds it to the saved conversation."""
        if record:
            self.conversation.add(question, self.speaker)
            if self.conversation.problem:
                self.notify(self.conversation.problem, severity="warning", markup=False)
                self.conversation.problem = None
        exchange_id = next(self._ids)
        self.exchanges[exchange_id] = Exchange(question, speaker=self.speaker)
        view = self.answer_views[exchange_id] = AnswerView(exchange_id)
        if self.engine is None and self.engine_error is None:
            view.update(plain("… waiting for the index"))
        pair = (QuestionView(question), view)
        conversation = self.chat.query_one("#conversation")
        conversation.mount(*pair)
        self.shown.append(pair)
        if len(self.shown) > SHOWN_EXCHANGES:
            conversation.remove_children(self.shown.popleft())
        held = f"{self.meeting} {question}" if self.meeting else question  # a symbol in a question holds it there
        self.service.put(exchange_id, held, self.speaker)
        self.call_after_refresh(conversation.scroll_end, animate=False)

    def show_answer(self, reply: Reply) -> None:
        self.answered += 1
        exchange_id, answer, strengths, error = reply.exchange_id, reply.answer, reply.strengths, reply.error
        if exchange_id not in self.exchanges:
            return  # cleared meanwhile
        exchange = self.exchanges[exchange_id]
        self.exchanges[exchange_id] = Exchange(exchange.question, answer, exchange.speaker, error)
        self.strengths[exchange_id] = strengths
        self.chart_meetings[exchange_id] = reply.chart_meetings
        self.passages[exchange_id] = reply.passages
        view = self.answer_views[exchange_id]
        view.remove_class("-pending")
        if answer is None:
            view.add_class("-error")
            view.update(plain(f"No answer: {error}"))
        else:
            view.set_class(answer.abstained, "-declined")
            view.update(answer_content(answer, exchange_id))
            if getattr(answer, "notice", None):
                self.notify(answer.notice, severity="warning", markup=False)
        if exchange_id == max(self.exchanges):
            self.select(exchange_id)
            self.call_after_refresh(self.chat.query_one("#conversation").scroll_end, animate=False)

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
        chart, sources = self.chat.query_one(SpeakerChart), self.chat.query_one(SourceList)
        chart.show(self.strengths.get(self.selected, []) if exchange else [], self.source_speaker)
        meetings = self.chart_meetings.get(self.selected, 1)
        chart.border_subtitle = f"BM25 score, {meetings} meetings added" if meetings > 1 else "BM25 score"
        declined = bool(exchange and exchange.answer is not None and exchange.answer.abstained)
        passages = self.passages.get(self.selected, {}).get(self.source_speaker, [])
        entries = sources_for(exchange, self.source_speaker, passages) if exchange else []
        sources.show(entries, empty_sources(exchange, declined))
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
        paragraph = next((i for i, p in enumerate(hit.speech.paragraphs) if p.id == hit.paragraph.id), 0)
        reader = ReaderScreen(hit.meeting, hit.speech.index, paragraph, hit.matched or (), entry.quote)
        self.push_screen(reader, lambda _: self.action_focus_question())


def empty_sources(exchange: Exchange | None, declined: bool) -> str:
    """What the sources panel says when it has no passage to list."""
    if exchange is None:
        return "The passages an answer cites appear here; select one to read the whole speech."
    if declined:
        return "No passage shares enough words with the question."
    return "No sources for this answer."


def make_app(
    seeds: Path | None = None,
    *,
    cache_dir: str | Path | None = None,
    prompts: Path | None = None,
    history: QuestionHistory | None = None,
    corpus: Corpus | None = None,
    conversations: ConversationLog | None = None,
    speaker: str | None = None,
) -> ChatApp:
    """The chat on the records in ``seeds`` (default: the bundled ones), as ``qa chat`` opens it."""

    corpus = corpus or load_corpus(Path(seeds) if seeds else default_seeds_dir(), user_cache_dir(cache_dir))
    templates = load_templates(prompts)  # a broken template is a one-line error before the chat opens

    def load_engine(notify: Callable[[str], None]):

        return open_engine(corpus, cache_dir=cache_dir, notify=notify)

    def ask(question: str, engine: Any, speaker: str | None):

        return answer(question, engine, speaker=speaker, templates=templates)

    history = history or QuestionHistory(default_history_path())

    service = AnswerService(load_engine, ask, prepare=prepare)
    conversations = conversations or ConversationLog(default_folder())  # ConversationLog(None): not kept
    return ChatApp(corpus, service, history, conversations, speaker)
