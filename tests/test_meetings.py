"""Meetings as a filter: --meeting/--since/--until, a question that names a meeting, meeting facts per meeting."""

from __future__ import annotations

import asyncio
import datetime
import json

import pytest

from qa.answer.pipeline import answer
from qa.cli import main
from qa.errors import UserError
from qa.index.meetings import MeetingFilter, check_meetings, named_in_question, parse_date
from qa.index.open import open_records
from tests.test_copies import write_copies


@pytest.fixture(scope="module")
def two(tmp_path_factory):
    """The bundled record (S/PV.8967, 16 February 2022) and a copy as S/PV.9001 of 16 March 2022."""
    folder = tmp_path_factory.mktemp("two")
    return write_copies(folder / "seeds", ("S/PV.9001",), date="16/03/2022"), folder / "cache"


@pytest.fixture(scope="module")
def two_engine(two):
    seeds, cache = two
    return open_records(seeds, cache_dir=cache)


def number_of(engine, symbol):
    return next(n for n, meeting in enumerate(engine.corpus.meetings) if meeting.symbol == symbol)


def cited(result):
    return {citation.hit.meeting.symbol for citation in result.citations}


def test_dates_are_read_in_the_usual_forms():
    assert (
        parse_date("2022-02-16") == parse_date("2022/2/16") == parse_date("2022年2月16日") == datetime.date(2022, 2, 16)
    )
    for bad in ("16.02", "2022-13-01", "tomorrow"):
        with pytest.raises(ValueError, match="2022-02-16"):
            parse_date(bad)


def test_a_filter_resolves_to_meetings_or_says_what_matched_nothing(two_engine):
    meetings = two_engine.corpus.meetings
    assert check_meetings(meetings, MeetingFilter()) is None
    assert check_meetings(meetings, MeetingFilter(("s/pv.9001",))) == [number_of(two_engine, "S/PV.9001")]
    assert check_meetings(meetings, MeetingFilter(until=datetime.date(2022, 3, 1))) == [
        number_of(two_engine, "S/PV.8967")
    ]
    with pytest.raises(UserError, match="S/PV.9002.*no such meeting.*S/PV.9001"):
        check_meetings(meetings, MeetingFilter(("S/PV.9002",)))
    with pytest.raises(UserError, match="no meeting"):
        check_meetings(meetings, MeetingFilter(since=datetime.date(2023, 1, 1)))


def test_a_question_names_a_meeting_by_symbol_or_by_date(two_engine):
    meetings = two_engine.corpus.meetings
    later = number_of(two_engine, "S/PV.9001")
    assert named_in_question("S/PV.9001 会议几点开始？", meetings) == ([later], "会议几点开始？")
    assert named_in_question("3月16日的会议上中国说了什么？", meetings) == ([later], "会议上中国说了什么？")
    assert named_in_question("2022年3月16日会议上中国说了什么？", meetings)[0] == [later]
    assert named_in_question("1月19日，集安组织做了什么？", meetings) == ([], "1月19日，集安组织做了什么？")
    assert named_in_question("S/PV.7000 会议几点开始？", meetings)[0] == []


def test_the_engine_keeps_only_the_meetings_asked_for(two_engine):
    later = number_of(two_engine, "S/PV.9001")
    hits = two_engine.search("中国", k=10, meetings=[later])
    assert hits and {hit.meeting.symbol for hit in hits} == {"S/PV.9001"}
    scores, _ = two_engine.scores("中国", meetings=[later])
    kept = [d for d in scores.nonzero()[0] if two_engine.entries[d][0].symbol != "S/PV.9001"]
    assert not kept


def test_questions_naming_a_meeting_are_held_to_it(two_engine, templates):
    timed = answer("S/PV.9001 会议几点开始？", two_engine, templates=templates)
    assert not timed.abstained and "11时05分" in timed.text and cited(timed) == {"S/PV.9001"}
    china = answer("3月16日的会议上中国说了什么？", two_engine, templates=templates)
    assert not china.abstained and cited(china) == {"S/PV.9001"}


def test_a_meeting_fact_over_several_meetings_lists_each(two_engine, templates):
    result = answer("会议几点开始？", two_engine, templates=templates)
    lines = result.text.splitlines()
    assert len(lines) == 2 and lines[0].startswith("S/PV.8967（2022年2月16日）") and lines[1].startswith("S/PV.9001")
    assert [citation.n for citation in result.citations] == [1, 2] and "[2]" in lines[1]
    assert cited(result) == {"S/PV.8967", "S/PV.9001"}
    assert [hit.meeting.symbol for hit in result.retrieved[:2]] == ["S/PV.8967", "S/PV.9001"]
    assert [hit.rank for hit in result.retrieved] == list(range(1, 6))
    single = answer("会议几点开始？", two_engine, meetings=[number_of(two_engine, "S/PV.8967")], templates=templates)
    assert "S/PV.9001" not in single.text and cited(single) == {"S/PV.8967"}


