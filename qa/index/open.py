"""Opening the search engine for a corpus or a seeds folder: the index from the cache or built now, the
tokenizer derived from the corpus (or its saved tables), and the snapshot that lets an unchanged folder skip
parsing. The one place that ties records, tokenizer, index store and ``Engine`` together, so the store stays a
leaf that knows nothing of the engine.
"""

from __future__ import annotations

import hashlib
import sqlite3
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path

from qa.errors import UserError
from qa.index.bm25 import SCORERS, Bm25Params, posting_weights
from qa.index.build import corpus_postings
from qa.index.engine import Engine, Ranking
from qa.index.store import cache, snapshot
from qa.index.store.cache import Postings, cache_key, cached_postings, index_folder
from qa.index.store.terms import terms_folder
from qa.index.workers import item_terms
from qa.paths import user_cache_dir
from qa.records.load import load_corpus
from qa.records.model import Corpus, Meeting, Paragraph, Speech
from qa.text.aliases import build_aliases, build_synonyms
from qa.text.tokens import Tokenizer, corpus_user_words, speaker_names


def paragraph_item(speech: Speech, paragraph: Paragraph, field_weight: int = 1) -> tuple[str, str, int]:
    """What a paragraph is indexed under: its text, and its speaker's names (a searchable field, counted
    ``field_weight`` times); ``qa.index.workers`` tokenizes it."""
    return paragraph.text, speaker_field(speech), field_weight


def speaker_field(speech: Speech) -> str:
    return " ".join(speaker_names(speech))


def meeting_items(meeting: Meeting, field_weight: int = 1) -> list[tuple[str, str, int]]:
    """``paragraph_item`` of each of a meeting's paragraphs, the speaker field made once per speech (once per
    paragraph, it took a fifth of a rebuild at 100,000 paragraphs)."""
    return [
        (paragraph.text, names, field_weight)
        for speech in meeting.speeches
        for names in [speaker_field(speech)]
        for paragraph in speech.paragraphs
    ]


def paragraph_terms(tokenizer: Tokenizer, speech: Speech, paragraph: Paragraph, field_weight: int = 1) -> list[str]:
    return item_terms(tokenizer, paragraph_item(speech, paragraph, field_weight))


def corpus_fingerprint(corpus: Corpus) -> list[str]:
    """The records' sha256s plus a digest of how they were parsed (ids, speakers, text lengths), so a parser
    change that moves paragraphs also invalidates the cache."""
    layout = hashlib.sha256()
    for _, speech, paragraph in corpus.paragraphs():
        layout.update(f"{paragraph.id}\t{speech.label}\t{speech.person}\t{len(paragraph.text)}\n".encode())
    return [meeting.sha256 for meeting in corpus.meetings] + [layout.hexdigest()]


def default_tokenizer(corpus: Corpus) -> Tokenizer:
    """Stopwords from qa/text/data, aliases from the corpus and the glossary, the corpus's names kept whole."""
    texts = (paragraph.text for _, _, paragraph in corpus.paragraphs())
    aliases = build_aliases(texts, [speech.affiliation for _, speech in corpus.speeches()])
    synonyms = build_synonyms()
    words = corpus_user_words(corpus, aliases) | (synonyms.chinese_names() if synonyms else set())
    return Tokenizer(user_words=words, aliases=aliases, synonyms=synonyms)


def settings_of(ranking: Ranking, params: Bm25Params) -> dict:
    """What the saved index depends on beyond the records and the tokenizer."""
    return {"field_weight": ranking.field_weight, "k1": params.k1, "b": params.b}


DEFAULT_SETTINGS = settings_of(Ranking(), Bm25Params())


def open_engine(
    corpus: Corpus,
    *,
    cache_dir=None,
    scorer: str = "maxscore",
    notify: Callable[[str], None] = lambda message: None,
    tokenizer: Tokenizer | None = None,
    params: Bm25Params | None = None,
    ranking: Ranking | None = None,
) -> Engine:
    """The search engine for ``corpus``, its index loaded from the cache or built (and cached) now."""
    if scorer not in SCORERS:
        raise UserError(f"unknown scorer {scorer!r}; choose one of: {', '.join(SCORERS)}")
    folder = index_folder(user_cache_dir(cache_dir), corpus.root)
    tables_key = snapshot.tokenizer_key(corpus_fingerprint(corpus)) if tokenizer is None else None
    saved_tokenizer = snapshot.cached_tokenizer(folder, tables_key) if tokenizer is None else None
    tokenizer = tokenizer or saved_tokenizer or default_tokenizer(corpus)
    ranking = ranking or Ranking()
    params = params or Bm25Params()
    index_settings = settings_of(ranking, params)
    key = cache_key(corpus_fingerprint(corpus), {**tokenizer.settings(), **index_settings})

    def build(announce: Callable[[str], None]) -> Postings:
        ids = [p.id for _, _, p in corpus.paragraphs()]
        records = [meeting_items(meeting, ranking.field_weight) for meeting in corpus.meetings]
        terms = terms_folder(user_cache_dir(cache_dir), folder)
        postings = corpus_postings(records, ids, tokenizer, terms, announce)  # paragraph_terms, cached per record
        return replace(postings, weights=posting_weights(postings, params))

    postings = cached_postings(build, folder, key, notify)
    if tables_key is not None and saved_tokenizer is None:  # derived now: saved for the next run
        snapshot.save_tokenizer(folder, tables_key, tokenizer)
    opened = Engine(corpus, tokenizer, postings, scorer=scorer, params=params, ranking=ranking)
    opened.index_key = key
    return opened


def open_records(seeds_dir: Path, *, cache_dir=None, notify=lambda message: None, on_corpus=lambda corpus: None):
    """The search engine for the records in ``seeds_dir``: from the snapshot and the cached index when nothing
    changed (no record read, no jieba), else parsed and opened by ``open_engine``, then snapshotted.

    ``on_corpus(corpus)`` is called with the corpus either way (to warn about skipped records).
    """
    folder = index_folder(user_cache_dir(cache_dir), str(seeds_dir))
    key = snapshot.quick_key(seeds_dir, DEFAULT_SETTINGS)
    saved = snapshot.load_snapshot(folder, key)
    if saved is not None:
        engine = engine_from_snapshot(folder, saved)
        if engine is not None:
            on_corpus(engine.corpus)
            return engine
    corpus = load_corpus(seeds_dir, user_cache_dir(cache_dir))  # only the changed records are parsed
    on_corpus(corpus)
    engine = open_engine(corpus, cache_dir=cache_dir, notify=notify)
    snapshot.save_snapshot(folder, key, engine)
    return engine


def engine_from_snapshot(folder: Path, saved: dict) -> Engine | None:
    """The engine from a snapshot and its index, or None when either is damaged or gone (then: a normal open).
    The posting arrays get the full check of their values only when their files changed since the snapshot."""
    try:
        corpus, unchanged = snapshot.snapshot_corpus(folder, saved)
        postings = cache.load(folder, saved["index_key"], full=not unchanged)
        if postings is None or len(postings.doc_lengths) != corpus.meetings.store.paragraph_count:
            return None
        engine = Engine(corpus, snapshot.tokenizer_from_tables(saved["tokenizer"]), postings)
    except (KeyError, TypeError, ValueError, OSError, AttributeError, sqlite3.Error, UserError):
        return None
    engine.index_key = saved["index_key"]
    return engine
