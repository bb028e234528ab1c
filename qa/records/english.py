"""Paragraph blocks of an English verbatim record → speeches, procedural notes and votes.

The English records print a speaker line at the start of a paragraph: "The President:", "The Secretary-General:",
"Mr. Zhang Jun (China) (spoke in Chinese):", "Ms. DiCarlo:" (a briefer, with no country); "(spoke in English)"
alone is a language switch; "The meeting was called to order at 10.05 a.m." and the like are the record's own notes,
and so is a vote ("A vote was taken by show of hands.", "In favour:" and the list of members, "Against:",
"Abstaining:"). The President speaks for the Council, except between "I shall now make a statement in my capacity as
the representative of Viet Nam" and "I now resume my functions as President of the Council". The honorifics and the
lowercase words of names are data (``data/en_*.tsv``).
"""

from __future__ import annotations

import functools
import re
from pathlib import Path

from qa.records.model import LanguageSwitch, Vote
from qa.records.pages import Block, line_map
from qa.records.speakers import Turn

DATA = Path(__file__).resolve().parent / "data"
PRESIDENT = "The President"
SECRETARY_GENERAL = "The Secretary-General"
PRESIDENT_ROLE = "President of the Security Council"
UNITED_NATIONS = "United Nations"
_UPPER = "A-ZÀ-ÖØ-ÞĀ-ſ"
LANGUAGE_NOTE_RE = re.compile(r"^\(spoke in (?P<language>[A-Z][a-z]+)\)$")
PROCEDURAL_RE = re.compile(
    r"^(?:The meeting (?P<event>was called to order|rose|was suspended|resumed|was resumed|was adjourned)"
    r" at (?P<time>\d{1,2}(?:[.:]\d{2})?\s*(?:a\.m|p\.m|noon)\.?)"
    r"(?: and (?:was )?resumed at \d{1,2}(?:[.:]\d{2})?\s*(?:a\.m|p\.m|noon)\.?)?\.?"
    r"|Adoption of the agenda|The agenda was adopted\.|A vote was taken by show of hands\.|A recorded vote was taken\."
    r"|(?:In favour|Against|Abstaining):.*)$"
)
VOTE_HEAD_RE = re.compile(r"^(?P<side>In favour|Against|Abstaining):\s*(?P<members>.*)$")
CAPACITY_RE = re.compile(
    r"^I (?:shall|will|should like to|would like to) now (?:make|deliver) a statement in my (?:national )?capacity"
    r" as (?:the )?(?P<capacity>[^.]*?)\.?$"
)
CAPACITY_COUNTRY_RE = re.compile(r"(?:representative|Minister[^.]*?|President|Permanent Representative) of (?P<c>.+)$")
RESUME_RE = re.compile(r"^I (?:shall )?(?:now )?resume my functions as (?:the )?President of the (?:Security )?Council")
OUTCOME_RE = re.compile(
    r"(?P<what>draft resolution|proposed oral amendment|amendment|draft)[^.]*?"
    r"(?P<outcome>has been adopted[^.]*?as resolution \d+ \(\d{4}\)|is adopted[^.]*?as resolution \d+ \(\d{4}\)"
    r"|has not been adopted|is not adopted|has been adopted|is adopted)"
)
PUT_TO_VOTE_RE = re.compile(r"I shall now put to the vote (?P<subject>[^.]+)\.")


def _column(name: str) -> tuple[str, ...]:
    """The first column of a data file (tab-separated; '#' lines are comments)."""
    lines = (DATA / name).read_text(encoding="utf-8").splitlines()
    return tuple(line.split("\t")[0] for line in lines if line.strip() and not line.startswith("#"))


@functools.lru_cache(maxsize=1)
def speaker_re() -> re.Pattern[str]:
    honorifics = "|".join(_column("en_honorifics.tsv"))
    particles = "|".join(_column("en_name_particles.tsv"))
    word = rf"(?:[{_UPPER}][\w’'.\-]*|(?:{particles})(?= ))"
    return re.compile(
        r"^(?:The (?P<title>(?:Acting )?President|(?:Deputy )?Secretary-General)"
        rf"|(?P<honorific>{honorifics})\.? (?P<name>{word}(?: {word}){{0,6}}))"
        r"(?: ?\((?!spoke)(?P<affiliation>[^():]{2,80})\))?"
        r"(?: ?\(spoke in (?P<language>[A-Z][a-z]+)\))?"
        r" ?: ?"
    )


