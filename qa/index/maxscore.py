"""Exact top k without scoring every paragraph: MaxScore pruning over the posting arrays.

Turtle & Flood 1995 ("Query evaluation: strategies and optimizations"); the same idea as Lucene's MaxScore.
A paragraph's BM25 is a sum over the question's concepts of the concept's best term contribution (one term for
most concepts; a name and its aliases for some). Each term has an upper bound: its largest contribution.
Terms are taken rarest first and accumulated in full into a dense array (*essential*). Once what the other
terms can still add (*R*: per concept, the largest bound of its terms not yet taken; with the share a paragraph
inherits from the one before it and the largest speaker multiplier) stays under θ, the k-th best partial score
of a sample of the touched paragraphs (a lower bound of the final k-th best: contributions are never negative),
only the paragraphs whose partial score plus R reaches θ can be in the top k; one pass over the dense array
finds them. Those few are scored exactly by looking their terms up (``np.searchsorted`` on the sorted
document lists), concept by concept in the question's order: the same arithmetic as scoring every paragraph
(``NumpyBm25.scores``), so the same scores and the same ties, bit for bit. The common terms' postings (at a
million paragraphs a common word has ~500k) are then never read in full.

Measured on the 1M-paragraph synthetic corpus (``qa bench``, 200 questions): p50 2.7-3.4 ms, p95 12-13 ms,
against 5.0 / 19.5 ms for scoring every paragraph (``NumpyBm25.scores`` + ``top_k``), same top 10 for all.
Later, on a slower day, the old and the current code side by side in one process (median of 5 per question):
p50 / p95 3.79 / 17.59 ms before, 2.77 / 13.15 ms after a concept's first term skipped the gather, the other
terms added with ``np.add.at``, and ``reaching`` counted its candidates before gathering them.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

SLACK = 1e-9
"""Bounds compared with this margin, so float rounding in the partial sums never prunes a true candidate."""
LOOKUP_COST = 16
"""What looking one document up in one term's postings costs, in postings accumulated (a binary search with
random memory access against a sequential add); decides between looking candidates up and accumulating on."""
ACCUMULATE_BELOW = 50_000
"""Postings left to add below which adding them all is cheaper than trying to prune."""


@dataclass(frozen=True)
class Spread:
    """How scores move between paragraphs after BM25 (``qa.index.engine.Ranking``), for the bounds."""

    context: float = 0.0
    """Share of the previous paragraph's score a paragraph inherits when ``continues`` says it follows it."""
    continues: np.ndarray | None = None
    """Bool per document: it follows the previous document in the same speech."""
    multiplier: Callable[[np.ndarray], np.ndarray] | None = None
    """Per-document score multiplier (named-speaker boost; 0 filters a document out), for given documents."""
    max_multiplier: float = 1.0
    """The largest value ``multiplier`` can return."""

    def final(self, docs: np.ndarray, own: np.ndarray, previous: np.ndarray) -> np.ndarray:
        """Scores after the context share and the multiplier, from BM25 of ``docs`` and of the ones before."""
        scores = own.copy()
        if self.context and self.continues is not None:
            scores += self.continues[docs] * previous * self.context
        if self.multiplier is not None:
            scores *= self.multiplier(docs)
        return scores

    def outside(self, remaining: float) -> float:
        """The most a paragraph none of whose (nor whose predecessor's) terms were accumulated can score."""
        return (1 + self.context) * remaining * self.max_multiplier


@dataclass(frozen=True)
class Term:
    """One posting list of the question."""

    concept: int
    """Which concept (position in the question) it belongs to."""
    start: int
    end: int
    bound: float
    """Its largest contribution."""


