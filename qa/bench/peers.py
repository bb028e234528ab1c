"""``qa bench --peers``: qa, bm25s and tantivy side by side on the same token lists, in one process.

Why side by side: figures taken on different days on a shared machine differ by ±20 %, more than the gaps between
engines. Here every engine indexes the same token lists (k1 1.2, b 0.75, Lucene's IDF) and answers the same
queries, interleaved question by question (each engine runs a question ``repeat`` times, median kept), so load
from other work falls on all of them alike. Per engine: build time from token lists to a searchable index (and
the save to disk on its own), the peak memory the build adds above the token lists (resident size sampled every
few milliseconds, after ``malloc_trim`` returned the previous engine's freed memory), index size on disk, query
p50/p95 and, against qa's exact scores, overlap@10 with ties allowed: a peer's hit counts when qa has it in its
top 10 or scores it equal to qa's 10th (rounding to 1e-6 relative), and the largest relative difference of the
scores of the peer's hits from qa's (bm25s leaves out BM25's constant (k1 + 1): its scores are multiplied back).

Peers are optional (``pip install 'qa-unsc[peers]'``): a peer that is not installed is reported as such. bm25s
runs its numba backend where numba is installed (its JIT compiled before the clock starts), NumPy otherwise; the
report says which ran. tantivy (Python binding) indexes the terms joined by spaces with its whitespace tokenizer.
"""

from __future__ import annotations

import ctypes
import importlib.util
import math
import os
import shutil
import statistics
import tempfile
import threading
import time
from dataclasses import replace
from pathlib import Path

import numpy as np

from qa.index import compiled, maxscore
from qa.index.bm25 import Bm25Params, NumpyBm25, posting_weights
from qa.index.store import cache

K = 10
SAMPLE_EVERY = 0.005
"""Seconds between two reads of the resident size while an engine builds."""
TIE = 1e-6
"""Relative margin under which two scores count as tied (bm25s computes in float32)."""


class PeakMemory:
    """Highest resident size of this process while the ``with`` block runs, above the size at its start (MB)."""

    def __enter__(self) -> PeakMemory:
        release_freed_memory()
        self.start = self.peak = resident_mb()
        self.running = True
        self.thread = threading.Thread(target=self._sample, daemon=True)
        self.thread.start()
        return self

    def _sample(self) -> None:
        while self.running:
            self.peak = max(self.peak, resident_mb())
            time.sleep(SAMPLE_EVERY)

    def __exit__(self, *exc) -> None:
        self.running = False
        self.thread.join()
        self.peak = max(self.peak, resident_mb())

    @property
    def added_mb(self) -> float:
        return self.peak - self.start


def resident_mb() -> float:
    with open("/proc/self/statm", encoding="ascii") as statm:
        return int(statm.read().split()[1]) * os.sysconf("SC_PAGE_SIZE") / 1e6


def release_freed_memory() -> None:
    """Give freed heap memory back to the system (glibc), so the next engine's peak starts from what is in use."""
    try:
        ctypes.CDLL("libc.so.6").malloc_trim(0)
    except (OSError, AttributeError):
        pass


def percentile(values: list[float], share: float) -> float:
    """Nearest-rank percentile (``share`` 0.5 → median, 0.95 → p95)."""
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, math.ceil(share * len(ordered)) - 1))]


def folder_mb(folder: Path) -> float:
    return sum(path.stat().st_size for path in Path(folder).rglob("*") if path.is_file()) / 1e6


class QaPeer:
    """qa's own engine: posting arrays with precomputed contributions, exact top k by MaxScore (NumPy)."""

    name = "qa, NumPy"

    def build(self, documents: list[list[str]], folder: Path) -> None:
        postings = cache.build_postings(documents, (str(n) for n in range(len(documents))))
        self.postings = replace(postings, weights=posting_weights(postings, Bm25Params()))
        self.scorer = NumpyBm25(self.postings, weights=self.postings.weights)
        self.numbers = self.postings.term_ids()
        self.folder = folder

    def save(self) -> None:
        cache.save(self.postings, self.folder, key="peers")

    def search(self, terms: list[str]) -> tuple[list[int], np.ndarray]:
        numbers = self.numbers
        return maxscore.top(self.scorer, [(numbers[t],) for t in terms if t in numbers], K)

    def exact(self, terms: list[str]) -> np.ndarray:
        """Every document's score (qa's reference for the overlap)."""
        return self.scorer.scores([(self.numbers[t],) for t in terms if t in self.numbers])


