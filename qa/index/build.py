"""The index build: each record's terms from the term cache or, when it has no valid entry, from the tokenizer;
then the posting arrays assembled from them with NumPy.

So adding, changing or removing one record re-tokenizes that record alone (``qa.index.store.terms`` explains why a
record's terms depend on nothing else). The records to tokenize go to ``qa.index.workers`` as one stream, spread over
the cores as a whole build's are; the others are read back, each turned into (term, paragraph, count) triples
with one ``np.unique``. The postings come out identical to ``qa.index.store.cache.build_postings`` on the same term
lists, term numbers included.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from itertools import islice
from pathlib import Path

import numpy as np

from qa.index.store import cache
from qa.index.store import terms as termcache
from qa.index.store.cache import Postings, TripleChunks, finish_postings
from qa.index.store.terms import RecordTerms
from qa.index.workers import token_lists
from qa.text.tokens import segmenter

Item = tuple[str, str, int]
"""What a paragraph is indexed under: (text, speaker names, name repeats), see ``qa.index.open.paragraph_item``."""


TERMS_AT_ONCE = 1 << 22
"""Terms of a record turned into triples at once: ``np.unique`` over a 200 MB record's 40 million terms in one go
took some 2 GB of temporary arrays; pieces of whole paragraphs give the same triples in the same order."""


def paragraph_spans(offsets: np.ndarray, size: int) -> Iterator[tuple[int, int]]:
    """(first, last) paragraph ranges, each of about ``size`` terms (one paragraph at least), in order."""
    paragraphs, first = len(offsets) - 1, 0
    while first < paragraphs:
        last = int(np.searchsorted(offsets, offsets[first] + size, side="right")) - 1
        last = min(max(last, first + 1), paragraphs)
        yield first, last
        first = last


class Assembler:
    """Collects records' terms in corpus order into the triples of ``qa.index.store.cache.TripleChunks``."""

    def __init__(self, chunk: int = 1 << 20):
        self.term_numbers: dict[str, int] = {}
        self.triples = TripleChunks(chunk)
        self.lengths: list[np.ndarray] = []
        self.documents = 0

    def add(self, terms: RecordTerms) -> None:
        """One record's paragraphs, numbered after those already added."""
        numbers, size = self.term_numbers, len(terms.vocabulary)
        unseen = [term for term in terms.vocabulary if term not in numbers]
        numbers.update(zip(unseen, range(len(numbers), len(numbers) + len(unseen)), strict=True))
        global_ids = np.fromiter(map(numbers.__getitem__, terms.vocabulary), np.int64, size)
        lengths = np.diff(terms.offsets)
        width = max(size, 1)
        for first, last in paragraph_spans(terms.offsets, TERMS_AT_ONCE):
            ids = terms.ids[terms.offsets[first] : terms.offsets[last]]
            local_docs = np.repeat(np.arange(first, last, dtype=np.int64), lengths[first:last])
            pairs, counts = np.unique(local_docs * width + ids, return_counts=True)  # by paragraph, then term
            self.triples.extend_arrays(global_ids[pairs % width], self.documents + pairs // width, counts)
        self.lengths.append(lengths)
        self.documents += len(lengths)

    def postings(self, paragraph_ids, dictionary, total: int, query_words) -> Postings:
        lengths = np.concatenate(self.lengths) if self.lengths else np.zeros(0, dtype=np.int64)
        return finish_postings(self.term_numbers, paragraph_ids, self.triples, lengths, dictionary, total, query_words)


def record_keys(records: Sequence[Sequence[Item]], tokenizer) -> list[str]:
    """Each record's term cache key: its items, the user words it contains, the fixed tokenizer settings."""
    dictionary = segmenter(tokenizer.user_words)
    settings = {**tokenizer.record_settings(), "jieba_total": dictionary.total, "index_version": cache.INDEX_VERSION}
    keys = []
    for items in records:
        texts = [text for text, _, _ in items] + list(dict.fromkeys(names for _, names, _ in items))
        keys.append(termcache.record_key(items, termcache.words_in(texts, dictionary.added_words), settings))
    return keys


def corpus_postings(
    records: Sequence[Sequence[Item]],
    paragraph_ids: Sequence[str],
    tokenizer,
    folder: Path,
    announce: Callable[[str], None] = lambda detail: None,
) -> Postings:
    """The postings of ``records`` (each a record's items, in corpus order), tokenizing only those without a
    valid entry in ``folder``; ``announce`` hears how many that is before the work starts. Entries of records
    no longer in the corpus are removed."""

    keys = record_keys(records, tokenizer)
    missing = {n for n, key in enumerate(keys) if termcache.load(folder, key, len(records[n])) is None}
    announce(f"{len(missing)} of {len(records)} records re-tokenized")
    wanted = (item for n in sorted(missing) for item in records[n])
    fresh = token_lists(tokenizer, wanted, size_hint=sum(len(records[n]) for n in missing))
    assembler = Assembler()
    last_missing = max(missing, default=-1)
    for n, (items, key) in enumerate(zip(records, keys, strict=True)):
        terms = record_terms(folder, key, items, tokenizer, fresh if n in missing else None)
        if n == last_missing:
            fresh.close()  # the tokenizing workers end (and give their memory back) before the last triples
        assembler.add(terms)
    termcache.prune(folder, set(keys))
    dictionary = segmenter(tokenizer.user_words)
    return assembler.postings(paragraph_ids, dictionary.FREQ, dictionary.total, tokenizer.query_dictionary())


def record_terms(folder: Path, key: str, items: Sequence[Item], tokenizer, fresh: Iterator | None) -> RecordTerms:
    """A record's terms: the next ones of the ``fresh`` stream when it was missing, else its entry, read
    again (should it have vanished since, e.g. removed by another build, it is tokenized here)."""

    terms = termcache.load(folder, key, len(items)) if fresh is None else None
    if terms is None:
        source = fresh if fresh is not None else token_lists(tokenizer, items, workers=1)
        terms = RecordTerms.from_lists(islice(source, len(items)))
        termcache.save(folder, key, terms)
    return terms
