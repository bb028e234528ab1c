"""Question analysis: kinds, language, expected values, named speakers, blank and over-long questions."""

from __future__ import annotations

import re

import pytest

from qa.answer.questions import MAX_QUESTION_CHARS, analyse, names_in_questions


@pytest.mark.parametrize(
    ("question", "kind"),
    [
        ("哪国代表强调了边境安全？", "who"),
        ("是谁提出要加强反恐合作？", "who"),
        ("Which country called for more transparency?", "who"),
        ("会议是在什么时候开始的？", "when"),
        ("When did the meeting adjourn?", "when"),
        ("维和部队一共部署了多少人？", "how_many"),
        ("How many provinces were affected?", "how_many"),
        ("秘书长列举了哪些合作领域？", "list"),
        ("为什么局势会恶化？", "why"),
        ("法国对这次部署持什么立场？", "stance"),
        ("What is the position of France on the deployment?", "stance"),
        ("安理会是否通过了决议？", "yes_no"),
        ("会议按议事规则邀请了谁参加？", "who"),
        ("议程是怎样通过的", "procedural"),
        ("集安组织的维和部队由哪些部队组成", "list"),
        ("集安组织成立的条约叫什么", "what"),
    ],
)
def test_kind_follows_the_way_of_asking(question, kind):
    assert analyse(question).kind == kind


@pytest.mark.parametrize(
    ("question", "expects", "unit"),
    [
        ("会议几点散会？", "time", None),
        ("决议是哪一年通过的？", "year", None),
        ("依据议事规则哪一条发出邀请？", "article", None),
        ("大会通过了哪项决议？", "resolution", None),
        ("骚乱中有多少人受伤？", "count", "人"),
        ("波及几个省？", "count", "省"),
        ("集安组织的预算是多少？", "count", "money"),
        ("特别代表现在由谁担任？", "person", None),
        ("集安组织的宗旨是什么？", None, None),
    ],
)
def test_expected_value_and_unit(question, expects, unit):
    analysed = analyse(question)
    assert (analysed.expects, analysed.unit) == (expects, unit)


def test_language_is_chinese_unless_mostly_latin():
    assert analyse("CSTO 的维和部队何时撤离？").language == "zh"
    assert analyse("When did the CSTO troops leave Kazakhstan?").language == "en"


@pytest.mark.parametrize("question", ["", "   ", "？？！", "什么？", "请问谁？哪些？", "what? who?", "\x1b[31m\x07"])
def test_blank_questions_are_recognised(question):
    assert analyse(question).blank


def test_a_real_question_is_not_blank():
    assert not analyse("谁？阿富汗").blank


def test_control_characters_and_escapes_are_removed_and_digits_folded():
    analysed = analyse("\x1b[1m集安组织\x1b[0m有１２个\x00成员吗")
    assert analysed.text == "集安组织有12个成员吗"


def test_long_questions_are_cut_to_the_documented_limit():
    analysed = analyse("集安组织" * 50_000)
    assert analysed.truncated and len(analysed.text) == MAX_QUESTION_CHARS
    assert not analyse("集安组织在哪里").truncated


def test_named_speakers_come_from_the_record(bundled_corpus):
    speeches = [speech for _, speech in bundled_corpus.speeches()]
    names = names_in_questions(speeches, [("联合王国", "英国", "uk")])
    assert analyse("中方对哈萨克斯坦局势持什么立场？", names).named == ("中国",)
    assert analyse("据英国代表说，托卡耶夫设立了什么？", names).named == ("联合王国",)
    assert analyse("What did the UK say about Kazakhstan?", names).named == ("联合王国",)
    assert analyse("张军对阿富汗怎么看？", names).named == ("中国",)
    assert analyse("秘书长认为阿富汗面临什么风险？", names).named == ("秘书长",)


def test_a_topic_mention_is_not_a_speaker(bundled_corpus):
    names = names_in_questions([speech for _, speech in bundled_corpus.speeches()])
    assert analyse("哪个国家在发言中提到联合国同中国的合作？", names).named == ()
    assert analyse("谁关注哈萨克斯坦的事件？", names).named == ()


def test_lone_surrogates_from_undecodable_bytes_are_removed():
    assert analyse("会议几点散会？\udcff").text == "会议几点散会?"


def test_every_row_of_the_question_kind_registry_decides_its_example():
    """Each row of qa/text/data/question_kinds.tsv carries an example question that the row itself decides
    (the rows above it must not catch it first)."""
    from qa.answer.questions import expected_value, meeting_fact, question_kind
    from qa.paths import data_file

    rows = [
        line.split("\t")
        for line in data_file("question_kinds.tsv").read_text(encoding="utf-8").splitlines()
        if line.strip() and not line.startswith("#")
    ]
    assert len(rows) >= 30
    for table, name, pattern, example in rows:
        assert re.search(pattern, example), (name, example)
        decide = {"kind": question_kind, "value": expected_value, "fact": meeting_fact}[table]
        decided = decide(example)
        assert decided == name, (table, name, example, decided)
