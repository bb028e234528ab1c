"""Records → corpus: read a UN verbatim record file (S/PV…, Chinese) into a Meeting.

Decoding, then the pipeline of ``qa.records.pages`` (text → paragraph blocks with
pages) and ``qa.records.speakers`` (blocks → speeches), then the meeting's metadata.
"""

from __future__ import annotations

import functools
import hashlib
import re
from datetime import date
from pathlib import Path

from qa.records import english
from qa.records.cover import read_cover
from qa.records.model import Meeting, Paragraph, Speech
from qa.records.pages import PROCEDURAL_RE, TITLES, Block, Layout, layout, normal, page_numbers
from qa.records.pdf import PdfError, pdf_layout
from qa.records.speakers import CHAIR, Turn, attribute, build_turns, person_of_title

COVER_DATE_RE = re.compile(r"(\d{4})年(\d{1,2})月(\d{1,2})日星期")
FILE_SYMBOL_RE = re.compile(r"S_PV\.(\d+)", re.IGNORECASE)
PARSER_VERSION = 2
"""Bump when parsing changes (what a record parses into): it is part of every parse cache key
(``qa.records.parsecache``)."""
PARSER_DIR = Path(__file__).resolve().parent
"""The ``qa.records`` package: the source of its modules decides what a record parses into, or how a parse is
saved, so their digest is part of the parse cache's keys and of the snapshot's: an edited parser cannot be served
an old parse even when nobody bumped ``PARSER_VERSION`` (which still covers what the source does not show: a new
Python, a changed dependency)."""


class RecordError(Exception):
    """A record file that cannot be used at all; the message says why."""


BAD_SHARE = 100
"""A record may hold one bad byte in this many and still be read (the bad ones replaced and reported): a file cut
inside a character or a few damaged bytes must not make a whole meeting disappear; a file with more is not text."""
ESCAPED_BYTES = re.compile("[\udc80-\udcff\x00]+")
"""Runs of bytes that did not decode (as ``surrogateescape`` gives them) and NUL bytes."""
NOT_TEXT = re.compile("[\udc80-\udcff\x00-\x08\x0e-\x1f\x7f-\x9f]")
"""What text does not hold: undecoded bytes and control characters (GB18030 decodes almost any bytes, so random
data passes for it with few undecoded bytes, but not without control characters)."""


def decode_record(data: bytes) -> str:
    """A record's text (``decode_with_warnings``, its warnings left out)."""
    return decode_with_warnings(data)[0]


def decode_with_warnings(data: bytes) -> tuple[str, tuple[str, ...]]:
    """Decode a record's bytes: UTF-8 (BOM or not), UTF-16 with BOM, or GB18030; a few bytes that are none of
    these (or NUL) are replaced with U+FFFD, with a warning naming their lines. RecordError when mostly not text."""
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            return data.decode("utf-16"), ()
        except UnicodeDecodeError as error:
            raise RecordError("has a UTF-16 byte-order mark but is not valid UTF-16") from error
    if data.count(b"\x00") * BAD_SHARE > len(data):
        raise RecordError("is a binary file, not text (it contains NUL bytes)")
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            text = data.decode(encoding)
        except UnicodeDecodeError:
            continue
        return (text, ()) if "\x00" not in text else replaced(text, "NUL")
    for encoding, name in (("utf-8-sig", "UTF-8"), ("gb18030", "GB18030")):
        text = data.decode(encoding, "surrogateescape")
        bad = len(NOT_TEXT.findall(text))
        if bad * BAD_SHARE <= len(data):
            return replaced(text, f"not {name}")
    raise RecordError(
        "is mostly not text (neither UTF-8 nor GB18030, nor UTF-16 with a byte-order mark); save it as UTF-8"
    )


def replaced(text: str, what: str) -> tuple[str, tuple[str, ...]]:
    """``text`` with each run of undecoded (or NUL) bytes replaced by one U+FFFD, and the warning that says where."""
    lines: list[int] = []
    count, line, scanned = 0, 1, 0
    for match in ESCAPED_BYTES.finditer(text):
        line += text.count("\n", scanned, match.start())
        scanned = match.start()
        count += len(match.group())
        if not lines or lines[-1] != line:
            lines.append(line)
    shown = ", ".join(map(str, lines[:5])) + (f" and {len(lines) - 5} more" if len(lines) > 5 else "")
    where = f"line {shown}" if len(lines) == 1 else f"lines {shown}"
    warning = f"{where}: {count} byte{'s' if count > 1 else ''} ({what}) replaced with \ufffd"
    return ESCAPED_BYTES.sub("\ufffd", text), (warning,)


def is_pdf(path: Path, data: bytes) -> bool:
    """A PDF by its name or its first bytes (a record saved without the suffix is still read)."""
    return path.suffix.lower() == ".pdf" or data[:5] == b"%PDF-"


def symbol_from_filename(path: Path) -> str:
    """``S_PV.8967.zh.txt`` → ``S/PV.8967``; otherwise the file's stem."""
    match = FILE_SYMBOL_RE.search(path.name)
    return f"S/PV.{match.group(1)}" if match else path.name.split(".")[0]


def _times(turns: list[Turn]) -> tuple[str | None, str | None]:
    opened = closed = None
    for turn in turns:
        if not turn.procedural:
            continue
        for _, _, text in turn.paragraphs or []:
            match = PROCEDURAL_RE.match(normal(text))
            if match and match.group("event") in ("开会", "复会") and opened is None:
                opened = match.group("time")
            elif match and match.group("event") == "散会":
                closed = match.group("time")
    return opened, closed


