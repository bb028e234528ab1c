"""Records → corpus: read UN verbatim records (S/PV…, Chinese) into meetings.

The records are text extracted from PDFs. The rules here are general ones about
that layout, never about one file's lines:

* a line break inside a paragraph means nothing (hard wraps are joined);
* a blank line ends a paragraph, except around removed page furniture;
* a line that starts with a stray space begins a new page; it continues the
  previous sentence unless that one was finished;
* page headers and footers are removed and give the date, symbol and page;
* a speaker line ("张军先生（中国）：") starts a speech, even when wrapped;
* "（以法语发言）" alone is a language switch, "上午11时05分开会。" a procedural note;
* the President's "我现在以…的身份发言" starts a national statement.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from collections import Counter
from dataclasses import dataclass, replace
from datetime import date
from pathlib import Path

from qa.corpus import Furniture, LanguageSwitch, Meeting, Paragraph, Speech

HONORIFICS = ("先生", "女士", "夫人")
TITLES = ("主席", "代理主席", "秘书长", "副秘书长")
"""Speakers printed by title alone, with no name."""
CHAIR = "主席"
CHAIR_ROLE = "安理会主席"
SECRETARY_GENERAL = "秘书长"
UNITED_NATIONS = "联合国"

_NAME_CHAR = r"[^\s，。：；、（）“”《》！？,;:()]"
SPEAKER_RE = re.compile(
    rf"^(?P<name>{_NAME_CHAR}(?:{_NAME_CHAR}|(?<=[A-Za-z.]) (?=[A-Za-z])){{0,30}}?)"
    r"(?P<honorific>先生|女士|夫人)?"
    r"(?:（(?!以)(?P<affiliation>[^（）：。]{1,40})）)?"
    r"(?:（以(?P<language>[^（）：。]{1,12}?)发言）)?"
    r"："
)
LANGUAGE_NOTE_RE = re.compile(r"^[（(]以(?P<language>[^（）()]{1,12}?)发言[）)]$")
PROCEDURAL_RE = re.compile(
    r"^(?:(?P<time>(?:上午|下午|中午|晚上|凌晨)?\d{1,2}时(?:\d{1,2}分)?)(?P<event>开会|散会|休会|复会|暂停|继续)"
    r"|议程通过|通过议程|会议(?:暂停|复会|结束|继续))。?$"
)
CAPACITY_RE = re.compile(r"^我(?:现在)?(?:谨)?以(?P<capacity>[^，。]{2,40}?)的身份(?:发言|讲话)")
RESUME_CHAIR_RE = re.compile(r"^我(?:现在)?恢复(?:行使)?(?:安理会|安全理事会)?主席(?:的)?职(?:能|务|责)")
ROLE_SUFFIX_RE = re.compile(
    r"^(?P<country>.+?)(?:政府)?(?:常驻联合国)?"
    r"(?:外交部副部长|第一副外长|副外长|外长|(?:第一)?副?外交部长|副?部长|副?总统|副?总理|国务卿|国务部长|"
    r"常驻代表|副代表|代表|大使|特使)$"
)
FOOTER_RES = (
    re.compile(r"^(?P<job>\d{2}-\d{4,6})\s+(?P<page>\d{1,4})/(?P<total>\d{1,4})$"),
    re.compile(r"^(?P<page>\d{1,4})/(?P<total>\d{1,4})\s+(?P<job>\d{2}-\d{4,6})$"),
)
_SYMBOL = r"S/PV\.\d+(?:\s*\((?:Resumption|续)\s*\d*\))?"
HEADER_RES = (
    re.compile(rf"^(?P<date>\d{{2}}/\d{{2}}/\d{{4}})\s+(?P<title>.*?)\s*(?P<symbol>{_SYMBOL})$"),
    re.compile(rf"^(?P<symbol>{_SYMBOL})\s+(?P<title>.*?)\s*(?P<date>\d{{2}}/\d{{2}}/\d{{4}})$"),
)
COVER_DATE_RE = re.compile(r"(\d{4})年(\d{1,2})月(\d{1,2})日星期")
FILE_SYMBOL_RE = re.compile(r"S_PV\.(\d+)", re.IGNORECASE)
_TERMINAL = "。！？!?…"
_CLOSERS = "”’」』\"'"
_BLANKS = " \t\u3000\u00a0\ufeff\r"


class RecordError(Exception):
    """A record file that cannot be used at all; the message says why."""


def decode_record(data: bytes) -> str:
    """Decode a record's bytes: UTF-8 (BOM or not), UTF-16 with BOM, or GB18030."""
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            return data.decode("utf-16")
        except UnicodeDecodeError as error:
            raise RecordError("has a UTF-16 byte-order mark but is not valid UTF-16") from error
    if b"\x00" in data:
        raise RecordError("is a binary file, not text (it contains NUL bytes)")
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise RecordError("is neither UTF-8 nor GB18030 text; save it as UTF-8")


