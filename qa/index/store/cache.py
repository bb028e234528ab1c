"""The index on disk: posting arrays built once, then loaded memory-mapped on every later run.

Layout of one cached index (a folder per seeds folder, under ``paths.user_cache_dir``):
``meta.json`` (key, vocabulary), ``paragraph_ids.json`` and ``indptr.npy``, ``doc_ids.npy``, ``tfs.npy``,
``doc_lengths.npy``. JSON and ``.npy`` loaded with ``allow_pickle=False`` only: a cache file can never run
code. The key covers the records' sha256s, the tokenizer's settings and ``INDEX_VERSION``, so a changed or
added record, stopword list or glossary means a rebuild (announced in one line through ``notify``), which
tokenizes only the records whose terms are not in the term cache (``qa.index.build``, ``qa.index.store.terms``).
Writes go to a temporary folder renamed into place, so an interrupted run never leaves half an index; the
temporary folders of killed runs are removed at the next start (``qa.index.store.files.remove_leftovers``). An
index that cannot be written (a full disk, a read-only cache) is said once per cache and key, not on every run:
``<folder>.unsaved.json`` remembers it.
"""

from __future__ import annotations

import errno
import functools
import hashlib
import json
import os
import shutil
import tempfile
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from qa.index.store.files import remove_leftovers, short_write, temporary_prefix, write_json

INDEX_VERSION = 2
"""Bump when the saved layout or what goes into a paragraph's terms changes."""

ARRAYS = ("indptr", "doc_ids", "tfs", "doc_lengths", "frequencies")
PARAGRAPH_IDS = "paragraph_ids.json"
"""Apart from ``meta.json``: a million ids take a quarter of a second to decode, and a question needs none."""


@dataclass(frozen=True)
class Postings:
    """Term → paragraphs, CSR style: the paragraphs of term t are ``doc_ids[indptr[t]:indptr[t + 1]]``."""

    vocabulary: tuple[str, ...]
    """Terms by id."""
    paragraph_ids: tuple[str, ...]
    """Paragraph ids by document number (corpus order)."""
    indptr: np.ndarray
    """int64, len(vocabulary) + 1 offsets into doc_ids/tfs."""
    doc_ids: np.ndarray
    """int32 document numbers, ascending within each term."""
    tfs: np.ndarray
    """float32 term frequencies, aligned with doc_ids."""
    doc_lengths: np.ndarray
    """int32 number of terms of each document."""
    frequencies: np.ndarray
    """int64 jieba dictionary frequency of each term (0 when jieba does not know it), aligned with vocabulary:
    with ``total`` it lets a question be segmented without loading jieba (``qa.text.tokens.Vocabulary``)."""
    total: int = 0
    """jieba's dictionary total the frequencies are relative to."""
    query_words: dict[str, int] = field(default_factory=dict)
    """Words outside the index a question may still use, with jieba frequencies: stopwords (so they are cut
    off cleanly) and the alias and synonym names that expand to indexed terms (示威 → 抗议)."""
    weights: np.ndarray | None = None
    """float64 BM25 contribution of each posting for the parameters in the cache key (``qa.index.bm25``), so a
    query only adds precomputed numbers; None until computed."""

    def term_ids(self) -> dict[str, int]:
        return {term: number for number, term in enumerate(self.vocabulary)}


def build_postings(
    documents, paragraph_ids, dictionary: dict[str, int] | None = None, total: int = 0, query_words=(), chunk=1 << 20
) -> Postings:
    """Posting arrays from an iterable of term lists (one per paragraph, in corpus order); ``dictionary`` gives
    the terms' (and ``query_words``') jieba frequencies. Documents are consumed as a stream and their
    (term, document, count) triples packed into numpy chunks, so memory stays near the arrays' own size."""
    term_numbers: dict[str, int] = {}
    triples = TripleChunks(chunk)
    lengths: list[int] = []
    for doc, terms in enumerate(documents):
        lengths.append(len(terms))
        counts = Counter(terms)
        triples.extend([term_numbers.setdefault(term, len(term_numbers)) for term in counts], doc, counts.values())
    return finish_postings(term_numbers, paragraph_ids, triples, lengths, dictionary, total, query_words)


