"""Issue 13: faithful quotes cited to their own line, complete "who mentioned" lists, what the meeting itself
did (its date, what it adopted), and questions quoting the record."""

from __future__ import annotations

import re

import pytest
from conftest import BUNDLED_RECORD, assert_well_formed

from qa.answer.focus import Focus
from qa.answer.pipeline import answer
from qa.answer.sentences import trim

LONG = (
    "扩大集安组织同联合国的合作，包括加强两组织秘书处机构之间在全球和区域安全问题上的对话，"
    "是亚美尼亚任集安组织主席期间的优先事项之一，也是我们在维和、反恐、禁毒和打击跨国犯罪领域继续努力的方向。"
)


def pieces_in_order(quote: str, sentence: str) -> bool:
    """Each piece of the quote between cuts stands verbatim in the sentence, in order."""
    position = 0
    for piece in (p for p in quote.split("…") if p):
        found = sentence.find(piece, position)
        if found < 0:
            return False
        position = found + len(piece)
    return True


@pytest.mark.parametrize("word", ["禁毒", "优先事项", "秘书处机构"])
def test_a_shortened_quote_marks_every_cut_and_keeps_the_subject(word):
    quote = trim(LONG, Focus(((word,),), (1.0,)), [], 40)
    assert word in quote and len(quote) < len(LONG)
    assert pieces_in_order(quote, LONG)
    assert quote.startswith("扩大集安组织同联合国的合作") or quote.startswith("…")
    stops_early = not LONG.endswith([piece for piece in quote.split("…") if piece][-1])
    assert quote.endswith("…") == stops_early


def test_a_short_sentence_is_quoted_whole():
    sentence = "集安组织一直是联合国的重要伙伴。"
    assert trim(sentence, Focus((("伙伴",),), (1.0,)), [], 40) == sentence


def test_a_citation_names_the_line_of_its_quoted_sentence(engine, templates):
    result = answer("在诸如早期预警、维持和平等关键领域存在什么？", engine, templates=templates)
    assert_well_formed(result)
    citation = result.citations[0]
    lines = BUNDLED_RECORD.read_text(encoding="utf-8").splitlines()
    head = re.sub(r"\s", "", citation.quote)[:2]
    line = citation.to_json()["line"]
    assert head in lines[line - 1]
    assert line > citation.hit.paragraph.line


def test_who_mentioned_lists_every_speaker_in_meeting_order(engine, templates):
    result = answer("哪些国家谈到了阿富汗？", engine, templates=templates)
    assert_well_formed(result)
    items = [*result.citations, *result.more]
    count = int(re.match(r"(\d+) 位发言者谈到阿富汗", result.text).group(1))
    assert count == len(items) > 5 == len(result.citations)
    assert all("阿富汗" in item.quote for item in items)
    order = [item.hit.paragraph.line for item in items]
    assert order == sorted(order)
    assert len({item.hit.speech.label for item in items}) == count
    assert [item.n for item in items] == list(range(1, count + 1))
    assert len(result.to_json()["more"]) == count - 5


def test_who_mentioned_in_english_counts_too(engine, templates):
    result = answer("Which countries mentioned Afghanistan?", engine, templates=templates)
    assert re.match(r"\d+ speakers mentioned Afghanistan; the first 5:", result.text)


def test_a_resolution_a_speaker_mentions_is_not_one_the_meeting_adopted(engine, templates):
    result = answer("本次会议通过了什么决议？", engine, templates=templates)
    assert_well_formed(result)
    assert result.abstained and "没有本次会议进行表决或通过决议" in result.text
    assert all(hit.speech.procedural for hit in result.related)
    assert any("散会" in hit.paragraph.text for hit in result.related)
    mentioned = answer("第七十五届联大通过的哪项决议称赞集安组织是合作伙伴？", engine, templates=templates)
    assert not mentioned.abstained and "75/276" in mentioned.text


def test_an_adoption_the_record_notes_is_cited(tmp_path, templates):
    from qa.index.open import open_engine
    from qa.records.load import load_corpus

    folder = tmp_path / "seeds"
    folder.mkdir()
    (folder / "S_PV.9999.zh.txt").write_text(
        "上午10时开会。\n\n议程通过。\n\n张三先生（中国）：中国支持这项决议草案，呼吁各方合作。\n\n"
        "主席（以英语发言）：决议草案获得一致通过，成为第2999（2022）号决议。\n\n上午11时散会。\n",
        encoding="utf-8",
    )
    small = open_engine(load_corpus(folder), cache_dir=tmp_path / "cache")
    result = answer("本次会议通过了什么决议？", small, templates=templates)
    assert_well_formed(result)
    assert not result.abstained and "获得一致通过" in result.citations[0].quote
    assert result.citations[0].to_json()["line"] == 7


def test_the_meeting_date_is_cited_to_a_line_holding_it(engine, templates):
    result = answer("会议是哪一天举行的？", engine, templates=templates)
    assert_well_formed(result)
    assert result.text.startswith("2022年2月16日")
    line = BUNDLED_RECORD.read_text(encoding="utf-8").splitlines()[result.citations[0].to_json()["line"] - 1]
    assert "16/02/2022" in line and "开会" not in result.text


def test_a_phrase_the_question_quotes_is_found_verbatim(engine, templates):
    result = answer("谁用了“以行动促维和+”这个说法？", engine, templates=templates)
    assert_well_formed(result)
    assert not result.abstained and "以行动促维和+" in result.citations[0].quote


def test_a_traditional_chinese_question_is_answered_as_its_simplified_form(engine, templates):
    from qa.answer.questions import simplified

    assert simplified("會議是哪一天舉行的？") == "会议是哪一天举行的？"
    assert simplified("藉此机会") == "藉此机会"  # a Simplified question keeps the record's 藉
    assert simplified("Which countries?") == "Which countries?"
    traditional = answer("誰用了「以行動促維和+」這個說法？", engine, templates=templates)
    assert traditional.text == answer("谁用了“以行动促维和+”这个说法？", engine, templates=templates).text


def test_english_words_reach_the_records_chinese_through_cc_cedict(engine, templates):
    from qa.answer.translate import chinese_for, lemmas

    assert "enter" in lemmas("entered") and "province" in lemmas("provinces")
    held = {"进入": 3, "走进": 1}
    assert chinese_for("entered", lambda word: held.get(word, 0)) == ("进入", "走进")
    assert chinese_for("xyzzy", lambda word: 1) == ()
    result = answer("What time did the meeting adjourn?", engine, templates=templates)
    assert not result.abstained and "下午1时15分" in result.text


@pytest.mark.parametrize(
    ("question", "about_the_meeting"),
    [
        ("本次会议通过了什么决议？", True),
        ("会议通过了哪些决议？", True),
        ("这次会开完，安理会有没有表决通过什么决议或主席声明？", True),
        ("What resolution did the meeting adopt?", True),
        ("安理会通过过哪些反恐决议？", False),
        ("第七十五届联大通过的哪项决议称赞集安组织是合作伙伴？", False),
        ("Which resolutions has the Council adopted on terrorism?", False),
    ],
)
def test_only_a_question_about_this_meeting_asks_what_it_adopted(question, about_the_meeting):
    from qa.answer.facts import asks_adoption

    assert asks_adoption(question) == about_the_meeting
