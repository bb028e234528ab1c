"""The cover of a verbatim record as the UN prints it: the meeting's facts.

The cover names the symbol ("United Nations S/PV.8704"), the day and hour ("Thursday, 16 January 2020, 10 a.m."),
the President ("President: Mr. Dang . . . . (Viet Nam)"), the members with their representatives ("Belgium . . .
Mr. Pecsteen de Buytswerve"), and the agenda (the lines after "Agenda" up to the note on corrections). The Chinese
cover says the same with 主席, 成员 and 议程 and the date as 2020年1月16日星期四.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime

LEADER_RE = re.compile(r"\s*(?:\.\s*){2,}|\s*(?:…\s*)+|\s*(?:·\s*){3,}")
SYMBOL_RE = re.compile(r"\bS/PV\.\d+(?: \((?:Resumption|续) ?\d*\))?")
DATE_EN_RE = re.compile(r"\b(?P<day>\d{1,2}) (?P<month>[A-Z][a-z]+) (?P<year>\d{4})\b")
DATE_ZH_RE = re.compile(r"(?P<year>\d{4})年(?P<month>\d{1,2})月(?P<day>\d{1,2})日")
PRESIDENT_RE = re.compile(r"^(?:President|主席)\s*[:：]\s*(?P<name>.+?)\s*[(（](?P<member>[^()（）]+)[)）]$")
MEMBERS_RE = re.compile(r"^(?:Members|成员)\s*[:：]\s*(?P<rest>.*)$")
AGENDA_RE = re.compile(r"^(?:Agenda|议程)$")
AGENDA_END_RE = re.compile(r"^(?:This record contains|本记录包括|本记录载有)|^\d{2}-\d{4,6}|^\*\d+\*$")


@dataclass
class Cover:
    symbol: str | None = None
    date: str | None = None
    president: str | None = None
    presiding: str | None = None
    members: tuple[tuple[str, str], ...] = ()
    agenda: str = ""


def read_cover(lines: list[str]) -> Cover:
    """The facts of a cover's lines (in reading order); what is missing stays empty."""
    cover = Cover()
    members: list[tuple[str, str]] = []
    agenda: list[str] | None = None
    in_members = False
    for raw in lines:
        line = LEADER_RE.sub("\t", raw.strip())
        if agenda is not None:
            if AGENDA_END_RE.search(line):
                break
            agenda.append(line)
            continue
        cover.symbol = cover.symbol or _symbol(line)
        cover.date = cover.date or _date(line)
        if match := PRESIDENT_RE.match(line.replace("\t", " ")):
            cover.president, cover.presiding = match.group("name").strip(), match.group("member").strip()
            continue
        if match := MEMBERS_RE.match(line):
            in_members, line = True, match.group("rest")
        if AGENDA_RE.match(line):
            agenda, in_members = [], False
            continue
        if in_members and "\t" in line:
            member, name = (part.strip() for part in line.split("\t", 1))
            members.append((member, name))
    if cover.presiding and cover.president:
        members.insert(0, (cover.presiding, cover.president))
    cover.members = tuple(members)
    cover.agenda = " ".join(agenda or [])
    return cover


def _symbol(line: str) -> str | None:
    match = SYMBOL_RE.search(line)
    return match.group(0) if match else None


def _date(line: str) -> str | None:
    if match := DATE_ZH_RE.search(line):
        parts = (int(match.group("year")), int(match.group("month")), int(match.group("day")))
        try:
            return datetime(*parts).date().isoformat()
        except ValueError:
            return None
    if match := DATE_EN_RE.search(line):
        try:
            return datetime.strptime(match.group(0), "%d %B %Y").date().isoformat()
        except ValueError:
            return None
    return None
