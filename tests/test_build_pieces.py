"""The index build in pieces (bounded memory on a huge record) gives exactly the index built in one go."""

from __future__ import annotations

import numpy as np

from qa.index import build
from qa.index.open import meeting_items
from qa.index.store import terms as termcache
from qa.index.store.cache import build_postings
from qa.index.workers import item_terms
from qa.text.normalize import normalize


def test_postings_assembled_a_few_terms_at_a_time_equal_the_whole(bundled_corpus, monkeypatch):
    from qa.index.open import default_tokenizer

    tokenizer = default_tokenizer(bundled_corpus)
    (meeting,) = bundled_corpus.meetings
    lists = [item_terms(tokenizer, item) for item in meeting_items(meeting, 2)]
    ids = [f"p{n}" for n in range(len(lists))]
    whole = build_postings(lists, ids)
    monkeypatch.setattr(build, "TERMS_AT_ONCE", 37)  # pieces of one paragraph or a few
    assembler = build.Assembler(chunk=1000)
    half = len(lists) // 2
    assembler.add(termcache.RecordTerms.from_lists(iter(lists[:half])))  # two records, streamed
    assembler.add(termcache.RecordTerms.from_lists(iter(lists[half:])))
    pieces = assembler.postings(ids, None, 0, ())
    assert pieces.vocabulary == whole.vocabulary
    for name in ("indptr", "doc_ids", "tfs", "doc_lengths"):
        assert np.array_equal(getattr(pieces, name), getattr(whole, name)), name


def test_paragraph_spans_cover_every_paragraph_once_in_order():
    offsets = np.cumsum([0, 5, 0, 50, 3, 3, 3, 0, 7])
    spans = list(build.paragraph_spans(offsets, 6))
    assert spans[0][0] == 0 and spans[-1][1] == len(offsets) - 1
    assert all(a[1] == b[0] for a, b in zip(spans, spans[1:], strict=False))
    assert all(last > first for first, last in spans)
    assert all(offsets[last] - offsets[first] <= 6 or last == first + 1 for first, last in spans)


def test_words_in_read_in_small_pieces_finds_the_same_words(bundled_corpus, monkeypatch):
    (meeting,) = bundled_corpus.meetings
    texts = [paragraph.text for _, paragraph in meeting.paragraphs()]
    words = frozenset(
        {
            "集安组织",
            "哈萨克斯坦",
            "维和部队",
            "阿富汗",
            "安全",
            "不存在的词语",
            *(normalize(t)[:3] for t in texts[:50]),
        }
    )
    whole = termcache.words_in(texts, words)
    monkeypatch.setattr(termcache, "TEXT_CHUNK", 40)
    assert termcache.words_in(texts, words) == whole and "集安组织" in whole and "不存在的词语" not in whole
