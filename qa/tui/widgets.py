"""The chat's widgets. They show what they are given and post messages; the App decides what happens."""

from __future__ import annotations

from collections.abc import Sequence

from textual import on
from textual.binding import Binding
from textual.content import Content
from textual.events import Click, Paste
from textual.message import Message
from textual.visual import VisualType
from textual.widgets import Input, OptionList, Static
from textual.widgets.option_list import Option

from qa.tui.clean import one_line
from qa.tui.history import Recall
from qa.tui.linebreak import break_content
from qa.tui.render import SourceEntry, bar_prompt, plain, source_prompt

OPTION_PADDING = 2
"""Cells an OptionList takes from each option's width (its padding), so pre-broken prompts are not folded again."""


class BrokenText(Static):
    """A Static whose text is broken into lines at its own width by ``break_content`` (markers, numbers and
    closing punctuation never split), re-broken when the width changes."""

    def __init__(self, content: VisualType = "", **kwargs) -> None:
        super().__init__(content, markup=False, **kwargs)
        self.source = content
        self.broken_at = 0

    def update(self, content: VisualType = "", *, layout: bool = True) -> None:
        self.source = content
        super().update(self.broken(), layout=layout)

    def broken(self) -> VisualType:
        self.broken_at = self.content_region.width
        if isinstance(self.source, Content) and self.broken_at > 0:
            return break_content(self.source, self.broken_at)
        return self.source

    def on_resize(self) -> None:
        if self.content_region.width != self.broken_at:
            super().update(self.broken())


class QuestionInput(Input):
    """The question line; Up and Down recall earlier questions."""

    BINDINGS = [
        Binding("up", "older", "Earlier question", show=False),
        Binding("down", "newer", "Later question", show=False),
    ]

    def __init__(self, recall: Recall, **kwargs) -> None:
        super().__init__(**kwargs)
        self.recall = recall

    def _on_paste(self, event: Paste) -> None:
        """A pasted question keeps all its lines (Input alone keeps only the first)."""
        event.prevent_default()
        event.stop()
        text = one_line(event.text)
        if text and self.selection.is_empty:
            self.insert_text_at_cursor(text)
        elif text:
            self.replace(text, *self.selection)

    def action_older(self) -> None:
        self._show(self.recall.older(self.value))

    def action_newer(self) -> None:
        self._show(self.recall.newer())

    def _show(self, question: str | None) -> None:
        if question is not None:
            self.value = question
            self.cursor_position = len(question)


class QuestionView(BrokenText):
    """A question as the user asked it."""

    def __init__(self, question: str) -> None:
        super().__init__(plain(question))


class AnswerView(BrokenText):
    """An answer (or its pending / failed state); clicking it selects it for the side panel."""

    class Chosen(Message):
        def __init__(self, exchange_id: int) -> None:
            super().__init__()
            self.exchange_id = exchange_id

    def __init__(self, exchange_id: int) -> None:
        super().__init__(plain("…"), classes="-pending")
        self.exchange_id = exchange_id

    def on_click(self, event: Click) -> None:
        self.post_message(self.Chosen(self.exchange_id))


class SpeakerChart(OptionList):
    """ "Who spoke about it": one bar per speaker; choosing a bar filters the sources to that speaker."""

    class SpeakerChosen(Message):
        def __init__(self, label: str) -> None:
            super().__init__()
            self.label = label

    def __init__(self, **kwargs) -> None:
        super().__init__(markup=False, compact=True, **kwargs)
        self.strengths: list[tuple[str, float]] = []
        self.chosen: str | None = None

    @property
    def labels(self) -> list[str]:
        return [label for label, _ in self.strengths]

    def show(self, strengths: Sequence[tuple[str, float]], chosen: str | None) -> None:
        self.strengths, self.chosen = list(strengths), chosen
        self.display = bool(self.strengths)
        self.draw()

    def draw(self) -> None:
        """Bars as wide as the panel (re-drawn when it is resized)."""
        top = max((score for _, score in self.strengths), default=0.0)
        width = max(20, self.scrollable_content_region.width - 1)
        highlighted = self.highlighted
        self.set_options(
            Option(bar_prompt(lab, score, top, width, lab == self.chosen)) for lab, score in self.strengths
        )
        if self.strengths:  # the cursor is on a bar from the start, so F5 then Enter chooses one
            self.highlighted = highlighted if highlighted is not None and highlighted < len(self.strengths) else 0

    def on_resize(self) -> None:
        self.draw()

    @on(OptionList.OptionSelected)
    def _chosen(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        self.post_message(self.SpeakerChosen(self.labels[event.option_index]))


class SourceList(OptionList):
    """The passages of the selected answer; choosing one opens it in the reader."""

    class SourceOpened(Message):
        def __init__(self, entry: SourceEntry) -> None:
            super().__init__()
            self.entry = entry

    def __init__(self, **kwargs) -> None:
        super().__init__(markup=False, **kwargs)
        self.entries: list[SourceEntry] = []

    def show(self, entries: Sequence[SourceEntry], empty: str = "") -> None:
        """List ``entries``; with none, a greyed-out line saying why (``empty``)."""
        self.entries = list(entries)
        if not self.entries:
            self.set_options([Option(plain(empty, "$text-muted"), disabled=True)] if empty else [])
            return
        self.draw()
        self.highlighted = 0

    def draw(self) -> None:
        """The prompts, broken into lines at the list's width (re-drawn when it is resized)."""
        if self.entries:
            width = self.scrollable_content_region.width - OPTION_PADDING
            highlighted = self.highlighted
            self.set_options(Option(break_content(source_prompt(entry), width)) for entry in self.entries)
            self.highlighted = highlighted

    def on_resize(self) -> None:
        self.draw()

    @on(OptionList.OptionSelected)
    def _opened(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        self.post_message(self.SourceOpened(self.entries[event.option_index]))


class ParagraphView(BrokenText):
    """One paragraph of the reader; the highlighted one has the class ``-current``."""

    @staticmethod
    def current_selector() -> str:
        return "ParagraphView.-current"
