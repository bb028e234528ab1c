"""The index cache: built once, loaded memory-mapped, keyed correctly, rebuilt when stale or damaged."""

from __future__ import annotations

import json

import numpy as np
import pytest

from qa.index import open as opening
from qa.index.open import open_engine
from qa.index.store import cache
from qa.records.load import load_corpus
from qa.text.tokens import Tokenizer
from tests.conftest import BUNDLED_RECORD


def open_with_notices(seeds_folder, cache_dir):
    notices: list[str] = []
    engine = open_engine(load_corpus(seeds_folder), cache_dir=cache_dir, notify=notices.append)
    return engine, notices


def index_files(cache_dir):
    return sorted(path.name for path in (cache_dir / "index").glob("*/*"))


def test_first_run_writes_json_and_npy_then_loads_memory_mapped(seeds, tmp_path):
    engine, notices = open_with_notices(seeds, tmp_path / "cache")
    assert notices == []
    assert index_files(tmp_path / "cache") == ["doc_ids.npy", "doc_lengths.npy", "frequencies.npy", "indptr.npy",
                                               "meta.json", "paragraph_ids.json", "tfs.npy", "tokenizer.json",
                                               "weights.npy"]  # fmt: skip
    again, notices = open_with_notices(seeds, tmp_path / "cache")
    assert notices == []
    assert isinstance(again.postings.doc_ids, np.memmap)
    question = "集安组织维和人员"
    assert [h.paragraph.id for h in again.search(question)] == [h.paragraph.id for h in engine.search(question)]


def test_cache_files_load_without_pickle(seeds, tmp_path):
    open_with_notices(seeds, tmp_path / "cache")
    folder = next((tmp_path / "cache" / "index").iterdir())
    for name in [*cache.ARRAYS, "weights"]:
        assert np.load(folder / f"{name}.npy", allow_pickle=False).dtype != object
    assert json.loads((folder / "meta.json").read_text("utf-8"))["key"]


def test_the_environment_variable_chooses_the_cache(seeds, tmp_path, monkeypatch):
    monkeypatch.setenv("QA_CACHE_DIR", str(tmp_path / "from-env"))
    open_engine(load_corpus(seeds))
    assert index_files(tmp_path / "from-env")


def test_a_changed_record_is_rebuilt_with_one_notice(seeds, tmp_path):
    open_with_notices(seeds, tmp_path / "cache")
    record = seeds / BUNDLED_RECORD.name
    record.write_text(record.read_text("utf-8").replace("鸦片", "罂粟"), "utf-8")
    engine, notices = open_with_notices(seeds, tmp_path / "cache")
    assert len(notices) == 1 and "rebuilding" in notices[0]
    assert "罂粟" in engine.search("罂粟", k=1)[0].paragraph.text


def test_an_added_record_is_picked_up(seeds, tmp_path):
    open_with_notices(seeds, tmp_path / "cache")
    text = BUNDLED_RECORD.read_text("utf-8").replace("S/PV.8967", "S/PV.9999").replace("鸦片", "罂粟")
    (seeds / "S_PV.9999.zh.txt").write_text(text, "utf-8")
    engine, notices = open_with_notices(seeds, tmp_path / "cache")
    assert len(notices) == 1
    assert engine.search("罂粟", k=1)[0].meeting.symbol == "S/PV.9999"


@pytest.mark.parametrize("damage", ["truncate", "garbage", "bad-json", "out-of-range"])
def test_a_damaged_cache_is_rebuilt(seeds, tmp_path, damage):
    fresh, _ = open_with_notices(seeds, tmp_path / "cache")
    folder = next((tmp_path / "cache" / "index").iterdir())
    if damage == "truncate":
        (folder / "tfs.npy").write_bytes((folder / "tfs.npy").read_bytes()[:100])
    elif damage == "garbage":
        (folder / "indptr.npy").write_bytes(b"\x00not an array")
    elif damage == "bad-json":
        (folder / "meta.json").write_text("{", "utf-8")
    else:
        doc_ids = np.load(folder / "doc_ids.npy")
        doc_ids[0] = 10**6
        np.save(folder / "doc_ids.npy", doc_ids)
    engine, notices = open_with_notices(seeds, tmp_path / "cache")
    assert len(notices) == 1 and "damaged" in notices[0]
    question = "阿富汗鸦片产量"
    assert [h.paragraph.id for h in engine.search(question)] == [h.paragraph.id for h in fresh.search(question)]
    _, notices = open_with_notices(seeds, tmp_path / "cache")
    assert notices == []