def symbol_from_filename(path: Path) -> str:
    """``S_PV.8967.zh.txt`` → ``S/PV.8967``; otherwise the file's stem."""
    match = FILE_SYMBOL_RE.search(path.name)
    return f"S/PV.{match.group(1)}" if match else path.name.split(".")[0]


def join_wrapped(lines: list[str]) -> str:
    """Join hard-wrapped lines: nothing between CJK, a space where Latin words or numbers meet."""
    text = ""
    for line in lines:
        if text and line and _is_word_char(text[-1]) and _is_word_char(line[0]):
            text += " "
        text += line
    return text


def _is_word_char(char: str) -> bool:
    return char.isascii() and char.isalnum()


def ends_sentence(line: str) -> bool:
    """True when a line ends a sentence (。！？ possibly inside closing quotes)."""
    stripped = line.rstrip(_BLANKS).rstrip(_CLOSERS)
    return bool(stripped) and stripped[-1] in _TERMINAL


_WIDE_ALNUM = {code: code - 0xFEE0 for code in (*range(0xFF10, 0xFF1A), *range(0xFF21, 0xFF3B), *range(0xFF41, 0xFF5B))}


def _normal(text: str) -> str:
    """Full-width letters and digits folded to ASCII, punctuation left as printed."""
    return text.translate(_WIDE_ALNUM).strip(_BLANKS)


@dataclass
class _Line:
    number: int
    text: str
    """The line without leading and trailing white space."""
    page_start: bool
    """A stray leading space: the first line of a new page."""


@dataclass
class _Block:
    """Consecutive lines that form one paragraph candidate."""

    lines: list[_Line]
    page_index: int

    @property
    def text(self) -> str:
        return join_wrapped([line.text for line in self.lines])

    @property
    def line(self) -> int:
        return self.lines[0].number


@dataclass
class _Layout:
    """What the page furniture tells: blocks of text plus the meeting's metadata."""

    blocks: list[_Block]
    furniture: list[Furniture]
    anchors: list[tuple[int, int, int]]
    """(page index after the footer, printed page number, total pages)."""
    page_count: int
    symbol: str | None = None
    date: str | None = None
    title: str | None = None


def _match_furniture(text: str) -> re.Match[str] | None:
    normal = unicodedata.normalize("NFKC", text).strip()
    for pattern in (*FOOTER_RES, *HEADER_RES):
        match = pattern.match(normal)
        if match:
            return match
    return None


def _iso_date(day_month_year: str) -> str | None:
    day, month, year = (int(part) for part in day_month_year.split("/"))
    try:
        return date(year, month, day).isoformat()
    except ValueError:
        return None


