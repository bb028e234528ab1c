"""Identical paragraphs across meetings: one hit that lists the other meetings, so copies never crowd out the rest."""

from __future__ import annotations

import json
from types import SimpleNamespace

import pytest

from qa.answer import meeting
from qa.answer.pipeline import answer
from qa.cli import main
from qa.index.copies import Copies
from qa.index.open import open_records
from tests.conftest import BUNDLED_RECORD

COPIES = ("S/PV.9001", "S/PV.9002", "S/PV.9003")


def write_copies(folder, symbols=COPIES, date=None):
    """The bundled record and copies of it under other symbols (and, given ``date`` as dd/mm/yyyy, another date)."""
    folder.mkdir(parents=True, exist_ok=True)
    text = BUNDLED_RECORD.read_text("utf-8")
    (folder / BUNDLED_RECORD.name).write_text(text, "utf-8")
    for symbol in symbols:
        copy = text.replace("S/PV.8967", symbol)
        copy = copy.replace("16/02/2022", date) if date else copy
        (folder / f"{symbol.replace('/', '_')}.zh.txt").write_text(copy, "utf-8")
    return folder


@pytest.fixture(scope="module")
def copied(tmp_path_factory):
    folder = tmp_path_factory.mktemp("copies")
    seeds = write_copies(folder / "seeds")
    return seeds, folder / "cache"


@pytest.fixture(scope="module")
def copies_engine(copied):
    seeds, cache = copied
    return open_records(seeds, cache_dir=cache)


def test_copies_are_one_hit_that_lists_the_other_meetings(copies_engine):
    hits = copies_engine.search("集安组织维和部队有多少人？", k=10)
    assert len(hits) == 10
    places = [(hit.speech.label, hit.paragraph.text) for hit in hits]
    assert len(set(places)) == len(places)
    first = hits[0]
    assert sorted(meeting.symbol for meeting, _, _ in first.copies) == sorted(
        set(COPIES + ("S/PV.8967",)) - {first.meeting.symbol}
    )
    also = first.to_json()["also_in"]
    assert len(also) == 3 and all(item["line"] == first.paragraph.line for item in also)
    assert {item["source"] for item in also} == {meeting.source for meeting, _, _ in first.copies}


def test_copies_do_not_crowd_out_the_answer(copies_engine, templates):
    result = answer("集安组织维和部队有多少人？", copies_engine, templates=templates)
    assert not result.abstained and "3800" in result.text


def test_ask_says_also_in_and_lists_each_copy_in_json(capsys, copied):
    seeds, cache = copied
    assert main(["--cache-dir", str(cache), "ask", "--seeds", str(seeds), "集安组织维和部队有多少人？"]) == 0
    assert "also in 3 meetings" in capsys.readouterr().out
    assert main(["--cache-dir", str(cache), "ask", "--json", "--seeds", str(seeds), "集安组织维和部队有多少人？"]) == 0
    citation = json.loads(capsys.readouterr().out)["citations"][0]
    assert len(citation["also_in"]) == 3


def entries(*places):
    """Fake corpus entries: (meeting source, speaker label, text) each."""
    return [
        (SimpleNamespace(source=source, symbol=source), SimpleNamespace(label=label), SimpleNamespace(text=text))
        for source, label, text in places
    ]


def test_a_copy_in_the_same_meeting_or_by_another_speaker_stays_a_hit():
    copies = Copies(
        entries(("a", "中国", "同一段"), ("a", "中国", "同一段"), ("b", "中国", "同一段"), ("b", "法国", "同一段"))
    )
    assert copies.any
    assert copies.collapse([0, 1, 2, 3], k=10) == [(0, [2]), (1, []), (3, [])]
    assert copies.collapse([2, 0, 1, 3], k=2) == [(2, [0]), (1, [])]


def test_one_meeting_collapses_nothing(engine):
    docs, _, _ = engine.ranked("主席", 10)
    assert [hit.paragraph.id for hit in engine.search("主席", k=10)] == [engine.entries[d][2].id for d in docs]


def test_a_per_meeting_answer_says_how_many_meetings_it_left_out(copies_engine, templates):
    result = answer("会议几点开始？", copies_engine, templates=templates)
    assert len(result.citations) == 4 and "次会议未列出" not in result.text
    shown = meeting.LISTED_MEETINGS
    try:
        meeting.LISTED_MEETINGS = 2
        result = answer("会议几点开始？", copies_engine, templates=templates)
    finally:
        meeting.LISTED_MEETINGS = shown
    assert len(result.citations) == 2 and result.text.splitlines()[-1].startswith("另有 2 次会议未列出")
