"""Paragraph blocks → speeches: who spoke, for whom, in which language.

A speaker line ("张军先生（中国）：", "秘书长（以英语发言）：") opens a speech;
"（以法语发言）" alone is a language switch; "上午11时05分开会。" is a
procedural note. The President speaks for the Council, except between
"我现在以…的身份发言" and "我现在恢复行使安理会主席的职能", where the
statement is the presiding member's own. What the speaker line leaves out
(扎斯先生 has no affiliation printed) is taken from what the record says of
the speaker elsewhere.
"""

from __future__ import annotations

import functools
import re
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

from qa.records.model import LanguageSwitch
from qa.records.pages import (
    HONORIFICS,
    LANGUAGE_NOTE_RE,
    NAME_CHAR,
    PROCEDURAL_RE,
    SPEAKER_RE,
    TITLES,
    Block,
    line_map,
    normal,
)

DATA = Path(__file__).resolve().parent / "data"
CHAIR = "主席"
CHAIR_ROLE = "安理会主席"
SECRETARY_GENERAL = "秘书长"
UNITED_NATIONS = "联合国"
CAPACITY_RE = re.compile(r"^我(?:现在)?(?:谨)?以(?P<capacity>[^，。]{2,40}?)的身份(?:发言|讲话)")
RESUME_CHAIR_RE = re.compile(r"^我(?:现在)?恢复(?:行使)?(?:安理会|安全理事会)?主席(?:的)?职(?:能|务|责)")
ROLE_SUFFIX_RE = re.compile(
    r"^(?P<country>.+?)(?:政府)?(?:常驻联合国)?"
    r"(?:外交部副部长|第一副外长|副外长|外长|(?:第一)?副?外交部长|副?部长|副?总统|副?总理|国务卿|国务部长|"
    r"常驻代表|副代表|代表|大使|特使)$"
)


@dataclass
class Turn:
    """A speech under construction."""

    speaker: str | None
    honorific: str | None = None
    role: str | None = None
    affiliation: str | None = None
    language: str | None = None
    procedural: bool = False
    line: int = 0
    speaker_line: str = ""
    paragraphs: list[tuple[int, int, str]] | None = None
    switches: list[LanguageSwitch] | None = None
    maps: list[tuple[int, ...]] | None = None
    """Each paragraph's ``Paragraph.breaks`` (parallel to ``paragraphs``)."""

    def add(self, line: int, page_index: int, text: str, breaks: tuple[int, ...] = ()) -> None:
        if self.paragraphs is None:
            self.paragraphs = []
        if self.maps is None:
            self.maps = []
        self.paragraphs.append((line, page_index, text))
        self.maps.append(breaks)

    @property
    def label(self) -> str:
        return f"{self.speaker}（{self.affiliation}）" if self.affiliation else str(self.speaker)


LATIN_NAME_RE = re.compile(r"^(?P<honorific>(?:Mr|Mrs|Ms|Miss|Sir|Dame|Dr)\.?)\s*(?P<name>[A-Z].*)$")
"""A Latin name with a Latin honorific and no Chinese one (Mr. Hoppenot（法兰西）：), read when a country follows."""


@functools.lru_cache(maxsize=1)
def _traditional() -> dict[int, str]:
    rows = (DATA / "zh_traditional.tsv").read_text(encoding="utf-8").splitlines()
    return {ord(row.split("\t")[0]): row.split("\t")[1] for row in rows if row.strip() and not row.startswith("#")}


def simplified(text: str | None) -> str | None:
    """The Simplified form of the Traditional characters a speaker line may carry (英語 → 英语, 中國 → 中国), so
    that a language or country reads the same in every record; the list is data (``data/zh_traditional.tsv``)."""
    return text.translate(_traditional()) if text else text