def finish_postings(term_numbers: dict[str, int], paragraph_ids, triples, lengths, dictionary, total, query_words):
    """``Postings`` from the term numbering, the collected ``TripleChunks`` and the documents' lengths."""
    indptr, doc_ids, tfs = triples.csr(len(term_numbers))
    dictionary = dictionary or {}
    return Postings(
        vocabulary=tuple(term_numbers),
        paragraph_ids=tuple(paragraph_ids),
        indptr=indptr,
        doc_ids=doc_ids,
        tfs=tfs,
        doc_lengths=np.asarray(lengths, dtype=np.int32),
        frequencies=np.asarray([dictionary.get(term, 0) for term in term_numbers], dtype=np.int64),
        total=int(total),
        query_words={word: dictionary.get(word, 0) for word in query_words if word not in term_numbers},
    )


class TripleChunks:
    """(term, document, count) triples collected in Python lists, packed into int32 arrays every ``size``."""

    def __init__(self, size: int = 1 << 20):
        self.size = size
        self.pending: tuple[list[int], list[int], list[int]] = ([], [], [])
        self.chunks: list[np.ndarray] = []
        self.arrays: list[np.ndarray] = []
        self.arrays_size = 0

    def extend(self, term_ids: list[int], doc: int, counts) -> None:
        """One document's triples at once (a list extend is far cheaper than a call per triple)."""
        terms, docs, tallies = self.pending
        terms.extend(term_ids)
        docs.extend([doc] * len(term_ids))
        tallies.extend(counts)
        if len(terms) >= self.size:
            self.flush()

    def extend_arrays(self, term_ids: np.ndarray, docs: np.ndarray, counts: np.ndarray) -> None:
        """Many documents' triples as arrays (``qa.index.build``), merged into chunks of about ``size``: the sort
        in ``csr`` costs a pass over every term per chunk, so many small chunks would be slow."""
        if self.pending[0]:
            self.flush()
        self.arrays.append(np.stack([term_ids, docs, counts]).astype(np.int32, copy=False))
        self.arrays_size += len(term_ids)
        if self.arrays_size >= self.size:
            self.flush()

    def flush(self) -> None:
        """Pack what is pending, in the order it came (pending arrays are always older than pending lists)."""
        if self.arrays:
            self.chunks.append(np.concatenate(self.arrays, axis=1))
            self.arrays, self.arrays_size = [], 0
        if self.pending[0]:
            self.chunks.append(np.asarray(self.pending, dtype=np.int32))
            self.pending = ([], [], [])

    def csr(self, terms: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """(indptr, doc_ids, tfs) grouped by term, documents ascending: a counting sort chunk by chunk, so the
        peak is the chunks plus the two result arrays (not a global argsort and its copies)."""
        self.flush()
        indptr = np.zeros(terms + 1, dtype=np.int64)
        for chunk in self.chunks:
            indptr[1:] += np.bincount(chunk[0], minlength=terms)
        np.cumsum(indptr, out=indptr)
        doc_ids = np.empty(indptr[-1], dtype=np.int32)
        tfs = np.empty(indptr[-1], dtype=np.float32)
        filled = indptr[:-1].copy()
        while self.chunks:
            chunk = self.chunks.pop(0)
            order = np.argsort(chunk[0], kind="stable")  # chunks come in document order; stable keeps it
            term = chunk[0][order]
            rank = np.arange(len(term)) - np.searchsorted(term, term)
            places = filled[term] + rank
            doc_ids[places] = chunk[1][order]
            tfs[places] = chunk[2][order]
            filled += np.bincount(term, minlength=terms)
        return indptr, doc_ids, tfs


def cache_key(record_digests: list[str], tokenizer_settings: dict) -> str:
    payload = {"index_version": INDEX_VERSION, "records": record_digests, "tokenizer": tokenizer_settings}
    return hashlib.sha256(json.dumps(payload, sort_keys=True).encode()).hexdigest()


def index_folder(cache_root: Path, corpus_root: str) -> Path:
    """One cached index per seeds folder, so switching --seeds does not throw the other index away."""
    name = hashlib.sha256(str(corpus_root).encode()).hexdigest()[:16]
    return Path(cache_root) / "index" / name


def save(postings: Postings, folder: Path, key: str) -> None:
    """Write atomically: a temporary sibling folder, then renamed over the old one."""
    folder.parent.mkdir(parents=True, exist_ok=True)
    temporary = Path(tempfile.mkdtemp(prefix=temporary_prefix("building"), dir=folder.parent))
    try:
        write_arrays(postings, temporary, key)
    except OSError as error:
        shutil.rmtree(temporary, ignore_errors=True)
        raise short_write(error) from None
    try:
        if folder.exists():
            old = folder.with_name(f".old-{folder.name}-{os.getpid()}")
            os.replace(folder, old)
            shutil.rmtree(old, ignore_errors=True)
        try:
            os.replace(temporary, folder)
        except OSError as error:
            # Another process renamed the same index into place first: nothing is left to do.
            if error.errno not in (errno.ENOTEMPTY, errno.EEXIST) or not (folder / "meta.json").is_file():
                raise
    finally:
        shutil.rmtree(temporary, ignore_errors=True)


def write_arrays(postings: Postings, temporary: Path, key: str) -> None:
    """The index's files into ``temporary``: the arrays first, ``meta.json`` (which marks an index) last."""
    for name in ARRAYS:
        np.save(temporary / f"{name}.npy", getattr(postings, name), allow_pickle=False)
    if postings.weights is not None:
        np.save(temporary / "weights.npy", postings.weights, allow_pickle=False)
    meta = {
        "key": key,
        "total": postings.total,
        "query_words": postings.query_words,
        "vocabulary": postings.vocabulary,
        "paragraphs": len(postings.paragraph_ids),
    }
    ids = json.dumps(list(postings.paragraph_ids), ensure_ascii=False)
    (temporary / PARAGRAPH_IDS).write_text(ids, encoding="utf-8")
    (temporary / "meta.json").write_text(json.dumps(meta, ensure_ascii=False), encoding="utf-8")


def load(folder: Path, key: str, full: bool = True) -> Postings | None:
    """The cached postings when present and made for ``key``; None when absent or stale. ``full=False`` checks
    shapes and offsets but not every posting's value (which reads the whole index).

    Raises ``ValueError`` (or ``OSError``) when the files are damaged.
    """
    meta_path = folder / "meta.json"
    if not meta_path.is_file():
        return None
    meta = json.loads(meta_path.read_text(encoding="utf-8"))
    if not isinstance(meta, dict):
        raise ValueError("meta.json is not a JSON object")
    if meta.get("key") != key:
        return None
    if "paragraph_ids" in meta:  # written before the ids had a file of their own
        ids = tuple(meta["paragraph_ids"])
    elif not (folder / PARAGRAPH_IDS).is_file():
        raise ValueError(f"{PARAGRAPH_IDS} is missing")
    else:
        ids = ParagraphIds(folder / PARAGRAPH_IDS, int(meta["paragraphs"]))
    names = [*ARRAYS, "weights"] if (folder / "weights.npy").exists() else ARRAYS
    arrays = {name: np.load(folder / f"{name}.npy", mmap_mode="r", allow_pickle=False) for name in names}
    postings = Postings(
        tuple(meta["vocabulary"]),
        ids,
        total=int(meta["total"]),
        query_words=dict(meta["query_words"]),
        **arrays,
    )
    check(postings, full)
    return postings


INTEGER_ARRAYS = ("indptr", "doc_ids", "doc_lengths", "frequencies")


class ParagraphIds(Sequence):
    """The paragraph ids of a saved index, read from their file when first asked for."""

    def __init__(self, path: Path, count: int):
        self.path, self.count = path, count

    @functools.cached_property
    def ids(self) -> tuple[str, ...]:
        ids = json.loads(self.path.read_text(encoding="utf-8"))
        if not isinstance(ids, list) or len(ids) != self.count:
            raise ValueError(f"{self.path}: not the index's {self.count} paragraph ids")
        return tuple(ids)

    def __len__(self) -> int:
        return self.count

    def __getitem__(self, position):
        return self.ids[position]


def check(postings: Postings, full: bool = True) -> None:
    """Types, shapes and bounds agree, so a truncated or edited cache is caught before it gives wrong scores
    or a traceback mid-search (``full``: every posting's document number and weight too)."""
    numeric = [(name, getattr(postings, name)) for name in (*INTEGER_ARRAYS, "tfs", "weights")]
    if any(array is not None and array.ndim != 1 for _, array in numeric):
        raise ValueError("an index array is not one-dimensional")
    if any(not np.issubdtype(getattr(postings, name).dtype, np.integer) for name in INTEGER_ARRAYS):
        raise ValueError("an index array that holds counts or positions is not of integers")
    if any(array is not None and not np.issubdtype(array.dtype, np.number) for _, array in numeric):
        raise ValueError("an index array is not numeric")
    terms, docs = len(postings.vocabulary), len(postings.paragraph_ids)
    indptr = postings.indptr
    if len(indptr) > 1 and np.any(np.diff(indptr) < 0):
        raise ValueError("posting offsets decrease")
    if full and postings.weights is not None and not np.isfinite(postings.weights).all():
        raise ValueError("a posting weight is not a finite number")
    if indptr.shape != (terms + 1,) or postings.doc_lengths.shape != (docs,) or len(postings.frequencies) != terms:
        raise ValueError("array sizes do not match the vocabulary or the paragraphs")
    if indptr[0] != 0 or indptr[-1] != len(postings.doc_ids) or postings.tfs.shape != postings.doc_ids.shape:
        raise ValueError("posting offsets do not match the posting arrays")
    if postings.weights is not None and postings.weights.shape != postings.doc_ids.shape:
        raise ValueError("posting weights do not match the postings")
    if full and len(postings.doc_ids) and (postings.doc_ids.min() < 0 or postings.doc_ids.max() >= docs):
        raise ValueError("a posting points outside the paragraphs")


def cached_postings(
    build: Callable[[Callable[[str], None]], Postings],
    folder: Path,
    key: str,
    notify: Callable[[str], None],
) -> Postings:
    """Load the index for ``key`` from ``folder``, else build it and try to save it.

    ``build(announce)`` calls ``announce`` once with what the rebuild involves ("1 of 12 records re-tokenized"),
    which becomes the end of the one-line notice when an index was there but stale or damaged."""
    remove_leftovers(folder.parent)
    had_index = (folder / "meta.json").exists()
    reason = None
    try:
        postings = load(folder, key)
        if postings is not None:
            return postings
        if had_index:
            reason = "qa: records or settings changed; rebuilding the index"
    except (OSError, ValueError, KeyError, TypeError) as error:
        reason = f"qa: index cache at {folder} is damaged ({error.__class__.__name__}); rebuilding it"

    def announce(detail: str) -> None:
        if reason is not None:
            notify(f"{reason}: {detail}")

    postings = build(announce)
    try:
        save(postings, folder, key)
    except OSError as error:
        message = f"qa: cannot write the index cache at {folder} ({error.strerror or error}); continuing without it"
        if not said_before(folder, key, message):
            notify(message)
    else:
        unsaved_path(folder).unlink(missing_ok=True)
    return postings


def unsaved_path(folder: Path) -> Path:
    return folder.with_name(f"{folder.name}.unsaved.json")


def said_before(folder: Path, key: str, message: str) -> bool:
    """Whether this failure to save was already reported for this index and key; remembers it if it can (on a
    full disk a few bytes usually still fit; a read-only cache repeats its notice, as nothing can be kept)."""
    marker = {"key": key, "notice": message}
    try:
        if json.loads(unsaved_path(folder).read_text(encoding="utf-8")) == marker:
            return True
    except (OSError, ValueError):
        pass
    write_json(unsaved_path(folder), marker)
    return False
