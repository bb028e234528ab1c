"""The index cache under stress: another version's files, damage check() must catch, a read-only folder,
two processes building it at the same moment.

Already covered in test_cache.py: a truncated array, garbage in an array, broken JSON and a posting out of
range are rebuilt with one notice (test_a_damaged_cache_is_rebuilt); a cache path that cannot be created
answers with one notice (test_an_unwritable_cache_still_answers_and_says_so_once).
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

from qa.cli import main
from qa.commands.common import DEFAULT_TOP_K
from qa.index.open import open_engine
from qa.index.store import cache
from qa.records.load import load_corpus
from tests.conftest import BUNDLED_RECORD, REPO

QUESTION = "集安组织维和部队何时撤离哈萨克斯坦"


@pytest.fixture(scope="module")
def seeds(tmp_path_factory):
    folder = tmp_path_factory.mktemp("robust-cache") / "seeds"
    folder.mkdir()
    shutil.copy(BUNDLED_RECORD, folder / BUNDLED_RECORD.name)
    return folder


@pytest.fixture(scope="module")
def built(seeds, tmp_path_factory):
    """A good index, built once: copied into each test's cache instead of rebuilding it."""
    cache_root = tmp_path_factory.mktemp("robust-cache-built")
    engine = open_engine(load_corpus(seeds), cache_dir=cache_root)
    return engine, only_index(cache_root)


@pytest.fixture()
def cache_root(tmp_path, built):
    """A fresh cache holding a copy of the good index."""
    root = tmp_path / "cache"
    shutil.copytree(built[1].parent.parent, root)
    return root


def only_index(cache_root: Path) -> Path:
    folders = list((cache_root / "index").iterdir())
    assert len(folders) == 1, f"expected one index folder, found {[f.name for f in folders]}"
    return folders[0]


def open_with_notices(seeds, cache_root):
    notices: list[str] = []
    engine = open_engine(load_corpus(seeds), cache_dir=cache_root, notify=notices.append)
    return engine, notices


def ranking(engine) -> list[tuple[str, float]]:
    return [(hit.paragraph.id, round(hit.score, 6)) for hit in engine.search(QUESTION)]


def test_an_index_written_by_another_version_is_rebuilt(seeds, cache_root, built, monkeypatch):
    with monkeypatch.context() as patched:
        patched.setattr(cache, "INDEX_VERSION", cache.INDEX_VERSION + 1)
        shutil.rmtree(cache_root / "index")
        open_with_notices(seeds, cache_root)  # a newer qa wrote this cache
    engine, notices = open_with_notices(seeds, cache_root)
    assert notices == ["qa: records or settings changed; rebuilding the index: 1 of 1 records re-tokenized"]
    assert ranking(engine) == ranking(built[0])
    assert open_with_notices(seeds, cache_root)[1] == [], "the rebuilt index is saved and used next time"


def test_an_old_cache_without_a_key_is_rebuilt(seeds, cache_root, built):
    meta_path = only_index(cache_root) / "meta.json"
    meta = json.loads(meta_path.read_text(encoding="utf-8"))
    del meta["key"]
    meta_path.write_text(json.dumps(meta), encoding="utf-8")
    engine, notices = open_with_notices(seeds, cache_root)
    assert len(notices) == 1 and "rebuilding" in notices[0]
    assert ranking(engine) == ranking(built[0])


def test_a_missing_array_file_is_rebuilt(seeds, cache_root, built):
    (only_index(cache_root) / "tfs.npy").unlink()
    engine, notices = open_with_notices(seeds, cache_root)
    assert len(notices) == 1 and "damaged (FileNotFoundError)" in notices[0]
    assert ranking(engine) == ranking(built[0])
    assert open_with_notices(seeds, cache_root)[1] == []


def save_array(folder: Path, name: str, change) -> None:
    np.save(folder / f"{name}.npy", change(np.load(folder / f"{name}.npy")), allow_pickle=False)


def decreasing(indptr):
    indptr = indptr.copy()
    indptr[1:-1] = indptr[1:-1][::-1]
    return indptr


DAMAGE = {
    "float doc_ids": lambda folder: save_array(folder, "doc_ids", lambda a: a.astype(np.float64)),
    "float indptr": lambda folder: save_array(folder, "indptr", lambda a: a.astype(np.float64)),
    "decreasing indptr": lambda folder: save_array(folder, "indptr", decreasing),
    "nan weights": lambda folder: save_array(folder, "weights", lambda a: np.full_like(a, np.nan)),
    "meta is a list": lambda folder: (folder / "meta.json").write_text("[]", encoding="utf-8"),
}