def layout(text: str) -> _Layout:
    """Split a record into paragraph blocks, removing page furniture and tracking pages."""
    result = _Layout(blocks=[], furniture=[], anchors=[], page_count=1)
    page_index = 0
    seen_text = False
    after_furniture = False
    gap = False
    current: _Block | None = None
    for number, raw in enumerate(text.split("\n"), start=1):
        stripped = raw.strip(_BLANKS)
        if not stripped:
            gap = True
            continue
        furniture = _match_furniture(stripped)
        if furniture:
            result.furniture.append(Furniture(number, stripped))
            if seen_text and not after_furniture:
                page_index += 1
            _note_furniture(result, furniture, page_index)
            after_furniture = True
            continue
        line = _Line(number, stripped, page_start=raw[:1] in _BLANKS and raw[:1] != "")
        if line.page_start and seen_text and not after_furniture:
            page_index += 1
        page_break = (line.page_start and seen_text) or after_furniture
        if current is None or _starts_block(current, line, gap, page_break):
            current = _Block([line], page_index)
            result.blocks.append(current)
        else:
            current.lines.append(line)
        seen_text = True
        after_furniture = gap = False
    result.page_count = (current.page_index if current else 0) + 1
    return result


def _note_furniture(result: _Layout, match: re.Match[str], page_after: int) -> None:
    fields = match.groupdict()
    if "page" in fields:
        result.anchors.append((page_after, int(fields["page"]), int(fields["total"])))
        return
    result.symbol = result.symbol or re.sub(r"\s+", " ", fields["symbol"])
    result.date = result.date or _iso_date(fields["date"])
    result.title = result.title or fields["title"].strip() or None


def _starts_block(current: _Block, line: _Line, gap: bool, page_break: bool) -> bool:
    """Does ``line`` begin a new paragraph rather than continue ``current``?"""
    previous, this = _normal(current.lines[-1].text), _normal(line.text)
    if any(pattern.match(text) for pattern in (LANGUAGE_NOTE_RE, PROCEDURAL_RE) for text in (previous, this)):
        return True
    if page_break:
        # A page break inside a paragraph is not a paragraph end; a finished sentence is.
        return ends_sentence(previous) or bool(SPEAKER_RE.match(this))
    return gap


def page_numbers(result: _Layout) -> tuple[int | None, int | None]:
    """The printed number of the first page and the total, from the footers.

    A footer may have been extracted before or after its page's text, so each
    footer votes for the reading that keeps every page within 1..total.
    """
    votes: Counter[int] = Counter()
    totals: Counter[int] = Counter()
    last = result.page_count - 1
    for page_after, printed, total in result.anchors:
        totals[total] += 1
        for offset in (printed - page_after, printed - page_after + 1):
            if offset >= 1 and offset + last <= total:
                votes[offset] += 1
                break
    first = votes.most_common(1)[0][0] if votes else None
    total = totals.most_common(1)[0][0] if totals else None
    return first, total


@dataclass
class _Turn:
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

    def add(self, line: int, page_index: int, text: str) -> None:
        self.paragraphs = (self.paragraphs or []) + [(line, page_index, text)]


def speaker_turn(text: str, line: int) -> tuple[_Turn, str] | None:
    """A speech opened by the speaker line at the start of ``text``, and the text after it."""
    match = SPEAKER_RE.match(text)
    if not match:
        return None
    name, honorific = match.group("name"), match.group("honorific")
    if not honorific and name not in TITLES:
        return None
    turn = _Turn(
        speaker=name,
        honorific=honorific,
        affiliation=match.group("affiliation"),
        language=match.group("language"),
        line=line,
        speaker_line=match.group(0),
    )
    if name in (CHAIR, "代理主席"):
        turn.role = CHAIR_ROLE
    elif name == SECRETARY_GENERAL:
        turn.role, turn.affiliation = SECRETARY_GENERAL, turn.affiliation or UNITED_NATIONS
    return turn, text[match.end() :].strip()


def country_of_capacity(capacity: str) -> str:
    """"俄罗斯联邦副外长" → "俄罗斯联邦": the state a President speaks for."""
    match = ROLE_SUFFIX_RE.match(capacity)
    return match.group("country") if match else capacity


