"""The per-record term cache: a rebuild re-tokenizes only the records that changed, and gives the index a build
from scratch gives."""

from __future__ import annotations

import json
import shutil

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import qa.index.workers
from qa.index.open import open_engine
from qa.index.store import terms as termcache
from qa.records.load import load_corpus
from qa.text.normalize import normalize

RECORDS = {
    "a.txt": [
        ("主席（以英语发言）", "我宣布会议开始。安理会今天审议维持和平行动问题。"),
        ("张三先生（中国）", "中方支持维和人员安全，呼吁各方保护平民，加强维和部队的医疗保障。"),
        ("李四先生（法国）", "法国关注萨赫勒地区的恐怖主义威胁和粮食安全。"),
    ],
    "b.txt": [
        ("主席（以英语发言）", "我宣布会议开始。安理会今天审议阿富汗局势。"),
        ("王五先生（印度）", "阿富汗的鸦片产量上升，毒品贩运威胁地区安全。"),
        ("赵六女士（巴西）", "巴西支持联合国阿富汗援助团的工作，妇女权利必须得到保护。"),
    ],
}
NEW_RECORD = [
    ("主席（以英语发言）", "我宣布会议开始。安理会今天审议气候与安全问题。"),
    ("欧阳娜娜女士（图瓦卢）", "海平面上升威胁图瓦卢的生存，气候变化是安全问题。"),
    ("司徒雷登先生（瑙鲁）", "瑙鲁呼吁安理会把气候安全列入议程。"),
]
QUESTIONS = ["维和人员安全", "阿富汗鸦片产量", "气候变化威胁安全", "妇女权利", "萨赫勒恐怖主义"]


def record_text(turns) -> str:
    return "\n\n".join(f"{speaker}：{text}" for speaker, text in turns) + "\n\n下午1时散会。\n"


@pytest.fixture
def folder(tmp_path):
    seeds = tmp_path / "seeds"
    seeds.mkdir()
    for name, turns in RECORDS.items():
        (seeds / name).write_text(record_text(turns), encoding="utf-8")
    return seeds


@pytest.fixture
def tokenized(monkeypatch):
    """The texts of the paragraphs tokenized for the index, in order."""
    texts: list[str] = []
    original = qa.index.workers.item_terms

    def counting(tokenizer, item):
        texts.append(item[0])
        return original(tokenizer, item)

    monkeypatch.setattr(qa.index.workers, "item_terms", counting)
    return texts


def open_folder(seeds, cache_dir):
    notices: list[str] = []
    engine = open_engine(load_corpus(seeds), cache_dir=cache_dir, notify=notices.append)
    return engine, notices


def results(engine) -> list[list[tuple[str, float]]]:
    return [[(hit.paragraph.id, round(hit.score, 9)) for hit in engine.search(q)] for q in QUESTIONS]


def assert_same_as_from_scratch(engine, seeds, tmp_path):
    fresh, _ = open_folder(seeds, tmp_path / "scratch-cache")
    assert results(engine) == results(fresh)
    for name in ("indptr", "doc_ids", "tfs", "doc_lengths", "frequencies"):
        assert np.array_equal(getattr(engine.postings, name), getattr(fresh.postings, name))
    assert engine.postings.vocabulary == fresh.postings.vocabulary


def entries(cache_dir):
    return sorted(path.name for path in (cache_dir / "terms").glob("*/*"))


def test_an_added_record_is_the_only_one_tokenized(folder, tmp_path, tokenized):
    open_folder(folder, tmp_path / "cache")
    assert len(tokenized) == 8 and len(entries(tmp_path / "cache")) == 2
    tokenized.clear()
    (folder / "c.txt").write_text(record_text(NEW_RECORD), encoding="utf-8")
    engine, notices = open_folder(folder, tmp_path / "cache")
    assert notices == ["qa: records or settings changed; rebuilding the index: 1 of 3 records re-tokenized"]
    assert tokenized == [text for _, text in NEW_RECORD] + ["下午1时散会。"]
    assert engine.search("图瓦卢", k=1)[0].meeting.symbol == "c"
    assert_same_as_from_scratch(engine, folder, tmp_path)


def test_a_changed_record_is_the_only_one_tokenized(folder, tmp_path, tokenized):
    open_folder(folder, tmp_path / "cache")
    tokenized.clear()
    record = folder / "b.txt"
    record.write_text(record.read_text(encoding="utf-8").replace("鸦片", "罂粟"), encoding="utf-8")
    engine, notices = open_folder(folder, tmp_path / "cache")
    assert notices == ["qa: records or settings changed; rebuilding the index: 1 of 2 records re-tokenized"]
    assert "阿富汗的罂粟产量上升，毒品贩运威胁地区安全。" in tokenized and len(tokenized) == 4
    assert "罂粟" in engine.search("罂粟", k=1)[0].paragraph.text
    assert len(entries(tmp_path / "cache")) == 2, "the changed record's old entry is removed"
    assert_same_as_from_scratch(engine, folder, tmp_path)


