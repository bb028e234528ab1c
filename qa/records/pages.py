"""Record text → paragraph blocks: hard wraps, page furniture, page numbers.

The records are text extracted from PDFs. These are general rules about that
layout, never about one file's lines:

* a line break inside a paragraph means nothing (hard wraps are joined);
* a blank line ends a paragraph, except around removed page furniture;
* a line that starts with a stray space begins a new page; it continues the
  previous sentence unless that one was finished, or a speaker line starts;
* page headers and footers are removed and give the date, symbol and page.

The line patterns that end a paragraph (speaker lines, language notes,
procedural notes) live here too, because block boundaries depend on them.
"""

from __future__ import annotations

import io
import re
import unicodedata
from collections import Counter
from dataclasses import dataclass, field
from datetime import date
from functools import cached_property

from qa.records.model import Furniture

HONORIFICS = ("先生", "女士", "夫人")
TITLES = ("主席", "代理主席", "秘书长", "副秘书长")
"""Speakers printed by title alone, with no name."""
NAME_CHAR = r"[^\s，。：；、（）“”《》！？,;:()]"
SPEAKER_RE = re.compile(
    rf"^(?P<name>{NAME_CHAR}(?:{NAME_CHAR}|(?<=[A-Za-z.]) (?=[A-Za-z])){{0,30}}?)"
    r"(?P<honorific>先生|女士|夫人)?"
    r"(?:[（(](?!以)(?P<affiliation>[^（）()：:。]{1,40})[）)])?"
    r"(?:[（(]以(?P<language>[^（）()：:。]{1,12}?)[发發]言[）)])?"
    r"[：:]"
)
"""A speaker line: full-width brackets and colon as the records print them, half-width ones as older records and
extractions do (蒋廷黻先生(中国):), 發言 in Traditional characters (主席（以英語發言）：)."""
LANGUAGE_NOTE_RE = re.compile(r"^[（(]以(?P<language>[^（）()]{1,12}?)[发發]言[）)]$")
PROCEDURAL_RE = re.compile(
    r"^(?:(?P<time>(?:上午|下午|中午|晚上|凌晨)?\d{1,2}时(?:\d{1,2}分)?)(?P<event>开会|散会|休会|复会|暂停|继续)"
    r"|议程通过|通过议程|会议(?:暂停|复会|结束|继续))。?$"
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
_TERMINAL = "。！？!?…"
_CLOSERS = "”’」』\"'"
_WIDE_ALNUM = {code: code - 0xFEE0 for code in (*range(0xFF10, 0xFF1A), *range(0xFF21, 0xFF3B), *range(0xFF41, 0xFF5B))}


def normal(text: str) -> str:
    """Full-width letters and digits folded to ASCII, punctuation left as printed."""
    return text.translate(_WIDE_ALNUM).strip()


def join_wrapped(lines: list[str]) -> str:
    """Join hard-wrapped lines: nothing between CJK, a space where Latin words or numbers meet."""
    text = ""
    for line in lines:
        if text and line and _is_word_char(text[-1]) and _is_word_char(line[0]):
            text += " "
        text += line
    return text


def wrapped_starts(lines: list[str]) -> list[int]:
    """The offset in ``join_wrapped(lines)`` at which each line starts (the joining rule, mirrored)."""
    starts, length, last = [], 0, ""
    for line in lines:
        if length and line and _is_word_char(last) and _is_word_char(line[0]):
            length += 1
        starts.append(length)
        length += len(line)
        last = line[-1] if line else last
    return starts


def _is_word_char(char: str) -> bool:
    return char.isascii() and char.isalnum()


def ends_sentence(line: str) -> bool:
    """True when a line ends a sentence (。！？ possibly inside closing quotes)."""
    stripped = line.rstrip().rstrip(_CLOSERS)
    return bool(stripped) and stripped[-1] in _TERMINAL


@dataclass
class Block:
    """Consecutive lines that form one paragraph candidate."""

    line: int
    """1-based source line of the first line."""
    page_index: int
    """Page of the first line, counted from the first page of the file (0)."""
    lines: list[str]
    """The lines without leading and trailing white space, as printed."""
    numbers: list[int] = field(default_factory=list)
    """The source line of each of ``lines`` (empty when not known)."""
    joins: list[tuple[int, int]] = field(default_factory=list)
    """(offset in ``text``, source line) of lines already joined into ``lines`` (a PDF's, joined as read)."""

    @cached_property
    def text(self) -> str:
        return join_wrapped(self.lines)

    def breaks(self) -> list[tuple[int, int]]:
        """(offset in ``text``, source line) where each source line after the first starts."""
        if len(self.numbers) != len(self.lines) or len(self.lines) < 2:
            return list(self.joins)
        return list(zip(wrapped_starts(self.lines)[1:], self.numbers[1:], strict=True))


def line_map(block: Block, text: str) -> tuple[int, ...]:
    """``Paragraph.breaks`` of ``text``, the part of the block's text a paragraph keeps (after a speaker line,
    stripped): the block's breaks shifted to where ``text`` starts; empty when ``text`` is not found in it."""
    start = block.text.find(text) if text else -1
    if start < 0:
        return ()
    flat: list[int] = []
    for offset, number in block.breaks():
        if offset >= start + len(text):
            break
        flat = [0, number] if offset <= start else [*flat, offset - start, number]
    return tuple(flat)


@dataclass
class Layout:
    """What the page furniture tells: blocks of text plus the meeting's metadata."""

    blocks: list[Block]
    furniture: list[Furniture]
    anchors: list[tuple[int, int, int]]
    """(page index after the footer, printed page number, total pages)."""
    page_count: int
    symbol: str | None = None
    date: str | None = None
    title: str | None = None
    cover: list[tuple[int, str]] = field(default_factory=list)
    """(line, text) of a PDF's cover page, read for the meeting's facts (``qa.records.cover``)."""


def match_furniture(text: str) -> re.Match[str] | None:
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


def layout(text: str, join_broken: bool = True) -> Layout:
    """Split a record into paragraph blocks, removing page furniture and tracking pages. ``join_broken``: join a
    paragraph a stray blank line cut (``join_broken_paragraphs``, whose sentence ends are Chinese ones)."""
    result = Layout(blocks=[], furniture=[], anchors=[], page_count=1)
    page_index = 0
    seen_text = False
    after_furniture = False
    gap = False
    current: Block | None = None
    for number, raw in enumerate(io.StringIO(text), start=1):
        stripped = raw.strip()
        if not stripped:
            gap = True
            continue
        furniture = match_furniture(stripped)
        if furniture:
            result.furniture.append(Furniture(number, stripped))
            if seen_text and not after_furniture:
                page_index += 1
            note_furniture(result, furniture, page_index)
            after_furniture = True
            continue
        page_start = raw[:1].isspace() and seen_text  # a stray leading space: a new page
        if page_start and not after_furniture:
            page_index += 1
        if current is None or _starts_block(current.lines[-1], stripped, gap, page_start or after_furniture):
            current = Block(number, page_index, [stripped], [number])
            result.blocks.append(current)
        else:
            current.lines.append(stripped)
            current.numbers.append(number)
        seen_text = True
        after_furniture = gap = False
    result.page_count = (current.page_index if current else 0) + 1
    if join_broken:
        result.blocks = join_broken_paragraphs(result.blocks)
    return result


def typical_width(blocks: list[Block]) -> int:
    """The usual length of a full line: the median of lines that are not a paragraph's last."""
    lengths: Counter[int] = Counter(len(line) for block in blocks for line in block.lines[:-1])
    if not lengths:
        return 0
    middle, seen = (sum(lengths.values()) + 1) // 2, 0
    for length in sorted(lengths):
        seen += lengths[length]
        if seen >= middle:
            return length
    return 0


def join_broken_paragraphs(blocks: list[Block]) -> list[Block]:
    """Join a paragraph that a stray blank line cut in the middle of a sentence.

    A paragraph's last line is usually short; one that fills the line and
    leaves its sentence unfinished goes on after the blank line, unless what
    follows is a speaker line or a note.
    """
    full = typical_width(blocks) * 0.85
    joined: list[Block] = []
    for block in blocks:
        previous = joined[-1] if joined else None
        if previous and full and _continues(previous.lines[-1], block.lines[0], full):
            previous.lines.extend(block.lines)
            previous.numbers.extend(block.numbers)
            previous.__dict__.pop("text", None)  # drop the cached join
        else:
            joined.append(block)
    return joined


def _continues(last: str, first: str, full: float) -> bool:
    if len(last) < full or ends_sentence(last):
        return False
    notes = (LANGUAGE_NOTE_RE, PROCEDURAL_RE, SPEAKER_RE)
    return not any(pattern.match(normal(text)) for pattern in notes for text in (last, first))


def note_furniture(result: Layout, match: re.Match[str], page_after: int) -> None:
    fields = match.groupdict()
    if "page" in fields:
        result.anchors.append((page_after, int(fields["page"]), int(fields["total"])))
        return
    result.symbol = result.symbol or re.sub(r"\s+", " ", fields["symbol"])
    result.date = result.date or _iso_date(fields["date"])
    result.title = result.title or fields["title"].strip() or None


def _starts_block(previous: str, line: str, gap: bool, page_break: bool) -> bool:
    """Does ``line`` begin a new paragraph rather than continue the one ending with ``previous``?"""
    previous, this = normal(previous), normal(line)
    if any(pattern.match(text) for pattern in (LANGUAGE_NOTE_RE, PROCEDURAL_RE) for text in (previous, this)):
        return True
    if page_break:
        # A page break inside a paragraph is not a paragraph end; a finished sentence is.
        return ends_sentence(previous) or bool(SPEAKER_RE.match(this))
    return gap


def page_numbers(result: Layout) -> tuple[int | None, int | None]:
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
