"""What the composer knows about a corpus beyond the engine: concept weights, the names a question may use
for a speaker, names the corpus never mentions, and its whole text (to tell which question words it holds
in no form). Built once per engine and forgotten with it."""

from __future__ import annotations

import functools
import re
import weakref
from collections.abc import Container
from dataclasses import dataclass, replace

from qa.answer.english import demonym_groups
from qa.answer.focus import index_idf, unmatched_words
from qa.answer.questions import names_in_questions
from qa.answer.sentences import PLACE_WORDS
from qa.text.aliases import role_names
from qa.text.matcher import NameMatcher
from qa.text.normalize import normalize
from qa.text.tokens import default_stopwords, latin_stem


@dataclass(frozen=True)
class CorpusContext:
    """What the composer needs from a corpus beyond the engine: term weights, speaker names, known names."""

    idf: object
    """``idf(concept) -> (weight, paragraphs)`` over the corpus's paragraphs."""
    names: dict[str, str]
    """Ways a question names a speaker -> the speaker or affiliation as printed."""
    unknown_groups: tuple[tuple[str, ...], ...] = ()
    """Alias groups (states, organisations) none of whose names the corpus holds."""
    terms: Container[str] = ()
    """The index's terms: every word of the paragraphs as cut, and the dictionary words inside long ones."""
    labels: str = ""
    """Every distinct speaker line, normalised."""
    synonyms: object = None
    """The thesaurus (``AliasTable``) or None: a word is in the corpus when one of its synonyms is."""
    places: tuple[str, ...] = ()
    """Chinese names of states and places (the glossary's and the corpus's names that are not organisations)."""

    def names_place(self, text: str) -> bool:
        """The text names a place: a state or city of the glossary, or a place word (…省, …港, 在…举行)."""

        return bool(PLACE_WORDS.search(text)) or any(name in text for name in self.places)

    def unmatched(self, question: str, concepts) -> list[str]:
        """The question's content words that the corpus holds in no form (``qa.answer.focus.unmatched_words``)."""

        words = unmatched_words(question, concepts, self.idf, self.holds, default_stopwords())
        return [word for word in words if not self.has_synonym(word)]

    def holds(self, word: str) -> bool:
        """The corpus holds the word: an index term or in a speaker line. A lookup, not a scan of the text, so
        a question costs the same on a million paragraphs. An English record's terms are stems, so a Latin word
        is also looked up as its stem, and a Latin name of several words (burkina faso) by each of its words
        (g-5 sahel: g, 5, sahel) but the stopwords (group of five for the sahel)."""
        if word in self.terms or word in self.labels:
            return True
        parts = [part for part in re.split(r"[\s-]+", word) if part and part not in default_stopwords()]
        return all(part.isascii() and latin_stem(part) in self.terms for part in parts) if parts else False

    def forms(self, word: str) -> tuple[str, ...]:
        """The word and its synonyms in the thesaurus."""
        return self.synonyms.group_of(word) if self.synonyms is not None else (word,)

    def has_synonym(self, word: str) -> bool:
        return any(other != word and self.holds(other) for other in self.forms(word))

    def absent(self, question: str) -> bool:
        """The question names a state or organisation the corpus never mentions: it cannot be answered."""

        return bool(self.unknown_names.mentions(normalize(question)))

    @functools.cached_property
    def unknown_names(self) -> NameMatcher:
        """The names of ``unknown_groups`` in one automaton: a question is scanned once, whatever their number."""
        return NameMatcher(name for group in self.unknown_groups for name in group)


ORGANISATION_ENDINGS = tuple(
    "组织 理事会 委员会 联盟 大会 秘书处 办事处 特派团 部队 中心 署 会 部 团 处 盟 约 席 厅 行 金 方案 计划".split()
)
"""Endings of the alias table's names of organisations and offices, which are no places."""


def is_place_name(name: str) -> bool:
    """A Chinese name of the alias table that names a state or place rather than an organisation."""
    if name.startswith("联合国") or name.endswith(ORGANISATION_ENDINGS):
        return False
    return len(name) >= 2 and bool(CJK_NAME.fullmatch(name))


CJK_NAME = re.compile(r"[\u4e00-\u9fff·]+")
_CONTEXTS: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()


def corpus_context(engine) -> CorpusContext:
    """Memoised per engine (and forgotten with it): the weights and names are per corpus."""
    cached = _CONTEXTS.get(engine)
    if cached is not None:
        return cached
    speeches = list(engine.layout.speakers)  # a speech of each speaker, not every speech: the same names and labels
    labels = "\n".join(dict.fromkeys(normalize(speech.speaker_line or speech.label) for speech in speeches))
    aliases = engine.tokenizer.aliases
    groups = aliases.groups if aliases is not None else ()
    things = [group for group in groups if not role_names().intersection(group)]
    synonyms = engine.tokenizer.synonyms
    places = tuple(
        sorted({name for group in things if is_place_name(group[0]) for name in group if is_place_name(name)})
    )
    context = CorpusContext(
        idf=index_idf(engine),
        names=names_in_questions(speeches, (*groups, *demonym_groups())),
        terms=engine.term_numbers,
        labels=labels,
        synonyms=synonyms,
        places=places,
    )
    unknown = tuple(group for group in things if not any(context.holds(name) for name in group))
    context = replace(context, unknown_groups=unknown)
    _CONTEXTS[engine] = context
    return context