def speaker_turn(text: str, line: int) -> tuple[Turn, str] | None:
    """A speech opened by the speaker line at the start of ``text``, and the text after it."""
    match = SPEAKER_RE.match(text)
    if not match:
        return None
    name, honorific = match.group("name"), match.group("honorific")
    affiliation, language = simplified(match.group("affiliation")), simplified(match.group("language"))
    if simplified(name) in TITLES:
        name = simplified(name)
    elif not honorific and affiliation and (latin := LATIN_NAME_RE.match(name)):
        name, honorific = latin.group("name"), latin.group("honorific")
    if not honorific and name not in TITLES:
        return None
    turn = Turn(
        speaker=name,
        honorific=honorific,
        affiliation=affiliation,
        language=language,
        line=line,
        speaker_line=match.group(0),
    )
    if name in (CHAIR, "代理主席"):
        turn.role = CHAIR_ROLE
    elif name == SECRETARY_GENERAL:
        turn.role, turn.affiliation = SECRETARY_GENERAL, turn.affiliation or UNITED_NATIONS
    return turn, text[match.end() :].strip()


UNNAMED_SPEAKER = "未具名发言者"
_DAMAGED_START_RE = re.compile(rf"^(?P<name>{NAME_CHAR}{{0,30}}?)(?P<honorific>先生|女士|夫人)?(?=[（(])")
_PAREN_GROUP_RE = re.compile(r"[（(](?P<inner>[^（）()：:。]{1,40})(?:[）)]|(?=[（(：:]))")


def damaged_turn(text: str, line: int) -> tuple[Turn, str] | None:
    """Salvage a speaker line the extraction damaged ("张军先生（中国中方赞赏…", "先生（中国）：…").

    It must start like one (a name with an honorific, or a title, then a
    bracket); whatever brackets follow give the affiliation and language.
    """
    start = _DAMAGED_START_RE.match(text)
    if not start or not (start.group("honorific") or start.group("name") in TITLES):
        return None
    groups, end = [], start.end()
    for group in _PAREN_GROUP_RE.finditer(text, start.end()):
        if group.start() != end:
            break
        groups.append(group.group("inner"))
        end = group.end()
    if not groups:
        return None
    if text[end : end + 1] in ("：", ":"):
        end += 1
    language = next((g[1:-2] for g in groups if g.startswith("以") and g.endswith("发言")), None)
    affiliation = next((g for g in groups if not g.startswith("以")), None)
    turn = Turn(
        speaker=start.group("name") or UNNAMED_SPEAKER,
        honorific=start.group("honorific"),
        affiliation=affiliation,
        language=language,
        line=line,
        speaker_line=text[:end],
    )
    return turn, text[end:].strip()


def country_of_capacity(capacity: str) -> str:
    """ "俄罗斯联邦副外长" → "俄罗斯联邦": the state a President speaks for."""
    match = ROLE_SUFFIX_RE.match(capacity)
    return match.group("country") if match else capacity


def build_turns(blocks: list[Block], warnings: list[str]) -> list[Turn]:
    """Group paragraph blocks into speeches and procedural parts; note what looked damaged."""
    turns: list[Turn] = []
    for block in blocks:
        text = block.text
        plain = normal(text)
        current = turns[-1] if turns else None
        if (note := LANGUAGE_NOTE_RE.match(plain)) and current and not current.procedural:
            index = len(current.paragraphs or [])
            switch = LanguageSwitch(block.line, index, simplified(note.group("language")), text)
            current.switches = (current.switches or []) + [switch]
            continue
        if PROCEDURAL_RE.match(plain):
            if not (current and current.procedural):
                turns.append(Turn(speaker=None, procedural=True, line=block.line))
            turns[-1].add(block.line, block.page_index, text, line_map(block, text))
            continue
        if opened := speaker_turn(text, block.line):
            turn, rest = opened
            turns.append(turn)
            if rest:
                turn.add(block.line, block.page_index, rest, line_map(block, rest))
            continue
        if current and current.speaker == CHAIR and (capacity := CAPACITY_RE.match(plain)):
            current = Turn(
                speaker=CHAIR,
                role=capacity.group("capacity"),
                affiliation=country_of_capacity(capacity.group("capacity")),
                language=current.language,
                line=block.line,
            )
            turns.append(current)
        elif current and current.speaker == CHAIR and current.role != CHAIR_ROLE and RESUME_CHAIR_RE.match(plain):
            current = Turn(speaker=CHAIR, role=CHAIR_ROLE, language=current.language, line=block.line)
            turns.append(current)
        elif salvaged := damaged_turn(text, block.line):
            current, rest = salvaged
            warnings.append(
                f"line {block.line}: damaged speaker line {current.speaker_line!r}, read as {current.label}"
            )
            turns.append(current)
            text = rest
        elif current is None:
            current = Turn(speaker=None, procedural=True, line=block.line)
            turns.append(current)
        if text:
            current.add(block.line, block.page_index, text, line_map(block, text))
    return turns


