"""The reader (a whole speech, one paragraph highlighted) and the help screen."""

from __future__ import annotations

from collections.abc import Sequence

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.content import Content
from textual.screen import ModalScreen, Screen
from textual.widgets import Footer, Static

from qa.records.model import Meeting
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
    ]

    def __init__(self, meeting: Meeting, speech_index: int, paragraph_index: int, terms: Sequence[str] = ()) -> None:
        super().__init__()
        self.meeting = meeting
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
        return plain(who + role, "bold") + plain(f"   {where}", "$text-muted")

    async def show_speech(self) -> None:
        self.query_one("#reader-title", Static).update(self.title_content())
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


def help_content(
    keys: Sequence[tuple[str, str]], commands: Sequence[str], examples: Sequence[str], corpus_line: str
) -> Content:
    """The help text: what is loaded, example questions, slash commands, keys."""
    lines = [plain("qa — cited answers from UN Security Council records", "bold"), plain(corpus_line, "$text-muted")]
    lines += [Content(""), plain("Try asking", "bold $accent")]
    lines += [plain(f"  {example}") for example in examples]
    lines += [Content(""), plain("Commands (type them in the question line)", "bold $accent")]
    lines += [plain(f"  {command}") for command in commands]
    lines += [Content(""), plain("Keys", "bold $accent")]
    lines += [plain(f"  {key:<12}", "bold") + plain(description) for key, description in keys]
    return Content("\n").join(lines)