class Accumulator:
    """Partial BM25 of every document from the essential terms: per concept the best term so far."""

    def __init__(self, scorer, concepts: list[tuple[int, ...]]):
        self.scorer = scorer
        self.partial = np.zeros(scorer.size)
        self.best: dict[int, np.ndarray] = {}
        """Per concept of several terms: its best contribution so far per document."""
        self.several = {number for number, concept in enumerate(concepts) if len(concept) > 1}
        self.lists: list[np.ndarray] = []
        """The accumulated terms' documents, rarest first."""

    def add(self, term: Term) -> None:
        docs, values = self.scorer.slice(term.start, term.end)
        if term.concept in self.several and term.concept in self.best:
            best = self.best[term.concept]
            gain = values - best[docs]
            np.maximum(gain, 0.0, out=gain)
            np.add.at(best, docs, gain)  # a term lists each document once: 3x faster than best[docs] += gain
            np.add.at(self.partial, docs, gain)
        elif term.concept in self.several:  # the concept's first term: its best so far is its own
            best = self.best[term.concept] = np.zeros(self.scorer.size)
            best[docs] = values
            np.add.at(self.partial, docs, values)
        else:
            np.add.at(self.partial, docs, values)  # faster than partial[docs] += values (issue 6)
        self.lists.append(docs)

    def sample(self, size: int) -> np.ndarray:
        """Distinct touched documents, at least ``size`` when there are: the rarest lists first (cheap)."""
        taken, total = 0, 0
        while taken < len(self.lists) and total < size:
            total += len(self.lists[taken])
            taken += 1
        return self.lists[0] if taken == 1 else np.unique(np.concatenate(self.lists[:taken]))

    def threshold(self, spread: Spread, k: int) -> float:
        """A lower bound of the final k-th best score: the k-th best partial score over a sample of documents."""
        docs = self.sample(4 * k)
        return kth_best(spread.final(docs, self.partial[docs], self.partial[np.maximum(docs - 1, 0)]), k)

    def touched(self, spread: Spread) -> np.ndarray:
        """Every document with a partial score and, with a context share, the ones that follow them."""
        docs = self.sample(len(self.partial)) if sum(map(len, self.lists)) < len(self.partial) // 8 else None
        docs = np.flatnonzero(self.partial) if docs is None else docs
        if not spread.context or spread.continues is None:
            return docs
        following = docs + 1
        following = following[following < len(self.partial)]
        following = following[spread.continues[following] & (self.partial[following] == 0)]
        return np.concatenate([docs, following])

    def reaching(self, threshold: float, remaining: float, spread: Spread, most: int | None = None):
        """The documents whose upper bound (partial score, the predecessor's share, ``remaining`` added to
        both, the largest multiplier) reaches ``threshold``: one pass over the dense scores. None when more
        than ``most`` might (looking them up would cost more than accumulating on), counted before any is
        gathered."""
        if spread.max_multiplier <= 0:
            return np.zeros(0, dtype=np.int64)
        partial = self.partial
        cut = threshold / spread.max_multiplier - (1 + spread.context) * remaining
        # partial[d] + context * partial[d - 1] reaches the cut only if one of the two reaches cut / (1 + context)
        high = partial >= cut / (1 + spread.context) - SLACK
        if most is not None and np.count_nonzero(high) * (2 if spread.context else 1) > most:
            return None
        if spread.context:
            high = np.flatnonzero(high)
            docs = np.union1d(high, high[high + 1 < len(partial)] + 1)
            before = np.where(docs > 0, partial[np.maximum(docs - 1, 0)], 0.0)
            docs = docs[partial[docs] + spread.context * before >= cut - SLACK]
        else:
            docs = np.flatnonzero(high)
        own, previous = partial[docs], partial[np.maximum(docs - 1, 0)]
        return docs[spread.final(docs, own + remaining, previous + remaining) >= threshold - SLACK]


def question_terms(scorer, concepts: list[tuple[int, ...]]) -> list[Term]:
    indptr = scorer.postings.indptr
    terms = [
        Term(number, int(indptr[t]), int(indptr[t + 1]), scorer.term_bound(t))
        for number, concept in enumerate(concepts)
        for t in concept
    ]
    return sorted(terms, key=lambda term: term.end - term.start)