def speaker_turn(text: str, line: int) -> tuple[Turn, str] | None:
    """A speech opened by the speaker line at the start of ``text``, and the text after it."""
    match = speaker_re().match(text)
    if not match:
        return None
    title = match.group("title")
    honorific = match.group("honorific")
    turn = Turn(
        speaker=f"The {title}" if title else match.group("name"),
        honorific=f"{honorific}." if honorific and honorific != "Miss" else honorific,
        affiliation=match.group("affiliation"),
        language=match.group("language"),
        line=line,
        speaker_line=match.group(0).strip(),
    )
    if title and title.endswith("President"):
        turn.role = PRESIDENT_ROLE
    elif title:
        turn.role, turn.affiliation = title, turn.affiliation or UNITED_NATIONS
    return turn, text[match.end() :].strip()


def build_turns(blocks: list[Block], warnings: list[str]) -> list[Turn]:
    """Group paragraph blocks into speeches and procedural parts (a vote is one procedural part)."""
    turns: list[Turn] = []
    blocks = join_vote_lists(blocks)
    for number, block in enumerate(blocks):
        text = block.text.strip()
        current = turns[-1] if turns else None
        if (note := LANGUAGE_NOTE_RE.match(text)) and current and not current.procedural:
            index = len(current.paragraphs or [])
            switch = LanguageSwitch(block.line, index, note.group("language"), text)
            current.switches = (current.switches or []) + [switch]
            continue
        if PROCEDURAL_RE.match(text) or is_heading(text, blocks[number + 1].text if number + 1 < len(blocks) else ""):
            if not (current and current.procedural):
                turns.append(Turn(speaker=None, procedural=True, line=block.line))
            turns[-1].add(block.line, block.page_index, text, line_map(block, text))
            continue
        if opened := speaker_turn(text, block.line):
            current, text = opened
            turns.append(current)
        if current is None:
            current = Turn(speaker=None, procedural=True, line=block.line)
            turns.append(current)
        if current.speaker == PRESIDENT and (capacity := CAPACITY_RE.match(text)):
            current.add(block.line, block.page_index, text, line_map(block, text))
            country = CAPACITY_COUNTRY_RE.search(capacity.group("capacity"))
            current = Turn(
                speaker=PRESIDENT,
                role=capacity.group("capacity"),
                affiliation=country.group("c") if country else capacity.group("capacity"),
                language=current.language,
                line=block.line,
            )
            turns.append(current)
            continue
        if current.speaker == PRESIDENT and current.role != PRESIDENT_ROLE and RESUME_RE.match(text):
            current = Turn(speaker=PRESIDENT, role=PRESIDENT_ROLE, language=current.language, line=block.line)
            turns.append(current)
        if text:
            current.add(block.line, block.page_index, text, line_map(block, text))
    return turns


def join_vote_lists(blocks: list[Block]) -> list[Block]:
    """ "In favour:" and the list of members printed below it as one paragraph ("In favour: China, Russian
    Federation, Viet Nam"), so that the side and the members are found, and quoted, together."""
    joined: list[Block] = []
    for block in blocks:
        previous = joined[-1] if joined else None
        head = VOTE_HEAD_RE.match(previous.text.strip()) if previous else None
        if head and not head.group("members") and not PROCEDURAL_RE.match(block.text.strip()):
            joined[-1] = Block(previous.line, previous.page_index, [f"{previous.text.strip()} {block.text.strip()}"])
        else:
            joined.append(block)
    return joined


