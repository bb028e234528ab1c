"""PDF record → the same paragraph blocks as a text record, from the page geometry.

The UN prints a verbatim record on pages of two columns, a running header (symbol, agenda, date) and a footer (page
"2/12", job number "20-00806", on the last page a bar code), and a cover page (President, members, agenda, date).
Text extraction loses what the geometry tells, so this module reads the text runs with their boxes (pypdfium2,
loaded lazily: it is only needed when a seeds folder holds a PDF) and rebuilds:

* lines: runs at the same height in the same column, left to right;
* reading order: per page, the left column top to bottom, then the right one; a page whose runs cross the gutter
  (the cover) is read as one column;
* paragraphs: a line starts one after a gap taller than the usual line pitch, or when it is indented past the
  line before it; a column's first line continues the paragraph before it unless it is indented;
* furniture: a header or footer line (the same patterns as a text record's, ``qa.records.pages``) or a bar code in
  the top or bottom band is removed and gives the symbol, date and printed page;
* the cover's lines are kept apart (``Layout.cover``) for the meeting's facts (``qa.records.cover``).

A paragraph's ``line`` is the line's number in this reading order (the cover, furniture and text of every page
counted), so it is stable for a given file; its page is the PDF page, which is the printed page.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from statistics import median

from qa.records.model import Furniture
from qa.records.pages import Block, Layout, match_furniture, note_furniture

BAND = 80.0
"""Points from the top or bottom edge within which a header, footer or bar-code line lies (the body starts lower)."""
CROSS = 0.1
"""A line crosses the gutter when it reaches this share of the page's width past the middle on both sides (a
column's line may overhang the middle by a hanging mark or a long word, never by 60 points)."""
GUTTER = 6.0
"""Points of empty space between two characters of a line that cross the middle: the gutter between columns."""
GAP_FACTOR = 1.3
"""A line more than this many usual pitches below the line before it starts a paragraph."""
INDENT = 8.0
"""Points of indentation that mark a paragraph's first line (the UN indents about 18)."""
BAR_CODE_RE = re.compile(r"^\*\d{5,}\*$|^\d{2}-\d{4,6}\s*\([A-Z]\)$")
HEADER_LIKE_RE = re.compile(r"S/PV\.\d+")
LINE_END_RE = re.compile("\n|\ufffe(?!\r?\n)")
_CONTROL_RE = re.compile(r"[\x00-\x01\x03-\x08\x0b-\x1f\x7f\ufffe\uffff]")


class PdfError(Exception):
    """A PDF that cannot be read (damaged, encrypted, no text); the message says why."""


@dataclass
class Line:
    page: int
    column: int
    left: float
    right: float
    top: float
    bottom: float
    text: str


@dataclass
class Page:
    width: float
    height: float
    runs: list[tuple[float, float, float, float, str]]
    """(left, bottom, right, top, text) of each line of pdfium's text, its box from its first and last character."""


def read_pages(data: bytes) -> list[Page]:
    """The text lines of every page with their boxes. Raises PdfError for a damaged or encrypted file.

    pdfium's own text (``get_text_range``) keeps each printed line whole, a wrapped speaker line's runs included,
    where cutting the page into its text rectangles splits a period off its word; only the first and last
    character of a line are measured (loose boxes: the font's height, the same for every line of a size)."""
    import pypdfium2

    try:
        document = pypdfium2.PdfDocument(data)
    except pypdfium2.PdfiumError as error:
        reason = str(error)
        if "password" in reason.lower():
            raise PdfError("is an encrypted PDF (it needs a password); save an unprotected copy") from error
        raise PdfError(f"is not a readable PDF ({reason}); is the file complete?") from error
    pages = []
    try:
        for page in document:
            width, height = page.get_size()
            textpage = page.get_textpage()
            pages.append(Page(width, height, _runs(textpage, textpage.get_text_range(), width, height)))
    finally:
        document.close()
    return pages


def _runs(textpage, text: str, width: float, height: float) -> list[tuple[float, float, float, float, str]]:
    runs, start = [], 0
    for piece in _printed_lines(text):
        line = piece.rstrip("\r\n")
        for first, last in _split_at_gutter(textpage, line, start, width / 2, height):
            left, bottom, _, top = textpage.get_charbox(first, loose=True)
            _, low, right, high = textpage.get_charbox(last, loose=True)
            runs.append((left, min(bottom, low), right, max(top, high), text[first : last + 1]))
        start += len(piece)
    return runs


def _printed_lines(text: str) -> list[str]:
    """pdfium's text cut into printed lines, each with its line break: at "\r\n", and after a line-end hyphen
    (U+FFFE), where pdfium joins the next printed line to the hyphenated one ("Secretary-" and "General and Head
    of …" as one text line whose box would span both)."""
    lines, start = [], 0
    for match in LINE_END_RE.finditer(text):
        lines.append(text[start : match.end()])
        start = match.end()
    return [*lines, text[start:]]


