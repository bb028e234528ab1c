"""An unchanged seeds folder opens from the snapshot (no record parsed); any change means a normal open."""

from __future__ import annotations

import json
import os
import shutil
import sqlite3

import numpy as np
import pytest

from qa.index import open as opening
from qa.index.open import open_records
from qa.index.store import snapshot
from qa.index.store.corpusdb import open_corpus
from tests.conftest import BUNDLED_RECORD

QUESTION = "集安组织维和人员"


@pytest.fixture
def parses(monkeypatch):
    """Counts the corpus loads (``load_corpus`` as ``qa.index.open`` calls it), still doing them."""
    calls = []
    original = opening.load_corpus

    def counting(folder, *args):
        calls.append(folder)
        return original(folder, *args)

    monkeypatch.setattr(opening, "load_corpus", counting)
    return calls


def results(engine):
    return [
        (hit.paragraph.id, round(hit.score, 9), hit.speech.label, hit.meeting.source) for hit in engine.search(QUESTION)
    ]


def test_second_open_parses_nothing_and_finds_the_same(seeds, tmp_path, parses):
    first = open_records(seeds, cache_dir=tmp_path / "cache")
    again = open_records(seeds, cache_dir=tmp_path / "cache")
    assert len(parses) == 1
    assert again.corpus == first.corpus
    assert results(again) == results(first)
    assert again.tokenizer.settings() == first.tokenizer.settings()


def test_a_changed_record_is_parsed_again(seeds, tmp_path, parses):
    open_records(seeds, cache_dir=tmp_path / "cache")
    record = seeds / BUNDLED_RECORD.name
    record.write_text(record.read_text(encoding="utf-8").replace("集安组织", "集安组织（已改）", 1), encoding="utf-8")
    changed = open_records(seeds, cache_dir=tmp_path / "cache")
    assert len(parses) == 2
    assert any("集安组织（已改）" in p.text for _, _, p in changed.corpus.paragraphs())


def test_a_new_tokenizer_version_opens_normally(seeds, tmp_path, parses, monkeypatch):
    """The snapshot names an index built by the old tokenizer: a new version must not reuse it."""
    open_records(seeds, cache_dir=tmp_path / "cache")
    monkeypatch.setattr(snapshot, "TOKENIZER_VERSION", snapshot.TOKENIZER_VERSION + 1)
    open_records(seeds, cache_dir=tmp_path / "cache")
    assert len(parses) == 2


def test_an_added_record_is_picked_up(seeds, tmp_path, parses):
    open_records(seeds, cache_dir=tmp_path / "cache")
    shutil.copy(BUNDLED_RECORD, seeds / "copy.txt")  # same meeting: skipped with a warning, still a change
    problems = []
    open_records(seeds, cache_dir=tmp_path / "cache", on_corpus=lambda corpus: problems.extend(corpus.problems))
    assert len(parses) == 2 and any("same meeting" in str(problem) for problem in problems)
    problems.clear()
    open_records(seeds, cache_dir=tmp_path / "cache", on_corpus=lambda corpus: problems.extend(corpus.problems))
    assert len(parses) == 2 and any("same meeting" in str(problem) for problem in problems)  # warned again


@pytest.mark.parametrize("damage", ["{not json", json.dumps({"quick_key": "x"}), "[]"])
def test_a_damaged_or_foreign_snapshot_means_a_normal_open(seeds, tmp_path, parses, damage):
    engine = open_records(seeds, cache_dir=tmp_path / "cache")
    (path,) = (tmp_path / "cache" / "index").glob("*/snapshot.json")
    path.write_text(damage, encoding="utf-8")
    assert results(open_records(seeds, cache_dir=tmp_path / "cache")) == results(engine)
    assert len(parses) == 2


@pytest.mark.parametrize("damage", ["garbage", "truncated", "no paragraphs", "other key"])
def test_a_damaged_or_other_corpus_file_means_a_normal_open(seeds, tmp_path, parses, damage):
    engine = open_records(seeds, cache_dir=tmp_path / "cache")
    (path,) = (tmp_path / "cache" / "index").glob("*/corpus.sqlite")
    if damage == "garbage":
        path.write_bytes(b"not a database" * 100)
    elif damage == "truncated":
        path.write_bytes(path.read_bytes()[:5000])
    else:
        with sqlite3.connect(path) as connection:
            if damage == "no paragraphs":
                connection.execute("DELETE FROM paragraphs")
            else:
                connection.execute("UPDATE meta SET value = 'x' WHERE name = 'key'")
        connection.close()
    again = open_records(seeds, cache_dir=tmp_path / "cache")
    assert results(again) == results(engine)
    assert len(parses) == 2
    assert results(open_records(seeds, cache_dir=tmp_path / "cache")) == results(engine)
    assert len(parses) == 2


def test_snapshot_is_plain_json_and_sqlite_and_round_trips_the_corpus(seeds, tmp_path):
    engine = open_records(seeds, cache_dir=tmp_path / "cache")
    (path,) = (tmp_path / "cache" / "index").glob("*/snapshot.json")
    data = json.loads(path.read_text(encoding="utf-8"))
    assert set(data) == {"quick_key", "index_key", "index_files", "tokenizer"}
    lazy = open_corpus(path.with_name("corpus.sqlite"), data["quick_key"])
    assert lazy == engine.corpus
    assert [meeting.speeches for meeting in lazy.meetings] == [meeting.speeches for meeting in engine.corpus.meetings]
    assert list(lazy.paragraphs()) == list(engine.corpus.paragraphs())


def test_a_lazily_opened_corpus_answers_as_the_parsed_one(seeds, tmp_path):
    from qa.answer.pipeline import answer

    parsed = open_records(seeds, cache_dir=tmp_path / "cache")
    lazy = open_records(seeds, cache_dir=tmp_path / "cache")
    assert getattr(lazy.corpus.meetings, "store", None) is not None
    for question in [QUESTION, "会议几点散会？", "哪些国家提到了“颜色革命”？", "秘书长说了什么？"]:
        assert answer(question, lazy).text == answer(question, parsed).text
    assert lazy.layout.speaker_of_speech.tolist() == parsed.layout.speaker_of_speech.tolist()
    assert [s.label for s in lazy.layout.speakers] == [s.label for s in parsed.layout.speakers]
    assert lazy.copies.first.tolist() == parsed.copies.first.tolist()


def test_index_files_changed_since_the_snapshot_get_the_full_check(seeds, tmp_path, parses):
    engine = open_records(seeds, cache_dir=tmp_path / "cache")
    (folder,) = (tmp_path / "cache" / "index").glob("*/")
    weights = np.load(folder / "weights.npy")
    np.save(folder / "weights.npy", np.full_like(weights, np.nan))
    again = open_records(seeds, cache_dir=tmp_path / "cache")
    assert len(parses) == 2  # the snapshot's index failed the check: a normal open, which rebuilds it
    assert results(again) == results(engine)


def test_touching_a_record_without_changing_it_reuses_the_index(seeds, tmp_path, parses):
    notices = []
    open_records(seeds, cache_dir=tmp_path / "cache", notify=notices.append)
    record = seeds / BUNDLED_RECORD.name
    os.utime(record, ns=(record.stat().st_atime_ns, record.stat().st_mtime_ns + 10**9))
    open_records(seeds, cache_dir=tmp_path / "cache", notify=notices.append)
    assert len(parses) == 2 and notices == []  # parsed again (metadata changed), index loaded by content key
    open_records(seeds, cache_dir=tmp_path / "cache", notify=notices.append)
    assert len(parses) == 2
