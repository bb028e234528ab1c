"""The source line of a quoted sentence: a paragraph joins hard-wrapped lines (and skips page furniture), so
its ``line`` is where it starts, while a citation must name the line where the quoted sentence starts."""

from __future__ import annotations

import re
from functools import lru_cache
from pathlib import Path

from qa.paths import CHECKOUT_DIR
from qa.records.parse import RecordError, decode_record

WHITE = re.compile(r"\s+")
PROBE = 12
"""Characters of the sentence looked for in the source lines: enough to be unique in one paragraph."""
SPAN = 120
"""Source lines after the paragraph's first that may still hold its sentences (page furniture included)."""


@lru_cache(maxsize=64)
def source_lines(source: str) -> tuple[str, ...]:
    """The record file's lines (empty when it cannot be read as text: moved away, or a PDF)."""
    for path in (Path(source), CHECKOUT_DIR / source, Path.cwd() / source):
        try:
            if path.is_file() and path.suffix.lower() != ".pdf":
                return tuple(decode_record(path.read_bytes()).splitlines())
        except (OSError, RecordError, ValueError):
            continue
    return ()


def sentence_line(source: str, first_line: int, paragraph: str, offset: int) -> int:
    """The 1-based source line where ``paragraph[offset:]`` starts, the paragraph starting at ``first_line``;
    ``first_line`` itself when the source cannot be read or the sentence is not found in it."""
    lines = source_lines(source)
    if offset <= 0 or not lines or first_line < 1:
        return first_line
    before = len(WHITE.sub("", paragraph[:offset]))
    probe = WHITE.sub("", paragraph[offset:])[:PROBE]
    joined, ends = "", []
    for line in lines[first_line - 1 : first_line - 1 + SPAN]:
        joined += WHITE.sub("", line)
        ends.append(len(joined))
    for size in (len(probe), 4):
        found = joined.find(probe[:size], before) if probe[:size] else -1
        if found >= 0:
            return first_line + next(i for i, end in enumerate(ends) if end > found)
    return first_line