def attribute(turns: list[Turn], texts: list[str]) -> str | None:
    """Fill in what the record establishes elsewhere; return the presiding member.

    The chair speaks for the member whose national statement it makes; a
    speaker printed without affiliation ("扎斯先生") gets the organisation the
    record names with them ("集体安全条约组织秘书长……扎斯先生").
    """
    presiding = next(
        (turn.affiliation for turn in turns if turn.speaker == CHAIR and turn.role not in (None, CHAIR_ROLE)),
        None,
    )
    unaffiliated = {turn.speaker for turn in turns if turn.speaker and turn.honorific and not turn.affiliation}
    found = {name: affiliation_in_text(name, texts) for name in unaffiliated}
    for turn in turns:
        if turn.speaker == CHAIR and turn.role == CHAIR_ROLE:
            turn.affiliation = turn.affiliation or presiding
        elif turn.speaker in found and not turn.affiliation:
            turn.affiliation = found[turn.speaker]
    return presiding


_ORG_TITLES = "秘书长|副秘书长|总干事|主席|特别代表|特使|执行主任|执行秘书|高级专员|主任|协调员"
_LEADING_VERBS_RE = re.compile(r"^.*?(?:邀请|欢迎|感谢|祝贺|赞扬|赞赏|以及|及|和|与|同|向)")
_ORG_BEFORE_RE = re.compile(
    rf"(?P<org>[^\s，。、；：“”（）《》]{{2,40}}?)(?:（[^（）]{{1,12}}）)?(?:{_ORG_TITLES})(?:[^\s，。、；：（）]{{0,16}}[·・])?$"
)
_NAME_AFTER_RE = re.compile(
    rf"(?:[^\s，。、；：（）]{{0,16}}[·・])?(?P<name>[^\s，。、；：（）·・]{{2,8}}?)(?:{'|'.join(HONORIFICS)})"
)
_TITLE_CONTEXT = ("联合国", "欢迎", "感谢", "我们的", "和", "及")
_WINDOW = 80


def _occurrences(needle: str, texts: list[str]):
    """(text, offset) of every ``needle`` in ``texts``: plain find, fast on a 100 MB record."""
    for text in texts:
        start = text.find(needle)
        while start >= 0:
            yield text, start
            start = text.find(needle, start + 1)


def affiliation_in_text(name: str, texts: list[str]) -> str | None:
    """The organisation the record names before "<title>…<name>先生", by majority."""
    votes: Counter[str] = Counter()
    for honorific in HONORIFICS:
        for text, start in _occurrences(name + honorific, texts):
            match = _ORG_BEFORE_RE.search(text[max(0, start - _WINDOW) : start])
            if not match:
                continue
            org = _LEADING_VERBS_RE.sub("", match.group("org"), count=1)
            if len(org) >= 2:
                votes[org] += 1
    return votes.most_common(1)[0][0] if votes else None


def person_of_title(title: str, texts: list[str]) -> str | None:
    """The name the record gives a titled speaker: "秘书长安东尼奥·古特雷斯先生" → 古特雷斯."""
    votes: Counter[str] = Counter()
    for text, start in _occurrences(title, texts):
        if not text[max(0, start - 3) : start].endswith(_TITLE_CONTEXT):
            continue
        match = _NAME_AFTER_RE.match(text, start + len(title), start + len(title) + _WINDOW)
        if match:
            votes[match.group("name")] += 1
    return votes.most_common(1)[0][0] if votes else None
