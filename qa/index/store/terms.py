"""Each record's paragraph terms on disk, so that a rebuild re-tokenizes only the records that changed.

Tokenizing is most of an index build (jieba, about 400k characters per second on one core); assembling the
posting arrays from term lists is cheap. So every record's terms are kept, one entry per record, under
``<cache>/terms/<seeds folder digest>/<key>/``: ``terms.json`` (the key, the record's own vocabulary in
first-use order, its paragraph count), ``ids.npy`` (int32 term ids, paragraph after paragraph) and
``offsets.npy`` (int64, where each paragraph's ids start). JSON and ``.npy`` read with ``allow_pickle=False``
only; an entry is written into a temporary folder renamed into place, and one that fails ``check`` is
treated as missing (re-tokenized and written again), never as an error.

The key (``record_key``) is everything a paragraph's terms depend on: the indexed text and speaker names of
each paragraph, the tokenizer's fixed settings (version, stopwords, synonyms, jieba's dictionary) and the
corpus's user words that occur in the record. The user words are the only corpus-wide input, and one can
change how a text is cut only if the text contains it (``qa.text.tokens.segmenter`` keeps jieba's total fixed
and gives each word a frequency from the words inside it), so a record's entry survives other records being
added, changed or removed unless they bring or take away a name the record itself uses.
"""

from __future__ import annotations

import functools
import hashlib
import json
import os
import shutil
import tempfile
from array import array
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from qa.index.store.files import prune_entries, temporary_prefix
from qa.text.normalize import normalize

TERMS_VERSION = 1
"""Bump when the entries' layout changes: it is part of every key."""


@dataclass(frozen=True)
class RecordTerms:
    """One record's paragraphs' terms: paragraph p's are ``vocabulary[ids[offsets[p]:offsets[p + 1]]]``."""

    vocabulary: tuple[str, ...]
    """The record's distinct terms, in order of first use (so the index's term numbers come out as a build
    straight from the term lists numbers them)."""
    ids: np.ndarray
    """int32 numbers into ``vocabulary``, paragraph after paragraph, repeats kept."""
    offsets: np.ndarray
    """int64, one more than the paragraphs: where each paragraph's ids start."""

    @classmethod
    def from_lists(cls, term_lists: Iterable[Sequence[str]]) -> RecordTerms:
        """From the paragraphs' term lists, consumed one at a time: a record of 200 MB has some 40 million
        terms, which as Python lists (or a list of ints) would take gigabytes; as int32 arrays, 160 MB."""
        numbers: dict[str, int] = {}
        ids, lengths = array("i"), array("q", [0])
        for terms in term_lists:
            ids.extend([numbers.setdefault(term, len(numbers)) for term in terms])
            lengths.append(len(terms))
        offsets = np.cumsum(np.frombuffer(lengths, dtype=np.int64))
        return cls(tuple(numbers), np.frombuffer(ids, dtype=np.int32).copy(), offsets)

    def lists(self) -> list[list[str]]:
        """The term lists back, paragraph by paragraph."""
        bounds, words = self.offsets.tolist(), self.vocabulary
        return [[words[i] for i in self.ids[bounds[p] : bounds[p + 1]].tolist()] for p in range(len(bounds) - 1)]


def check(terms: RecordTerms, paragraphs: int) -> None:
    """Types, shapes and bounds agree with a record of ``paragraphs`` paragraphs; ValueError if not."""
    ids, offsets = terms.ids, terms.offsets
    if not set(map(type, terms.vocabulary)) <= {str}:
        raise ValueError("a term is not a string")
    if ids.dtype != np.int32 or offsets.dtype != np.int64 or ids.ndim != 1 or offsets.shape != (paragraphs + 1,):
        raise ValueError("term arrays of the wrong type or shape")
    if offsets[0] != 0 or offsets[-1] != len(ids) or np.any(np.diff(offsets) < 0):
        raise ValueError("paragraph offsets do not match the term ids")
    if len(ids) and (ids.min() < 0 or ids.max() >= len(terms.vocabulary)):
        raise ValueError("a term id is outside the vocabulary")


def terms_folder(cache_root: Path, index_folder: Path) -> Path:
    """The entries of one seeds folder, beside (not inside: it is replaced whole) its index folder."""
    return Path(cache_root) / "terms" / index_folder.name


@dataclass(frozen=True)
class WordIndex:
    """What ``words_in`` looks words up with."""

    words: frozenset[str]
    prefixes: frozenset[str]
    """Every beginning of a word, two characters or more, the words included."""
    openings: tuple[np.ndarray, np.ndarray]
    """Sorted ``gram_codes`` of the two-character words, and of the first three characters of the longer ones."""


@functools.lru_cache(maxsize=4)
def word_index(words: frozenset[str]) -> WordIndex:
    prefixes = frozenset(word[:end] for word in words for end in range(2, len(word) + 1))
    pairs = [gram_codes(word, 2) for word in words if len(word) == 2]
    triples = [gram_codes(word[:3], 3) for word in words if len(word) > 2]
    openings = tuple(np.unique(np.concatenate([*codes, np.zeros(0, np.uint64)])) for codes in (pairs, triples))
    return WordIndex(words, prefixes, openings)


