"""`qa search` end to end through qa.cli.main: plain text when piped, JSON hits, speaker filter, errors."""

from __future__ import annotations

import json

import pytest

from qa.cli import main


def test_search_prints_ranked_paragraphs_with_citations(capsys):
    assert main(["search", "中国对阿富汗局势怎么看", "-k", "2"]) == 0
    out = capsys.readouterr().out
    first, second = out.split("\n\n")[:2]
    assert first.startswith(" 1. ") and second.startswith(" 2. ")
    assert "张军（中国）  S/PV.8967 2022-02-16 p. 13  seeds/S_PV.8967.zh.txt:" in first
    assert "阿富汗" in first
    assert "\033[" not in out


def test_search_json_is_the_hit_list(capsys):
    assert main(["search", "集安组织 维和", "-k", "3", "--json"]) == 0
    hits = json.loads(capsys.readouterr().out)
    assert [hit["rank"] for hit in hits] == [1, 2, 3]
    assert hits[0]["score"] >= hits[1]["score"] >= hits[2]["score"] > 0
    assert all("集安组织" in hit["text"] or "集体安全条约组织" in hit["text"] for hit in hits)


def test_search_speaker_filter_and_reference_engine_agree(capsys):
    main(["search", "维和", "--speaker", "中国", "--json"])
    ours = json.loads(capsys.readouterr().out)
    main(["search", "维和", "--speaker", "中国", "--json", "--engine", "rank-bm25"])
    reference = json.loads(capsys.readouterr().out)
    assert ours and {hit["affiliation"] for hit in ours} == {"中国"}
    assert [hit["paragraph_id"] for hit in ours] == [hit["paragraph_id"] for hit in reference]


def test_search_highlights_matched_terms_on_a_terminal():
    from qa.commands.search import BOLD, RESET, highlight

    assert highlight("集安组织的维和", ("集安组织", "集安"), bold=True) == f"{BOLD}集安组织{RESET}的维和"
    assert highlight("集安组织的维和", ("集安组织",), bold=False) == "集安组织的维和"


def test_search_reports_no_match_and_empty_question(capsys):
    assert main(["search", "什么？"]) == 0
    assert "no paragraph matches" in capsys.readouterr().out
    with pytest.raises(SystemExit) as stop:  # a usage error, as for qa ask (tests/test_ask_cli.py)
        main(["search", "  "])
    assert stop.value.code == 2 and "the question is empty" in capsys.readouterr().err
