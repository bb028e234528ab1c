"""Retrieval on the bundled record: BM25 checked against a brute force and rank-bm25, then the ranking."""

from __future__ import annotations

import math
from collections import Counter

import numpy as np
import pytest

from qa.index.bm25 import Bm25Params, RankBm25, top_k
from qa.index.chart import speaker_strength
from qa.index.engine import Engine, Ranking
from qa.index.open import open_engine, paragraph_terms

QUERIES = [
    "集安组织维和人员参加联合国维和行动",
    "中国对阿富汗局势怎么看",
    "哈萨克斯坦一月事件",
    "第2593（2021）号决议",
    "反恐 禁毒 合作",
    "What did the CSTO Secretary-General say about Afghanistan?",
]


@pytest.fixture(scope="module")
def cache_root(tmp_path_factory):
    return tmp_path_factory.mktemp("index-cache")


@pytest.fixture(scope="module")
def engine(bundled_corpus, cache_root) -> Engine:
    return open_engine(bundled_corpus, cache_dir=cache_root)


@pytest.fixture(scope="module")
def plain_engine(bundled_corpus, cache_root) -> Engine:
    return open_engine(bundled_corpus, cache_dir=cache_root, ranking=Ranking.plain())


@pytest.fixture(scope="module")
def documents(plain_engine) -> list[list[str]]:
    return [paragraph_terms(plain_engine.tokenizer, speech, paragraph) for _, speech, paragraph in plain_engine.entries]


def brute_force_bm25(documents: list[list[str]], query: list, k1=1.2, b=0.75) -> list[float]:
    """Okapi BM25 with IDF log(1 + (N - n + 0.5) / (n + 0.5)), written out from the formula. A query item
    may be a tuple of terms meaning the same (a concept): it counts once, by its best term."""
    total = len(documents)
    average = sum(len(document) for document in documents) / total
    counts = [Counter(document) for document in documents]

    def term_score(term: str, document: list[str], count: Counter) -> float:
        n = sum(1 for other in counts if term in other)
        tf = count.get(term, 0)
        if not (n and tf):
            return 0.0
        idf = math.log(1 + (total - n + 0.5) / (n + 0.5))
        return idf * tf * (k1 + 1) / (tf + k1 * (1 - b + b * len(document) / average))

    concepts = [item if isinstance(item, tuple) else (item,) for item in query]
    return [
        sum(max(term_score(term, document, count) for term in concept) for concept in concepts)
        for document, count in zip(documents, counts, strict=True)
    ]


def concepts_of(engine: Engine, question: str) -> list[tuple[int, ...]]:
    """One-term concepts: plain BM25 over the question's distinct indexed terms."""
    return [(engine.term_numbers[term],) for term in engine.query_terms(question) if term in engine.term_numbers]


@pytest.mark.parametrize("question", QUERIES)
def test_numpy_scores_equal_a_brute_force_bm25(plain_engine, documents, question):
    terms = [term for term in plain_engine.query_terms(question) if term in plain_engine.term_numbers]
    assert terms
    expected = np.asarray(brute_force_bm25(documents, terms))
    assert np.allclose(plain_engine.scorer.scores(concepts_of(plain_engine, question)), expected, rtol=0, atol=1e-9)


@pytest.mark.parametrize("question", QUERIES)
def test_ranking_equals_the_brute_force_ranking(plain_engine, documents, question):
    concepts = plain_engine.tokenizer.query_concepts(question, plain_engine.vocabulary)
    expected = brute_force_bm25(documents, concepts)
    best = sorted((doc for doc, score in enumerate(expected) if score > 0), key=lambda d: (-expected[d], d))[:10]
    hits = plain_engine.search(question, k=10)
    assert [hit.paragraph.id for hit in hits] == [plain_engine.entries[doc][2].id for doc in best]
    assert [hit.rank for hit in hits] == list(range(1, len(hits) + 1))


def test_numpy_equals_rank_bm25_on_every_query(plain_engine):
    reference = RankBm25(plain_engine.postings, Bm25Params())
    for question in QUERIES:
        concepts = concepts_of(plain_engine, question)
        assert np.allclose(plain_engine.scorer.scores(concepts), reference.scores(concepts), rtol=0, atol=1e-9)