def run(capsys, two, *argv):
    seeds, cache = two
    status = main(["--cache-dir", str(cache), *argv[:1], "--seeds", str(seeds), *argv[1:]])
    captured = capsys.readouterr()
    return status, captured.out, captured.err


def test_ask_and_search_are_held_to_the_meeting_named(capsys, two):
    status, out, _ = run(capsys, two, "ask", "--json", "--meeting", "S/PV.9001", "中国对哈萨克斯坦局势持什么立场？")
    result = json.loads(out)
    assert status == 0 and {hit["meeting"] for hit in result["retrieved"] + result["citations"]} == {"S/PV.9001"}
    status, out, _ = run(capsys, two, "search", "--json", "--since", "2022-03-01", "中国")
    assert status == 0 and {hit["meeting"] for hit in json.loads(out)} == {"S/PV.9001"}
    status, out, _ = run(capsys, two, "search", "--json", "3月16日的会议上中国说了什么")
    assert status == 0 and {hit["meeting"] for hit in json.loads(out)} == {"S/PV.9001"}


def test_bad_meeting_options_are_one_clear_line(capsys, two):
    status, out, err = run(capsys, two, "ask", "--meeting", "S/PV.1", "中国说了什么？")
    assert status == 2 and "no such meeting" in err and "Traceback" not in err and len(err.strip().splitlines()) == 1
    with pytest.raises(SystemExit) as exit_status:
        run(capsys, two, "search", "--until", "2022-13-01", "中国")
    err = capsys.readouterr().err
    assert exit_status.value.code == 2 and "2022-02-16" in err and "Traceback" not in err
    status, _, err = run(capsys, two, "ask", "--speaker", "S/PV.9001", "中国说了什么？")
    assert status == 2 and "--meeting S/PV.9001" in err


def test_corpus_lists_meetings_with_date_agenda_and_speeches(capsys, two):
    status, out, _ = run(capsys, two, "corpus", "--meetings")
    lines = out.splitlines()
    assert status == 0 and len(lines) == 2
    assert lines[0].startswith("S/PV.8967  2022-02-16  联合国同集体安全条约组织的合作  31 speeches")
    assert lines[1].startswith("S/PV.9001  2022-03-16")


def test_the_chat_holds_questions_to_the_meeting_chosen(two):
    from qa.records.load import load_corpus
    from qa.tui.app import make_app
    from tests.test_chat import ask, latest, submit

    seeds, cache = two
    app = make_app(corpus=load_corpus(seeds), cache_dir=cache)

    async def scenario():
        async with app.run_test(size=(100, 32)) as pilot:
            await submit(pilot, "/meeting s/pv.9001")
            assert app.meeting == "S/PV.9001"
            await ask(pilot, "中国对哈萨克斯坦局势持什么立场？")
            assert "meeting S/PV.9001" in str(app.chat.query_one("#status-text").render())
            answer = latest(app).answer
            assert answer.citations and {citation.hit.meeting.symbol for citation in answer.citations} == {"S/PV.9001"}
            assert app.chat.query_one("#chart").border_subtitle == "BM25 score"
            await submit(pilot, "/meeting S/PV.1")
            assert app.meeting == "S/PV.9001"
            await submit(pilot, "/meeting")
            assert app.meeting is None
            await ask(pilot, "中国对哈萨克斯坦局势持什么立场？")  # both meetings: the chart says it adds them
            assert app.chat.query_one("#chart").border_subtitle == "BM25 score, 2 meetings added"

    asyncio.run(scenario())


def test_the_chart_keeps_to_the_meeting_a_question_names(two_engine):
    from qa.index.chart import speaker_strength, strength_chart

    everywhere = dict(speaker_strength(two_engine, "中国对哈萨克斯坦局势持什么立场？"))
    held = dict(speaker_strength(two_engine, "S/PV.9001 中国对哈萨克斯坦局势持什么立场？"))
    label = "张军（中国）"
    assert held[label] == pytest.approx(everywhere[label] / 2)
    assert strength_chart(two_engine, "中国对哈萨克斯坦局势持什么立场？")[1] == 2
    assert strength_chart(two_engine, "S/PV.9001 中国对哈萨克斯坦局势持什么立场？")[1] == 1


@pytest.mark.parametrize("question", ["会议几点散会？", "中国对哈萨克斯坦局势持什么立场？", "集安组织维和人员"])
def test_a_meeting_filter_looks_its_paragraphs_up_with_the_same_scores(two_engine, monkeypatch, question):
    """A small meeting is scored by looking its paragraphs up; the whole index pruned gives the same hits, bit
    for bit."""
    from qa.index import engine as engine_module

    for number in (0, 1):
        looked_up = [(h.paragraph.id, h.score) for h in two_engine.search(question, k=10, meetings=[number])]
        monkeypatch.setattr(engine_module, "LOOK_UP_MEETINGS_UP_TO", -1)
        pruned = [(h.paragraph.id, h.score) for h in two_engine.search(question, k=10, meetings=[number])]
        monkeypatch.undo()
        assert looked_up == pruned and looked_up
