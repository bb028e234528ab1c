"""Exact top k without scoring every paragraph: MaxScore pruning over the posting arrays.

Turtle & Flood 1995 ("Query evaluation: strategies and optimizations"); the same idea as Lucene's MaxScore.
A paragraph's score is a sum over the question's concepts of a concept's best term contribution; each concept
has an upper bound (the largest contribution any of its postings makes). Concepts are taken rarest first and
accumulated in full (*essential*); once the bounds of the remaining ones (*R*), even with the share a paragraph
inherits from the one before it and the largest speaker multiplier, cannot reach the k-th best score found so
far (θ, a lower bound of the final k-th score), no paragraph outside the essential postings can enter the top k.
The remaining concepts are then looked up (``np.searchsorted`` on their sorted document lists) only for the
candidates whose own upper bound still reaches θ, and for the paragraphs before them. The result is the same
top k, with the same scores (up to float summation order), as scoring every paragraph; the cost follows the
rare terms' postings instead of the common ones' (at a million paragraphs a common word has ~500k postings).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np


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


class ConceptLists:
    """The posting ranges of one question's concepts, with their upper bounds."""

    def __init__(self, scorer, concepts: list[tuple[int, ...]]):
        indptr = scorer.postings.indptr
        self.scorer = scorer
        self.concepts = [concept for concept in concepts if concept]
        self.ranges = [[(int(indptr[t]), int(indptr[t + 1])) for t in concept] for concept in self.concepts]
        self.sizes = [sum(end - start for start, end in ranges) for ranges in self.ranges]
        self.bounds = [max(scorer.term_bound(t) for t in concept) for concept in self.concepts]

    def sort_rarest_first(self) -> None:
        order = sorted(range(len(self.concepts)), key=lambda number: self.sizes[number])
        self.concepts = [self.concepts[n] for n in order]
        self.ranges = [self.ranges[n] for n in order]
        self.sizes = [self.sizes[n] for n in order]
        self.bounds = [self.bounds[n] for n in order]

    def accumulate(self, number: int, scores: np.ndarray, best: np.ndarray | None) -> np.ndarray:
        """Add concept ``number``'s contributions to ``scores`` (dense); return the documents it touched, once each."""
        pairs = [self.scorer.slice(start, end) for start, end in self.ranges[number]]
        if len(pairs) == 1:
            docs, values = pairs[0]
            scores[docs] += values  # a term's documents are distinct
            return docs
        for docs, values in pairs:
            best[docs] = np.maximum(best[docs], values)
        touched = []
        for docs, _ in pairs:  # a document under several terms is added once, then cleared
            first = docs[best[docs] > 0]
            scores[first] += best[first]
            best[first] = 0.0
            touched.append(first)
        return np.concatenate(touched)

    def lookup(self, number: int, docs: np.ndarray) -> np.ndarray:
        """Concept ``number``'s contribution to each of the sorted ``docs`` (0 where absent)."""
        total = np.zeros(len(docs))
        for start, end in self.ranges[number]:
            postings, values = self.scorer.slice(start, end)
            at = np.searchsorted(postings, docs)
            inside = at < len(postings)
            found = np.zeros(len(docs), dtype=bool)
            found[inside] = postings[at[inside]] == docs[inside]
            total[found] = np.maximum(total[found], values[at[found]])
        return total


def final_scores(docs: np.ndarray, own: np.ndarray, previous: np.ndarray, spread: Spread) -> np.ndarray:
    """Scores after the context share and the multiplier, for ``docs`` with their (and their predecessors') BM25."""
    scores = own.copy()
    if spread.context and spread.continues is not None:
        scores += spread.continues[docs] * previous * spread.context
    if spread.multiplier is not None:
        scores *= spread.multiplier(docs)
    return scores


def kth_best(scores: np.ndarray, k: int) -> float:
    """The k-th largest score, 0 when fewer than k are positive."""
    if len(scores) < k:
        return 0.0
    return max(0.0, float(-np.partition(-scores, k - 1)[k - 1]))


