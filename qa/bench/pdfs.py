"""How long reading a record's PDF takes (``qa bench --pdfs DIR``): pdfium's text and boxes, the layout (columns,
paragraphs, furniture, cover) and the speeches, for each PDF of a folder; the median of ``repeat`` runs."""

from __future__ import annotations

import statistics
import time
from pathlib import Path

from qa.errors import UserError
from qa.records.parse import RecordError, parse_pdf, symbol_from_filename


def measure_pdfs(folder: Path, repeat: int) -> list[dict]:
    """One row per PDF: file, pages, paragraphs, read-and-parse seconds (median)."""
    files = sorted(path for path in folder.glob("*.pdf") if path.is_file()) if folder.is_dir() else []
    if not files:
        raise UserError(f"--pdfs {folder}: no .pdf files there; name a folder of records as PDF")
    rows = []
    for path in files:
        data = path.read_bytes()
        seconds = []
        meeting = None
        try:
            for _ in range(repeat):
                start = time.perf_counter()
                meeting = parse_pdf(data, path.name, symbol_from_filename(path))
                seconds.append(time.perf_counter() - start)
        except RecordError as error:
            rows.append({"file": path.name, "skipped": str(error)})
            continue
        rows.append(
            {
                "file": path.name,
                "pages": meeting.pages,
                "paragraphs": sum(len(speech.paragraphs) for speech in meeting.speeches),
                "read_s": statistics.median(seconds),
            }
        )
    return rows


def pdf_lines(rows: list[dict]) -> list[str]:
    """The report's table of PDFs."""
    lines = ["", "| PDF | pages | paragraphs | read and parse (s) |", "| --- | --- | --- | --- |"]
    for row in rows:
        if "skipped" in row:
            lines.append(f"| {row['file']} | – | – | skipped: {row['skipped']} |")
        else:
            lines.append(f"| {row['file']} | {row['pages']} | {row['paragraphs']} | {row['read_s']:.3f} |")
    return lines
