"""A record file's own lines, read back when an answer must quote a line the parse does not keep as a paragraph
(the page header that prints the meeting's date)."""

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
