"""Properties, checked with hypothesis on the bundled record: the tokenizer and the composer never raise on
any text; every [n] of an answer names a citation that exists; every quoted value stands verbatim in the
paragraph it cites. (The parser's properties are in test_records_robust.py.)

Questions come from two strategies: any text with the characters users paste (escapes, markup, emoji, rare
CJK, full width), which the composer mostly declines; and pieces of the record's own paragraphs asked about,
which it mostly answers, so the citation properties are exercised, not only the no-exception one.
"""

from __future__ import annotations

import unicodedata

import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from qa.answer.pipeline import answer
from tests.conftest import assert_well_formed

ODD_PIECES = [
    "\x1b[31m", "\x1b]0;t\x07", "\x00", "\x9b", "\u202e", "\ufeff", "[bold]", "[/]", "${n}", "{0.__class__}", "$$",
    "<b>", "🙂", "👍🏽", "𠀀", "𪚥", "１５", "ＣＳＴＯ", "CSTO", "Kazakhstan", "集安组织", "哈萨克斯坦", "阿富汗",
    "谁", "什么", "多少", "何时", "为什么", "立场", "？", "。", "……", "\n", "\t", " ",
]  # fmt: skip
QUESTION_ENDS = [
    "是什么？",
    "谁说的？",
    "有多少？",
    "何时？",
    "的立场是什么？",
    "？",
    "为什么？",
    "有哪些？",
    " who said this?",
]
FAST = settings(deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])

odd_text = st.lists(st.one_of(st.text(max_size=6), st.sampled_from(ODD_PIECES)), max_size=12).map("".join)
"""Any text, salted with the pieces users paste: escapes, markup, template syntax, emoji, rare CJK, full width."""


@pytest.fixture(scope="module")
def paragraphs(bundled_corpus) -> list[str]:
    return [paragraph.text for _, speech, paragraph in bundled_corpus.paragraphs() if len(paragraph.text) >= 30]


@FAST
@given(text=odd_text)
def test_the_tokenizer_never_raises_and_gives_the_same_terms_twice(engine, text):
    tokenizer = engine.tokenizer
    terms = tokenizer.terms(text)
    query_terms = engine.query_terms(text)
    for term in [*terms, *query_terms]:
        assert isinstance(term, str) and term.strip() == term and term
    assert tokenizer.terms(text) == terms and engine.query_terms(text) == query_terms


@FAST
@given(text=odd_text)
def test_the_tokenizer_sees_the_same_terms_in_full_and_half_width(engine, text):
    assert engine.tokenizer.terms(text) == engine.tokenizer.terms(unicodedata.normalize("NFKC", text))


@FAST
@given(text=odd_text, k=st.integers(1, 12))
def test_search_never_raises_and_ranks_by_score(engine, text, k):
    hits = engine.search(text, k=k)
    assert len(hits) <= k and [hit.rank for hit in hits] == list(range(1, len(hits) + 1))
    scores = [hit.score for hit in hits]
    assert all(score > 0 for score in scores) and scores == sorted(scores, reverse=True)


@settings(FAST, max_examples=150)
@given(question=odd_text)
def test_the_composer_never_raises_on_any_text(engine, templates, question):
    result = answer(question, engine, templates=templates)
    assert_well_formed(result)
    assert result.error is None


@settings(FAST, max_examples=150)
@given(data=st.data())
def test_answers_from_the_records_own_words_cite_what_they_quote(engine, templates, paragraphs, data):
    paragraph = data.draw(st.sampled_from(paragraphs), label="paragraph")
    start = data.draw(st.integers(0, len(paragraph) - 20), label="start")
    piece = paragraph[start : start + data.draw(st.integers(4, 16), label="length")]
    question = piece + data.draw(st.sampled_from(QUESTION_ENDS), label="asked")
    result = answer(question, engine, templates=templates)
    assert_well_formed(result)
    assume(not result.abstained)  # hypothesis fails the test if it can hardly find an answered question


def test_the_check_itself_catches_a_dangling_marker_and_an_invented_value(engine, templates):
    from dataclasses import replace

    result = answer("安理会这次会议是几点散会的？", engine, templates=templates)
    assert_well_formed(result)
    with pytest.raises(AssertionError, match="every \\[n\\] names a citation"):
        assert_well_formed(replace(result, text=result.text + "[9]"))
    with pytest.raises(AssertionError, match="is quoted verbatim"):
        assert_well_formed(replace(result, key_values=("下午2时",)))
