"""The compiled MaxScore loop gives exactly the top k that scoring every paragraph gives (numba installed only)."""

from __future__ import annotations

from dataclasses import replace

import numpy as np
import pytest

from qa.bench import zipf
from qa.index import compiled
from qa.index.bm25 import Bm25Params, NumpyBm25, posting_weights, top_k
from qa.index.store.cache import build_postings

pytest.importorskip("numba")


@pytest.fixture(scope="module")
def scorer():
    """Zipf paragraphs, each repeated so equal scores (ties) are common."""
    documents = [terms for terms in zipf.paragraphs(10_000, [3, 8, 20, 60]) for _ in range(2)]
    postings = build_postings(documents, [str(n) for n in range(len(documents))])
    postings = replace(postings, weights=posting_weights(postings, Bm25Params()))
    return NumpyBm25(postings, weights=postings.weights)


@pytest.mark.parametrize("k", [1, 10, 50])
def test_compiled_top_equals_scoring_every_paragraph(scorer, k):
    numbers = scorer.postings.term_ids()
    queries = [[numbers[t] for t in q if t in numbers] for q in zipf.queries(150, [1, 2, 3, 5, 8])]
    queries += [[numbers["z0"], numbers["z1"], numbers["z0"]], []]  # a term twice; nothing
    for terms in queries:
        scores = scorer.scores([(t,) for t in terms])
        expected = top_k(scores, k)
        docs, found = compiled.top(scorer, terms, k)
        assert docs == expected and np.array_equal(found, scores[expected])  # bit for bit, ties in corpus order


def test_large_indexes_take_the_compiled_loop_unless_switched_off(scorer, monkeypatch):
    calls = []
    monkeypatch.setattr(compiled, "COMPILED_FROM", 100)
    monkeypatch.setattr(compiled, "top", lambda s, terms, k: calls.append(terms) or ([], np.zeros(0)))
    scorer.top([(1,), (2,)], 10)
    scorer.top([(1, 2)], 10)  # a concept of two terms: the NumPy path
    monkeypatch.setenv("QA_COMPILED", "0")
    scorer.top([(1,)], 10)
    assert calls == [[1, 2]]
