"""Shared fixtures: every user path points into tmp_path, the bundled corpus is parsed once."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent
BUNDLED_SEEDS = REPO / "seeds"
BUNDLED_RECORD = BUNDLED_SEEDS / "S_PV.8967.zh.txt"


@pytest.fixture(autouse=True)
def isolated_user_dirs(tmp_path_factory, monkeypatch):
    """No test reads or writes the real user cache, data or config folders."""
    home = tmp_path_factory.mktemp("user")
    monkeypatch.setenv("QA_CACHE_DIR", str(home / "cache"))
    monkeypatch.setenv("QA_DATA_DIR", str(home / "data"))
    monkeypatch.setenv("XDG_CACHE_HOME", str(home / "xdg-cache"))
    monkeypatch.setenv("XDG_DATA_HOME", str(home / "xdg-data"))
    monkeypatch.setenv("XDG_CONFIG_HOME", str(home / "xdg-config"))


@pytest.fixture(scope="session")
def bundled_corpus():
    from qa.records.load import load_corpus

    return load_corpus(BUNDLED_SEEDS)


@pytest.fixture(scope="session")
def bundled_meeting(bundled_corpus):
    return bundled_corpus.meetings[0]


@pytest.fixture
def prompts_copy(tmp_path):
    """A copy of the shipped templates, for a test to edit or break."""
    folder = tmp_path / "prompts"
    shutil.copytree(REPO / "prompts", folder)
    return folder


@pytest.fixture
def seeds(tmp_path):
    """A seeds folder of the test's own holding a copy of the bundled record, to change or add records in."""
    folder = tmp_path / "seeds"
    folder.mkdir()
    shutil.copy(BUNDLED_RECORD, folder / BUNDLED_RECORD.name)
    return folder


@pytest.fixture(scope="session")
def bundled_cache_dir(bundled_corpus, tmp_path_factory):
    """An index of the bundled record built once for the whole run: whatever opens it loads instead of building."""
    from qa.index.open import open_engine

    folder = tmp_path_factory.mktemp("bundled-index")
    open_engine(bundled_corpus, cache_dir=folder)
    return folder


@pytest.fixture(scope="session")
def engine(bundled_corpus, bundled_cache_dir):
    """The search engine over the bundled record, shared by the tests that only read from it."""
    from qa.index.open import open_engine

    return open_engine(bundled_corpus, cache_dir=bundled_cache_dir)


ENGLISH_RECORDS = REPO.parent / "shared" / "records" / "en"
"""The four real English records beside the clone (``../shared``, as in CI)."""

needs_english_records = pytest.mark.skipif(
    not (ENGLISH_RECORDS / "S_PV.8702.en.pdf").exists(),
    reason="the English records live in ../shared beside the clone (as in CI); not present here",
)


@pytest.fixture(scope="session")
def english(tmp_path_factory):
    """An engine over the English records, built once for every test that asks about them."""
    from qa.index.open import open_engine
    from qa.records.load import load_corpus

    return open_engine(load_corpus(ENGLISH_RECORDS), cache_dir=tmp_path_factory.mktemp("en-index"))


@pytest.fixture(scope="session")
def templates():
    """The shipped answer templates (prompts/)."""
    from qa.answer.templates import load_templates

    return load_templates()


MARKER = re.compile(r"\[(\d+)\]")


def assert_well_formed(result) -> None:
    """[n] markers and citations agree one to one, numbered 1, 2, 3… in order; every answer line ends with its
    marker (but the count line of a complete list); quotes and key values are verbatim in the cited paragraph;
    the answer object is JSON."""
    numbers = [citation.n for citation in result.citations]
    assert numbers == list(range(1, len(numbers) + 1)), "citations are numbered 1, 2, 3… in order"
    assert {int(n) for n in MARKER.findall(result.text)} == set(numbers), "every [n] names a citation, and back"
    json.dumps(result.to_json(), ensure_ascii=False)
    if result.abstained:
        assert not result.citations and not result.key_values
        return
    lines = result.text.splitlines()
    if lines and lines[0].endswith(("：", ":")):  # a complete list opens with the line that counts its items
        lines = lines[1:]
    assert result.citations and all(MARKER.search(line[-4:]) for line in lines)
    for citation in result.citations:
        for part in citation.quote.split(" … "):
            assert part and part in citation.hit.paragraph.text, "the quote is verbatim from its paragraph"
    for value in result.key_values:
        assert any(value in citation.quote for citation in result.citations), f"{value!r} is quoted verbatim"


@pytest.fixture()
def small_disk(tmp_path):
    """A 64 KiB tmpfs, where the machine lets the tests mount one (root in a sandbox that allows it)."""
    folder = tmp_path / "small-disk"
    folder.mkdir()
    try:
        done = subprocess.run(
            ["mount", "-t", "tmpfs", "-o", "size=64k", "tmpfs", str(folder)], capture_output=True, timeout=10
        )
    except (OSError, subprocess.SubprocessError):
        pytest.skip("cannot run mount here")
    if done.returncode != 0:
        pytest.skip("mounting a tmpfs is not allowed here")
    yield folder
    subprocess.run(["umount", str(folder)], check=False, timeout=10)
