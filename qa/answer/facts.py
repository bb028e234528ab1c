"""What the meeting itself did, from its procedural text and headers rather than from what speakers said:
whether it voted or adopted anything, and the line that prints its date.

A speaker who mentions a resolution (大会第75/276号决议) does not make it one the meeting adopted: only the
record's own notes and the President's announcements say that (决议草案获得一致通过, "The draft resolution
was adopted unanimously"). A meeting whose record holds no such note adopted nothing, and the answer says so
without citing a speaker.
"""

from __future__ import annotations

import re

from qa.answer.order import ADOPTED, CLOCK, PRESIDENT
from qa.records.model import Paragraph

ASKS_ADOPTION = re.compile(r"通过|表决|投票|采纳|(?i:\badopt|\bvot(?:e|ed|ing)\b)")
ADOPTABLE = re.compile(r"决议|决定|主席声明|声明|草案|(?i:resolution|statement|draft|decision)")
THIS_MEETING = re.compile(
    r"本次|这次|此次|今天|本场|会议上|会上|会开完|会议.{0,3}(?:通过|表决|投票)|(?i:this meeting|the meeting)"
)
"""The question asks about the meeting of the record, not about what the Council or another body did at some
time (安理会通过过哪些反恐决议 asks about resolutions speakers mention)."""
OTHER_BODY = re.compile(r"联大|大会|第.{1,4}届|(?i:general assembly)|\d+/\d+|\d+\s*[（(]\d{4}[)）]")
"""A question naming another body or a numbered resolution asks about what a speaker mentioned."""
ADOPTION_NOTE = re.compile(
    r"决议草案|获得?一致通过|获得通过|票赞成|表决结果|主席声明|"
    r"(?i:draft resolution|adopted unanimously|was adopted|votes? in favour|presidential statement)"
)
"""How a record notes a vote or an adoption (not the agenda's: ``qa.answer.order.ADOPTED``)."""


def asks_adoption(text: str) -> bool:
    """The question asks what this meeting voted on or adopted (本次会议通过了什么决议?)."""
    return bool(
        ASKS_ADOPTION.search(text)
        and ADOPTABLE.search(text)
        and THIS_MEETING.search(text)
        and not OTHER_BODY.search(text)
    )


def adoption_hits(hit) -> list:
    """Hits on the notes and President's words of the hit's meeting that record a vote or an adoption."""
    found = []
    for speech, paragraph in hit.meeting.paragraphs():
        if not (speech.procedural or speech.speaker == PRESIDENT) or ADOPTED.search(paragraph.text.strip()):
            continue
        if ADOPTION_NOTE.search(paragraph.text) and (
            speech.procedural or "通过" in paragraph.text or "adopted" in paragraph.text
        ):
            found.append(hit.moved_to(speech, paragraph))
    return found


def procedural_notes(hit) -> list:
    """Hits on the notes of what the hit's meeting did (its opening, the agenda's adoption, its closing), in
    order: what a reader checks to see that nothing else was adopted."""
    notes = [(speech, p) for speech in hit.meeting.speeches if speech.procedural for p in speech.paragraphs]
    done = [(speech, p) for speech, p in notes if CLOCK.search(p.text) or ADOPTED.search(p.text.strip())]
    return [hit.moved_to(speech, paragraph) for speech, paragraph in done or notes]


DATE_FORMS = ("{d:02d}/{m:02d}/{y}", "{y}年{m}月{d}日", "{y}-{m:02d}-{d:02d}", "{d} {month} {y}", "{month} {d}, {y}")
MONTHS = "January February March April May June July August September October November December".split()


def date_hit(hit):
    """A hit on the record's first page header or footer that prints the meeting's date ("16/02/2022 …
    S/PV.8967"), as a paragraph of that one line: the parse keeps them (``Meeting.furniture``), so the record
    is not read again; None when none prints it (or the meeting has no date)."""
    meeting = hit.meeting
    parts = (meeting.date or "").split("-")
    if len(parts) != 3 or not all(part.isdigit() for part in parts):
        return None
    y, m, d = (int(part) for part in parts)
    forms = [form.format(y=y, m=m, d=d, month=MONTHS[m - 1]) for form in DATE_FORMS]
    for furniture in sorted(meeting.furniture, key=lambda item: item.line):
        if any(form in furniture.text for form in forms):
            after = [p for _, p in meeting.paragraphs() if p.line > furniture.line]  # a header opens its page
            page = after[0].page if after else None
            paragraph = Paragraph(f"{meeting.symbol}:date", furniture.line, page, furniture.text.strip())
            speech = next((s for s in meeting.speeches if s.procedural), hit.speech)
            return hit.moved_to(speech, paragraph)
    return None