def build_turns(blocks: list[_Block]) -> list[_Turn]:
    """Group paragraph blocks into speeches and procedural parts."""
    turns: list[_Turn] = []
    for block in blocks:
        text = block.text
        normal = _normal(text)
        current = turns[-1] if turns else None
        if (note := LANGUAGE_NOTE_RE.match(normal)) and current and not current.procedural:
            index = len(current.paragraphs or [])
            current.switches = (current.switches or []) + [
                LanguageSwitch(block.line, index, note.group("language"))
            ]
            continue
        if PROCEDURAL_RE.match(normal):
            if not (current and current.procedural):
                turns.append(_Turn(speaker=None, procedural=True, line=block.line))
            turns[-1].add(block.line, block.page_index, text)
            continue
        if opened := speaker_turn(text, block.line):
            turn, rest = opened
            turns.append(turn)
            if rest:
                turn.add(block.line, block.page_index, rest)
            continue
        if current and current.speaker == CHAIR and (capacity := CAPACITY_RE.match(normal)):
            current = _Turn(
                speaker=CHAIR,
                role=capacity.group("capacity"),
                affiliation=country_of_capacity(capacity.group("capacity")),
                language=current.language,
                line=block.line,
            )
            turns.append(current)
        elif current and current.speaker == CHAIR and current.role != CHAIR_ROLE and RESUME_CHAIR_RE.match(normal):
            current = _Turn(speaker=CHAIR, role=CHAIR_ROLE, language=current.language, line=block.line)
            turns.append(current)
        elif current is None or (current.procedural and current.speaker is None and _after_speech(turns)):
            current = _Turn(speaker=None, procedural=True, line=block.line)
            turns.append(current)
        current.add(block.line, block.page_index, text)
    return turns


def _after_speech(turns: list[_Turn]) -> bool:
    """A procedural note after the speeches began holds only its own lines."""
    return any(not turn.procedural for turn in turns)


def attribute(turns: list[_Turn], full_text: str) -> str | None:
    """Fill in what the record establishes elsewhere; return the presiding member.

    The chair speaks for the member whose national statement it makes; a
    speaker printed without affiliation ("扎斯先生") gets the organisation the
    record names with them ("集体安全条约组织秘书长……扎斯先生").
    """
    presiding = next(
        (turn.affiliation for turn in turns if turn.speaker == CHAIR and turn.role not in (None, CHAIR_ROLE)),
        None,
    )
    for turn in turns:
        if turn.speaker == CHAIR and turn.role == CHAIR_ROLE:
            turn.affiliation = turn.affiliation or presiding
        elif turn.speaker and turn.honorific and not turn.affiliation:
            turn.affiliation = affiliation_in_text(turn.speaker, full_text)
    return presiding


_ORG_TITLES = "秘书长|副秘书长|总干事|主席|特别代表|特使|执行主任|执行秘书|高级专员|主任|协调员"
_LEADING_VERBS_RE = re.compile(r"^.*?(?:邀请|欢迎|感谢|祝贺|赞扬|赞赏|以及|及|和|与|同|向)")


def affiliation_in_text(name: str, text: str) -> str | None:
    """The organisation the record names before "<title>…<name>先生", by majority."""
    pattern = re.compile(
        r"(?P<org>[^\s，。、；：“”（）《》]{2,40}?)(?:（[^（）]{1,12}）)?"
        rf"(?:{_ORG_TITLES})(?:[^\s，。、；：（）]{{0,16}}[·・])?{re.escape(name)}(?:{'|'.join(HONORIFICS)})"
    )
    votes = Counter()
    for match in pattern.finditer(text):
        org = match.group("org")
        stripped = _LEADING_VERBS_RE.sub("", org) if _LEADING_VERBS_RE.match(org) else org
        if len(stripped) >= 2:
            votes[stripped] += 1
    return votes.most_common(1)[0][0] if votes else None


