"""What the chat's widgets show, as Textual ``Content`` built from plain text.

Every string from a record or a user goes through ``Content(text)``, which never
parses markup: a record containing "[bold]" or "[link=…]" shows those
characters. Styles are theme variables so the terminal's colours are kept.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from rich.cells import cell_len
from textual.content import Content
from textual.style import Style

from qa.records.citation import cite
from qa.tui.export import Exchange

MARKER_STYLE = "bold $accent"
KEY_VALUE_STYLE = "bold underline $text-warning"
TERM_STYLE = "bold reverse"
LABEL_CELLS = 16
SCORE_CELLS = 6
_MARKER = re.compile(r"\[\d+\]")
_EIGHTHS = " ▏▎▍▌▋▊▉"


@dataclass(frozen=True)
class SourceEntry:
    """One line of the sources panel: a cited passage, or a related one of a declined answer."""

    hit: Any
    """The ``qa.index.engine.Hit`` (meeting, speech, paragraph)."""
    n: int | None = None
    """The citation's number in the answer; None for passages shown but not cited."""
    quote: str | None = None
    """The cited sentence; None shows the start of the paragraph instead."""


def plain(text: str, style: str = "") -> Content:
    """Text as it is, never markup."""
    return Content.styled(text, style) if style else Content(text)


def highlight(content: Content, needles: Iterable[str], style: str) -> Content:
    """``content`` with every occurrence of the non-empty ``needles`` styled (longest first, case-insensitive)."""
    words = sorted({needle for needle in needles if needle and needle.strip()}, key=len, reverse=True)
    if not words:
        return content
    pattern = re.compile("|".join(re.escape(word) for word in words), re.IGNORECASE)
    return content.highlight_regex(pattern, style=style)


def answer_content(answer: Any, exchange_id: int | None = None) -> Content:
    """The answer text with its [n] markers and key values standing out.

    With ``exchange_id``, clicking a marker runs ``app.open_citation(exchange_id, n)``: the action string is
    built here from two integers, never from record text.
    """
    content = highlight(plain(answer.text), answer.key_values, KEY_VALUE_STYLE)
    content = content.highlight_regex(_MARKER, style=MARKER_STYLE)
    if exchange_id is None:
        return content
    for marker in _MARKER.finditer(content.plain):
        action = f"app.open_citation({int(exchange_id)}, {int(marker.group()[1:-1])})"
        content = content.stylize(Style.from_meta({"@click": action}), marker.start(), marker.end())
    return content


def where_line(hit: Any, n: int | None = None, quote: str | None = None) -> Content:
    """ "[n] " and the citation (``qa.records.citation``: the same string as ``qa ask`` and the export), with a
    no-break space after "p." so that the page's number is never alone at the start of a line."""
    head = plain(f"[{n}] ", MARKER_STYLE) if n is not None else plain("· ", "$text-muted")
    citation = cite(hit.meeting, hit.speech, hit.paragraph, quote).replace(", p. ", ", p.\u00a0", 1)
    return head + plain(citation, "bold")


def source_prompt(entry: SourceEntry, excerpt: int = 90) -> Content:
    """Two or more lines: where the passage is, then the quoted sentence (or the paragraph's start)."""
    text = entry.quote or entry.hit.paragraph.text
    if entry.quote is None and len(text) > excerpt:
        text = text[: excerpt - 1] + "…"
    body = highlight(plain(text), getattr(entry.hit, "matched", ()), "bold")
    return Content("\n").join([where_line(entry.hit, entry.n, entry.quote), Content("  ") + body])


def bar_prompt(label: str, score: float, top: float, width: int, chosen: bool = False) -> Content:
    """ "▶ label  ████▌ 3.2" in ``width`` cells: one speaker's strength as a bar scaled to the strongest."""
    label_cells = max(6, min(LABEL_CELLS, width // 2))
    bar_cells = max(1, width - 2 - label_cells - 1 - SCORE_CELLS)
    eighths = round(bar_cells * 8 * score / top) if top > 0 else 0
    bar = "█" * (eighths // 8) + (_EIGHTHS[eighths % 8] if eighths % 8 else "")
    name = plain(chart_label(label, label_cells)).truncate(label_cells, ellipsis=True, pad=True)
    mark = plain("▶ " if chosen else "  ", "bold $accent")
    score_text = f"{score:.1f}".rjust(SCORE_CELLS)[-SCORE_CELLS:]
    return mark + name + plain(" " + bar.ljust(bar_cells), "$accent") + plain(score_text, "$text-muted")


def chart_label(label: str, cells: int) -> str:
    """A speaker's label for a chart bar: whole when it fits, else the name without its country in brackets
    (伊利亚索夫, not 伊利亚索夫（哈 …); the sources panel's title gives the whole label once a bar is chosen)."""
    name = label.split("（")[0]
    return label if cell_len(label) <= cells or not name else name


def paragraph_content(paragraph: Any, terms: Sequence[str]) -> Content:
    """A paragraph of the reader: its page and source line (the title cites the highlighted one in full), then its
    text with the question's terms marked."""
    page = f"p. {paragraph.page} · " if paragraph.page is not None else ""
    head = plain(f"{page}line {paragraph.line}", "$text-muted")
    return Content("\n").join([head, highlight(plain(paragraph.text), terms, TERM_STYLE)])


def sources_for(exchange: Exchange, speaker: str | None = None, passages: Sequence[Any] = ()) -> list[SourceEntry]:
    """The passages the sources panel lists for an exchange, optionally only one speaker's.

    An answer lists its citations; a declined answer its "possibly related" passages. Filtered to a
    speaker (a bar of the chart), that speaker's cited passages come first, then their other best
    ``passages`` for the question, so choosing a bar always shows what that speaker said.
    """
    answer = exchange.answer
    if answer is None:
        return []
    if answer.abstained:
        entries = [SourceEntry(hit) for hit in answer.related]
    else:
        entries = [SourceEntry(c.hit, c.n, c.quote) for c in answer.citations]
    if speaker is None:
        return entries
    chosen = [entry for entry in entries if entry.hit.speech.label == speaker]
    shown = {entry.hit.paragraph.id for entry in chosen}
    return chosen + [SourceEntry(hit) for hit in passages if hit.paragraph.id not in shown]