def test_engines_agree_with_aliases_grouped(bundled_corpus, cache_root, engine):
    reference = open_engine(bundled_corpus, cache_dir=cache_root, scorer="rank-bm25")
    for question in QUERIES:
        ours, theirs = engine.scores(question)[0], reference.scores(question)[0]
        assert np.allclose(ours, theirs, rtol=0, atol=1e-9)


def test_rank_bm25_okapi_floor_would_put_common_terms_above_content_words(plain_engine, documents):
    """The reason for the IDF choice, measured: BM25Okapi floors terms in over half of the paragraphs at an
    IDF above that of rarer content words; ours keeps rarer terms weightier."""
    from rank_bm25 import BM25Okapi

    okapi = BM25Okapi(documents)
    spread = {term: sum(term in counts for counts in okapi.doc_freqs) for term in okapi.idf}
    floored = [term for term, n in spread.items() if n > len(documents) / 2]
    assert floored
    outranked = [t for t in okapi.idf if spread[t] < spread[floored[0]] and okapi.idf[t] < okapi.idf[floored[0]]]
    assert outranked
    ours, number = plain_engine.scorer.idf, plain_engine.term_numbers
    assert all(ours[number[floored[0]]] < ours[number[term]] for term in outranked)


def documents_of(engine: Engine) -> list[list[str]]:
    return [paragraph_terms(engine.tokenizer, speech, paragraph) for _, speech, paragraph in engine.entries]


def test_speaker_and_topic_together_favour_that_speaker(engine):
    hits = engine.search("中国对阿富汗局势怎么看", k=3)
    assert hits[0].speech.affiliation == "中国"
    assert "阿富汗" in hits[0].paragraph.text and "阿富汗" in hits[0].matched


def test_speaker_filter_keeps_only_that_speaker(engine):
    hits = engine.search("维和", k=10, speaker="中国")
    assert hits and {hit.speech.affiliation for hit in hits} == {"中国"}
    assert engine.search("维和", k=5, speaker="没有这个人") == []


def test_procedural_parts_are_searchable(engine):
    hit = engine.search("会议几点散会", k=1)[0]
    assert hit.speech.speaker is None and "散会" in hit.paragraph.text


def test_english_names_find_chinese_paragraphs(engine):
    hits = engine.search("CSTO peacekeepers in Kazakhstan", k=3)
    assert hits and all("集安组织" in hit.paragraph.text or "集体安全条约组织" in hit.paragraph.text for hit in hits)


def test_hit_json_has_the_contract_keys(engine):
    data = engine.search("集安组织", k=1)[0].to_json()
    assert {
        "speaker",
        "affiliation",
        "meeting",
        "date",
        "page",
        "paragraph_id",
        "source",
        "line",
        "text",
        "score",
    } <= set(data)
    assert data["meeting"] == "S/PV.8967" and data["source"].endswith("S_PV.8967.zh.txt")


def test_questions_without_known_terms_find_nothing(engine):
    assert engine.search("什么？", k=5) == []
    assert engine.search("", k=5) == []
    assert engine.search("集安组织", k=0) == []


def test_speaker_strength_sums_scores_by_speaker(engine):
    strengths = speaker_strength(engine, "中国对阿富汗局势怎么看", top=3)
    assert strengths[0][0] == "张军（中国）"
    assert [value for _, value in strengths] == sorted((value for _, value in strengths), reverse=True)


def test_top_k_orders_ties_by_corpus_order_and_skips_zeros():
    scores = np.array([0.0, 2.0, 5.0, 2.0, 0.0, 1.0])
    assert top_k(scores, 3) == [2, 1, 3]
    assert top_k(scores, 10) == [2, 1, 3, 5]


@pytest.mark.parametrize(
    ("name", "label"),
    [
        ("联合王国", "卡里乌基（联合王国）"),
        ("英国", "卡里乌基（联合王国）"),
        ("UK", "卡里乌基（联合王国）"),
        ("Norway", "黑梅尔巴克（挪威）"),
    ],
)
def test_a_speaker_is_chosen_by_any_of_its_names(engine, name, label):
    """/speaker and --speaker take the glossary's other names of what the record prints (英国 → 联合王国)."""
    assert {engine.speeches[n].label for n in engine.speaker_names.chosen(name)} == {label}
    hits = engine.search("哈萨克斯坦", k=3, speaker=name)
    assert hits and {hit.speech.label for hit in hits} == {label}


def test_a_name_of_no_speaker_chooses_nobody(engine):
    assert engine.speaker_names.chosen("Ukraine") == []
