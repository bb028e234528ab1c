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
from datetime import datetime
from pathlib import Path
from typing import Any, Sequence

from qa.records.citation import cite
from qa.text.normalize import strip_controls

_MARKER = re.compile(r"\[\d+\]")
_MARKDOWN_SPECIAL = re.compile(r"([\\`*{}\[\]<>#|!~]|(?<![A-Za-z0-9])_|_(?![A-Za-z0-9]))")
"""What Markdown could read as markup; an underscore inside a word (S_PV) is left alone, as CommonMark does."""
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
    """``text`` without terminal escapes or control characters (record text is data, also in a file), and with
    every character Markdown could interpret backslash-escaped."""
    return _MARKDOWN_SPECIAL.sub(r"\\\1", strip_controls(text))


def escape_answer(text: str) -> str:
    """Answer text escaped except its [n] citation markers."""
    text, pieces, last = strip_controls(text), [], 0
    for marker in _MARKER.finditer(text):
        pieces += [escape_markdown(text[last : marker.start()]), marker.group()]
        last = marker.end()
    return "".join([*pieces, escape_markdown(text[last:])])


def where(hit: Any, quote: str | None = None) -> str:
    """The citation of a hit (and of the sentence quoted from it), as every front end gives it."""
    return cite(hit.meeting, hit.speech, hit.paragraph, quote)


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
        for c in answer.citations:
            lines.append(f"- [{c.n}] {escape_markdown(where(c.hit, c.quote))} — “{escape_markdown(c.quote)}”")
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


def conversation_markdown(
    exchanges: Sequence[Exchange],
    title: str = "qa conversation",
    exported: datetime | None = None,
    speaker: str | None = None,
) -> str:
    """The whole conversation, numbered, under one title, with when it was exported and the filter in force."""
    parts = [f"# {escape_markdown(title)}", ""]
    if exported is not None:
        restriction = escape_markdown(speaker) if speaker else "none (all speakers)"
        parts += [f"*Exported {exported:%Y-%m-%d %H:%M}; speaker filter in force: {restriction}*", ""]
    parts += [exchange_markdown(exchange, number) for number, exchange in enumerate(exchanges, 1)]
    return "\n".join(parts).rstrip("\n") + "\n"


def export_path(argument: str, folder: Path, now: datetime) -> Path:
    """Where ``/export`` writes: the path given (relative to the working folder), else a dated file in ``folder``
    (the user data folder's exports/, never the working folder, which may be a repository)."""
    if argument:
        return Path(strip_controls(argument)).expanduser()
    return folder / f"qa-conversation-{now:%Y%m%d-%H%M%S}.md"


def write_new(path: Path, text: str) -> None:
    """Write ``text`` to ``path``, making its folder; an existing file is never replaced (FileExistsError)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("x", encoding="utf-8") as stream:
        stream.write(text)