@pytest.mark.filterwarnings("ignore::RuntimeWarning")  # NaN and negative counts in the damaged arrays
@pytest.mark.parametrize("damage", list(DAMAGE))
def test_damage_that_passes_the_shape_check_is_rebuilt(seeds, cache_root, built, damage):
    DAMAGE[damage](only_index(cache_root))
    try:
        engine, notices = open_with_notices(seeds, cache_root)
        found = ranking(engine)
    except (IndexError, TypeError, ValueError, AttributeError) as error:
        pytest.fail(f"a damaged cache raised {error!r}")
    assert len(notices) == 1 and "damaged" in notices[0]
    assert found == ranking(built[0])


@pytest.fixture()
def read_only_cache(monkeypatch):
    """Writing into the cache is refused the way a read-only folder refuses it (tests may run as root,
    who can write anywhere): the first write ``save`` makes is creating its temporary folder."""
    attempts: list[str] = []

    def refuse(*args, **kwargs):
        attempts.append(str(kwargs.get("dir")))
        raise PermissionError(13, "Permission denied", attempts[-1])

    monkeypatch.setattr(cache.tempfile, "mkdtemp", refuse)
    return attempts


def test_a_read_only_cache_folder_answers_and_says_so_once(seeds, tmp_path, built, read_only_cache):
    from qa.answer.pipeline import answer

    engine, notices = open_with_notices(seeds, tmp_path / "cache")
    assert read_only_cache, "the index was not even offered to the cache"
    for question in [QUESTION, "中方对阿富汗海外资产持什么立场？", "会议几点散会？"]:
        assert answer(question, engine).citations
    assert ranking(engine) == ranking(built[0])
    assert len(notices) == 1
    assert notices[0].endswith("(Permission denied); continuing without it")


def test_a_read_only_cache_holding_a_good_index_is_used_silently(seeds, cache_root, built, read_only_cache):
    engine, notices = open_with_notices(seeds, cache_root)
    assert notices == [] and read_only_cache == []
    assert isinstance(engine.postings.doc_ids, np.memmap)


def test_qa_ask_with_a_read_only_cache_prints_the_answer_and_one_notice(capsys, tmp_path, seeds, read_only_cache):
    status = main(["--seeds", str(seeds), "--cache-dir", str(tmp_path / "cache"), "ask", "会议几点散会？"])
    captured = capsys.readouterr()
    assert status == 0 and captured.out.startswith("下午1时15分")
    assert len(captured.err.splitlines()) == 1 and "continuing without it" in captured.err


@pytest.mark.skipif(os.geteuid() == 0, reason="root writes into read-only folders")
def test_a_read_only_cache_folder_by_mode(seeds, tmp_path):
    folder = tmp_path / "cache"
    folder.mkdir()
    folder.chmod(0o555)
    try:
        engine, notices = open_with_notices(seeds, folder)
    finally:
        folder.chmod(0o755)
    assert engine.search(QUESTION) and len(notices) == 1 and "continuing without it" in notices[0]


def test_two_processes_building_the_cache_at_once_both_answer(seeds, tmp_path):
    """Started together on an empty cache: both answer the same, one intact index remains, nothing left over.

    (A loser of the race may say it could not write the cache: harmless, not asserted either way.)
    """
    cache_root = tmp_path / "cache"
    command = [sys.executable, "-m", "qa", "--seeds", str(seeds), "--cache-dir", str(cache_root)]
    command += ["search", "--json", QUESTION]
    processes = [subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, cwd=REPO) for _ in "ab"]
    results = [process.communicate(timeout=120) for process in processes]
    assert [process.returncode for process in processes] == [0, 0], [err.decode() for _, err in results]
    first, second = (json.loads(out) for out, _ in results)
    assert first == second and first[0]["paragraph_id"]
    assert [path.name for path in (cache_root / "index").iterdir()] == [only_index(cache_root).name]
    engine, notices = open_with_notices(seeds, cache_root)
    assert notices == [], "the index left behind loads as it is: intact and current"
    top = engine.search(QUESTION, k=DEFAULT_TOP_K)  # qa search shows the one default top k
    assert [hit.paragraph.id for hit in top] == [hit["paragraph_id"] for hit in first]


def test_losing_the_race_to_save_the_same_index_is_quiet(seeds, tmp_path, built, monkeypatch):
    winner = built[1]
    real_replace = os.replace

    def replace(source, target):
        if Path(source).name.startswith(".building-") and not Path(target).exists():
            shutil.copytree(winner, target)  # the other process finished first
        return real_replace(source, target)

    monkeypatch.setattr(cache.os, "replace", replace)
    engine, notices = open_with_notices(seeds, tmp_path / "cache")
    assert notices == []
    assert ranking(engine) == ranking(built[0])
