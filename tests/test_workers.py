"""Tokenization over several processes gives the same terms, in the same order, as in process."""

from __future__ import annotations

import pytest

from qa.index import workers
from qa.index.open import default_tokenizer, paragraph_terms
from qa.text.tokens import speaker_names


@pytest.mark.parametrize(("fork_up_to_mb", "method"), [(10**6, "fork"), (0, "spawn")])
def test_pool_gives_paragraph_terms_in_corpus_order(bundled_corpus, monkeypatch, fork_up_to_mb, method):
    """Forked from a small parent, spawned from a large one (whose pages forked workers would count and copy)."""
    monkeypatch.setattr(workers, "BLOCK", 50)  # several blocks in flight
    monkeypatch.setattr(workers, "CHUNK", 7)
    monkeypatch.setattr(workers, "FORK_UP_TO_MB", fork_up_to_mb)
    assert workers.resident_mb() > 10 and workers.start_method() == method
    tokenizer = default_tokenizer(bundled_corpus)
    entries = list(bundled_corpus.paragraphs())
    items = [(p.text, " ".join(speaker_names(s)), 2) for _, s, p in entries]
    pooled = list(workers.token_lists(tokenizer, iter(items), workers=2))
    assert pooled == [paragraph_terms(tokenizer, s, p, 2) for _, s, p in entries]
    assert list(workers.token_lists(tokenizer, items, workers=2, size_hint=len(items))) == pooled  # in process


def test_blocks_cover_every_item_once():
    assert list(workers.blocks(range(7), 3)) == [[0, 1, 2], [3, 4, 5], [6]]
    assert list(workers.blocks([], 3)) == []


def test_closing_the_stream_ends_the_workers(bundled_corpus, monkeypatch):
    """A build closes the stream once it has the terms it needs, so the workers' memory is given back before the
    last record's postings are assembled (on one 200 MB record they held about 230 MB through it)."""
    import multiprocessing

    monkeypatch.setattr(workers, "BLOCK", 50)
    monkeypatch.setattr(workers, "CHUNK", 7)
    tokenizer = default_tokenizer(bundled_corpus)
    items = [(p.text, "", 1) for _, _, p in bundled_corpus.paragraphs()]
    stream = workers.token_lists(tokenizer, iter(items), workers=2)
    assert next(stream) == workers.item_terms(tokenizer, items[0]) and multiprocessing.active_children()
    stream.close()
    assert multiprocessing.active_children() == []