def is_heading(text: str, following: str) -> bool:
    """An item heading the record prints before a speaker line ("Expression of thanks to the outgoing President"):
    short, with no sentence end, and the next paragraph opens a speech."""
    return (
        len(text) < 200
        and text[-1:] not in ".?!:;’”\"'"
        and not speaker_re().match(text)
        and bool(speaker_re().match(following))
    )


def attribute(turns: list[Turn], presiding: str | None, texts: list[str]) -> str | None:
    """Give the President's turns the presiding member (the cover's, else the national statement's) and a briefer
    printed without country the capacity the record introduces them with; return the presiding member."""
    presiding = presiding or next(
        (turn.affiliation for turn in turns if turn.speaker == PRESIDENT and turn.role != PRESIDENT_ROLE), None
    )
    for turn in turns:
        if turn.speaker == PRESIDENT and turn.role == PRESIDENT_ROLE:
            turn.affiliation = turn.affiliation or presiding
        elif turn.speaker and turn.honorific and not turn.affiliation and not turn.role:
            turn.role = capacity_in_text(turn.speaker, texts)
    return presiding


def capacity_in_text(name: str, texts: list[str]) -> str | None:
    """The capacity the record introduces a person with: "Mr. Martin Griffiths, Special Envoy of the
    Secretary-General for Yemen, and …" → "Special Envoy of the Secretary-General for Yemen"; the capacity runs to
    the first clause that starts in lower case ("Director, Coordination Division, United Nations Office …")."""
    pattern = re.compile(rf"\b{re.escape(name)}, (?P<role>[A-Z][^;:()]{{3,160}}?)(?=, [a-z]|; |\.(?:\s|$)|$)")
    for text in texts:
        if name in text and (match := pattern.search(text)):
            return match.group("role")
    return None


def times(turns: list[Turn]) -> tuple[str | None, str | None]:
    """The opening and closing times as printed in the procedural notes."""
    opened = closed = None
    for turn in turns:
        for _, _, text in (turn.paragraphs or []) if turn.procedural else []:
            match = PROCEDURAL_RE.match(text)
            event = match.group("event") if match else None
            if event in ("was called to order", "resumed", "was resumed") and opened is None:
                opened = match.group("time")
            elif event in ("rose", "was adjourned"):
                closed = match.group("time")
    return opened, closed


def votes(turns: list[Turn], first_page: int | None) -> tuple[Vote, ...]:
    """Each vote of the record: what was put to the vote, the members on each side, the outcome the President
    announced after it. The vote's note gets "vote on <subject>, <outcome>" as its role, which the index reads
    with its paragraphs and ``qa.answer.votes`` matches against a question."""
    found: list[Vote] = []
    subject = ""
    for index, turn in enumerate(turns):
        if not turn.procedural:
            for _, _, text in turn.paragraphs or []:
                if match := PUT_TO_VOTE_RE.search(text):
                    subject = match.group("subject")
            continue
        sides: dict[str, list[str]] = {}
        side = None
        line = page = None
        for number, page_index, text in turn.paragraphs or []:
            if head := VOTE_HEAD_RE.match(text):
                side = head.group("side")
                sides[side] = _members(head.group("members"))
                line, page = (number, page_index) if line is None else (line, page)
            elif side is not None:
                sides[side] += _members(text)
        if not sides:
            continue
        outcome = _outcome(turns[index + 1 :])
        turn.role = ", ".join(part for part in (f"vote on {subject}" if subject else "vote", outcome) if part)
        found.append(
            Vote(
                line=line or turn.line,
                page=None if first_page is None else first_page + (page or 0),
                subject=subject,
                in_favour=tuple(sides.get("In favour", ())),
                against=tuple(sides.get("Against", ())),
                abstaining=tuple(sides.get("Abstaining", ())),
                outcome=outcome,
            )
        )
        subject = ""
    return tuple(found)


def _members(text: str) -> list[str]:
    return [part.strip() for part in text.split(",") if part.strip() and part.strip().lower() != "none"]


def _outcome(after: list[Turn]) -> str:
    for turn in after[:1]:
        for _, _, text in (turn.paragraphs or [])[:2]:
            if match := OUTCOME_RE.search(text):
                return match.group("outcome")
    return ""