def remaining_bound(rest: list[Term]) -> float:
    """What the terms not yet accumulated can add to a document: per concept, its largest bound among them."""
    by_concept: dict[int, float] = {}
    for term in rest:
        by_concept[term.concept] = max(by_concept.get(term.concept, 0.0), term.bound)
    return sum(by_concept.values())


def kth_best(scores: np.ndarray, k: int) -> float:
    """The k-th largest score, 0 when fewer than k are positive."""
    if len(scores) < k:
        return 0.0
    return max(0.0, float(-np.partition(-scores, k - 1)[k - 1]))


def top(scorer, concepts: list[tuple[int, ...]], k: int, spread: Spread | None = None):
    """(documents, scores) of the ``k`` best positive final scores, best first, ties in corpus order."""
    spread = spread or Spread()
    concepts = [concept for concept in concepts if concept]
    terms = question_terms(scorer, concepts)
    accumulator = Accumulator(scorer, concepts)
    for taken in range(1, len(terms) + 1):
        accumulator.add(terms[taken - 1])
        rest = terms[taken:]
        left = sum(term.end - term.start for term in rest)
        if rest and left < ACCUMULATE_BELOW:
            continue  # cheaper to add them all than to try
        remaining = remaining_bound(rest)
        if rest and remaining >= remaining_bound(terms[:taken]):
            continue  # no threshold can exceed what the rest may still add
        threshold = accumulator.threshold(spread, k) - SLACK
        if spread.outside(remaining) < threshold:
            worth = left // (LOOKUP_COST * len(terms)) if rest else None
            chosen = accumulator.reaching(threshold, remaining, spread, worth)
            if chosen is not None:
                return scored(scorer, concepts, chosen, spread, k)
        elif not rest:  # fewer than k documents reach a positive score: every candidate counts
            return scored(scorer, concepts, accumulator.touched(spread), spread, k)
    return [], np.zeros(0)


def scored(scorer, concepts: list[tuple[int, ...]], docs: np.ndarray, spread: Spread, k: int):
    """The top k among ``docs``, scored exactly (and their predecessors, with a context share)."""
    docs = np.sort(docs)
    if not spread.context:
        own = exact(scorer, concepts, docs)
        return best_first(docs, spread.final(docs, own, own), k)
    before = np.maximum(docs - 1, 0)
    needed = np.sort(np.concatenate([docs, before]))
    needed = needed[np.concatenate([[True], needed[1:] != needed[:-1]])]
    bm25 = exact(scorer, concepts, needed)
    own, previous = bm25[np.searchsorted(needed, docs)], bm25[np.searchsorted(needed, before)]
    return best_first(docs, spread.final(docs, own, previous), k)


def exact(scorer, concepts: list[tuple[int, ...]], docs: np.ndarray) -> np.ndarray:
    """BM25 of the sorted ``docs``, summed concept by concept in the question's order as ``NumpyBm25.scores``."""
    indptr = scorer.postings.indptr
    scores = np.zeros(len(docs))
    for concept in concepts:
        best = np.zeros(len(docs))
        for term in concept:
            postings, values = scorer.slice(int(indptr[term]), int(indptr[term + 1]))
            at = np.searchsorted(postings, docs)
            inside = at < len(postings)
            found = np.zeros(len(docs), dtype=bool)
            found[inside] = postings[at[inside]] == docs[inside]
            best[found] = np.maximum(best[found], values[at[found]])
        scores += best
    return scores


def best_first(docs: np.ndarray, scores: np.ndarray, k: int) -> tuple[list[int], np.ndarray]:
    """The ``k`` best positive scores, best first, ties in corpus order (all ties at the k-th score kept
    until the sort, so the cut is deterministic)."""
    keep = scores > 0
    docs, scores = docs[keep], scores[keep]
    if len(docs) > k:
        kth = -np.partition(-scores, k - 1)[k - 1]
        docs, scores = docs[scores >= kth], scores[scores >= kth]
    ranked = np.lexsort((docs, -scores))[:k]
    return docs[ranked].tolist(), scores[ranked]
