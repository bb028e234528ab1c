"""Files of the caches: JSON written atomically (the snapshot, the tokenizer tables, the parse cache), and the
per-record entries (``qa.records.parsecache``, ``qa.index.store.terms``) that no record needs any more removed.

An entry is a folder or a file named by its key (and a suffix); a name starting with "." is an interrupted
write, removed once its owner process is gone (the name carries its process id: ``temporary_prefix``) or it is
older than ``LEFTOVER_SECONDS`` (a younger one may be another process's write, and no write takes that long: an
index is built in memory first, then written in seconds). A killed index write leaves a folder as large as the
index, so ``remove_leftovers`` is also run on the index folder at every start, not only after a rebuild.
"""

from __future__ import annotations

import errno
import json
import os
import re
import shutil
import tempfile
import time
from pathlib import Path

LEFTOVER_SECONDS = 3600
OWNER = re.compile(r"^\.(?:old-.*-(\d+)$|[a-z]+-(\d+)-)")
"""The process id in a temporary name: ``.building-<pid>-…``, ``.writing-<pid>-…``, ``.old-<key>-<pid>``."""


def temporary_prefix(kind: str) -> str:
    """``.<kind>-<pid>-``: a hidden temporary name that says which process writes it."""
    return f".{kind}-{os.getpid()}-"


def owner_gone(name: str) -> bool:
    """The process named in a temporary name has ended (a name without one: not known to be gone)."""
    match = OWNER.match(name)
    if not match:
        return False
    pid = int(match.group(1) or match.group(2))
    if pid == os.getpid():
        return False
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return True
    except OSError:  # exists, but another user's
        return False
    return False


def is_leftover(entry: Path) -> bool:
    """A hidden temporary entry whose write has ended without being renamed into place."""
    if not entry.name.startswith("."):
        return False
    return owner_gone(entry.name) or time.time() - entry.lstat().st_mtime > LEFTOVER_SECONDS


def remove_leftovers(folder: Path) -> None:
    """Remove the interrupted writes in ``folder`` (its visible entries are left alone)."""
    try:
        entries = [entry for entry in folder.iterdir() if entry.name.startswith(".")]
    except OSError:
        return
    for entry in entries:
        try:
            if is_leftover(entry):
                remove(entry)
        except OSError:  # removed meanwhile by another process, or not ours to remove
            continue


def remove(entry: Path) -> None:
    if entry.is_dir() and not entry.is_symlink():
        shutil.rmtree(entry, ignore_errors=True)
    else:
        entry.unlink()


def short_write(error: OSError) -> OSError:
    """NumPy reports a write cut short by a full disk as "458954 requested and 102368 written", with no error
    number: it is named as what it is, so the user learns the cause."""
    if error.errno is None and "requested and" in str(error) and "written" in str(error):
        return OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))
    return error


def write_json(path: Path, data) -> None:
    """Write ``data`` as JSON to ``path`` through a hidden temporary file renamed into place, so a reader never
    sees half a file. Best effort: a cache that cannot be written only costs a later run the work again."""
    try:
        handle, temporary = tempfile.mkstemp(prefix=temporary_prefix("writing"), dir=path.parent)
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
            stale = is_leftover(entry) if hidden else entry.name.removesuffix(suffix) not in keep
            if stale:
                remove(entry)
        except OSError:  # removed meanwhile by another process
            continue