def person_of_title(title: str, text: str) -> str | None:
    """The name the record gives a titled speaker: "秘书长安东尼奥·古特雷斯先生" → 古特雷斯."""
    pattern = re.compile(
        rf"(?:联合国|欢迎|感谢|我们的|和|及){re.escape(title)}"
        rf"(?:[^\s，。、；：（）]{{0,16}}[·・])?(?P<name>[^\s，。、；：（）·・]{{2,8}}?)(?:{'|'.join(HONORIFICS)})"
    )
    votes = Counter(match.group("name") for match in pattern.finditer(text))
    return votes.most_common(1)[0][0] if votes else None


def _times(turns: list[_Turn]) -> tuple[str | None, str | None]:
    opened = closed = None
    for turn in turns:
        if not turn.procedural:
            continue
        for _, _, text in turn.paragraphs or []:
            match = PROCEDURAL_RE.match(_normal(text))
            if match and match.group("event") in ("开会", "复会") and opened is None:
                opened = match.group("time")
            elif match and match.group("event") == "散会":
                closed = match.group("time")
    return opened, closed


def parse_record(text: str, source: str, fallback_symbol: str, sha256: str = "") -> Meeting:
    """Parse one record's text into a Meeting. Raises RecordError when it holds no speeches."""
    text = text.lstrip("\ufeff").replace("\r\n", "\n").replace("\r", "\n")
    page_layout = layout(text)
    turns = build_turns(page_layout.blocks)
    if not any(turn.speaker for turn in turns):
        raise RecordError("holds no speaker turns (no line such as '张军先生（中国）：'); is it a Security Council record?")
    full_text = "\n".join(block.text for block in page_layout.blocks)
    presiding = attribute(turns, full_text)
    first_page, total = page_numbers(page_layout)
    symbol = page_layout.symbol or fallback_symbol
    speeches = tuple(
        _speech(index, turn, symbol, first_page, full_text) for index, turn in enumerate(turns)
    )
    opened, closed = _times(turns)
    return Meeting(
        symbol=symbol,
        date=page_layout.date or _cover_date(text),
        title=page_layout.title or _first_title(turns),
        source=source,
        speeches=speeches,
        opened=opened,
        closed=closed,
        presiding=presiding,
        pages=total,
        furniture=tuple(page_layout.furniture),
        sha256=sha256,
    )


def _speech(index: int, turn: _Turn, symbol: str, first_page: int | None, full_text: str) -> Speech:
    paragraphs = tuple(
        Paragraph(
            id=f"{symbol}:{index}:{number}",
            line=line,
            page=None if first_page is None else first_page + page_index,
            text=text,
        )
        for number, (line, page_index, text) in enumerate(turn.paragraphs or [])
    )
    person = None
    if turn.speaker in TITLES and turn.speaker != CHAIR:
        person = person_of_title(turn.speaker, full_text)
    return Speech(
        index=index,
        speaker=turn.speaker,
        honorific=turn.honorific,
        role=turn.role,
        affiliation=turn.affiliation,
        language=turn.language,
        procedural=turn.procedural,
        paragraphs=paragraphs,
        line=turn.line,
        speaker_line=turn.speaker_line,
        person=person,
        language_switches=tuple(turn.switches or ()),
    )


def _cover_date(text: str) -> str | None:
    match = COVER_DATE_RE.search(text)
    if not match:
        return None
    try:
        return date(*(int(part) for part in match.groups())).isoformat()
    except ValueError:
        return None


def _first_title(turns: list[_Turn]) -> str:
    for turn in turns:
        for _, _, text in turn.paragraphs or []:
            if turn.procedural and not PROCEDURAL_RE.match(_normal(text)):
                return text
    return ""


def read_record(path: Path, source: str) -> Meeting:
    """Read and parse one record file. Raises RecordError or OSError."""
    data = path.read_bytes()
    text = decode_record(data)
    meeting = parse_record(text, source, symbol_from_filename(path), hashlib.sha256(data).hexdigest())
    return meeting


def with_source(meeting: Meeting, source: str) -> Meeting:
    return replace(meeting, source=source)