class QaCompiledPeer:
    """qa's compiled top k (``qa.index.compiled``, numba) over the index ``qa`` built: what ``NumpyBm25.top``
    runs from ``COMPILED_FROM`` paragraphs on, shown at every size."""

    name = "qa, compiled"

    def __init__(self, qa: QaPeer):
        self.qa = qa

    def build(self, documents: list[list[str]], folder: Path) -> None:
        """Nothing: the index is qa's."""

    def save(self) -> None:
        """Nothing: the index is qa's."""

    def warm(self, terms: list[str]) -> None:
        self.search(terms)  # numba's import and cached compile

    def search(self, terms: list[str]) -> tuple[list[int], np.ndarray]:
        numbers = self.qa.numbers
        return compiled.top(self.qa.scorer, [numbers[t] for t in terms if t in numbers], K)


class Bm25sPeer:
    """bm25s (``method="lucene"``: the same IDF), numba backend where installed."""

    def __init__(self, backend: str | None = None):
        """``backend``: "numba" or "numpy" (default: numba where installed)."""
        import bm25s

        self.bm25s = bm25s
        self.backend = backend or ("numba" if importlib.util.find_spec("numba") else "numpy")
        self.name = f"bm25s {version('bm25s')}, {self.backend}"

    def build(self, documents: list[list[str]], folder: Path) -> None:
        params = Bm25Params()
        self.model = self.bm25s.BM25(k1=params.k1, b=params.b, method="lucene", backend=self.backend)
        self.model.index(documents, show_progress=False)
        self.folder = folder
        self.scale = params.k1 + 1

    def save(self) -> None:
        self.model.save(str(self.folder))

    def warm(self, terms: list[str]) -> None:
        self.search(terms)  # numba compiles on the first retrieval

    def search(self, terms: list[str]) -> tuple[list[int], np.ndarray]:
        known = [t for t in terms if t in self.model.vocab_dict]
        if not known:
            return [], np.zeros(0)
        docs, scores = self.model.retrieve([known], k=K, show_progress=False, n_threads=1)
        keep = scores[0] > 0
        return docs[0][keep].tolist(), scores[0][keep] * self.scale


class TantivyPeer:
    """tantivy's Python binding: one text field, whitespace tokenizer, frequencies indexed (no positions)."""

    def __init__(self):
        import tantivy

        self.tantivy = tantivy
        self.name = f"tantivy {version('tantivy')}"

    def build(self, documents: list[list[str]], folder: Path) -> None:
        tantivy = self.tantivy
        builder = tantivy.SchemaBuilder()
        builder.add_text_field("body", stored=False, tokenizer_name="whitespace", index_option="freq")
        builder.add_integer_field("n", stored=True, fast=True)
        self.schema = builder.build()
        folder.mkdir(parents=True, exist_ok=True)
        self.index = tantivy.Index(self.schema, path=str(folder))
        writer = self.index.writer(heap_size=256_000_000)
        for number, terms in enumerate(documents):
            writer.add_document(tantivy.Document(body=" ".join(terms), n=number))
        writer.commit()
        writer.wait_merging_threads()
        self.index.reload()
        self.searcher = self.index.searcher()

    def save(self) -> None:
        """Already on disk: tantivy writes its segments as it commits."""

    def search(self, terms: list[str]) -> tuple[list[int], np.ndarray]:
        hits = self.searcher.search(self.query(terms), K).hits
        return [address for _, address in hits], np.asarray([score for score, _ in hits])

    def query(self, terms: list[str]):
        tantivy = self.tantivy
        should = [(tantivy.Occur.Should, tantivy.Query.term_query(self.schema, "body", t)) for t in terms]
        return tantivy.Query.boolean_query(should)

    def documents(self, addresses) -> list[int]:
        """Document numbers of search hits (segments need not keep insertion order)."""
        return [self.searcher.doc(address)["n"][0] for address in addresses]


def version(package: str) -> str:
    from importlib.metadata import PackageNotFoundError
    from importlib.metadata import version as installed

    try:
        return installed(package)
    except PackageNotFoundError:
        return "?"


def available_peers(bm25s_backend: str | None = None) -> tuple[list, list[str]]:
    """(peer engines that can run here, names of those that cannot)."""
    peers, missing = [], []
    for name, make in (("bm25s", lambda: Bm25sPeer(bm25s_backend)), ("tantivy", TantivyPeer)):
        if importlib.util.find_spec(name) is None:
            missing.append(name)
        else:
            peers.append(make())
    return peers, missing


