"""The reader (a whole speech, one paragraph highlighted) and the help screen."""

from __future__ import annotations

from collections.abc import Sequence

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.content import Content
from textual.screen import ModalScreen, Screen
from textual.widgets import Footer, OptionList, Static
from textual.widgets.option_list import Option

from qa.records.citation import cite, quote_line
from qa.records.model import Meeting
from qa.tui.conversations import Saved
from qa.tui.render import paragraph_content, plain
from qa.tui.widgets import ParagraphView


class ReaderScreen(Screen):
    """A speech in full, the chosen paragraph highlighted and scrolled into view, the question's terms marked."""

    CSS_PATH = "screens.tcss"
    BINDINGS = [
        Binding("escape", "back", "Back to chat"),
        Binding("n", "paragraph(1)", "Next ¶"),
        Binding("p", "paragraph(-1)", "Previous ¶"),
        Binding("right", "speech(1)", "Next speech"),
        Binding("left", "speech(-1)", "Previous speech"),
        Binding("f3", "copy_paragraph", "Copy ¶"),
        Binding("o", "open_source", "Open in editor"),
    ]

    def __init__(
        self,
        meeting: Meeting,
        speech_index: int,
        paragraph_index: int,
        terms: Sequence[str] = (),
        quote: str | None = None,
    ) -> None:
        super().__init__()
        self.meeting = meeting
        self.cited = (speech_index, paragraph_index, quote)
        """Where the reader was opened and the sentence quoted there: that paragraph is cited at the quote's line."""
        self.speech_position = speech_index
        self.paragraph_position = paragraph_index
        self.terms = tuple(terms)

    @property
    def speech(self):
        return self.meeting.speeches[self.speech_position]

    def compose(self) -> ComposeResult:
        yield Static(id="reader-title", markup=False)
        yield VerticalScroll(id="speech")
        yield Footer()

    async def on_mount(self) -> None:
        await self.show_speech()

    def title_content(self) -> Content:
        speech, meeting = self.speech, self.meeting
        who = speech.label if not speech.procedural else "会议记录（程序）"
        role = f" · {speech.role}" if speech.role and speech.role != speech.speaker else ""
        where = f"{meeting.symbol} · {meeting.date or '—'} · {len(meeting.speeches)} parts, part {speech.index + 1}"
        title = plain(who + role, "bold") + plain(f"   {where}", "$text-muted")
        return title + plain(f"\n{self.citation() or meeting.symbol}", "$text-muted")

    def citation(self) -> str | None:
        """The highlighted paragraph's citation (``qa.records.citation``): at the quoted sentence's line for the
        paragraph the reader was opened at, else at the paragraph's first line."""
        paragraph = self.current_paragraph
        return None if paragraph is None else cite(self.meeting, self.speech, paragraph, self.quote_here())

    def quote_here(self) -> str | None:
        """The quoted sentence when the highlighted paragraph is the one the reader was opened at."""
        speech_index, paragraph_index, quote = self.cited
        return quote if (self.speech_position, self.paragraph_position) == (speech_index, paragraph_index) else None

    async def show_speech(self) -> None:
        container = self.query_one("#speech", VerticalScroll)
        await container.remove_children()
        views = [ParagraphView(paragraph_content(p, self.terms)) for p in self.speech.paragraphs]
        if not views:
            views = [ParagraphView(plain("(this part has no paragraphs)"))]
        await container.mount_all(views)
        self.paragraph_position = max(0, min(self.paragraph_position, len(views) - 1))
        self.mark_current()

    def mark_current(self) -> None:
        views = list(self.query(ParagraphView))
        for position, view in enumerate(views):
            view.set_class(position == self.paragraph_position, "-current")
        current = views[self.paragraph_position]
        self.query_one("#reader-title", Static).update(self.title_content())
        self.call_after_refresh(self.query_one("#speech").scroll_to_center, current, animate=False)

    @property
    def current_paragraph(self):
        """The highlighted paragraph (None for a part without paragraphs)."""
        paragraphs = self.speech.paragraphs
        return paragraphs[self.paragraph_position] if paragraphs else None

    def action_paragraph(self, step: int) -> None:
        count = len(self.speech.paragraphs)
        if count:
            self.paragraph_position = max(0, min(self.paragraph_position + step, count - 1))
            self.mark_current()

    def action_back(self) -> None:
        self.dismiss()

    def action_copy_paragraph(self) -> None:
        """F3 in the reader: the paragraph being read, with where it is (the app copies and says how)."""
        paragraph = self.current_paragraph
        if paragraph is None:
            self.notify("This part has no paragraph to copy.", severity="warning")
            return
        self.app.copy_text(f"{paragraph.text}\n\n— {self.citation()}\n", "the paragraph")

    def action_open_source(self) -> None:
        paragraph = self.current_paragraph
        if paragraph is None:
            self.app.open_source(self.meeting, self.speech.line)
            return
        self.app.open_source(self.meeting, quote_line(paragraph, self.quote_here()))

    async def action_speech(self, step: int) -> None:
        position = self.speech_position + step
        if 0 <= position < len(self.meeting.speeches):
            self.speech_position = position
            self.paragraph_position = 0
            await self.show_speech()