def parse_record(
    text: str, source: str, fallback_symbol: str, sha256: str = "", decoding: tuple[str, ...] = ()
) -> Meeting:
    """Parse one record's text into a Meeting (``decoding``: the warnings of its decoding, kept first). Raises
    RecordError when it holds no speeches."""
    text = text.lstrip("\ufeff").replace("\r\n", "\n").replace("\r", "\n")
    page_layout = layout(text)
    if record_language(page_layout.blocks) == "en":  # an English text: its paragraphs end with "." the join
        page_layout = layout(text, join_broken=False)  # of broken paragraphs does not know
    return parse_layout(page_layout, source, fallback_symbol, sha256, cover_text=text, decoding=decoding)


def parse_pdf(data: bytes, source: str, fallback_symbol: str, sha256: str = "") -> Meeting:
    """Parse one record's PDF (``qa.records.pdf``) into a Meeting. Raises RecordError for a damaged, encrypted
    or textless PDF, or one that holds no speeches."""
    try:
        page_layout = pdf_layout(data)
    except PdfError as error:
        raise RecordError(str(error)) from error
    return parse_layout(page_layout, source, fallback_symbol, sha256)


def record_language(blocks: list[Block]) -> str:
    """ "en" when the record's text is mostly Latin letters, else "zh"."""
    latin = cjk = 0
    for block in blocks[:200]:
        for char in block.text:
            if char.isascii():
                latin += char.isalpha()
            elif "\u4e00" <= char <= "\u9fff":
                cjk += 1
    return "en" if latin > 2 * cjk else "zh"


def parse_layout(
    page_layout: Layout, source: str, fallback_symbol: str, sha256: str, cover_text: str = "", decoding=()
) -> Meeting:
    """The Meeting of a record's blocks, furniture and cover, in the record's language (``decoding``: the
    warnings of its decoding, kept first)."""
    language = record_language(page_layout.blocks)
    cover = read_cover([text for _, text in page_layout.cover])
    warnings: list[str] = list(decoding)
    turns = (english.build_turns if language == "en" else build_turns)(page_layout.blocks, warnings)
    if not any(turn.speaker for turn in turns):
        example = "'Mr. Zhang Jun (China):'" if language == "en" else "'张军先生（中国）：'"
        raise RecordError(f"holds no speaker turns (no line such as {example}); is it a Security Council record?")
    texts = [block.text for block in page_layout.blocks]
    first_page, total = page_numbers(page_layout)
    symbol = page_layout.symbol or cover.symbol or fallback_symbol
    if language == "en":
        presiding = english.attribute(turns, cover.presiding, texts)
        persons = {english.PRESIDENT: _last_name(cover.president)} if cover.president else {}
        opened, closed = english.times(turns)
        votes = english.votes(turns, first_page)
    else:
        presiding = attribute(turns, texts)
        titled = {turn.speaker for turn in turns if turn.speaker in TITLES and turn.speaker != CHAIR}
        persons = {title: person_of_title(title, texts) for title in titled}
        opened, closed = _times(turns)
        votes = ()
    speeches = tuple(
        _speech(index, turn, symbol, first_page, persons.get(turn.speaker)) for index, turn in enumerate(turns)
    )
    return Meeting(
        symbol=symbol,
        date=page_layout.date or cover.date or _cover_date(cover_text),
        title=page_layout.title or _first_title(turns),
        source=source,
        speeches=speeches,
        opened=opened,
        closed=closed,
        presiding=presiding,
        pages=total,
        furniture=tuple(page_layout.furniture),
        sha256=sha256,
        warnings=tuple(warnings),
        language=language,
        agenda=cover.agenda,
        members=cover.members,
        votes=votes,
    )


def _last_name(name: str | None) -> str | None:
    """ "Mr. Dang" → "Dang": the cover prints the President with an honorific."""
    return re.sub(r"^(?:Mr|Mrs|Ms|Miss|Dr|Sir|Dame)\.?\s+", "", name) if name else None


def _speech(index: int, turn: Turn, symbol: str, first_page: int | None, person: str | None) -> Speech:
    paragraphs = tuple(
        Paragraph(
            id=f"{symbol}:{index}:{number}",
            line=line,
            page=None if first_page is None else first_page + page_index,
            text=text,
            breaks=breaks,
        )
        for number, ((line, page_index, text), breaks) in enumerate(
            zip(turn.paragraphs or [], turn.maps or [], strict=True)
        )
    )
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


def _first_title(turns: list[Turn]) -> str:
    for turn in turns:
        for _, _, text in turn.paragraphs or []:
            if turn.procedural and not PROCEDURAL_RE.match(normal(text)):
                return text
    return ""


@functools.lru_cache(maxsize=1)
def parser_code_digest() -> str:
    """The digest of the ``qa.records`` modules' source and of their word lists (``data/*.tsv``: honorifics,
    name particles, Traditional characters), read once per process."""
    digest = hashlib.sha256()
    for module in sorted([*PARSER_DIR.glob("*.py"), *PARSER_DIR.glob("data/*.tsv")]):
        digest.update(module.read_bytes())
    return digest.hexdigest()


def read_record(path: Path, source: str) -> Meeting:
    """Read and parse one record file (text or PDF). Raises RecordError or OSError."""
    data = path.read_bytes()
    digest = hashlib.sha256(data).hexdigest()
    if is_pdf(path, data):
        return parse_pdf(data, source, symbol_from_filename(path), digest)
    text, warnings = decode_with_warnings(data)
    del data  # a large record should not be held twice while it is parsed
    return parse_record(text, source, symbol_from_filename(path), digest, warnings)