def build_all(engines: list, documents: list[list[str]], work: Path) -> dict[str, dict]:
    """Build, then save, each engine in turn; time and peak memory of each build."""
    rows = {}
    for number, engine in enumerate(engines):
        if isinstance(engine, QaCompiledPeer):
            rows[engine.name] = {}
            continue
        folder = work / f"engine-{number}"
        shutil.rmtree(folder, ignore_errors=True)
        with PeakMemory() as peak:
            started = time.perf_counter()
            engine.build(documents, folder)
            built = time.perf_counter() - started
        started = time.perf_counter()
        engine.save()
        rows[engine.name] = {
            "build_s": built,
            "save_s": time.perf_counter() - started,
            "peak_added_mb": peak.added_mb,
            "index_mb": folder_mb(folder),
        }
    return rows


def timed_search(engine, terms: list[str], repeat: int) -> tuple[float, tuple]:
    """(median ms over ``repeat`` runs, the last run's result)."""
    runs, result = [], None
    for _ in range(repeat):
        started = time.perf_counter()
        result = engine.search(terms)
        runs.append((time.perf_counter() - started) * 1000)
    return statistics.median(runs), result


def agreement(qa_scores: np.ndarray, qa_docs: list[int], docs: list[int], scores: np.ndarray) -> tuple[int, float]:
    """(how many of a peer's hits qa ranks in its top k or ties with its k-th, largest relative score gap)."""
    kth = float(qa_scores[qa_docs[-1]]) if len(qa_docs) >= K else 0.0
    inside = set(qa_docs)
    agreed = sum(1 for d in docs if d in inside or qa_scores[d] >= kth * (1 - TIE) > 0)
    gaps = [abs(s - qa_scores[d]) / qa_scores[d] for d, s in zip(docs, scores, strict=True) if qa_scores[d] > 0]
    return agreed, max(gaps, default=0.0)


def compare(engines: list, queries: list[list[str]], repeat: int) -> dict[str, dict]:
    """Every engine on every query, interleaved; latency percentiles and agreement with qa (``engines[0]``)."""
    qa = engines[0]
    for engine in engines:
        if hasattr(engine, "warm") and queries:
            engine.warm(queries[0])
    times = {engine.name: [] for engine in engines}
    agreed = dict.fromkeys(times, 0)
    gaps = dict.fromkeys(times, 0.0)
    expected = 0
    for terms in queries:
        exact = qa.exact(terms)
        for engine in engines:
            milliseconds, (docs, scores) = timed_search(engine, terms, repeat)
            times[engine.name].append(milliseconds)
            if engine is qa:
                qa_docs = docs
                expected += min(K, len(docs))
                agreed[qa.name] += min(K, len(docs))
                continue
            if isinstance(engine, TantivyPeer):
                docs = engine.documents(docs)
            hits, gap = agreement(exact, qa_docs, docs, scores)
            agreed[engine.name] += hits
            gaps[engine.name] = max(gaps[engine.name], gap)
    return {
        name: {
            "p50_ms": percentile(values, 0.5),
            "p95_ms": percentile(values, 0.95),
            "overlap_at_10": agreed[name] / expected if expected else 1.0,
            "largest_score_gap": gaps[name],
        }
        for name, values in times.items()
    }


def side_by_side(documents: list[list[str]], queries, repeat: int, work: Path, bm25s_backend=None) -> dict:
    """Build every available engine on ``documents`` and compare them on ``queries``: the report's section for
    one corpus at one size. ``queries``: term lists, or a function of the built qa engine that makes them (the
    sentence corpus cuts its questions with qa's vocabulary); ``bm25s_backend``: see ``Bm25sPeer``."""
    peers, missing = available_peers(bm25s_backend)
    qa = QaPeer()
    engines = [qa, *([QaCompiledPeer(qa)] if compiled.available() else []), *peers]
    tokens = sum(map(len, documents))
    with tempfile.TemporaryDirectory(prefix="qa-peers-", dir=work) as temporary:
        builds = build_all(engines, documents, Path(temporary))
        queries = queries(engines[0]) if callable(queries) else queries
        results = compare(engines, queries, repeat)
        del engines
    rows = [{"engine": name, **builds[name], **results[name]} for name in builds]
    return {"paragraphs": len(documents), "tokens": tokens, "queries": len(queries), "rows": rows, "missing": missing}