def gram_codes(text: str, size: int) -> np.ndarray:
    """One number per run of ``size`` (2 or 3) neighbouring characters (21 bits per code point), in NumPy."""
    points = np.frombuffer(text.encode("utf-32-le", "surrogatepass"), dtype=np.uint32).astype(np.uint64)
    codes = np.zeros(max(len(points) - size + 1, 0), dtype=np.uint64)
    for offset in range(size):
        codes = (codes << np.uint64(21)) | points[offset : offset + len(codes)]
    return codes


def words_in(texts: Iterable[str], words: frozenset[str]) -> list[str]:
    """The ``words`` (two characters or more) that occur in the normalised ``texts``, sorted.

    Where a word can start (its first two characters, or three for a longer word) is found for the whole
    text at once in NumPy; from each such place the text is read on while it is the beginning of some word
    (as jieba builds its word graph). A regular expression of all the words (a trie) was as fast for a
    hundred words but slowed down with every word the corpus added (the engine tries the branches one by
    one), and all the Council's records name thousands of speakers."""
    index = word_index(words)
    found: set[str] = set()
    for text in joined(texts):
        found |= words_in_text(text, index)
    return sorted(found & index.words)


TEXT_CHUNK = 1 << 20
"""Characters of text looked through at once: the NumPy arrays take 8 bytes (and their sort more) a character,
so a whole record of 200 MB at once would take gigabytes."""


def joined(texts: Iterable[str]) -> Iterable[str]:
    """The normalised texts joined by line breaks, in pieces of about ``TEXT_CHUNK`` characters cut between texts
    (no word holds a line break, so no word is cut)."""
    size = TEXT_CHUNK
    pending: list[str] = []
    length = 0
    for text in texts:
        pending.append(normalize(text))
        length += len(pending[-1]) + 1
        if length >= size:
            yield "\n".join(pending)
            pending, length = [], 0
    if pending:
        yield "\n".join(pending)


def words_in_text(text: str, index: WordIndex) -> set[str]:
    """Every beginning of a word (two characters or more) found in ``text``; the caller keeps the whole words."""
    starts: set[int] = set()
    for size, openings in zip((2, 3), index.openings, strict=True):
        if len(openings) and len(text) >= size:
            starts.update(np.flatnonzero(np.isin(gram_codes(text, size), openings)).tolist())
    found, prefixes, length = set(), index.prefixes, len(text)
    for start in starts:
        end = start + 2
        while end <= length and (piece := text[start:end]) in prefixes:
            found.add(piece)
            end += 1
    return found


def record_key(items: Sequence[tuple[str, str, int]], user_words: Sequence[str], settings: dict) -> str:
    """The digest of everything a record's terms depend on: its (text, names, repeats) items as
    ``qa.index.open.paragraph_item`` makes them, the user words they contain, the fixed tokenizer settings."""
    digest = hashlib.sha256(json.dumps([TERMS_VERSION, settings, list(user_words)], sort_keys=True).encode())
    for text, names, repeat in items:
        digest.update(f"{repeat}\x1e{names}\x1e{text}\x1d".encode())
    return digest.hexdigest()[:40]


def load(folder: Path, key: str, paragraphs: int) -> RecordTerms | None:
    """The entry for ``key``, or None when it is missing, damaged or not for a record of ``paragraphs``."""
    entry = folder / key
    try:
        meta = json.loads((entry / "terms.json").read_text(encoding="utf-8"))
        if not isinstance(meta, dict) or meta.get("key") != key or not isinstance(meta.get("vocabulary"), list):
            return None
        ids = np.load(entry / "ids.npy", allow_pickle=False)
        offsets = np.load(entry / "offsets.npy", allow_pickle=False)
        terms = RecordTerms(tuple(meta["vocabulary"]), ids, offsets)
        check(terms, paragraphs)
    except (OSError, ValueError, TypeError, EOFError):
        return None
    return terms


def save(folder: Path, key: str, terms: RecordTerms) -> None:
    """Write an entry atomically (a temporary folder renamed into place); best effort, as a failure only
    costs a later build this record's tokenizing (the index cache reports an unwritable cache)."""
    try:
        folder.mkdir(parents=True, exist_ok=True)
        temporary = Path(tempfile.mkdtemp(prefix=temporary_prefix("writing"), dir=folder))
    except OSError:
        return
    try:
        meta = {"key": key, "paragraphs": len(terms.offsets) - 1, "vocabulary": terms.vocabulary}
        (temporary / "terms.json").write_text(json.dumps(meta, ensure_ascii=False), encoding="utf-8")
        np.save(temporary / "ids.npy", terms.ids, allow_pickle=False)
        np.save(temporary / "offsets.npy", terms.offsets, allow_pickle=False)
        target = folder / key
        if target.exists():  # a damaged entry: moved aside, since a folder cannot be renamed over a full one
            os.replace(target, folder / f".old-{key}-{os.getpid()}")
            shutil.rmtree(folder / f".old-{key}-{os.getpid()}", ignore_errors=True)
        os.replace(temporary, target)
    except OSError:
        return
    finally:
        shutil.rmtree(temporary, ignore_errors=True)


def prune(folder: Path, keep: set[str]) -> None:
    """Remove the entries of records no longer in the corpus (or changed), and old interrupted writes."""
    prune_entries(folder, keep)
