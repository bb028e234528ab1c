"""What the chat's keys, slash commands and command palette do: one action each, whichever way it is asked.

A mixin of ``ChatApp`` (it uses the app's exchanges, selection and chat screen),
kept apart so that ``app.py`` reads as the asking-and-answering loop.
"""

from __future__ import annotations

import difflib
import os
import subprocess
from datetime import datetime
from functools import partial
from pathlib import Path

from textual.app import SuspendNotSupported, SystemCommand
from textual.binding import Binding

from qa.index.meetings import symbol_key
from qa.paths import cited_path, user_data_dir
from qa.records.citation import record_url
from qa.tui import examples
from qa.tui.conversations import Saved, saved_conversations
from qa.tui.export import conversation_markdown, exchange_markdown, export_path, where, write_new
from qa.tui.outside import clean_copy, editor_command, osc52_likely, save_copy
from qa.tui.render import SourceEntry
from qa.tui.screens import ConfirmScreen, ConversationsScreen, HelpScreen, ReaderScreen, help_content
from qa.tui.slash import ALIASES, SLASH_COMMANDS, SlashCommand
from qa.tui.widgets import SourceList, SpeakerChart


class ChatActions:
    """Slash commands, key-binding actions and palette commands of the chat."""

    async def run_slash(self, command: SlashCommand) -> None:
        if command.name == "speaker":
            self.restrict_speaker(command.argument or None)
        elif command.name == "meeting":
            self.restrict_meeting(command.argument or None)
        elif command.name == "export":
            self.action_export(command.argument)
        elif command.name == "clear":
            await self.clear_conversation()  # typed out in full: no question asked (Ctrl+L asks)
        elif command.name in ("help", "quit", "conversations"):
            await self.run_action(command.name)
        else:
            known = " ".join(f"/{name}" for name in SLASH_COMMANDS)
            close = difflib.get_close_matches(command.name, [*SLASH_COMMANDS, *ALIASES], n=1, cutoff=0.6)
            hint = f"did you mean /{close[0]}? " if close else ""
            message = f"Unknown command /{command.name}; {hint}the commands are {known}."
            self.notify(message, severity="warning", markup=False)

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
        keys += [("ctrl+p", "Command palette"), ("up / down", "Earlier / later questions")]
        keys += [(f"{b.key} (reader)", b.description) for b in ReaderScreen.BINDINGS if isinstance(b, Binding)]
        found = examples.example_questions(self.corpus, self.topics)
        self.push_screen(HelpScreen(help_content(keys, list(SLASH_COMMANDS.values()), found, self.sub_title)))

    def action_focus_question(self) -> None:
        self.chat.query_one("#question").focus()

    def action_focus_sources(self) -> None:
        self.chat.query_one(SourceList).focus()

    def action_focus_chart(self) -> None:
        chart = self.chat.query_one(SpeakerChart)
        if not chart.display:
            self.notify("No chart yet: it shows who spoke about the selected answer's question.", severity="warning")
            return
        if chart.highlighted is None:
            chart.highlighted = 0
        chart.focus()

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

    def action_copy(self) -> None:
        """F3: the highlighted citation when the sources have the focus, else the selected answer."""
        sources = self.chat.query_one(SourceList)
        if self.focused is sources and sources.entries and sources.highlighted is not None:
            entry = sources.entries[sources.highlighted]
            label = f"[{entry.n}] " if entry.n is not None else ""
            quoted = entry.quote or entry.hit.paragraph.text
            self.copy_text(f"{label}{where(entry.hit, entry.quote)} — “{quoted}”\n", "the citation")
            return
        exchange = self.exchanges.get(self.selected) if self.selected is not None else None
        if exchange is None:
            self.notify("No answer to copy yet.", severity="warning")
            return
        self.copy_text(exchange_markdown(exchange), "the answer and its citations")

    def copy_text(self, text: str, what: str) -> None:
        """Copy with Textual's OSC 52; where the terminal may ignore it, also save the text and give the path."""
        text = clean_copy(text)
        self.copy_to_clipboard(text)
        if osc52_likely(os.environ):
            self.notify(f"Copied {what}.", markup=False)
            return
        try:
            path = save_copy(text, user_data_dir())
        except OSError as error:
            self.notify(f"This terminal may not take the copy, and {error.filename} cannot be written.", markup=False)
            return
        self.notify(
            f"Sent {what} to the clipboard, which this terminal may not support (OSC 52); the text is in {path}",
            severity="warning",
            markup=False,
            timeout=10,
        )

    def open_source(self, meeting, line: int) -> None:
        """The reader's o: the record at ``line`` in $VISUAL or $EDITOR, else its path and line (and UN link)."""
        path, link = Path(cited_path(meeting.source)), record_url(meeting)
        where_line = f"{path}:{line}" + (f" · {link}" if link else "")
        editor = os.environ.get("VISUAL") or os.environ.get("EDITOR")
        if not editor:
            self.notify(f"{where_line} (set $EDITOR to open it from here)", markup=False, timeout=15)
            return
        try:
            with self.suspend():
                subprocess.run(editor_command(editor, path, line), check=False)
        except SuspendNotSupported:
            self.notify(f"{where_line} (this terminal cannot hand over to an editor)", markup=False, timeout=15)
        except OSError as error:
            self.notify(f"Cannot start {editor}: {error.strerror or error}; {where_line}", markup=False)

    def action_export(self, path: str = "") -> None:
        done = [exchange for exchange in self.exchanges.values() if exchange.answer is not None or exchange.error]
        if not done:
            self.notify("Nothing to export yet: ask a question first.", severity="warning")
            return
        now = datetime.now()
        target = export_path(path, user_data_dir() / "exports", now)
        text = conversation_markdown(done, title=f"qa · {self.sub_title}", exported=now, speaker=self.speaker)
        try:
            write_new(target, text)
        except FileExistsError:
            self.notify(f"{target} exists and was left as it is; give another name.", severity="error", markup=False)
            return
        except OSError as error:
            self.notify(f"Cannot write {target}: {error.strerror or error}", severity="error", markup=False)
            return
        self.notify(f"Exported {len(done)} answer(s) to {target}", markup=False)

    def action_clear(self) -> None:
        """Ctrl+L asks first; the conversation stays saved and F6 reopens it."""
        if not self.exchanges:
            return
        question = "Clear the conversation? It stays saved: F6 reopens it.  y / n"

        async def answered(yes: bool | None) -> None:
            if yes:
                await self.clear_conversation()

        self.push_screen(ConfirmScreen(question), answered)

    async def clear_conversation(self) -> None:
        await self.chat.query_one("#conversation").remove_children("QuestionView, AnswerView")
        self.shown.clear()
        self.exchanges.clear()
        self.answer_views.clear()
        self.strengths.clear()
        self.chart_meetings.clear()
        self.passages.clear()
        self.selected = None
        self.select(None)  # also forgets a chosen chart bar, so the panel's title is plain "Sources" again
        self.conversation.start_new()

    def action_conversations(self) -> None:
        saved = saved_conversations(self.conversation.folder)
        if not saved:
            self.notify("No saved conversation yet: each one is saved as you ask.", severity="warning")
            return

        async def chosen(conversation: Saved | None) -> None:
            if conversation is not None:
                await self.reopen(conversation)

        self.push_screen(ConversationsScreen(saved), chosen)

    async def reopen(self, conversation: Saved) -> None:
        """Ask the saved questions again, each with the speaker filter it had; new questions go to the same file."""
        await self.clear_conversation()
        for asked in conversation.questions:
            self.speaker = asked.speaker
            self.ask_question(asked.question, record=False)
        self.conversation.continue_in(conversation.path)
        self.notify(f"Reopened {conversation.path.name}: {len(conversation.questions)} question(s).", markup=False)
        if self.engine is not None:
            self.show_status()

    def get_system_commands(self, screen):
        yield from super().get_system_commands(screen)
        yield SystemCommand("Help", "Keys, commands and example questions (F1)", self.action_help)
        yield SystemCommand("Copy answer", "Copy the selected answer with its citations (F3)", self.action_copy)
        yield SystemCommand(
            "Export conversation", "Save it as Markdown in the user data folder (F4)", self.action_export
        )
        yield SystemCommand("Clear conversation", "Remove every question and answer (ctrl+l)", self.action_clear)
        yield SystemCommand("Saved conversations", "Reopen an earlier conversation (F6)", self.action_conversations)
        yield SystemCommand("All speakers", "Lift a /speaker restriction", lambda: self.restrict_speaker(None))
        for name in examples.affiliations(self.corpus):
            restrict = partial(self.restrict_speaker, name)
            yield SystemCommand(f"Only {name}", "Answers only from this speaker or country (/speaker)", restrict, False)
