"""Each record file's parse on disk, so that a changed seeds folder re-parses only the records that changed.

Parsing is the cost of opening a changed folder (5–8 s for 400 records of 100,000 paragraphs), while reading and
hashing the files is cheap. So every record's parse is kept, one entry per file, under
``<cache>/parsed/<seeds folder digest>/<key>.json``: the file's ``Meeting`` (``qa.records.jsonform``), or the reason it
was skipped when its content is not a usable record (not text, no speaker turns), so that a bad file is not
parsed again either. Reasons that depend on the file system rather than on the bytes (permission denied, a
missing link target, a folder) are never saved: they are found before any bytes are read.

The key (``entry_key``) is the digest of the file's bytes, the path a citation names it by (the ``Meeting``
stores it), ``PARSER_VERSION`` and the parser's source (``qa.records.parse.parser_code_digest``). JSON only, written
to a temporary file renamed into place; an entry that cannot be read back is treated as missing (parsed again
and written again), never as an error.
"""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

from qa.index.store.files import prune_entries, write_json
from qa.records.jsonform import meeting_from_json, meeting_json
from qa.records.model import LoadProblem, Meeting
from qa.records.parse import PARSER_VERSION, parser_code_digest

SUFFIX = ".json"

Parsed = Meeting | LoadProblem
"""What one record file parses into: its meeting, or why it was skipped."""


def parsed_folder(cache_root: Path, seeds_dir: Path) -> Path:
    """The entries of one seeds folder, named as its index folder is (``qa.index.store.cache.index_folder``), so that
    pruning one folder's entries never touches another's."""
    name = hashlib.sha256(str(seeds_dir).encode()).hexdigest()[:16]
    return Path(cache_root) / "parsed" / name


def entry_key(digest: str, source: str) -> str:
    """Everything a record's parse depends on: its bytes (their sha256), the path it is cited by, the parser."""

    parts = [PARSER_VERSION, parser_code_digest(), digest, source]
    return hashlib.sha256(json.dumps(parts, ensure_ascii=False).encode()).hexdigest()[:40]


def load(folder: Path, key: str, source: str) -> Parsed | None:
    """The entry for ``key``, or None when it is missing or damaged."""
    try:
        data = json.loads((folder / f"{key}{SUFFIX}").read_text(encoding="utf-8"))
        if data.get("key") != key:
            return None
        if "skipped" in data:
            return LoadProblem(source, str(data["skipped"]))
        meeting = meeting_from_json(data["meeting"])
    except (OSError, ValueError, KeyError, TypeError, AttributeError):
        return None
    return meeting if meeting.source == source else None


def save(folder: Path, key: str, parsed: Parsed) -> None:
    """Write an entry atomically; best effort, as a failure only costs a later open this record's parse."""
    if isinstance(parsed, LoadProblem):
        data = {"key": key, "skipped": parsed.message}
    else:
        data = {"key": key, "meeting": meeting_json(parsed)}
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError:
        return
    write_json(folder / f"{key}{SUFFIX}", data)


def prune(folder: Path, keep: set[str]) -> None:
    """Remove the entries of files no longer in the folder (or changed), and old interrupted writes."""
    prune_entries(folder, keep, SUFFIX)
