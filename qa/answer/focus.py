"""The question's focus: the concepts a passage must hold to answer it, each weighted by its rarity.

A concept is a tuple of terms that mean the same (a name and its aliases, a word and the records' word
for it: 中方 = 中国, 结束 = 散会), as the retriever's tokenizer groups them. A passage holds a concept when
it holds any of its terms; the concept's weight is the inverse document frequency of that union over the
corpus's paragraphs, so a name and its short form count once, not twice. Frame words (立场, 原因) ask
about a passage rather than name its topic, and are left out.
"""

from __future__ import annotations

import functools
import math
import re
from dataclasses import dataclass

from qa.answer.questions import FRAME_WORDS
from qa.text.lexicon import general_vocabulary
from qa.text.normalize import normalize

LATIN_ONLY = re.compile(r"^[\x00-\x7f]+$")


@dataclass(frozen=True)
class Focus:
    """The question's concepts and their weights."""

    concepts: tuple[tuple[str, ...], ...]
    """Each concept's interchangeable terms, normalised as the tokenizer normalises."""
    weights: tuple[float, ...]
    """Inverse document frequency of each concept (of the union of its terms)."""

    @property
    def total(self) -> float:
        return sum(self.weights) or 1.0

    def held(self, text: str) -> list[int]:
        """Indexes of the concepts the text holds (any of their terms)."""
        text = normalize(text)
        return [i for i, concept in enumerate(self.concepts) if any(term in text for term in concept)]

    def matched(self, text: str) -> float:
        """Weight of the concepts the text holds."""
        return sum(self.weights[i] for i in self.held(text))

    def matched_in(self, *texts: str) -> float:
        """Weight of the concepts any of the texts holds, each text read once (``held_once``): a paragraph
        scanned again for each of its sentences made a long paragraph cost the square of its length."""
        held = set().union(*(held_once(self, text) for text in texts))
        return sum(self.weights[i] for i in sorted(held))

    def coverage(self, text: str) -> float:
        """Share (0..1) of the question's focus weight that the text holds."""
        return self.matched(text) / self.total

    def rarest_in(self, text: str) -> tuple[str, ...] | None:
        """The concept of highest weight that the text holds (None if it holds none)."""
        held = self.held(text)
        return self.concepts[max(held, key=lambda i: (self.weights[i], i))] if held else None

    def holds(self, concept: tuple[str, ...], text: str) -> bool:
        text = normalize(text)
        return any(term in text for term in concept)


@functools.lru_cache(maxsize=64)
def held_once(focus: Focus, text: str) -> tuple[int, ...]:
    """``focus.held(text)``, remembered for the last texts (a paragraph, for each of its sentences)."""
    return tuple(focus.held(text))


def question_concepts(engine, question: str) -> list[tuple[str, ...]]:
    """The question's concepts (a term and its aliases or synonyms) as the engine's tokenizer cuts them."""
    return [tuple(concept) for concept in engine.tokenizer.query_concepts(question, engine.vocabulary)]


def build_focus(concepts: list[tuple[str, ...]], idf, extra_forms: dict[str, tuple[str, ...]] | None = None) -> Focus:
    """The focus of a question's concepts; frame words dropped, and Latin words the corpus never holds in any
    form (an English question's "about", "said") too: they can match no Chinese record. ``extra_forms`` adds
    other forms to every concept holding one of its keys (开始 → 开会 for "what time did it start")."""
    kept, weights = [], []
    extra_forms = extra_forms or {}
    concepts = [concept + tuple(form for t in concept for form in extra_forms.get(t, ())) for concept in concepts]
    for concept in dict.fromkeys(concepts):
        if not concept or any(term in FRAME_WORDS for term in concept):
            continue
        weight, frequency = idf(concept)
        if frequency == 0 and all(LATIN_ONLY.match(term) for term in concept):
            continue
        kept.append(concept)
        weights.append(weight)
    return Focus(tuple(kept), tuple(weights))


def index_idf(engine):
    """``idf(concept)`` from the engine's postings (a concept's paragraphs counted as those of its most
    frequent term): no scan of the paragraphs, so a large corpus costs nothing per question."""
    count = len(engine.entries)
    cache: dict[tuple[str, ...], tuple[float, int]] = {}

    def idf(concept: tuple[str, ...]) -> tuple[float, int]:
        if concept not in cache:
            frequency = round(max(engine.term_share(term) for term in concept) * count)
            cache[concept] = (math.log((count + 1) / (frequency + 0.5)), frequency)
        return cache[concept]

    return idf


CJK_RUN = re.compile(r"[\u3400-\u9fff]+")
LATIN_WORD = re.compile(r"[a-z][a-z\-']+")
LATIN_PARTS = re.compile(r"[\s\-]+")
ENGLISH_FRAME_WORDS = frozenset(
    "country countries state states delegation delegations speaker speakers representative representatives member"
    " members meeting according mention mentioned mentions name named give gave given describe described"
    " up out off over into onto through during after before between among within without against toward towards"
    " under also all any some such other more most very just only both each every whether if so as because while"
    " many much one two three first last next new current currently today time".split()
)
"""English words that frame a question (which country, according to) rather than name what it asks about."""


def unmatched_words(question: str, concepts, idf, holds, stopwords: frozenset[str]) -> list[str]:
    """Content words of the question that the corpus holds in no form: Latin words the thesaurus and glossary
    cannot map to the record (their concept has no paragraph), and Chinese words left over once the question's
    concepts (the words the index knows) are taken out, cut as jieba would (``qa.text.lexicon``), found nowhere in
    the corpus.

    A question about a headquarters, a budget or a founding year that the record never mentions is not
    answered by a sentence that merely shares its other words; such words are the evidence that it cannot be."""
    text = question_proper(normalize(question))
    found = [concept for concept in concepts if idf(concept)[1] > 0]
    said = {part for concept in found for term in concept for part in LATIN_PARTS.split(term) if LATIN_ONLY.match(term)}
    ignored = stopwords | FRAME_WORDS | ENGLISH_FRAME_WORDS | said
    missing = [
        part
        for concept in concepts
        if LATIN_ONLY.match(concept[0]) and idf(concept)[1] == 0
        for part in LATIN_PARTS.split(concept[0])
        if part and part not in ignored
    ]
    leftover = text
    for term in sorted({term for concept in concepts for term in concept}, key=len, reverse=True):
        leftover = leftover.replace(term, " ")
    fragments = [run for run in CJK_RUN.findall(leftover) if len(run) >= 2]
    if fragments:
        words = [word for run in fragments for word in general_vocabulary().segment(run)]
        missing += [
            w
            for w in words
            if len(w) >= 2 and w not in stopwords | FRAME_WORDS and not ASKING.match(w) and not holds_any(holds, w)
        ]
    return list(dict.fromkeys(missing))


ASKING = re.compile(r"几|哪|多少")
"""Words that ask (几项, 哪类, 多少次): what they count is not a topic the record must hold."""
PREAMBLE = re.compile(r"^[^:?？]{2,30}:(?=.{6,})")
"""What a question says before a colon (写简报要交代时间：…) frames it; the question is what follows."""


def question_proper(text: str) -> str:
    """The question without a preamble ending in a colon, whose words the record need not hold."""
    return PREAMBLE.sub("", text, count=1)


def holds_any(holds, word: str) -> bool:
    """The corpus holds the word, or (for a word of three or more characters) a two-character part of it;
    ``holds(word)`` tells whether the corpus holds one word."""
    if holds(word):
        return True
    return len(word) > 2 and any(holds(word[i : i + 2]) for i in range(len(word) - 1))
