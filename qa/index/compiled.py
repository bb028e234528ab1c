"""Exact top k by term-at-a-time MaxScore in one compiled loop (numba), for large indexes.

Why: the NumPy MaxScore (``qa.index.maxscore``) takes a dozen array passes and Python steps per question term; on a
corpus with a realistic vocabulary (``qa bench --peers``, the Zipf corpus) a question with a very common term spent
milliseconds there while bm25s's compiled loop needed a tenth of that. ``qa.index.kernels.taat_top`` does the same
MaxScore in one compiled call: lists are added into a dense array largest bound first (the rare terms); once what
the lists left can add stays under the k-th best partial score and looking the few candidates up costs less than
adding the rest, the common lists are never read; the candidates' scores are then summed term by term in the
question's order by binary search, as ``NumpyBm25.scores`` adds them, so the scores are the same bit for bit, and
ties go to the lower document as ``best_first`` orders them.

Measured side by side (kernel alone, same queries, median of 5 per question, 100k paragraphs, a loaded machine):
Zipf corpus p50/p95 0.016/0.19 ms against 0.07/0.47 ms for a document-at-a-time block-max MaxScore and
0.19/0.92 ms for adding every list (bm25s's way); sentence corpus 0.15/1.4 against 0.19/2.9 and 0.23/1.0 ms.
Then, once the lists added reach an eighth of the documents, no list of touched documents (its branch per posting
cost more than passes over every document): sentence corpus 0.20/0.49 against 0.14/1.27 ms, Zipf 0.016/0.25
against 0.016/0.49 ms.

Only questions of one-term concepts and no score spread go through here (the rest keep the NumPy path), and only
on indexes of ``COMPILED_FROM`` paragraphs or more: numba is an optional extra (``pip install 'qa-unsc[fast]'``),
imported on the first such question (about half a second) and compiled once into its on-disk cache, so ``qa ask``
on the bundled record never imports it.
"""

from __future__ import annotations

import importlib
import importlib.util
import os

import numpy as np

COMPILED_FROM = 200_000
"""Paragraphs from which the compiled loop is worth numba's import (about 0.5 s once per process)."""


def available() -> bool:
    """numba is installed and not switched off (``QA_COMPILED=0``)."""
    return os.environ.get("QA_COMPILED", "1") != "0" and importlib.util.find_spec("numba") is not None


def kernel():
    """``qa.index.kernels.taat_top``, imported (numba and the compiled code from its cache) on first use."""
    return importlib.import_module("qa.index.kernels").taat_top


def buffers(scorer) -> tuple[np.ndarray, np.ndarray]:
    """The scorer's dense partial scores (kept at zero between questions) and touched-document list."""
    found = getattr(scorer, "_compiled_buffers", None)
    if found is None:
        found = scorer._compiled_buffers = (np.zeros(scorer.size), np.zeros(scorer.size, np.int64))
    return found


def top(scorer, term_ids: list[int], k: int) -> tuple[list[int], np.ndarray]:
    """The ``k`` best documents for one-term concepts ``term_ids`` (in question order) and their scores."""
    postings = scorer.postings
    bounds = np.array([scorer.term_bound(t) for t in term_ids], dtype=np.float64)
    partial, touched = buffers(scorer)
    terms = np.asarray(term_ids, np.int64)
    docs, scores = kernel()(
        np.asarray(postings.indptr), postings.doc_ids, scorer.weights, terms, bounds, k, partial, touched
    )
    ranked = np.lexsort((docs, -scores))  # best first, ties in corpus order
    return docs[ranked].tolist(), scores[ranked]
