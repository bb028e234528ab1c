"""Retrieval: ranked paragraphs for a question, each with who said it, for whom, where.

A paragraph's terms are its text's terms plus its speaker's names (name, person, affiliation, role as
printed), so "中国对阿富汗局势怎么看" favours China's paragraphs about Afghanistan; a question that names a
speaker or a country (or one of their aliases) also multiplies that speaker's paragraph scores by
``1 + speaker_boost``. The tokenizer is injected (``open_engine(..., tokenizer=)``); the postings come from
the cache (``qa.index.store.cache``); the scores from ``qa.index.bm25``.

Measured on tests/data/dev.jsonl (recall@1 / recall@3 / recall@5 / MRR@10, retrieval alone; the plain
jieba + BM25Okapi pipeline of the eval README: 0.63 / 0.71 / 0.74 / 0.68):
- everything (``Ranking()``): 0.771 / 0.914 / 0.914 / 0.838
- BM25 only (``Ranking.plain()``): 0.714 / 0.857 / 0.857 / 0.776
- without the previous paragraph's share: 0.743 / 0.886 / 0.914 / 0.821; without the speaker boost:
  0.771 / 0.886 / 0.886 / 0.824; speaker field once instead of twice: same figures (kept: speaker@1 of
  the top hit 0.969 against 0.938 in the first sweep)
- without synonyms: 0.714 / 0.829 / 0.886 / 0.778; without aliases and synonyms: 0.714 / 0.800 / 0.857 / 0.765
- a flat speaker boost for every named name, 集安组织 included, lowered MRR (0.757 → 0.682): hence
  ``name_share`` and no boost for who-questions (``ASKS_FOR_SPEAKER``).
Two of the three misses are paragraphs the parser split mid-sentence at a page break (the evidence spans
two paragraphs), which no ranking can retrieve whole.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass, field, replace

import numpy as np

from qa.index.bm25 import SCORERS, NumpyBm25, top_k
from qa.index.copies import Copies
from qa.index.layout import corpus_layout
from qa.index.maxscore import Spread, scored
from qa.index.speakers import SpeakerNames
from qa.index.store.cache import Postings
from qa.index.store.corpusdb import Entries
from qa.paths import cited_path
from qa.records.citation import record_url
from qa.records.model import Meeting, Paragraph, Speech
from qa.text.normalize import normalize
from qa.text.tokens import Vocabulary

LOOK_UP_MEETINGS_UP_TO = 20_000
"""A meeting filter keeping at most this many paragraphs scores them by looking them up in the question's
postings (``qa.index.maxscore.scored``: the same arithmetic, so the same scores and ties) instead of pruning
the whole index: "who presided?" over an archive answers each meeting in turn."""


@dataclass(frozen=True)
class Ranking:
    """How BM25 scores become a ranking; ``Ranking.plain()`` is BM25 alone (what the tests compare)."""

    field_weight: int = 2
    """How many times a paragraph carries its speaker's name terms (an index-time field weight)."""
    speaker_boost: float = 1.0
    """Added score multiplier for paragraphs of a speaker the question names (``Engine.named_speeches``)."""
    name_share: float = 0.25
    """A name in more than this share of paragraphs (the meeting's topic, 集安组织) selects no speaker."""
    context_weight: float = 0.3
    """Share of the previous paragraph's score (same speech) a paragraph inherits: lists and answers often
    follow a lead-in paragraph that repeats the question's words ("三个优先领域" → "首先…", "第二…")."""

    @classmethod
    def plain(cls) -> Ranking:
        return cls(field_weight=1, speaker_boost=0.0, context_weight=0.0)

    @classmethod
    def default(cls) -> Ranking:
        return cls()


