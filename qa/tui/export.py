"""A chat conversation as Markdown, each answer followed by its citations.

Pure functions of the conversation, so the chat's ``/export``, its copy to the
clipboard and the tests produce the same text. Record text and questions are
escaped so that a record cannot turn into Markdown links, emphasis or HTML in
the reader's viewer; the answers' [n] markers stay as written so they still
match the citation list below each answer.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any, Sequence

_MARKER = re.compile(r"\[\d+\]")
_MARKDOWN_SPECIAL = re.compile(r"([\\`*_{}\[\]<>#|!~])")
RELATED_EXCERPT = 120
"""Characters of a "possibly related" paragraph quoted under a declined answer."""


@dataclass(frozen=True)
class Exchange:
    """One question of a conversation and what the chat answered."""

    question: str
    """The question as asked (already cleaned of control characters)."""
    answer: Any = None
    """The ``qa.answer.pipeline.Answer``; None while pending or when it failed."""
    speaker: str | None = None
    """The ``/speaker`` restriction in force when it was asked."""
    error: str | None = None
    """Why no answer could be composed, when that happened."""


def escape_markdown(text: str) -> str:
    """``text`` with every character Markdown could interpret backslash-escaped."""
    return _MARKDOWN_SPECIAL.sub(r"\\\1", text)


def escape_answer(text: str) -> str:
    """Answer text escaped except its [n] citation markers."""
    pieces, last = [], 0
    for marker in _MARKER.finditer(text):
        pieces += [escape_markdown(text[last : marker.start()]), marker.group()]
        last = marker.end()
    return "".join([*pieces, escape_markdown(text[last:])])


def where(hit: Any) -> str:
    """Speaker, meeting, date, page, paragraph and source line of a hit, as a citation names them."""
    meeting, paragraph = hit.meeting, hit.paragraph
    parts = [hit.speech.label, meeting.symbol, meeting.date or "date unknown"]
    if paragraph.page is not None:
        parts.append(f"p. {paragraph.page}")
    parts.append(f"¶ {paragraph.id}")
    parts.append(f"{meeting.source}:{paragraph.line}")
    return ", ".join(parts)


def exchange_markdown(exchange: Exchange, number: int | None = None) -> str:
    """One question, its answer and its sources (or the related passages of a declined answer)."""
    heading = f"## {number}. " if number is not None else "## "
    lines = [heading + escape_markdown(exchange.question), ""]
    if exchange.speaker:
        lines += [f"*Restricted to speaker:* {escape_markdown(exchange.speaker)}", ""]
    answer = exchange.answer
    if answer is None:
        lines += [f"*No answer:* {escape_markdown(exchange.error or 'not answered')}", ""]
        return "\n".join(lines)
    label = "*Declined:* " if answer.abstained else ""
    lines += [label + escape_answer(answer.text), ""]
    if answer.citations:
        lines += ["**Sources**", ""]
        lines += [f"- [{c.n}] {escape_markdown(where(c.hit))} — “{escape_markdown(c.quote)}”" for c in answer.citations]
        lines.append("")
    if answer.abstained and answer.related:
        lines += ["**Possibly related**", ""]
        lines += [
            f"- {escape_markdown(where(hit))} — {escape_markdown(excerpt(hit.paragraph.text))}"
            for hit in answer.related
        ]
        lines.append("")
    return "\n".join(lines)


def excerpt(text: str, limit: int = RELATED_EXCERPT) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


def conversation_markdown(exchanges: Sequence[Exchange], title: str = "qa conversation") -> str:
    """The whole conversation, numbered, under one title."""
    parts = [f"# {escape_markdown(title)}", ""]
    parts += [exchange_markdown(exchange, number) for number, exchange in enumerate(exchanges, 1)]
    return "\n".join(parts).rstrip("\n") + "\n"
