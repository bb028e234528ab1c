"""Exact top k without scoring every paragraph: MaxScore pruning over the posting arrays.

Turtle & Flood 1995 ("Query evaluation: strategies and optimizations"); the same idea as Lucene's MaxScore.
A paragraph's BM25 is a sum over the question's concepts of the concept's best term contribution (one term for
most concepts; a name and its aliases for some). Each term has an upper bound: its largest contribution.
Terms are taken rarest first and accumulated in full (*essential*); once what the other terms can still add
(*R*: per concept, the largest bound of its terms not yet taken; with the share a paragraph inherits from the
one before it and the largest speaker multiplier) cannot reach the k-th best partial score (θ, a lower bound
of the final k-th score), no paragraph outside the essential postings can enter the top k, and neither can a
candidate whose partial score plus R stays under θ. The few that remain are scored exactly by looking their
terms up (``np.searchsorted`` on the sorted document lists), concept by concept in the question's order: the
same arithmetic as scoring every paragraph (``NumpyBm25.scores``), so the same scores and the same ties. The
cost follows the rare terms' postings, not the common ones' (at a million paragraphs a common word has
~500k postings).
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
    """How scores move between paragraphs after BM25 (``qa.index.Ranking``), for the bounds."""

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
        self.seen = np.zeros(scorer.size, dtype=bool)
        self.best: dict[int, np.ndarray] = {}
        """Per concept of several terms: its best contribution so far per document."""
        self.several = {number for number, concept in enumerate(concepts) if len(concept) > 1}
        self.touched: list[np.ndarray] = []

    def add(self, term: Term) -> None:
        docs, values = self.scorer.slice(term.start, term.end)
        if term.concept in self.several:
            best = self.best.setdefault(term.concept, np.zeros(self.scorer.size))
            gain = np.maximum(values - best[docs], 0.0)
            best[docs] += gain
            np.add.at(self.partial, docs, gain)
        else:
            np.add.at(self.partial, docs, values)  # faster than partial[docs] += values (issue 6)
        new = docs[~self.seen[docs]]
        self.seen[new] = True
        self.touched.append(new)

    def candidates(self, spread: Spread) -> np.ndarray:
        """The touched documents and, with a context share, the untouched ones that follow them (they inherit)."""
        touched = np.concatenate(self.touched) if self.touched else np.zeros(0, dtype=np.int64)
        if not spread.context or spread.continues is None:
            return touched
        following = touched + 1
        following = following[following < len(self.seen)]
        following = following[spread.continues[following] & ~self.seen[following]]
        return np.concatenate([touched, following])


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


def survivors(docs: np.ndarray, partial: np.ndarray, remaining: float, spread: Spread, k: int) -> np.ndarray | None:
    """The candidates that can still reach the k-th best score, or None while a document outside them could.

    The k-th best partial score is a lower bound of the final k-th best (contributions are never negative);
    ``remaining`` added to a document and to its predecessor bounds it from above.
    """
    own = partial[docs]
    previous = partial[np.maximum(docs - 1, 0)] if spread.context else own
    threshold = kth_best(spread.final(docs, own, previous), k) - SLACK
    if spread.outside(remaining) >= threshold:
        return None
    if not spread.context and spread.multiplier is None:
        return docs[own + remaining >= threshold]
    return docs[spread.final(docs, own + remaining, previous + remaining) >= threshold]


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
        docs = accumulator.candidates(spread)
        chosen = survivors(docs, accumulator.partial, remaining, spread, k)
        if not rest:  # every term accumulated: fewer than k candidates means all of them
            return scored(scorer, concepts, docs if chosen is None else chosen, spread, k)
        if chosen is not None and len(chosen) * LOOKUP_COST * len(terms) < left:
            return scored(scorer, concepts, chosen, spread, k)
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