@dataclass(frozen=True)
class Hit:
    """One retrieved paragraph and where it comes from."""

    meeting: Meeting
    speech: Speech
    paragraph: Paragraph
    score: float
    """BM25 score (after the speaker boost), higher is better."""
    rank: int
    """1-based position in the results."""
    matched: tuple[str, ...] = field(default=())
    """The question's terms found in this paragraph's text, for highlighting."""
    copies: tuple[tuple[Meeting, Speech, Paragraph], ...] = field(default=())
    """The same paragraph (same speaker, same text) in other meetings, best ranked first: "also in N meetings"."""

    def moved_to(self, speech: Speech, paragraph: Paragraph) -> Hit:
        """A hit on another paragraph of the same meeting, found by the record's structure (the next speech,
        a procedural note) rather than by score: no score, no rank, nothing matched."""
        return replace(self, speech=speech, paragraph=paragraph, score=0.0, rank=0, matched=())

    def to_json(self) -> dict:
        return {
            "speaker": self.speech.speaker,
            "affiliation": self.speech.affiliation,
            "label": self.speech.label,
            "role": self.speech.role,
            "person": self.speech.person,
            "meeting": self.meeting.symbol,
            "date": self.meeting.date,
            "page": self.paragraph.page,
            "paragraph_id": self.paragraph.id,
            "source": cited_path(self.meeting.source),
            "line": self.paragraph.line,
            "url": record_url(self.meeting),
            "text": self.paragraph.text,
            "score": round(self.score, 6),
            "rank": self.rank,
            "matched": list(self.matched),
            **({"also_in": [copy_json(*copy) for copy in self.copies]} if self.copies else {}),
        }


def copy_json(meeting: Meeting, speech: Speech, paragraph: Paragraph) -> dict:
    """Where a copy of a hit's paragraph is, as citable as the hit itself."""
    return {
        "meeting": meeting.symbol,
        "date": meeting.date,
        "page": paragraph.page,
        "paragraph_id": paragraph.id,
        "source": cited_path(meeting.source),
        "line": paragraph.line,
        "url": record_url(meeting),
    }


def query_vocabulary(postings: Postings) -> Vocabulary:
    """The words a question is cut into without jieba: the index's terms and its extra query words."""
    return Vocabulary(
        [*postings.vocabulary, *postings.query_words],
        [*postings.frequencies.tolist(), *postings.query_words.values()],
        postings.total,
    )


