"""MaxScore pruning gives exactly the top k that scoring every paragraph gives, and skips what it may."""

from __future__ import annotations

from dataclasses import replace

import numpy as np
import pytest

from qa.bench import synthetic
from qa.index import maxscore
from qa.index.bm25 import Bm25Params, NumpyBm25, posting_weights, top_k
from qa.index.engine import query_vocabulary
from qa.index.maxscore import Spread
from qa.index.open import default_tokenizer
from qa.index.store.cache import build_postings

QUESTIONS = ["集安组织维和人员", "中国对阿富汗局势怎么看", "哈萨克斯坦一月事件", "反恐 禁毒 合作", "CSTO peacekeepers"]


@pytest.fixture(scope="module")
def pool(bundled_corpus):
    return synthetic.SentencePool.from_texts([p.text for _, _, p in bundled_corpus.paragraphs()])


@pytest.fixture(scope="module")
def synthetic_index(bundled_corpus, pool):
    """3,000 synthetic paragraphs: common terms with long lists, so pruning has something to skip."""
    tokenizer = default_tokenizer(bundled_corpus)
    documents = [tokenizer.terms(text) for text in synthetic.paragraphs(pool, 3000)]
    postings = build_postings(documents, [str(n) for n in range(len(documents))])
    postings = replace(postings, weights=posting_weights(postings, Bm25Params()))
    return tokenizer, postings, NumpyBm25(postings, weights=postings.weights)


def dense_top(scorer, concepts, k, spread: Spread):
    """Every document scored, then the context share and multipliers, as ``Engine.scores`` does."""
    scores = scorer.scores(concepts)
    if spread.context:
        following = np.flatnonzero(scores) + 1
        following = following[following < len(scores)]
        following = following[spread.continues[following]]
        scores[following] += scores[following - 1] * spread.context
    if spread.multiplier is not None:
        scores = scores * spread.multiplier(np.arange(len(scores)))
    docs = top_k(scores, k)
    return docs, scores[docs]


@pytest.mark.parametrize("pruning", [False, True])
def test_engine_search_equals_the_dense_ranking(engine, pool, pruning, request):
    if pruning:
        request.getfixturevalue("always_prune")
    for question in [*QUESTIONS, *synthetic.questions(pool, 40)]:
        for speaker in (None, "中国"):
            scores, _ = engine.scores(question, speaker)
            for k in (1, 3, 10):
                hits = engine.search(question, k=k, speaker=speaker)
                assert [engine.entries.index((h.meeting, h.speech, h.paragraph)) for h in hits] == top_k(scores, k)
                assert np.allclose([h.score for h in hits], scores[top_k(scores, k)], rtol=0, atol=1e-9)


@pytest.fixture
def always_prune(monkeypatch):
    """At 3,000 paragraphs adding every posting is cheaper; make the pruning path run anyway."""
    monkeypatch.setattr(maxscore, "ACCUMULATE_BELOW", 0)
    monkeypatch.setattr(maxscore, "LOOKUP_COST", 1)


@pytest.mark.parametrize("pruning", [False, True])
def test_pruned_top_equals_dense_top_with_context_and_multipliers(synthetic_index, pool, pruning, request):
    if pruning:
        request.getfixturevalue("always_prune")
    tokenizer, postings, scorer = synthetic_index
    vocabulary, numbers = query_vocabulary(postings), postings.term_ids()
    rng = np.random.default_rng(7)
    continues = rng.random(scorer.size) < 0.7
    continues[0] = False
    boosts = np.where(rng.random(scorer.size) < 0.1, 2.0, 1.0) * (rng.random(scorer.size) < 0.9)
    spreads = [Spread(), Spread(0.3, continues), Spread(0.3, continues, lambda docs: boosts[docs], 2.0)]
    for question in synthetic.questions(pool, 60):
        concepts = [
            tuple(numbers[t] for t in c if t in numbers) for c in tokenizer.query_concepts(question, vocabulary)
        ]
        concepts = [concept for concept in concepts if concept]
        for spread in spreads:
            want_docs, want_scores = dense_top(scorer, concepts, 10, spread)
            docs, scores = scorer.top(concepts, 10, spread)
            assert docs == want_docs, question
            assert np.array_equal(scores, want_scores)  # the same arithmetic, not just close


def test_a_rare_heavy_term_spares_accumulating_the_common_ones(synthetic_index, monkeypatch, always_prune):
    _, postings, scorer = synthetic_index
    sizes = np.diff(postings.indptr)
    rare, common = int(np.flatnonzero(sizes == sizes[sizes >= 3].min())[0]), int(np.argmax(sizes))
    accumulated = []
    original = maxscore.Accumulator.add

    def recording(self, term):
        accumulated.append(term.start)
        return original(self, term)

    monkeypatch.setattr(maxscore.Accumulator, "add", recording)
    docs, scores = scorer.top([(common,), (rare,)], 3)
    assert accumulated == [int(postings.indptr[rare])]
    want_docs, want_scores = dense_top(scorer, [(common,), (rare,)], 3, Spread())
    assert docs == want_docs and np.array_equal(scores, want_scores)