def test_a_removed_record_tokenizes_nothing(folder, tmp_path, tokenized):
    (folder / "c.txt").write_text(record_text(NEW_RECORD), encoding="utf-8")
    open_folder(folder, tmp_path / "cache")
    tokenized.clear()
    (folder / "c.txt").unlink()
    engine, notices = open_folder(folder, tmp_path / "cache")
    assert notices == ["qa: records or settings changed; rebuilding the index: 0 of 2 records re-tokenized"]
    assert tokenized == [] and len(entries(tmp_path / "cache")) == 2
    assert_same_as_from_scratch(engine, folder, tmp_path)


def test_a_record_that_names_a_new_speaker_is_tokenized_again(folder, tmp_path, tokenized):
    """A new speaker's name is a new dictionary word: a record whose text contains it is cut differently."""
    record = folder / "a.txt"
    record.write_text(record.read_text(encoding="utf-8").replace("平民", "欧阳娜娜说的平民"), encoding="utf-8")
    open_folder(folder, tmp_path / "cache")
    tokenized.clear()
    (folder / "c.txt").write_text(record_text(NEW_RECORD), encoding="utf-8")
    engine, notices = open_folder(folder, tmp_path / "cache")
    assert notices[0].endswith(": 2 of 3 records re-tokenized")
    assert any("欧阳娜娜说的平民" in text for text in tokenized)
    assert_same_as_from_scratch(engine, folder, tmp_path)


def damage_entry(entry, damage: str) -> None:
    if damage == "truncated ids":
        (entry / "ids.npy").write_bytes((entry / "ids.npy").read_bytes()[:90])
    elif damage == "bad json":
        (entry / "terms.json").write_text("{", encoding="utf-8")
    elif damage == "id out of range":
        ids = np.load(entry / "ids.npy")
        ids[0] = 10**6
        np.save(entry / "ids.npy", ids)
    elif damage == "float offsets":
        np.save(entry / "offsets.npy", np.load(entry / "offsets.npy").astype(np.float64))
    elif damage == "vocabulary not strings":
        meta = json.loads((entry / "terms.json").read_text(encoding="utf-8"))
        meta["vocabulary"] = list(range(len(meta["vocabulary"])))
        (entry / "terms.json").write_text(json.dumps(meta), encoding="utf-8")
    else:
        (entry / "offsets.npy").unlink()


@pytest.mark.parametrize(
    "damage", ["truncated ids", "bad json", "id out of range", "float offsets", "vocabulary not strings", "missing"]
)
def test_a_damaged_entry_is_tokenized_again_quietly(folder, tmp_path, tokenized, damage):
    open_folder(folder, tmp_path / "cache")
    for entry in (tmp_path / "cache" / "terms").glob("*/*"):
        damage_entry(entry, damage)
    tokenized.clear()
    (folder / "c.txt").write_text(record_text(NEW_RECORD), encoding="utf-8")
    engine, notices = open_folder(folder, tmp_path / "cache")
    assert notices == ["qa: records or settings changed; rebuilding the index: 3 of 3 records re-tokenized"]
    assert len(tokenized) == 12
    assert_same_as_from_scratch(engine, folder, tmp_path)
    shutil.rmtree(tmp_path / "cache" / "index")
    tokenized.clear()
    open_folder(folder, tmp_path / "cache")
    assert tokenized == [], "the entries written again are whole"


def test_term_lists_survive_the_round_trip(tmp_path):
    lists = [["维和", "安全", "维和"], [], ["阿富汗"]]
    terms = termcache.RecordTerms.from_lists(lists)
    assert terms.vocabulary == ("维和", "安全", "阿富汗") and terms.ids.dtype == np.int32
    termcache.save(tmp_path, "k", terms)
    loaded = termcache.load(tmp_path, "k", 3)
    assert loaded is not None and loaded.lists() == lists
    assert termcache.load(tmp_path, "k", 2) is None, "an entry for another number of paragraphs is not used"
    assert termcache.load(tmp_path, "other", 3) is None


def test_words_in_finds_overlapping_and_nested_words():
    words = frozenset({"集体安全", "集体安全条约组织", "条约", "安全条约", "扎斯"})
    assert termcache.words_in(["集体安全条约组织的扎斯先生"], words) == sorted(words)
    assert termcache.words_in(["集体安全的条约"], words) == ["条约", "集体安全"]
    assert termcache.words_in(["无关的文字"], words) == [] and termcache.words_in(["x"], frozenset()) == []


@given(
    st.frozensets(st.text(alphabet="集安组织条约全体", min_size=2, max_size=6), max_size=12),
    st.lists(st.text(alphabet="集安组织条约全体的（）Ａ\n", max_size=30), max_size=4),
)
@settings(max_examples=300, deadline=None)
def test_words_in_finds_exactly_the_words_a_normalised_text_contains(words, texts):
    normalized = [normalize(text) for text in texts]
    assert termcache.words_in(texts, words) == sorted(w for w in words if any(w in text for text in normalized))


def test_meeting_items_are_the_paragraph_items(bundled_corpus):
    from qa.index.open import meeting_items, paragraph_item

    (meeting,) = bundled_corpus.meetings
    assert meeting_items(meeting, 2) == [paragraph_item(s, p, 2) for s, p in meeting.paragraphs()]
