"""``qa bench``: how fast the index builds, loads and answers at growing sizes, and how fast ``qa`` starts.

Per corpus size (``qa.bench.synthetic`` texts, fixed seed): the build runs in a fresh child process (spawned, so its
peak memory is its own: ``getrusage`` of the builder plus its largest tokenizing worker) and is timed from the
first generated text to the index saved on disk, jieba included; then, in this process, the saved index is
loaded (``load``: the memory-mapped arrays, the scorer and the query vocabulary) and a fixed set of questions
(the development set's plus generated ones) is timed end to end: question → terms → BM25 → exact top 10. Up to
``REFERENCE_UP_TO`` paragraphs, rank-bm25's ``get_scores`` and our scorer run on the same terms (question
parsing left out of both) for the ratio.

Then the bundled record in process (``Engine.search`` and the whole ``answer()``), ``qa ask`` as a user runs it
(a new process per run, with a warm index cache and with an empty one) and the chat (``qa.tui.measure``, in a new
process: first usable screen, Enter to answer on screen). Every figure is the median of ``repeat`` runs
(``build_repeat`` for builds, which are long and deterministic). Times are never asserted by tests.
"""

from __future__ import annotations

import json
import os
import platform
import resource
import statistics
import tempfile
import time
from dataclasses import dataclass, replace
from pathlib import Path

from qa.answer.pipeline import answer
from qa.bench import synthetic
from qa.bench.archive import measure_archive
from qa.bench.child import in_child, peak_rss_mb
from qa.bench.corpora import measure_peers
from qa.bench.incremental import measure_incremental
from qa.bench.pdfs import measure_pdfs
from qa.bench.peers import percentile
from qa.bench.record import measure_record
from qa.bench.speakers import measure_speakers
from qa.bench.startup import ASK_QUESTION, measure_ask, measure_chat
from qa.index.bm25 import Bm25Params, NumpyBm25, RankBm25, posting_weights
from qa.index.engine import query_vocabulary
from qa.index.open import default_tokenizer, open_engine
from qa.index.store import cache
from qa.index.workers import available_cores, token_lists
from qa.paths import default_eval_file, default_seeds_dir
from qa.records.load import load_corpus, record_files
from qa.text.tokens import segmenter

REFERENCE_UP_TO = 100_000
"""rank-bm25 is timed up to this size (at a million paragraphs one query takes seconds)."""
REFERENCE_QUESTIONS = 20
"""Questions timed with rank-bm25 (and, for the ratio, with ours on the same ones)."""
GENERATED_QUESTIONS = 160
"""Generated questions added to the development set's."""
SPEAKER_QUESTIONS = 300
"""Questions answered over the many-speaker archive and over the bundled record (``--speakers``)."""


@dataclass(frozen=True)
class BenchSettings:
    """What one ``qa bench`` run measures."""

    sizes: tuple[int, ...]
    """Synthetic corpus sizes, in paragraphs."""
    repeat: int = 3
    """Runs per timing (queries, loads, ``qa ask``, the chat); figures are their medians."""
    build_repeat: int = 1
    """Builds per size."""
    workers: int | None = None
    """Tokenizing processes (default: the available cores)."""
    seeds: Path | None = None
    """The records the synthetic corpora are made from and ``qa ask`` runs on (default: the bundled ones)."""
    processes: bool = True
    """Time ``qa ask`` and the chat in new processes (off: the tests' smoke run)."""
    record_mb: float = 100.0
    """Size of the single large record whose parse is measured (0: none)."""
    incremental: int = 0
    """Synthetic paragraphs written as meeting files, built, then rebuilt after one more meeting (0: none)."""
    speakers: int = 0
    """Speakers of the archive whose answering time is compared with the bundled record's (0: none)."""
    archive: int = 0
    """Synthetic paragraphs written as an archive of meeting files (``qa.bench.archive``), measured as a user
    meets it: first ``qa ask``, ``qa ask`` with nothing changed, ``answer()`` p50/p95, ``qa batch`` (0: none)."""
    pdfs: Path | None = None
    """A folder of records as PDF whose reading is timed (None: none)."""

    peers: bool = False
    """Only qa, bm25s and tantivy side by side on both corpora (``qa.bench.peers``), nothing else."""


def bundled_texts(seeds: Path | None):

    corpus = load_corpus(seeds or default_seeds_dir())
    return corpus, [paragraph.text for _, _, paragraph in corpus.paragraphs()]


