"""Meetings as a filter: ``--meeting S/PV.8967``, ``--since``/``--until`` a date, or a question that names a
meeting by its symbol or its date ("S/PV.9001 会议几点开始？", "3月16日的会议上中国说了什么？").

A filter resolves to meeting numbers (positions in ``Corpus.meetings``); the engine keeps only the paragraphs of
those meetings, as it keeps only a speaker's for ``--speaker``.
"""

from __future__ import annotations

import datetime
import difflib
import re
from dataclasses import dataclass

from qa.errors import UserError

SYMBOL = re.compile(r"(?i)\bS\s*/\s*PV\s*\.\s*(\d+)(?:\s*\(\s*(resumption\s*\d*|续\s*\d*)\s*\))?")
"""A meeting's symbol as a user types it: S/PV.8967, s/pv.8967, S/PV.8967 (Resumption 1)."""

ISO_DATE = re.compile(r"^\s*(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})\s*$|^\s*(\d{4})年(\d{1,2})月(\d{1,2})日?\s*$")

QUESTION_DATE = re.compile(
    r"(?:(\d{4})年)?(\d{1,2})月(\d{1,2})日(?:的|那次|举行的|召开的)?(?=(?:安理会)?(?:会议|会上|辩论))"
)
"""A date that names a meeting in a question: "3月16日的会议", "2022年2月16日会议上", not "1月19日，集安组织…"."""


@dataclass(frozen=True)
class MeetingFilter:
    """The meetings a user asked for: symbols (any of them), and a date range (inclusive)."""

    symbols: tuple[str, ...] = ()
    since: datetime.date | None = None
    until: datetime.date | None = None

    def __bool__(self) -> bool:
        return bool(self.symbols) or self.since is not None or self.until is not None

    def describe(self) -> str:
        parts = [*self.symbols]
        if self.since or self.until:
            parts.append(f"{self.since or '…'} – {self.until or '…'}")
        return ", ".join(parts)


def symbol_key(text: str) -> str:
    """A symbol as compared: S/PV.8967 whatever its case and spacing (resumptions kept apart)."""
    match = SYMBOL.search(text)
    if not match:
        return re.sub(r"\s+", "", text).upper()
    resumption = re.sub(r"\D", "", match.group(2) or "") if match.group(2) else None
    return f"S/PV.{match.group(1)}" + (f"(R{resumption})" if resumption is not None else "")


def parse_date(text: str) -> datetime.date:
    """2022-02-16, 2022/2/16 or 2022年2月16日 as a date; ValueError with the reason otherwise."""
    match = ISO_DATE.match(text)
    if not match:
        raise ValueError(f"expected a date such as 2022-02-16, got {text!r}")
    year, month, day = (int(group) for group in match.groups() if group is not None)
    try:
        return datetime.date(year, month, day)
    except ValueError as error:
        raise ValueError(f"expected a date such as 2022-02-16, got {text!r} ({error})") from None


def meeting_date(meeting) -> datetime.date | None:
    try:
        return datetime.date.fromisoformat(meeting.date) if meeting.date else None
    except ValueError:
        return None


def chosen_meetings(meetings, wanted: MeetingFilter) -> list[int]:
    """Numbers of the meetings that ``wanted`` keeps: named by a symbol (when it names any), within the dates."""
    symbols = {symbol_key(symbol) for symbol in wanted.symbols}
    kept = []
    for number, meeting in enumerate(meetings):
        if symbols and symbol_key(meeting.symbol) not in symbols:
            continue
        day = meeting_date(meeting)
        if (wanted.since or wanted.until) and day is None:
            continue
        if wanted.since and day < wanted.since or wanted.until and day > wanted.until:
            continue
        kept.append(number)
    return kept


def check_meetings(meetings, wanted: MeetingFilter) -> list[int] | None:
    """The meeting numbers ``wanted`` keeps (None for no filter), or a one-line error naming what matched nothing:
    an unknown symbol (with the closest loaded ones), or dates no meeting falls in."""
    if not wanted:
        return None
    loaded = [meeting.symbol for meeting in meetings]
    known = {symbol_key(symbol) for symbol in loaded}
    for symbol in wanted.symbols:
        if symbol_key(symbol) not in known:
            close = difflib.get_close_matches(symbol_key(symbol), loaded, n=3, cutoff=0.5)
            hint = f"closest: {', '.join(close)}" if close else f"loaded: {', '.join(loaded[:5])}"
            raise UserError(f"--meeting {symbol!r}: no such meeting in the records; {hint}")
    kept = chosen_meetings(meetings, wanted)
    if not kept:
        raise UserError(f"no meeting in the records matches {wanted.describe()} (loaded: {date_span(meetings)})")
    return kept


def date_span(meetings) -> str:
    days = sorted(day for day in map(meeting_date, meetings) if day is not None)
    return f"{len(meetings)} meetings, {days[0]} – {days[-1]}" if days else f"{len(meetings)} meetings, no dates"


def named_in_question(text: str, meetings) -> tuple[list[int], str]:
    """The meetings a question names by symbol or by date ("3月16日的会议"), and the question without that
    reference (it is a filter, not words to look for); no meetings and the text unchanged when it names none
    of the loaded ones."""
    symbols = {symbol_key(match.group()) for match in SYMBOL.finditer(text)}
    if symbols:
        kept = [n for n, meeting in enumerate(meetings) if symbol_key(meeting.symbol) in symbols]
        return (kept, SYMBOL.sub("", text).strip()) if kept else ([], text)
    match = QUESTION_DATE.search(text)
    if not match:
        return [], text
    year, month, day = (int(group) if group else None for group in match.groups())
    kept = [
        n
        for n, meeting in enumerate(meetings)
        if (found := meeting_date(meeting)) is not None
        and (found.month, found.day) == (month, day)
        and year in (None, found.year)
    ]
    return (kept, (text[: match.start()] + text[match.end() :]).strip()) if kept else ([], text)
