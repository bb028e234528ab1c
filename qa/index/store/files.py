"""Files of the caches: JSON written atomically (the snapshot, the tokenizer tables, the parse cache), and the
per-record entries (``qa.records.parsecache``, ``qa.index.store.terms``) that no record needs any more removed.

An entry is a folder or a file named by its key (and a suffix); a name starting with "." is an interrupted
write, removed once it is older than ``LEFTOVER_SECONDS`` (a younger one may be another process's write).
"""

from __future__ import annotations

import json
import os
import shutil
import tempfile
import time
from pathlib import Path

LEFTOVER_SECONDS = 3600


def write_json(path: Path, data) -> None:
    """Write ``data`` as JSON to ``path`` through a hidden temporary file renamed into place, so a reader never
    sees half a file. Best effort: a cache that cannot be written only costs a later run the work again."""
    try:
        handle, temporary = tempfile.mkstemp(prefix=".writing-", dir=path.parent)
    except OSError:
        return
    try:
        with os.fdopen(handle, "w", encoding="utf-8") as file:
            json.dump(data, file, ensure_ascii=False)
        os.replace(temporary, path)
    except OSError:
        Path(temporary).unlink(missing_ok=True)


def prune_entries(folder: Path, keep: set[str], suffix: str = "") -> None:
    """Remove the entries whose key is not in ``keep``, and old interrupted writes."""
    try:
        entries = list(folder.iterdir())
    except OSError:
        return
    for entry in entries:
        try:
            hidden = entry.name.startswith(".")
            stale = (
                time.time() - entry.stat().st_mtime > LEFTOVER_SECONDS
                if hidden
                else entry.name.removesuffix(suffix) not in keep
            )
            if stale and entry.is_dir():
                shutil.rmtree(entry, ignore_errors=True)
            elif stale:
                entry.unlink()
        except OSError:  # removed meanwhile by another process
            continue
