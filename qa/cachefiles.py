"""Files of the per-record caches (``qa.parsecache``, ``qa.termcache``): removing what no record needs any more.

An entry is a folder or a file named by its key (and a suffix); a name starting with "." is an interrupted
write, removed once it is older than ``LEFTOVER_SECONDS`` (a younger one may be another process's write).
"""

from __future__ import annotations

import shutil
import time
from pathlib import Path

LEFTOVER_SECONDS = 3600


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
