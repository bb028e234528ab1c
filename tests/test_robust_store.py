"""The caches on disk after faults: killed index writes leave nothing behind for long, a full disk is named
(once per cache, not on every run), and nothing half-written is ever loaded."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

import numpy as np

from qa.index.open import open_engine
from qa.index.store import cache
from qa.index.store.files import LEFTOVER_SECONDS, owner_gone
from qa.records.load import load_corpus
from tests.conftest import REPO

QUESTION = "集安组织维和部队何时撤离哈萨克斯坦"


def ended_pid() -> int:
    """The id of a process that has ended (and was reaped), as a killed build's would be."""
    process = subprocess.Popen(["true"])
    process.wait()
    return process.pid


def open_with_notices(seeds, cache_root):
    notices: list[str] = []
    engine = open_engine(load_corpus(seeds), cache_dir=cache_root, notify=notices.append)
    return engine, notices


def test_owner_gone_reads_the_process_id_of_each_temporary_name():
    dead, alive = ended_pid(), os.getppid()
    assert owner_gone(f".building-{dead}-abc") and owner_gone(f".writing-{dead}-x1") and owner_gone(f".old-k-{dead}")
    assert not owner_gone(f".building-{alive}-abc") and not owner_gone(f".old-1234-{alive}")
    assert not owner_gone(f".building-{os.getpid()}-abc") and not owner_gone(".building-abcdefgh")


def test_leftovers_of_killed_writes_go_at_the_next_start_even_with_the_index_cached(seeds, tmp_path):
    root = tmp_path / "cache"
    open_with_notices(seeds, root)
    index = next((root / "index").iterdir()).parent
    dead, alive = ended_pid(), os.getppid()
    names = {
        f".building-{dead}-a1b2": True,  # a killed build's folder, as large as an index
        f".old-{dead}abc-{dead}": True,
        ".building-q9w8e7r6": True,  # an older qa's name without a process id, hours old
        f".building-{alive}-c3d4": False,  # a build still running in another process
        ".building-z1x2c3v4": False,  # no process id and young: maybe someone's write right now
    }
    for name in names:
        (index / name).mkdir()
        np.save(index / name / "doc_ids.npy", np.arange(1000))
    hours_ago = time.time() - LEFTOVER_SECONDS - 60
    os.utime(index / ".building-q9w8e7r6", (hours_ago, hours_ago))
    engine, notices = open_with_notices(seeds, root)
    assert notices == [] and engine.search(QUESTION)
    assert {path.name for path in index.iterdir() if path.name.startswith(".")} == {
        name for name, gone in names.items() if not gone
    }


def test_an_index_write_killed_midway_is_cleaned_up_and_never_loaded(seeds, tmp_path):
    """kill -9 while the arrays are written: the next start removes the temporary folder and builds anew."""
    root = tmp_path / "cache"
    script = f"""
import sys, time
import numpy as np
sys.path.insert(0, {str(REPO)!r})
from qa.index.store import cache
real = np.save
def slow(path, array, **options):
    real(path, array, **options)
    if ".building-" in str(path):
        print("written", flush=True)
        time.sleep(60)
cache.np.save = slow
from qa.index.open import open_engine
from qa.records.load import load_corpus
from pathlib import Path
open_engine(load_corpus(Path({str(seeds)!r})), cache_dir=Path({str(root)!r}))
"""
    process = subprocess.Popen([sys.executable, "-c", script], stdout=subprocess.PIPE, cwd=REPO)
    try:
        assert process.stdout.readline() == b"written\n"
        building = [path for path in (root / "index").iterdir() if path.name.startswith(".building-")]
        assert len(building) == 1 and (building[0] / "indptr.npy").is_file()
    finally:
        process.kill()
        process.wait()
    engine, notices = open_with_notices(seeds, root)
    assert notices == [] and engine.search(QUESTION)
    assert [path.name for path in (root / "index").iterdir() if path.name.startswith(".")] == []


def test_a_short_write_is_named_as_a_full_disk_once_per_cache(seeds, tmp_path, monkeypatch):
    root = tmp_path / "cache"

    def short(path, array, **options):
        raise OSError("458954 requested and 102368 written")  # what NumPy says on a full disk

    monkeypatch.setattr(cache.np, "save", short)
    engine, first = open_with_notices(seeds, root)
    assert engine.search(QUESTION) and len(first) == 1
    assert first[0].endswith("(No space left on device); continuing without it")
    _, second = open_with_notices(seeds, root)
    assert second == [], "the same failure on the same cache is said once"
    assert [path.name for path in (root / "index").iterdir() if path.name.startswith(".")] == []
    monkeypatch.undo()
    _, third = open_with_notices(seeds, root)
    assert third == [] and [path.suffix for path in (root / "index").iterdir()] == [""]


def test_a_really_full_disk_is_named_and_leaves_no_temporary_files(seeds, small_disk):
    engine, first = open_with_notices(seeds, small_disk)
    assert engine.search(QUESTION) and len(first) == 1 and "(No space left on device)" in first[0]
    _, second = open_with_notices(seeds, small_disk)
    assert second == []
    hidden = [path for path in Path(small_disk).rglob(".*")]
    assert hidden == [], f"left behind: {hidden}"