class Engine:
    """Search over one corpus: ``search`` for ranked hits, ``scores`` for every paragraph's (the chart,
    ``qa.index.chart``)."""

    def __init__(self, corpus, tokenizer, postings: Postings, *, scorer="maxscore", params=None, ranking=None):
        self.corpus = corpus
        self.index_key: str | None = None
        """The cache key the postings were saved under (``open_engine``), None when not cached."""
        self.ranking = ranking or Ranking()
        self.tokenizer = tokenizer
        self.postings = postings
        if scorer == "maxscore":
            self.scorer = NumpyBm25(postings, params, weights=postings.weights)
        else:
            self.scorer = SCORERS[scorer](postings, params)
        self.term_numbers = postings.term_ids()
        self.vocabulary = query_vocabulary(postings)
        store = getattr(corpus.meetings, "store", None)
        """A corpus opened from the snapshot (``qa.index.store.corpusdb``) is read lazily: its layout as saved."""
        self.entries = list(corpus.paragraphs()) if store is None else None
        self.layout = corpus_layout(self.entries) if store is None else store.layout()
        self.speeches = self.layout.speeches
        self.speech_of = self.layout.speech_of
        self.speaker_names = SpeakerNames(
            self.layout.speakers, self.layout.speaker_of_speech, tokenizer.aliases, self.share, self.ranking.name_share
        )
        self.continues = np.concatenate([[False], self.speech_of[1:] == self.speech_of[:-1]])
        """continues[d]: paragraph d follows paragraph d - 1 in the same speech."""
        self.bounds = np.searchsorted(self.speech_of, np.arange(len(self.speeches) + 1))
        """Paragraphs of speech n are bounds[n]:bounds[n + 1] (speeches are contiguous in corpus order)."""
        if store is not None:
            self.entries = Entries(store, self.bounds)
        self.store = store
        self.meeting_of_speech = self.layout.meeting_of_speech
        """meeting_of_speech[n]: the number (in ``corpus.meetings``) of speech n's meeting."""

    def texts(self, characters: str):
        """(document number, text) of every paragraph holding each of ``characters`` (at least), in corpus order:
        a scan of the saved texts for a lazily opened corpus, of the paragraphs for one in memory."""
        if self.store is not None:
            yield from self.store.texts(characters)
            return
        for doc, (_, _, paragraph) in enumerate(self.entries):
            if all(character in paragraph.text for character in characters):
                yield doc, paragraph.text

    def query_terms(self, question: str) -> list[str]:
        """The question's distinct terms (aliases added), as the index sees them."""
        return self.tokenizer.query_terms(question, self.vocabulary)

    def share(self, term: str) -> float:
        """Share of paragraphs whose terms include ``term`` or one of its aliases (a concept's share)."""
        aliases = self.tokenizer.aliases
        names = aliases.group_of(term) if aliases is not None else (term,)
        return max(self.term_share(name) for name in names)

    def term_share(self, term: str) -> float:
        number = self.term_numbers.get(term)
        if number is None or not len(self.entries):
            return 0.0
        return float(self.postings.indptr[number + 1] - self.postings.indptr[number]) / len(self.entries)

    def concept_ids(self, question: str) -> tuple[list[tuple[int, ...]], list[str]]:
        """The question's concepts as term numbers (terms outside the index dropped), and its distinct terms."""
        concepts = self.tokenizer.query_concepts(question, self.vocabulary)
        terms = list(dict.fromkeys(term for concept in concepts for term in concept))
        concepts = self.speaker_names.topic_names(question, concepts)
        ids = [tuple(self.term_numbers[t] for t in concept if t in self.term_numbers) for concept in concepts]
        return [concept for concept in ids if concept], terms

    def speech_multipliers(
        self, question: str, terms: list[str], speaker: str | None, meetings=None
    ) -> np.ndarray | None:
        """Score multiplier per speech: the named-speaker boost, times 0 outside ``speaker``'s speeches and outside
        ``meetings`` (meeting numbers, ``qa.index.meetings``; None: all); None when every speech keeps its score."""
        named = self.speaker_names.named(question, terms) if self.ranking.speaker_boost else ()
        if not len(named) and not speaker and meetings is None:
            return None
        multipliers = np.ones(len(self.speeches))
        multipliers[np.asarray(named, dtype=np.int64)] = 1 + self.ranking.speaker_boost
        if speaker:
            kept = np.zeros(len(self.speeches), dtype=bool)
            kept[np.asarray(self.speaker_names.chosen(speaker), dtype=np.int64)] = True
            multipliers[~kept] = 0.0
        if meetings is not None:
            multipliers[~np.isin(self.meeting_of_speech, np.asarray(list(meetings), dtype=np.int32))] = 0.0
        return multipliers

    def spread(self, multipliers: np.ndarray | None) -> Spread:
        """The ranking steps after BM25, as the pruned top-k search needs them (``qa.index.maxscore``)."""
        if multipliers is None:
            return Spread(self.ranking.context_weight, self.continues)
        return Spread(
            self.ranking.context_weight,
            self.continues,
            lambda docs: multipliers[self.speech_of[docs]],
            float(multipliers.max(initial=0.0)),
        )

    def scores(self, question: str, speaker: str | None = None, meetings=None) -> tuple[np.ndarray, list[str]]:
        """Every paragraph's score for ``question`` and the question's terms.

        BM25, then (``Ranking``) a share of the previous paragraph's score, then the named-speaker boost,
        then the ``speaker`` filter; each touches only scored paragraphs or whole speeches, never every
        paragraph, so a large index stays fast. ``search`` gets the same top scores without computing all
        of them (``qa.index.maxscore``).
        """
        ids, terms = self.concept_ids(question)
        scores = self.scorer.scores(ids)
        if self.ranking.context_weight:
            scored = np.flatnonzero(scores)
            following = scored + 1
            keep = following < len(scores)
            keep[keep] = self.continues[following[keep]]
            inherited = scores[scored[keep]] * self.ranking.context_weight
            scores[following[keep]] += inherited
        multipliers = self.speech_multipliers(question, terms, speaker, meetings)
        if multipliers is not None:
            scores *= multipliers[self.speech_of]
        return scores, terms

    def ranked(
        self, question: str, k: int, speaker: str | None = None, meetings=None
    ) -> tuple[list[int], np.ndarray, list[str]]:
        """(documents, their scores, the question's terms) of the ``k`` best paragraphs."""
        if not hasattr(self.scorer, "top"):  # the rank-bm25 reference scores everything
            scores, terms = self.scores(question, speaker, meetings)
            docs = top_k(scores, k)
            return docs, scores[docs], terms
        ids, terms = self.concept_ids(question)
        multipliers = self.speech_multipliers(question, terms, speaker, meetings)
        inside = self.meeting_docs(meetings) if meetings is not None and hasattr(self.scorer, "slice") else None
        if inside is not None and len(inside) <= LOOK_UP_MEETINGS_UP_TO:  # score the meetings' few paragraphs
            docs, scores = scored(self.scorer, [c for c in ids if c], inside, self.spread(multipliers), k)
            return docs, scores, terms
        docs, scores = self.scorer.top(ids, k, self.spread(multipliers))
        return docs, scores, terms

    def meeting_docs(self, meetings) -> np.ndarray:
        """The document numbers of these meetings' paragraphs, ascending."""
        first = self.bounds[self.meeting_speeches[:-1]]
        end = self.bounds[self.meeting_speeches[1:]]
        chosen = sorted(set(int(n) for n in meetings))
        parts = [np.arange(first[n], end[n]) for n in chosen if 0 <= n < len(first)]
        return np.concatenate(parts) if parts else np.zeros(0, dtype=np.int64)

    @functools.cached_property
    def meeting_speeches(self) -> np.ndarray:
        """Speeches of meeting n are meeting_speeches[n]:meeting_speeches[n + 1] (contiguous in corpus order)."""
        return np.searchsorted(self.meeting_of_speech, np.arange(len(self.corpus.meetings) + 1))

    def search(self, question: str, k: int = 10, speaker: str | None = None, meetings=None) -> list[Hit]:
        """The ``k`` best paragraphs (only those matching at least one term), best first; copies of a paragraph
        from other meetings folded into the best one (``Hit.copies``, ``qa.index.copies``); only ``speaker``'s
        and only those of ``meetings`` (meeting numbers) when given."""
        if k <= 0:
            return []
        docs, scores, terms = self.ranked(question, k, speaker, meetings)
        groups = [(doc, []) for doc in docs]
        if self.copies.any:
            asked = k
            groups = self.copies.collapse(docs, k)
            while len(groups) < k and len(docs) == asked and asked < len(self.entries):
                asked = min(4 * asked, len(self.entries))  # copies took places: look deeper, until k or no more
                docs, scores, terms = self.ranked(question, asked, speaker, meetings)
                groups = self.copies.collapse(docs, k)
        score_of = dict(zip(docs, scores.tolist(), strict=True))
        hits = []
        for rank, (doc, copies) in enumerate(groups, start=1):
            meeting, speech, paragraph = self.entries[doc]
            text = normalize(paragraph.text)
            matched = tuple(term for term in terms if term in text)
            also = tuple(self.entries[copy] for copy in copies)
            hits.append(Hit(meeting, speech, paragraph, score_of[doc], rank, matched, also))
        return hits

    @functools.cached_property
    def copies(self) -> Copies:
        """Which paragraphs are copies of an earlier one (built on the first search, not at start-up)."""
        meetings = self.meeting_of_speech[self.speech_of]
        if self.store is not None:
            return Copies.from_first(self.store.arrays["first_copy"], meetings)
        return Copies(self.entries, meetings)
