"""How long parsing one large record takes and how much memory it needs (``qa bench --record-mb``).

The record is the bundled one's text with its speeches repeated until it reaches the size asked for (page headers
and footers included, so the layout rules all run); it is parsed in a spawned child process so that the peak
memory reported is the parse's own.
"""

from __future__ import annotations

import time
from pathlib import Path

from qa.bench.child import in_child, peak_rss_mb
from qa.records.parse import read_record


def large_record(source: Path, megabytes: float, target: Path) -> Path:
    """Write a record of about ``megabytes`` MB: ``source``'s opening, its speeches repeated, its closing."""
    lines = source.read_text(encoding="utf-8").split("\n")
    first_speech = next((n for n, line in enumerate(lines) if "）：" in line), 0)
    opening, body = "\n".join(lines[:first_speech]), "\n".join(lines[first_speech:]) + "\n\n"
    wanted = int(megabytes * 1_000_000)
    with target.open("w", encoding="utf-8") as out:
        out.write(opening + "\n")
        written = len(opening.encode("utf-8"))
        chunk = len(body.encode("utf-8"))
        while written < wanted:
            out.write(body)
            written += chunk
    return target


def parse(path: str) -> dict:
    """In a child process: parse the record, timed, with the process's memory peak."""

    start = time.perf_counter()
    meeting = read_record(Path(path), path)
    seconds = time.perf_counter() - start
    paragraphs = sum(len(speech.paragraphs) for speech in meeting.speeches)
    return {"parse_s": seconds, "parse_peak_mb": peak_rss_mb(0), "paragraphs": paragraphs}


def measure_record(source: Path, megabytes: float, work: Path) -> dict:
    """Size, parse time, peak memory and paragraphs of one large record parsed in a fresh process."""

    path = large_record(source, megabytes, work / "large-record.txt")
    result = in_child(parse, str(path), doing=f"parsing the {megabytes:g} MB record")
    return {"record_mb": path.stat().st_size / 1e6, **result}
