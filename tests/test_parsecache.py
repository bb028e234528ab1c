"""Each record's parse is cached: only the records whose bytes changed are parsed again, with the same result."""

from __future__ import annotations

import json
import shutil

import pytest

from qa.bench.incremental import write_record
from qa.cli import main
from qa.index.open import open_records
from qa.records import load as seeds_module
from qa.records import parsecache
from qa.records.load import load_corpus
from tests.conftest import BUNDLED_RECORD

SPEAKERS = ("张军先生（中国）：", "扎斯先生（集体安全条约组织）：")


@pytest.fixture
def parsed(monkeypatch):
    """The sources ``qa.records.load`` parses (``parse_record`` calls), still parsing them."""
    calls: list[str] = []
    original = seeds_module.parse_record

    def counting(text, source, *args):
        calls.append(source.rsplit("/", 1)[-1])
        return original(text, source, *args)

    monkeypatch.setattr(seeds_module, "parse_record", counting)
    return calls


@pytest.fixture
def folder(tmp_path):
    """Three small meetings of the test's own."""
    records = tmp_path / "records"
    records.mkdir()
    for number in range(3):
        texts = [f"第{number}号会议的第{n}段发言，谈到维和行动与区域合作。" for n in range(12)]
        write_record(records / f"S_PV.{100 + number}.zh.txt", SPEAKERS, texts)
    return records


def entries(cache_root, records):
    return sorted(path.name for path in parsecache.parsed_folder(cache_root, records).iterdir())


def test_corpus_json_is_byte_identical_from_the_cache(capsys, parsed):
    """`qa corpus --json` on the bundled seeds: parsed (and cached) on the first run, read back on the second."""
    assert main(["corpus", "--json"]) == 0
    first = capsys.readouterr().out
    assert parsed == [BUNDLED_RECORD.name]
    assert main(["corpus", "--json"]) == 0
    second = capsys.readouterr().out
    assert parsed == [BUNDLED_RECORD.name], "the second run parsed a record again"
    assert second == first


def test_cached_corpus_equals_the_parsed_one(seeds, tmp_path, bundled_corpus):
    load_corpus(seeds, tmp_path / "cache")
    assert load_corpus(seeds, tmp_path / "cache") == load_corpus(seeds)


def test_only_the_changed_record_is_parsed_again(folder, tmp_path, parsed):
    cache = tmp_path / "cache"
    load_corpus(folder, cache)
    assert len(parsed) == 3
    record = folder / "S_PV.101.zh.txt"
    record.write_text(record.read_text(encoding="utf-8").replace("区域合作", "区域合作（已改）", 1), encoding="utf-8")
    parsed.clear()
    corpus = load_corpus(folder, cache)
    assert parsed == ["S_PV.101.zh.txt"]
    assert any("区域合作（已改）" in p.text for m, _, p in corpus.paragraphs() if m.symbol == "S/PV.101")
    assert corpus == load_corpus(folder)
    assert len(entries(cache, folder)) == 3, "the changed record's old entry is pruned"


def test_added_and_removed_records(folder, tmp_path, parsed):
    cache = tmp_path / "cache"
    load_corpus(folder, cache)
    parsed.clear()
    write_record(folder / "S_PV.200.zh.txt", SPEAKERS, ["新增会议的发言。"] * 5)
    (folder / "S_PV.100.zh.txt").unlink()
    corpus = load_corpus(folder, cache)
    assert parsed == ["S_PV.200.zh.txt"]
    assert [m.symbol for m in corpus.meetings] == ["S/PV.101", "S/PV.102", "S/PV.200"]
    assert len(entries(cache, folder)) == 3


def test_damaged_entries_are_parsed_again_quietly(folder, tmp_path, parsed):
    cache = tmp_path / "cache"
    expected = load_corpus(folder, cache)
    damaged = sorted(parsecache.parsed_folder(cache, folder).iterdir())
    damaged[0].write_text('{"key": "', encoding="utf-8")  # cut short
    key = damaged[1].name.removesuffix(".json")
    damaged[1].write_text(json.dumps({"key": key, "meeting": {"speeches": 5}}), encoding="utf-8")  # another shape
    damaged[2].write_bytes(b"\xff\xfe\x00")
    parsed.clear()
    assert load_corpus(folder, cache) == expected
    assert len(parsed) == 3
    parsed.clear()
    assert load_corpus(folder, cache) == expected
    assert parsed == [], "the damaged entries were written again"


def test_a_file_that_is_not_a_record_is_not_parsed_twice(folder, tmp_path, parsed):
    (folder / "notes.txt").write_text("会议记录的笔记，没有发言人。\n", encoding="utf-8")
    first = load_corpus(folder, tmp_path / "cache")
    parsed.clear()
    second = load_corpus(folder, tmp_path / "cache")
    assert parsed == []
    assert second.problems == first.problems
    assert any(p.path.endswith("notes.txt") and "no speaker turns" in p.message for p in second.problems)


def test_a_missing_file_is_not_cached(folder, tmp_path, parsed):
    """What the file system says (no such file, permission denied) is asked again on the next open."""
    dangling = folder / "S_PV.300.zh.txt"
    dangling.symlink_to(tmp_path / "later.txt")
    first = load_corpus(folder, tmp_path / "cache")
    assert any("does not exist" in p.message for p in first.problems)
    assert len(entries(tmp_path / "cache", folder)) == 3
    write_record(tmp_path / "later.txt", SPEAKERS, ["后来写好的发言。"] * 3)
    parsed.clear()
    second = load_corpus(folder, tmp_path / "cache")
    assert parsed == ["S_PV.300.zh.txt"]
    assert "S/PV.300" in [m.symbol for m in second.meetings] and not second.problems


def test_the_same_bytes_under_another_name_are_parsed_for_that_name(folder, tmp_path, parsed):
    """The Meeting stores the path it is cited by, so a copy is its own entry (here: the same meeting twice)."""
    load_corpus(folder, tmp_path / "cache")
    shutil.copy(folder / "S_PV.100.zh.txt", folder / "S_PV.100.copy.txt")
    parsed.clear()
    corpus = load_corpus(folder, tmp_path / "cache")
    assert parsed == ["S_PV.100.copy.txt"]
    assert [m.source.rsplit("/", 1)[-1] for m in corpus.meetings if m.symbol == "S/PV.100"] == ["S_PV.100.copy.txt"]
    assert [p.message for p in corpus.problems] == ["skipped: same meeting S/PV.100 as " + corpus.meetings[0].source]


def test_a_new_parser_version_parses_again(folder, tmp_path, parsed, monkeypatch):
    load_corpus(folder, tmp_path / "cache")
    monkeypatch.setattr(parsecache, "PARSER_VERSION", parsecache.PARSER_VERSION + 1)
    parsed.clear()
    load_corpus(folder, tmp_path / "cache")
    assert len(parsed) == 3


def test_open_records_parses_only_the_added_record(seeds, tmp_path, parsed):
    open_records(seeds, cache_dir=tmp_path / "cache")
    write_record(seeds / "S_PV.200.zh.txt", SPEAKERS, ["新增会议的发言，谈到维和行动。"] * 5)
    parsed.clear()
    engine = open_records(seeds, cache_dir=tmp_path / "cache")
    assert parsed == ["S_PV.200.zh.txt"]
    assert [m.symbol for m in engine.corpus.meetings] == ["S/PV.200", "S/PV.8967"]
