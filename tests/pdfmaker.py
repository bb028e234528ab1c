"""Write a record as a PDF with the UN's layout, for the tests: a cover, then pages of two columns with a running
header (symbol, agenda, date) and a footer (page "2/20", job number), paragraphs with an indented first line and
space above. Chinese text uses reportlab's built-in CID font STSong-Light (Adobe-GB1), which needs no font file:
the PDF names the font, a reader maps its codes to Unicode with the standard CMap. No CJK font is installed on the
machine, so this is the only way to make a Chinese PDF here; it does not show how a real UN Chinese PDF (embedded
subset fonts with ToUnicode maps) reads."""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass

WIDTH, HEIGHT = 595.0, 842.0
COLUMNS = (60.0, 312.0)
COLUMN_WIDTH = 235.0
TOP, BOTTOM = 740.0, 100.0
SIZE, LEADING, GAP, INDENT = 10.0, 14.0, 6.0, 20.0
FONT = "STSong-Light"
NO_LINE_START = "。，、；：？！）》」』”’"
"""Marks that never begin a line (the rule of Chinese typesetting; pdfium also drops a lone one in a font it does
not have)."""


@dataclass
class Record:
    symbol: str
    date: str
    """dd/mm/yyyy as the header prints it."""
    title: str
    job: str
    cover: list[str]
    paragraphs: list[str]


def _font():
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.cidfonts import UnicodeCIDFont

    if FONT not in pdfmetrics.getRegisteredFontNames():
        pdfmetrics.registerFont(UnicodeCIDFont(FONT))
    return pdfmetrics


def _wide(char: str) -> bool:
    return unicodedata.east_asian_width(char) in ("W", "F")


def wrap(text: str, width: float) -> list[str]:
    """Greedy lines no wider than ``width`` (a closing mark may hang past it), broken where a CJK character stands
    on either side or at a space (never inside a Latin word or number)."""
    metrics = _font()
    lines: list[str] = []
    while text:
        end = len(text)
        while metrics.stringWidth(text[:end], FONT, SIZE) > width:
            end -= 1
        while 0 < end < len(text) and text[end] in NO_LINE_START:
            end += 1  # a closing mark hangs at the line's end, as Chinese typesetting has it
        if end < len(text) and text[end - 1] not in NO_LINE_START:
            cut = end
            while cut > 1 and not (text[cut] == " " or _wide(text[cut]) or _wide(text[cut - 1])):
                cut -= 1
            end = cut if cut > 1 else end
        lines.append(text[:end].rstrip())
        text = text[end:].lstrip(" ")
    return lines


def layout(paragraphs: list[str]) -> list[list[tuple[float, float, str]]]:
    """Pages of (x, y, text) lines: each paragraph's first line indented, space above it; left column, then right."""
    pages: list[list[tuple[float, float, str]]] = [[]]
    column, y = 0, TOP
    for paragraph in paragraphs:
        lines = _paragraph_lines(paragraph)
        y -= GAP
        for number, line in enumerate(lines):
            if y < BOTTOM:
                column += 1
                if column == 2:
                    pages.append([])
                    column = 0
                y = TOP
            x = COLUMNS[column] + (INDENT if number == 0 else 0)
            pages[-1].append((x, y, line))
            y -= LEADING
    return pages


def _paragraph_lines(paragraph: str) -> list[str]:
    """The first line is narrower by the indent; the rest fill the column."""
    first = wrap(paragraph, COLUMN_WIDTH - INDENT)[0]
    rest = paragraph[len(first) :].lstrip(" ")
    return [first, *wrap(rest, COLUMN_WIDTH)] if rest else [first]


def write_pdf(record: Record, path) -> None:
    """The record as a PDF: the cover, then the body pages with header and footer."""
    from reportlab.pdfgen import canvas

    _font()
    pages = layout(record.paragraphs)
    total = len(pages) + 1
    pdf = canvas.Canvas(str(path), pagesize=(WIDTH, HEIGHT))
    pdf.setFont(FONT, SIZE)
    for number, line in enumerate(record.cover):
        pdf.drawString(COLUMNS[0], TOP - number * 2 * LEADING, line)
    pdf.drawString(COLUMNS[0], 60, f"{record.job} (C)")
    pdf.drawString(COLUMNS[0], 45, f"*{record.job.replace('-', '')}*")
    pdf.showPage()
    for index, lines in enumerate(pages, start=2):
        pdf.setFont(FONT, SIZE)
        if index % 2 == 0:
            header = (record.symbol, record.title, record.date)
            footer = (f"{index}/{total}", record.job)
        else:
            header = (record.date, record.title, record.symbol)
            footer = (record.job, f"{index}/{total}")
        pdf.drawString(COLUMNS[0], 800, header[0])
        pdf.drawCentredString(WIDTH / 2, 800, header[1])
        pdf.drawRightString(WIDTH - 43, 800, header[2])
        for x, y, text in lines:
            pdf.drawString(x, y, text)
        pdf.drawString(COLUMNS[0], 40, footer[0])
        pdf.drawRightString(WIDTH - 43, 40, footer[1])
        pdf.showPage()
    pdf.save()
