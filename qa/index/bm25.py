"""BM25 scoring: the formula's terms as small functions, two engines that give the same scores.

Variant: Okapi BM25, k1=1.2, b=0.75, with the non-negative IDF ``log(1 + (N - n + 0.5) / (n + 0.5))``
(Lucene's BM25Similarity). Why not rank-bm25's ``BM25Okapi`` as is: its IDF ``log((N - n + 0.5) / (n + 0.5))``
is negative for terms in more than half of the paragraphs, and it replaces those by ``epsilon * mean IDF``;
on the bundled record (256 blank-line paragraphs, plain jieba) that floor is 1.12 for 的, 和, 组织, 我们, 在,
联合国, 安全 — *above* 合作 (0.31) or 集安 (0.05), so the commonest words outweighed content words
(``tests/test_index.py`` re-measures the inversion). The Lucene form never goes negative and keeps rarer
terms weightier; rank-bm25 has no class with it and Okapi's tf part, so ``rank_bm25_class`` subclasses
``BM25Okapi`` overriding ``_calc_idf`` only.

Measured with ``qa.index.engine`` around it (recall@1 / recall@3 / recall@5 / MRR@10, 35 answerable dev questions,
retrieval alone): final 0.771 / 0.914 / 0.914 / 0.838; same with BM25Okapi's floored IDF 0.771 / 0.914 /
0.914 / 0.838 and with log(N/n) the same (once stopwords are dropped and aliases grouped, few terms are
above half the paragraphs; before concept grouping the floor cost 0.014 MRR: 0.819 against 0.833).
k1 in {0.9, 1.2, 1.5, 2.0} x b in {0.3, 0.5, 0.75, 0.9}: k1=1.2, b=0.75 best (MRR 0.833 then; others
0.795-0.831). See ``qa.index.engine`` for the ranking steps around BM25 and their figures.

Two engines give the same scores to 1e-9: ``NumpyBm25`` (CSR posting arrays, float64 contributions
precomputed per posting, ``np.add.at``; what ``qa`` uses) and ``RankBm25`` (rank-bm25, the reference the tests
and ``qa bench`` compare with; ``--engine rank-bm25``).
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

from qa.index import compiled
from qa.index.maxscore import best_first, top
from qa.index.store.cache import Postings


@dataclass(frozen=True)
class Bm25Params:
    """BM25 parameters (Robertson & Zaragoza 2009, "The Probabilistic Relevance Framework")."""

    k1: float = 1.2
    """Term-frequency saturation."""
    b: float = 0.75
    """Length normalisation."""


def idf(total_docs: int, doc_freq):
    """Non-negative IDF, log(1 + (N - n + 0.5)/(n + 0.5)) (Lucene's BM25Similarity): never below 0, and a
    term in more paragraphs always weighs less than a rarer one (unlike rank-bm25's epsilon floor)."""
    return np.log1p((total_docs - doc_freq + 0.5) / (doc_freq + 0.5))


def length_norms(doc_lengths, params: Bm25Params) -> np.ndarray:
    """k1 * (1 - b + b * |d| / avgdl) per document, written as rank-bm25 writes it."""
    lengths = np.asarray(doc_lengths, dtype=np.float64)
    average = float(lengths.sum()) / len(lengths) if len(lengths) else 1.0
    return params.k1 * (1 - params.b + params.b * lengths / average)


def posting_weights(postings: Postings, params: Bm25Params, chunk: int = 1 << 22) -> np.ndarray:
    """Each posting's contribution idf * tf * (k1 + 1) / (tf + k1 * (1 - b + b * |d| / avgdl)), float64 as
    rank-bm25 computes it, in chunks so a large index never holds several temporary copies at once."""
    counts = np.diff(postings.indptr)
    term_idf = idf(len(postings.doc_lengths), counts.astype(np.float64))
    norms = length_norms(postings.doc_lengths, params)
    weights = np.empty(len(postings.doc_ids))
    for start in range(0, len(weights), chunk):
        end = min(start + chunk, len(weights))
        term_of = np.searchsorted(postings.indptr, np.arange(start, end), side="right") - 1
        tfs = np.asarray(postings.tfs[start:end], dtype=np.float64)
        norm = norms[np.asarray(postings.doc_ids[start:end])]
        weights[start:end] = term_idf[term_of] * (tfs * (params.k1 + 1) / (tfs + norm))
    return weights


class NumpyBm25:
    """BM25 over posting arrays: a query touches only its terms' postings."""

    def __init__(self, postings: Postings, params: Bm25Params | None = None, weights: np.ndarray | None = None):
        """``weights``: the postings' contributions for ``params`` when already known (the cached index)."""
        self.postings = postings
        self.params = params = params or Bm25Params()
        self.size = len(postings.doc_lengths)
        self.idf = idf(self.size, np.diff(postings.indptr).astype(np.float64))
        self.weights = posting_weights(postings, params) if weights is None else weights
        self.bounds: dict[int, float] = {}
        """Largest contribution of each term seen so far (``term_bound``), for MaxScore pruning."""

    def slice(self, start: int, end: int) -> tuple[np.ndarray, np.ndarray]:
        """(documents, contributions) of postings ``start:end``."""
        return np.asarray(self.postings.doc_ids[start:end]), np.asarray(self.weights[start:end])

    def term_bound(self, term_id: int) -> float:
        """The largest contribution the term makes to any document (computed once per term)."""
        bound = self.bounds.get(term_id)
        if bound is None:
            start, end = self.postings.indptr[term_id], self.postings.indptr[term_id + 1]
            bound = self.bounds[term_id] = float(np.max(self.weights[start:end], initial=0.0))
        return bound

    def term_contributions(self, term_id: int) -> tuple[np.ndarray, np.ndarray]:
        """(documents, precomputed BM25 contribution) of one term's postings."""
        start, end = self.postings.indptr[term_id], self.postings.indptr[term_id + 1]
        return np.asarray(self.postings.doc_ids[start:end]), np.asarray(self.weights[start:end])

    def scores(self, concepts: list[tuple[int, ...]]) -> np.ndarray:
        """float64 score of every document: the sum over concepts of their best term's BM25 contribution
        (one-term concepts: plain BM25). Dense accumulation with ``np.add.at``; no sorting, so the cost
        follows the number of postings read."""
        scores = np.zeros(self.size)
        best = None
        for concept in concepts:
            pairs = [self.term_contributions(term_id) for term_id in concept]
            if len(pairs) == 1:
                np.add.at(scores, *pairs[0])
                continue
            best = np.zeros(self.size) if best is None else best
            for docs, values in pairs:
                best[docs] = np.maximum(best[docs], values)
            for docs, _ in pairs:  # a document shared by several terms is added once, then cleared
                np.add.at(scores, docs, best[docs])
                best[docs] = 0.0
        return scores

    def top(self, concepts: list[tuple[int, ...]], k: int, spread=None) -> tuple[list[int], np.ndarray]:
        """The ``k`` best documents with a positive score, best first (ties in corpus order), and their scores;
        exact, by MaxScore pruning (``qa.index.maxscore``): the common terms are looked up only where needed.
        On a large index, one-term concepts and no spread, the same in one compiled loop (``qa.index.compiled``)
        when numba is installed."""
        concepts = [concept for concept in concepts if concept]
        if spread is None and self.size >= compiled.COMPILED_FROM and all(len(c) == 1 for c in concepts):
            if compiled.available():
                return compiled.top(self, [concept[0] for concept in concepts], k)
        return top(self, concepts, k, spread)


def rank_bm25_class():
    """rank-bm25's ``BM25Okapi`` with the IDF above: the library has no class with a non-negative IDF
    that keeps Okapi's term-frequency part (``BM25Plus`` adds a constant, ``BM25L`` shifts tf), so this
    overrides only ``_calc_idf``. Imported lazily: only ``--engine rank-bm25`` and the tests need it."""
    from rank_bm25 import BM25Okapi

    class BM25OkapiNonNegative(BM25Okapi):
        def _calc_idf(self, nd):
            for word, freq in nd.items():
                self.idf[word] = math.log(1 + (self.corpus_size - freq + 0.5) / (freq + 0.5))

    return BM25OkapiNonNegative


class RankBm25:
    """The reference scorer: rank-bm25 over the same documents (term lists rebuilt from the postings)."""

    def __init__(self, postings: Postings, params: Bm25Params | None = None):
        params = params or Bm25Params()
        self.vocabulary = postings.vocabulary
        documents: list[list[str]] = [[] for _ in postings.doc_lengths]
        for term_id, term in enumerate(postings.vocabulary):
            start, end = postings.indptr[term_id], postings.indptr[term_id + 1]
            for doc, tf in zip(postings.doc_ids[start:end], postings.tfs[start:end], strict=True):
                documents[doc].extend([term] * int(tf))
        self.model = rank_bm25_class()(documents, k1=params.k1, b=params.b)
        self.size = len(documents)

    def scores(self, concepts: list[tuple[int, ...]]) -> np.ndarray:
        """rank-bm25's ``get_scores`` per term; a concept takes its best term in each document."""
        total = np.zeros(self.size)
        for concept in concepts:
            if concept:
                per_term = [self.model.get_scores([self.vocabulary[term_id]]) for term_id in concept]
                total += np.max(per_term, axis=0)
        return total


SCORERS: dict[str, Callable[..., NumpyBm25 | RankBm25]] = {"maxscore": NumpyBm25, "rank-bm25": RankBm25}


def top_k(scores: np.ndarray, k: int) -> list[int]:
    """Documents with the k best positive scores, best first, ties in corpus order (also at the k-th place).

    Only the positive scores are partitioned: ``argpartition(scores, n - k)`` over every document is 25-35x
    slower at a million paragraphs when most scores are zero (issue 6).
    """

    candidates = np.flatnonzero(scores > 0)
    return best_first(candidates, scores[candidates], k)[0]