class HelpScreen(ModalScreen):
    """Keys, slash commands and example questions for the loaded records."""

    CSS_PATH = "screens.tcss"
    BINDINGS = [Binding("escape,f1,q", "back", "Close help")]

    def __init__(self, content: Content) -> None:
        super().__init__()
        self.content = content

    def action_back(self) -> None:
        self.dismiss()

    def compose(self) -> ComposeResult:
        with VerticalScroll(id="help"):
            yield Static(self.content, markup=False, id="help-text")
        yield Footer()

    def on_mount(self) -> None:
        """The scrolling area has the focus, so Down and PageDown scroll at once (no Tab first)."""
        self.query_one("#help").focus()


class ConfirmScreen(ModalScreen[bool]):
    """A yes-or-no question: y or Enter says yes, n or Escape no."""

    CSS_PATH = "screens.tcss"
    BINDINGS = [Binding("y,enter", "answer(True)", "Yes"), Binding("n,escape", "answer(False)", "No")]

    def __init__(self, question: str) -> None:
        super().__init__()
        self.question = question

    def compose(self) -> ComposeResult:
        yield Static(plain(self.question), id="confirm", markup=False)
        yield Footer()

    def action_answer(self, yes: bool) -> None:
        self.dismiss(yes)


class ConversationsScreen(ModalScreen["Saved | None"]):
    """The saved conversations, newest first; Enter reopens one, Escape goes back."""

    CSS_PATH = "screens.tcss"
    AUTO_FOCUS = "#conversations"
    BINDINGS = [Binding("escape", "back", "Back")]

    def __init__(self, saved: Sequence[Saved]) -> None:
        super().__init__()
        self.saved = list(saved)

    def compose(self) -> ComposeResult:
        options = [Option(plain(conversation.title)) for conversation in self.saved]
        conversations = OptionList(*options, id="conversations", markup=False)
        conversations.border_title = "Saved conversations · Enter reopens"
        conversations.highlighted = 0
        yield conversations
        yield Footer()

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        self.dismiss(self.saved[event.option_index])

    def action_back(self) -> None:
        self.dismiss(None)


def help_content(
    keys: Sequence[tuple[str, str]], commands: Sequence[str], examples: Sequence[str], corpus_line: str
) -> Content:
    """The help text: what is loaded, keys (first, so a small terminal shows them), slash commands, examples."""
    lines = [plain("qa — cited answers from UN Security Council records", "bold"), plain(corpus_line, "$text-muted")]
    lines += [Content(""), plain("Keys", "bold $accent")]
    lines += [plain(f"  {key:<16}", "bold") + plain(description) for key, description in keys]
    lines += [Content(""), plain("Commands (type them in the question line)", "bold $accent")]
    lines += [plain(f"  {command}") for command in commands]
    lines += [Content(""), plain("Try asking", "bold $accent")]
    lines += [plain(f"  {example}") for example in examples]
    lines += [Content(""), plain(CHART_NOTE, "$text-muted")]
    return Content("\n").join(lines)


CHART_NOTE = (
    "The chart's number is a speaker's BM25 score for the question: the sum of the scores of their paragraphs "
    "that share words with it (more paragraphs, and closer ones, score higher)."
)