def test_an_unwritable_cache_still_answers_and_says_so_once(seeds, tmp_path):
    blocker = tmp_path / "a-file"
    blocker.write_text("not a folder", "utf-8")
    engine, notices = open_with_notices(seeds, blocker / "cache")
    assert len(notices) == 1 and "without it" in notices[0]
    assert engine.search("集安组织", k=1)


def test_the_key_covers_records_tokenizer_and_index_version(monkeypatch):
    settings = Tokenizer().settings()
    key = cache.cache_key(["abc"], settings)
    assert cache.cache_key(["abc"], settings) == key
    assert cache.cache_key(["abd"], settings) != key
    assert cache.cache_key(["abc"], Tokenizer(stopwords=frozenset({"的"})).settings()) != key
    assert cache.cache_key(["abc"], Tokenizer(user_words={"集安组织"}).settings()) != key
    monkeypatch.setattr(cache, "INDEX_VERSION", cache.INDEX_VERSION + 1)
    assert cache.cache_key(["abc"], settings) != key


@pytest.mark.parametrize("chunk", [2, 1 << 20])
def test_postings_are_csr_by_term_with_documents_in_order(chunk):
    documents = [["维和", "合作", "维和"], ["合作"], [], ["维和", "阿富汗"]]
    postings = cache.build_postings(documents, ["a", "b", "c", "d"], {"维和": 7}, 100, ["什么", "合作"], chunk=chunk)
    assert postings.vocabulary == ("维和", "合作", "阿富汗")
    assert postings.indptr.tolist() == [0, 2, 4, 5]
    assert postings.doc_ids.tolist() == [0, 3, 0, 1, 3]
    assert postings.tfs.tolist() == [2.0, 1.0, 1.0, 1.0, 1.0]
    assert postings.doc_lengths.tolist() == [3, 1, 0, 2]
    assert postings.frequencies.tolist() == [7, 0, 0]
    assert postings.query_words == {"什么": 0}
    cache.check(postings)


def test_second_open_reuses_the_derived_tokenizer_tables(seeds, tmp_path, monkeypatch):
    engine, _ = open_with_notices(seeds, tmp_path / "cache")

    def no_derivation(corpus):
        raise AssertionError("the tokenizer tables were derived again")

    monkeypatch.setattr(opening, "default_tokenizer", no_derivation)
    again, notices = open_with_notices(seeds, tmp_path / "cache")
    assert notices == [] and again.tokenizer.settings() == engine.tokenizer.settings()
    (tables,) = (tmp_path / "cache" / "index").glob("*/tokenizer.json")
    tables.write_text("{damaged", encoding="utf-8")
    monkeypatch.undo()
    third, notices = open_with_notices(seeds, tmp_path / "cache")
    assert notices == [] and third.tokenizer.settings() == engine.tokenizer.settings()


def test_an_index_saved_with_its_paragraph_ids_in_meta_json_still_loads(seeds, tmp_path):
    """Indexes written before the ids had their own file hold them in meta.json: read as they are."""
    fresh, _ = open_with_notices(seeds, tmp_path / "cache")
    folder = next((tmp_path / "cache" / "index").iterdir())
    meta = json.loads((folder / "meta.json").read_text("utf-8"))
    ids = json.loads((folder / "paragraph_ids.json").read_text("utf-8"))
    del meta["paragraphs"]
    (folder / "meta.json").write_text(json.dumps({**meta, "paragraph_ids": ids}), "utf-8")
    (folder / "paragraph_ids.json").unlink()
    engine, notices = open_with_notices(seeds, tmp_path / "cache")
    assert notices == [] and list(engine.postings.paragraph_ids) == ids
    question = "阿富汗鸦片产量"
    assert [h.paragraph.id for h in engine.search(question)] == [h.paragraph.id for h in fresh.search(question)]