def build_index(size: int, folder: str, seeds: Path | None, workers: int | None) -> dict:
    """In a child process: generate ``size`` paragraphs, tokenize them, build and save the index."""

    corpus, texts = bundled_texts(seeds)
    tokenizer = default_tokenizer(corpus)
    tokenizer.terms("")  # jieba's dictionary is loaded before the clock starts, as it is for `qa` at start-up
    started = time.perf_counter()
    items = ((text, "", 0) for text in synthetic.paragraphs(synthetic.SentencePool.from_texts(texts), size))
    tokens = [0]
    documents = counted(token_lists(tokenizer, items, workers=workers, size_hint=size), tokens)
    dictionary = segmenter(tokenizer.user_words)
    ids = (f"synthetic:{number}" for number in range(size))
    postings = cache.build_postings(documents, ids, dictionary.FREQ, dictionary.total, tokenizer.query_dictionary())
    postings = replace(postings, weights=posting_weights(postings, Bm25Params()))
    cache.save(postings, Path(folder), key=f"bench-{size}")
    seconds = time.perf_counter() - started
    return {
        "build_s": seconds,
        "builder_peak_mb": peak_rss_mb(resource.RUSAGE_SELF),
        "worker_peak_mb": peak_rss_mb(resource.RUSAGE_CHILDREN) or None,  # None: tokenized in process
        "postings": int(len(postings.doc_ids)),
        "tokens_per_s": tokens[0] / seconds,  # of the whole build, jieba included
        "terms": len(postings.vocabulary),
    }


def counted(documents, tokens: list[int]):
    """``documents`` as they stream by, their terms added up in ``tokens[0]``."""
    for terms in documents:
        tokens[0] += len(terms)
        yield terms


def build_in_child(size: int, folder: Path, settings: BenchSettings) -> dict:
    return in_child(
        build_index, size, str(folder), settings.seeds, settings.workers, doing=f"building the {size}-paragraph index"
    )


def folder_mb(folder: Path) -> float:
    return sum(path.stat().st_size for path in folder.rglob("*") if path.is_file()) / 1e6


@dataclass(frozen=True)
class LoadedIndex:
    """A saved synthetic index opened as ``qa`` opens one: what a query needs, nothing about records."""

    postings: object
    """The memory-mapped ``qa.index.store.cache.Postings``."""
    scorer: object
    """``qa.index.bm25.NumpyBm25`` over them."""
    vocabulary: object
    """``qa.text.tokens.Vocabulary``: questions are cut without jieba."""
    term_numbers: dict
    """Term → posting list number."""


def load_index(folder: Path, size: int) -> LoadedIndex:

    postings = cache.load(folder, f"bench-{size}")
    if postings is None:
        raise RuntimeError(f"the {size}-paragraph index at {folder} did not load")
    scorer = NumpyBm25(postings, weights=postings.weights)
    return LoadedIndex(postings, scorer, query_vocabulary(postings), postings.term_ids())


def query_ids(index: LoadedIndex, tokenizer, question: str) -> list[tuple[int, ...]]:
    numbers = index.term_numbers
    concepts = tokenizer.query_concepts(question, index.vocabulary)
    return [ids for ids in (tuple(numbers[t] for t in c if t in numbers) for c in concepts) if ids]


def time_queries(index: LoadedIndex, tokenizer, questions: list[str], repeat: int) -> list[float]:
    """Per question, the median over ``repeat`` runs of question → exact top 10, in milliseconds."""
    timings = []
    for question in questions:
        runs = []
        for _ in range(repeat):
            started = time.perf_counter()
            index.scorer.top(query_ids(index, tokenizer, question), 10)
            runs.append((time.perf_counter() - started) * 1000)
        timings.append(statistics.median(runs))
    return timings


def time_reference(index: LoadedIndex, tokenizer, questions: list[str], repeat: int) -> tuple[float, float]:
    """(rank-bm25's ``get_scores`` p50, ours p50) in ms on the same tokens: each question's index terms, given
    to both (ours: BM25 and the exact top 10 from the term numbers; question parsing is left out of both)."""

    reference = RankBm25(index.postings)
    theirs, ours = [], []
    for question in questions:
        ids = query_ids(index, tokenizer, question)
        terms = [index.postings.vocabulary[i] for concept in ids for i in concept]
        theirs.append(timed(lambda terms=terms: reference.model.get_scores(terms)) * 1000)
        ours.append(statistics.median(timed(lambda ids=ids: index.scorer.top(ids, 10)) for _ in range(repeat)) * 1000)
    return statistics.median(theirs), statistics.median(ours)