def _split_at_gutter(textpage, line: str, start: int, middle: float, height: float) -> list[tuple[int, int]]:
    """(first, last) character indexes of the line's parts: pdfium joins two columns' lines printed at the same
    height when nothing in the file keeps them apart, so a line that crosses the middle of the page is cut where
    a gap wider than ``GUTTER`` straddles it (a cover's dotted leaders leave no such gap; the header and footer,
    whose parts stand apart, lie in the bands and are left whole)."""
    first = start + len(line) - len(line.lstrip())
    last = start + len(line.rstrip()) - 1
    if last < first:
        return []
    left, bottom, _, top = textpage.get_charbox(first)
    in_body = BAND < bottom and top < height - BAND
    reach = middle * 2 * CROSS
    if not (in_body and left < middle - reach and textpage.get_charbox(last)[2] > middle + reach):
        return [(first, last)]
    parts, begin, previous = [], first, None
    for index in range(first, last + 1):
        if line[index - start].isspace():
            continue
        left, _, right, _ = textpage.get_charbox(index)
        if previous is not None and left - previous[1] > GUTTER and previous[1] < middle + GUTTER < left + GUTTER * 2:
            parts.append((begin, previous[0]))
            begin = index
        previous = (index, right)
    parts.append((begin, last))
    return parts


def clean(text: str) -> str:
    """A line's text without control characters; pdfium's mark of a line-end hyphen (U+FFFE, U+0002) is a
    hyphen ("Secretary-" at a line's end, "General" on the next)."""
    return _CONTROL_RE.sub("", text.replace("\ufffe", "-").replace("\x02", "-").replace("\r", ""))


def page_lines(page: Page, number: int) -> list[Line]:
    """The page's lines in reading order: the header band, the body (one column when a line crosses the gutter,
    else the left column then the right), the footer band."""
    middle = page.width / 2
    inside = [run for run in page.runs if BAND < run[1] and run[3] < page.height - BAND]
    reach = page.width * CROSS
    crosses = any(left < middle - reach and right > middle + reach for left, _, right, _, _ in inside)
    lines = [
        Line(number, _column(page, left, bottom, right, top, crosses), left, right, top, bottom, text)
        for left, bottom, right, top, text in page.runs
    ]
    return sorted(lines, key=lambda line: (line.column, -line.top, line.left))


def _column(page: Page, left: float, bottom: float, right: float, top: float, crosses: bool) -> int:
    """-1 for the header band, 2 for the footer band, else the body column (0 when the page has one)."""
    if top >= page.height - BAND:
        return -1
    if bottom <= BAND:
        return 2
    return 0 if crosses or (left + right) / 2 < page.width / 2 else 1


def join_lines(first: str, second: str) -> str:
    """Join two printed lines: after a line-end hyphen or where either side is CJK (a character or a full-width
    mark) directly, else with a space."""
    first, second = first.rstrip(), second.lstrip()
    if not first or not second or first.endswith("-") or _is_cjk(first[-1]) or _is_cjk(second[0]):
        return first + second
    return f"{first} {second}"


def _is_cjk(char: str) -> bool:
    return unicodedata.east_asian_width(char) in ("W", "F")


def is_furniture(line: Line, height: float) -> bool:
    """A header, footer or bar-code line: in the top or bottom band, shaped like one."""
    if BAND < line.bottom and line.top < height - BAND:
        return False
    text = line.text.strip()
    return bool(match_furniture(text) or BAR_CODE_RE.match(text))


def is_cover(lines: list[Line], height: float) -> bool:
    """The cover is the first page when it carries no running header (it names the symbol without a date)."""
    return not any(is_furniture(line, height) and HEADER_LIKE_RE.search(line.text) for line in lines)


def pdf_layout(data: bytes) -> Layout:
    """The record's blocks, furniture, page anchors and metadata, plus the cover's lines."""
    pages = read_pages(data)
    if not any(page.runs for page in pages):
        raise PdfError("holds no text (a scanned PDF?); qa reads PDFs with a text layer only")
    result = Layout(blocks=[], furniture=[], anchors=[], page_count=len(pages))
    number = 0
    previous: Line | None = None
    current: Block | None = None
    for index, page in enumerate(pages):
        lines = [Line(**{**line.__dict__, "text": clean(line.text)}) for line in page_lines(page, index)]
        lines = [line for line in lines if line.text.strip()]
        if index == 0 and is_cover(lines, page.height):
            for line in lines:
                number += 1
                result.cover.append((number, line.text.strip()))
            continue
        body = []
        for line in lines:
            number += 1
            if is_furniture(line, page.height):
                text = line.text.strip()
                result.furniture.append(Furniture(number, text))
                if match := match_furniture(text):
                    note_furniture(result, match, index)
            else:
                body.append((number, line))
        pitch = _pitch([line for _, line in body])
        margins: dict[int, float] = {}
        for _, line in body:
            margins[line.column] = min(margins.get(line.column, line.left), line.left)
        for number_of_line, line in body:
            text = line.text.strip()
            if current is None or _starts_paragraph(previous, line, margins[line.column], pitch):
                current = Block(number_of_line, index, [text])
                result.blocks.append(current)
            else:
                current.lines[-1] = join_lines(current.lines[-1], text)
                current.joins.append((len(current.lines[-1]) - len(text), number_of_line))
            previous = line
    return result


def _pitch(lines: list[Line]) -> float:
    """The usual distance between the tops of consecutive lines of a column."""
    steps = [
        above.top - below.top
        for above, below in zip(lines, lines[1:], strict=False)
        if above.column == below.column and above.page == below.page and above.top > below.top
    ]
    return median(steps) if steps else 12.0


def _starts_paragraph(previous: Line | None, line: Line, margin: float, pitch: float) -> bool:
    if previous is None:
        return True
    indented = line.left > margin + INDENT
    if previous.page != line.page or previous.column != line.column:
        return indented
    if previous.top - line.top > pitch * GAP_FACTOR:
        return True
    return indented and line.left > previous.left + INDENT
