"""The compiled loops of ``qa.index.compiled`` (numba, ``cache=True``: compiled once into numba's on-disk cache).

Imported only by ``qa.index.compiled.kernel``, on the first question of a large index, and only when numba is
installed (the optional extra ``fast``): nothing else in qa imports numba.
"""

from __future__ import annotations

import numba
import numpy as np

SLACK = 1e-9
"""As ``qa.index.maxscore.SLACK``: bounds compared with this margin, so rounding never prunes a true candidate."""
DENSE_SHARE = 8
"""Once more postings than 1/DENSE_SHARE of the documents are added, touched documents are no longer listed."""
LOOKUP_COST = 64
"""What looking one candidate up in one list costs, in postings added (a binary search with cache misses against
a sequential add); the candidates' exact scores look every question term up."""


@numba.njit(cache=True)
def taat_top(indptr, doc_ids, weights, terms, bounds, k, scores, touched):
    """Term-at-a-time MaxScore: lists added into ``scores`` (zeros, left zeroed) largest bound first, until what the
    rest can add stays under the k-th best partial score and looking the few candidates up costs less than adding
    the rest; then the candidates' scores summed exactly in the question's order. (documents, scores), no order."""
    n = len(terms)
    order = np.argsort(-bounds, kind="mergesort")
    rest = np.zeros(n + 1)
    left = np.zeros(n + 1, np.int64)
    for j in range(n - 1, -1, -1):
        rest[j] = rest[j + 1] + bounds[order[j]]
        left[j] = left[j + 1] + indptr[terms[order[j]] + 1] - indptr[terms[order[j]]]
    count = 0
    dense = False
    theta = 0.0
    taken = n
    for j in range(n):
        i = order[j]
        start, end = indptr[terms[i]], indptr[terms[i] + 1]
        if not dense and count + end - start > len(scores) // DENSE_SHARE:
            dense = True  # the touched documents' list costs a branch per posting: passes go over every document
            count = len(scores)
        if dense:
            for at in range(start, end):
                scores[doc_ids[at]] += weights[at]
        else:
            for at in range(start, end):
                doc = doc_ids[at]
                if scores[doc] == 0.0:
                    touched[count] = doc
                    count += 1
                scores[doc] += weights[at]
        if j + 1 == n or left[j + 1] < 4 * count:
            continue  # adding the rest costs less than the passes over the touched documents
        theta = kth_partial(scores, touched, count, k, dense)
        if rest[j + 1] < theta - SLACK:
            cut = theta - rest[j + 1] - SLACK
            candidates = 0
            for m in range(count):
                if scores[m if dense else touched[m]] >= cut:
                    candidates += 1
            if candidates * n * LOOKUP_COST < left[j + 1]:  # every term looked up per candidate
                taken = j + 1
                break
    theta = kth_partial(scores, touched, count, k, dense) if taken == n else theta
    cut = theta - rest[taken] - SLACK
    chosen = np.empty(count, np.int64)
    size = 0
    for m in range(count):
        doc = m if dense else touched[m]
        if scores[doc] >= cut and scores[doc] > 0.0:
            chosen[size] = doc
            size += 1
        scores[doc] = 0.0
    chosen = np.sort(chosen[:size])
    exact = np.zeros(size)
    for i in range(n):  # the question's order, as NumpyBm25.scores adds
        lo, end = indptr[terms[i]], indptr[terms[i] + 1]
        for m in range(size):
            doc = chosen[m]
            hi = end
            while lo < hi:
                mid = (lo + hi) // 2
                if doc_ids[mid] < doc:
                    lo = mid + 1
                else:
                    hi = mid
            if lo < end and doc_ids[lo] == doc:
                exact[m] += weights[lo]
    return best_k(chosen, exact, k)


@numba.njit(cache=True)
def kth_partial(scores, touched, count, k, dense):
    """The k-th best of the touched documents' scores (of every document's when ``dense``; 0 when fewer than k)."""
    if count < k:
        return 0.0
    best = np.zeros(k)
    lowest = 0
    for m in range(count):
        score = scores[m if dense else touched[m]]
        if score > best[lowest]:
            best[lowest] = score
            for j in range(k):
                if best[j] < best[lowest]:
                    lowest = j
    return best[lowest]


@numba.njit(cache=True)
def best_k(docs, scores, k):
    """The k best positive (document, score) pairs of ``docs`` in ascending order; ties to the lower document."""
    heap_scores = np.zeros(k)
    heap_docs = np.zeros(k, np.int64)
    size = 0
    lowest = 0
    for m in range(len(docs)):
        score = scores[m]
        if score <= 0.0 or (size == k and score <= heap_scores[lowest]):
            continue
        if size < k:
            heap_scores[size], heap_docs[size] = score, docs[m]
            size += 1
        else:
            heap_scores[lowest], heap_docs[lowest] = score, docs[m]
        if size == k:
            lowest = 0
            for j in range(1, k):
                if heap_scores[j] < heap_scores[lowest] or (
                    heap_scores[j] == heap_scores[lowest] and heap_docs[j] > heap_docs[lowest]
                ):
                    lowest = j
    return heap_docs[:size], heap_scores[:size]