def measure_size(size: int, settings: BenchSettings, tokenizer, questions: list[str], work: Path) -> dict:
    """Build (in a child), size on disk, load, query p50/p95 and, when small enough, rank-bm25 for one size."""
    folder = work / f"index-{size}"
    builds = [build_in_child(size, folder, settings) for _ in range(max(1, settings.build_repeat))]
    row = {"paragraphs": size}
    for key in builds[0]:
        row[key] = statistics.median(build[key] for build in builds)
    row["index_mb"] = folder_mb(folder)
    loads = []
    for _ in range(max(1, settings.repeat)):
        started = time.perf_counter()
        index = load_index(folder, size)
        loads.append(time.perf_counter() - started)
    row["load_s"] = statistics.median(loads)
    timings = time_queries(index, tokenizer, questions, settings.repeat)
    row["query_p50_ms"], row["query_p95_ms"] = percentile(timings, 0.5), percentile(timings, 0.95)
    if size <= REFERENCE_UP_TO:
        sample = questions[:: max(1, len(questions) // REFERENCE_QUESTIONS)][:REFERENCE_QUESTIONS]
        reference, ours = time_reference(index, tokenizer, sample, settings.repeat)
        row["rank_bm25_p50_ms"], row["scoring_p50_ms"], row["speedup"] = reference, ours, reference / ours
    return row


def dev_questions() -> list[str]:

    lines = default_eval_file().read_text(encoding="utf-8").splitlines()
    return [json.loads(line)["question"] for line in lines if line.strip()]


def measure_bundled(corpus, questions: list[str], work: Path, repeat: int) -> dict:
    """The bundled record in process, index cached: ``Engine.search`` and the whole ``answer()`` per question."""

    engine = open_engine(corpus, cache_dir=work / "bundled-cache")
    search, whole = [], []
    for question in questions:
        answer(question, engine)  # warms the per-corpus context once
        search.append(statistics.median(timed(lambda q=question: engine.search(q, k=10)) for _ in range(repeat)))
        whole.append(statistics.median(timed(lambda q=question: answer(q, engine)) for _ in range(repeat)))
    return {"search_p50_ms": percentile(search, 0.5) * 1000, "answer_p50_ms": percentile(whole, 0.5) * 1000}


def timed(call) -> float:
    started = time.perf_counter()
    call()
    return time.perf_counter() - started


def machine() -> dict:

    memory = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 2**30 if hasattr(os, "sysconf") else 0.0
    return {
        "cores": available_cores(),
        "memory_gb": round(memory, 1),
        "processor": platform.processor() or platform.machine(),
        "system": f"{platform.system()} {platform.release()}",
        "python": platform.python_version(),
    }


def run_bench(settings: BenchSettings, progress=lambda message: None) -> dict:
    """Every measurement of one ``qa bench`` run, as the report's JSON object."""

    corpus, texts = bundled_texts(settings.seeds)
    pool = synthetic.SentencePool.from_texts(texts)
    questions = dev_questions() + synthetic.questions(pool, GENERATED_QUESTIONS)
    tokenizer = default_tokenizer(corpus)
    report = {"machine": machine(), "settings": settings_json(settings, len(questions)), "sizes": []}
    with tempfile.TemporaryDirectory(prefix="qa-bench-") as temporary:
        work = Path(temporary)
        if settings.peers:
            report["peers"] = measure_peers(settings.sizes, tokenizer, texts, questions, work, settings, progress)
            return report
        for size in settings.sizes:
            progress(f"qa bench: {size:,} paragraphs")
            report["sizes"].append(measure_size(size, settings, tokenizer, questions, work))
        if settings.record_mb:
            progress(f"qa bench: parsing one {settings.record_mb:g} MB record")
            source = record_files(settings.seeds or default_seeds_dir())[0]
            report["record"] = measure_record(source, settings.record_mb, work)
        if settings.pdfs is not None:
            progress(f"qa bench: reading the PDFs in {settings.pdfs}")
            report["pdfs"] = measure_pdfs(settings.pdfs, settings.repeat)
        if settings.incremental:
            progress(f"qa bench: {settings.incremental:,} paragraphs in meeting files, then one meeting added")
            report["incremental"] = measure_incremental(settings.incremental, corpus, pool, work)
        if settings.speakers:
            progress(
                f"qa bench: {SPEAKER_QUESTIONS} questions over {settings.speakers:,} speakers, then the bundled record"
            )
            asked = (dev_questions() + synthetic.questions(pool, SPEAKER_QUESTIONS))[:SPEAKER_QUESTIONS]
            report["speakers"] = measure_speakers(corpus, settings.speakers, asked, work, settings.repeat)
        if settings.archive:
            progress(f"qa bench: an archive of {settings.archive:,} paragraphs in meeting files")
            workers = settings.workers or available_cores()
            asked = dev_questions() + synthetic.questions(pool, GENERATED_QUESTIONS)
            report["archive"] = measure_archive(settings.archive, pool, asked, work, settings.repeat, workers)
        progress("qa bench: the bundled record in process")
        report["bundled"] = measure_bundled(corpus, dev_questions(), work, settings.repeat)
        if settings.processes:
            progress("qa bench: qa ask and qa search in new processes")
            report["processes"] = measure_ask(settings, work)
            progress("qa bench: the chat in new processes")
            report["processes"].update(measure_chat(settings, work))
    return report


def settings_json(settings: BenchSettings, questions: int) -> dict:
    return {
        "sizes": list(settings.sizes),
        "repeat": settings.repeat,
        "build_repeat": settings.build_repeat,
        "workers": settings.workers,
        "seed": synthetic.SEED,
        "questions": questions,
        "reference_questions": REFERENCE_QUESTIONS,
        "ask_question": ASK_QUESTION,
        "incremental": settings.incremental,
        "speakers": settings.speakers,
        "archive": settings.archive,
        "peers": settings.peers,
    }
