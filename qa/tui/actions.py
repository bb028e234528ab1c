"""What the chat's keys, slash commands and command palette do: one action each, whichever way it is asked.

A mixin of ``ChatApp`` (it uses the app's exchanges, selection and chat screen),
kept apart so that ``app.py`` reads as the asking-and-answering loop.
"""

from __future__ import annotations

from datetime import datetime
from functools import partial
from pathlib import Path

from textual.app import SystemCommand
from textual.binding import Binding

from qa.index.meetings import symbol_key
from qa.tui import examples
from qa.tui.export import conversation_markdown, exchange_markdown
from qa.tui.render import SourceEntry
from qa.tui.screens import HelpScreen, ReaderScreen, help_content
from qa.tui.slash import SLASH_COMMANDS, SlashCommand
from qa.tui.widgets import SourceList


class ChatActions:
    """Slash commands, key-binding actions and palette commands of the chat."""

    async def run_slash(self, command: SlashCommand) -> None:
        if command.name == "speaker":
            self.restrict_speaker(command.argument or None)
        elif command.name == "meeting":
            self.restrict_meeting(command.argument or None)
        elif command.name == "export":
            self.action_export(command.argument)
        elif command.name in ("clear", "help"):
            await self.run_action(command.name)
        else:
            known = " ".join(f"/{name}" for name in SLASH_COMMANDS)
            self.notify(f"Unknown command /{command.name}; the commands are {known}.", severity="warning", markup=False)

    def restrict_speaker(self, speaker: str | None) -> None:
        if speaker and not self.speaker_known(speaker):
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

    def restrict_meeting(self, symbol: str | None) -> None:
        """``/meeting S/PV.8967``: every question is then held to that meeting (as if it named it); alone, lifts it."""
        known = {symbol_key(meeting.symbol): meeting.symbol for meeting in self.corpus.meetings}
        if symbol and symbol_key(symbol) not in known:
            self.notify(f"No meeting in these records is “{symbol}”.", severity="warning", markup=False)
            return
        self.meeting = known[symbol_key(symbol)] if symbol else None
        self.notify(f"Answers now only from {self.meeting}." if symbol else "Answers from all meetings again.")
        if self.engine is not None:
            self.show_status()

    def speaker_known(self, speaker: str) -> bool:
        """Whether the index knows a speaker by this name, title, country or alias (unknown until it is ready)."""
        return self.engine is None or bool(self.engine.speaker_names.chosen(speaker))

    def action_help(self) -> None:
        keys = [(b.key_display or b.key, b.description) for b in self.BINDINGS if isinstance(b, Binding)]
        keys += [(b.key, b.description) for b in ReaderScreen.BINDINGS if isinstance(b, Binding)]
        keys += [("ctrl+p", "Command palette"), ("ctrl+q", "Quit"), ("up / down", "Earlier / later questions")]
        found = examples.example_questions(self.corpus, self.topics)
        self.push_screen(HelpScreen(help_content(keys, list(SLASH_COMMANDS.values()), found, self.sub_title)))

    def action_focus_question(self) -> None:
        self.chat.query_one("#question").focus()

    def action_focus_sources(self) -> None:
        self.chat.query_one(SourceList).focus()

    def action_select_answer(self, step: int) -> None:
        answered = [i for i, exchange in self.exchanges.items() if exchange.answer is not None]
        if answered:
            position = answered.index(self.selected) + step if self.selected in answered else len(answered) - 1
            self.select(answered[max(0, min(position, len(answered) - 1))])

    def action_open_citation(self, exchange_id: int, n: int) -> None:
        """A click on an answer's [n] marker: read that source."""
        exchange = self.exchanges.get(exchange_id)
        citations = exchange.answer.citations if exchange and exchange.answer else ()
        for citation in citations:
            if citation.n == n:
                self.open_reader(SourceEntry(citation.hit, citation.n, citation.quote))
                return

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
        await self.chat.query_one("#conversation").remove_children("QuestionView, AnswerView")
        self.shown.clear()
        self.exchanges.clear()
        self.answer_views.clear()
        self.strengths.clear()
        self.passages.clear()
        self.selected = None
        self.show_side()

    def get_system_commands(self, screen):
        yield from super().get_system_commands(screen)
        yield SystemCommand("Help", "Keys, commands and example questions (F1)", self.action_help)
        yield SystemCommand("Copy answer", "Copy the selected answer with its citations (F3)", self.action_copy_answer)
        yield SystemCommand("Export conversation", "Save it as Markdown in the current folder (F4)", self.action_export)
        yield SystemCommand("Clear conversation", "Remove every question and answer (ctrl+l)", self.action_clear)
        yield SystemCommand("All speakers", "Lift a /speaker restriction", lambda: self.restrict_speaker(None))
        for name in examples.affiliations(self.corpus):
            restrict = partial(self.restrict_speaker, name)
            yield SystemCommand(f"Only {name}", "Answers only from this speaker or country (/speaker)", restrict, False)
