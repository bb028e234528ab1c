"""Exact top k by document-at-a-time MaxScore in one compiled loop (numba), for large indexes.

Why: the NumPy MaxScore (``qa.index.maxscore``) takes a dozen array passes per question term; on a corpus with a
realistic vocabulary (``qa bench --peers``, Zipf corpus) a question with a very common term spent milliseconds in
them while bm25s's compiled loop needed a tenth of that. Here one loop walks the *essential* lists (those whose
bounds, added up from the smallest, reach the k-th best score so far) in document order, and looks each
candidate up in the others by binary search only when its upper bound can still reach the k-th score
(Turtle & Flood 1995; Lucene's MaxScore). A candidate's score is summed term by term in the question's order, as
``NumpyBm25.scores`` adds them, so the scores are the same bit for bit; ties go to the lower document, as
``best_first`` orders them (documents come in increasing order, so a later one enters only with a higher score).

Only questions of one-term concepts and no score spread go through here (the rest keep the NumPy path), and only
on indexes of ``COMPILED_FROM`` paragraphs or more: numba is an optional extra (``pip install 'qa-unsc[fast]'``),
imported on the first such question (about half a second) and compiled once into its on-disk cache, so ``qa ask``
on the bundled record never imports it.
"""

from __future__ import annotations

import importlib.util
import os

import numpy as np

COMPILED_FROM = 200_000
"""Paragraphs from which the compiled loop is worth numba's import (about 0.5 s once per process)."""
SLACK = 1e-9
"""As ``qa.index.maxscore.SLACK``: bounds compared with this margin, so rounding never prunes a true candidate."""

_kernel = None


def available() -> bool:
    """numba is installed and not switched off (``QA_COMPILED=0``)."""
    return os.environ.get("QA_COMPILED", "1") != "0" and importlib.util.find_spec("numba") is not None


def kernel():
    """The compiled function, built (or read from numba's cache) on first use."""
    global _kernel
    if _kernel is None:
        import numba

        _kernel = numba.njit(cache=True, nogil=True)(maxscore_top)
    return _kernel


def top(scorer, term_ids: list[int], k: int) -> tuple[list[int], np.ndarray]:
    """The ``k`` best documents for one-term concepts ``term_ids`` (in question order) and their scores."""
    postings = scorer.postings
    bounds = np.array([scorer.term_bound(t) for t in term_ids], dtype=np.float64)
    docs, scores = kernel()(
        np.asarray(postings.indptr), postings.doc_ids, scorer.weights, np.asarray(term_ids, np.int64), bounds, k
    )
    ranked = np.lexsort((docs, -scores))  # best first, ties in corpus order
    return docs[ranked].tolist(), scores[ranked]


def maxscore_top(indptr, doc_ids, weights, terms, bounds, k):  # pragma: no cover - compiled
    """Plain Python that numba compiles: (documents, scores) of the k best, in no order."""
    n = len(terms)
    order = np.argsort(bounds, kind="mergesort")  # smallest bound first: the first ones turn non-essential
    prefix = np.zeros(n + 1)
    for j in range(n):
        prefix[j + 1] = prefix[j] + bounds[order[j]]
    pos = np.empty(n, np.int64)
    end = np.empty(n, np.int64)
    for i in range(n):
        pos[i], end[i] = indptr[terms[i]], indptr[terms[i] + 1]
    heap_scores = np.zeros(k)
    heap_docs = np.zeros(k, np.int64)
    size = 0
    theta = 0.0
    lowest = 0
    ness = 0
    found = np.zeros(n)
    while True:
        while size == k and ness < n and prefix[ness + 1] < theta - SLACK:
            ness += 1
        if ness == n:
            break
        doc = -1
        for j in range(ness, n):
            i = order[j]
            if pos[i] < end[i] and (doc < 0 or doc_ids[pos[i]] < doc):
                doc = doc_ids[pos[i]]
        if doc < 0:
            break
        bound = prefix[ness]
        for j in range(n):
            found[j] = 0.0
        for j in range(ness, n):
            i = order[j]
            if pos[i] < end[i] and doc_ids[pos[i]] == doc:
                found[i] = weights[pos[i]]
                bound += found[i]
                pos[i] += 1
        if size == k and bound < theta - SLACK:
            continue
        for j in range(ness - 1, -1, -1):  # largest bound first: the likeliest to rule the candidate out early
            i = order[j]
            lo, hi = pos[i], end[i]
            while lo < hi:
                mid = (lo + hi) // 2
                if doc_ids[mid] < doc:
                    lo = mid + 1
                else:
                    hi = mid
            pos[i] = lo
            bound -= bounds[i]
            if lo < end[i] and doc_ids[lo] == doc:
                found[i] = weights[lo]
                bound += found[i]
            if size == k and bound < theta - SLACK:
                break
        if size == k and bound < theta - SLACK:
            continue
        score = 0.0
        for i in range(n):
            score += found[i]
        if score <= 0.0 or (size == k and score <= theta):
            continue
        if size < k:
            heap_scores[size], heap_docs[size] = score, doc
            size += 1
        else:
            heap_scores[lowest], heap_docs[lowest] = score, doc
        if size == k:
            lowest = 0
            for j in range(1, k):  # the weakest: lowest score, and of equal ones the later document
                if heap_scores[j] < heap_scores[lowest] or (
                    heap_scores[j] == heap_scores[lowest] and heap_docs[j] > heap_docs[lowest]
                ):
                    lowest = j
            theta = heap_scores[lowest]
    return heap_docs[:size], heap_scores[:size]