def candidates(touched: np.ndarray, spread: Spread, seen: np.ndarray) -> np.ndarray:
    """The touched documents and, with a context share, the untouched ones that follow them (they inherit)."""
    if not spread.context or spread.continues is None:
        return touched
    following = touched + 1
    following = following[following < len(seen)]
    following = following[spread.continues[following] & ~seen[following]]
    return np.concatenate([touched, following])


def exact(lists: ConceptLists, essential: int, docs: np.ndarray, partial: np.ndarray) -> np.ndarray:
    """BM25 of ``docs``: their essential part from ``partial``, the other concepts looked up."""
    scores = partial[docs].copy()
    for number in range(essential, len(lists.concepts)):
        scores += lists.lookup(number, docs)
    return scores


LOOKUP_COST = 16
"""What looking one document up in one term's postings costs, in postings accumulated (a binary search with
random memory access against a sequential add); decides between looking candidates up and accumulating on."""

ACCUMULATE_BELOW = 50_000
"""Postings left to add below which adding them all is cheaper than trying to prune."""


def top(scorer, concepts: list[tuple[int, ...]], k: int, spread: Spread | None = None):
    """(documents, scores) of the ``k`` best positive final scores, best first, ties in corpus order."""
    spread = spread or Spread()
    lists = ConceptLists(scorer, concepts)
    lists.sort_rarest_first()
    partial, seen = np.zeros(scorer.size), np.zeros(scorer.size, dtype=bool)
    best = np.zeros(scorer.size) if any(len(concept) > 1 for concept in lists.concepts) else None
    parts: list[np.ndarray] = []
    for essential in range(1, len(lists.concepts) + 1):
        docs = lists.accumulate(essential - 1, partial, best)
        parts.append(docs[~seen[docs]])
        seen[parts[-1]] = True
        docs = candidates(np.concatenate(parts), spread, seen)
        if essential == len(lists.concepts):  # every concept accumulated: the partial scores are the scores
            return best_first(docs, final_scores(docs, partial[docs], partial[np.maximum(docs - 1, 0)], spread), k)
        remaining, left = sum(lists.bounds[essential:]), sum(lists.sizes[essential:])
        if left < ACCUMULATE_BELOW or remaining >= sum(lists.bounds[:essential]):
            continue  # cheaper to add the rest, or no threshold can exceed what the rest may add
        survivors = prune(docs, partial, remaining, spread, k)
        if survivors is not None and len(survivors) * LOOKUP_COST * sum(map(len, lists.concepts[essential:])) < left:
            return looked_up(lists, essential, survivors, partial, spread, k)
    return [], np.zeros(0)


def prune(docs: np.ndarray, partial: np.ndarray, remaining: float, spread: Spread, k: int) -> np.ndarray | None:
    """The candidates that can still reach the k-th best score, or None while a document outside them could.

    The k-th best partial score is a lower bound of the final k-th best (contributions are never negative);
    ``remaining`` (the other concepts' bounds) added to a document and to its predecessor bounds it from above.
    """
    own = partial[docs]
    previous = partial[np.maximum(docs - 1, 0)] if spread.context else own
    threshold = kth_best(final_scores(docs, own, previous, spread), k)
    if (1 + spread.context) * remaining * spread.max_multiplier >= threshold:
        return None
    if not spread.context and spread.multiplier is None:
        return docs[own + remaining >= threshold]
    return docs[final_scores(docs, own + remaining, previous + remaining, spread) >= threshold]


def looked_up(lists: ConceptLists, essential: int, docs: np.ndarray, partial: np.ndarray, spread: Spread, k: int):
    """The top k among ``docs``, their other concepts looked up (and their predecessors', with a context share)."""
    docs = np.sort(docs)
    if not spread.context:
        own = exact(lists, essential, docs, partial)
        return best_first(docs, final_scores(docs, own, own, spread), k)
    before = np.maximum(docs - 1, 0)
    needed = np.sort(np.concatenate([docs, before]))
    needed = needed[np.concatenate([[True], needed[1:] != needed[:-1]])]
    bm25 = exact(lists, essential, needed, partial)
    own, previous = bm25[np.searchsorted(needed, docs)], bm25[np.searchsorted(needed, before)]
    return best_first(docs, final_scores(docs, own, previous, spread), k)


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
