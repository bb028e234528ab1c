"""Which speeches a question names, and which a ``--speaker`` filter chooses.

A speech is known by its speaker's names as printed (name, person, affiliation, role) and their alias groups
(``qa.text.aliases``); a name held by more than ``name_share`` of the paragraphs (the meeting's topic, 集安组织)
names no one.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence

import numpy as np

from qa.records.model import Speech
from qa.records.pages import TITLES
from qa.text.aliases import AliasTable
from qa.text.matcher import NameMatcher
from qa.text.normalize import normalize
from qa.text.tokens import fold_accents, speaker_names

ASKS_FOR_SPEAKER = re.compile(
    r"哪个国家|哪些国家|哪国|哪位|哪个代表|哪个组织|哪方|谁"
    r"|\bwho\b(?!\s+(?:did|does|do|is|was|are|were|will|would|has|have|had)\b)"
    r"|\bwhich\s+(?:council\s+)?(?:country|delegation|speaker|member|representative|ambassador|official|briefer|envoy)\b"
)
"""Questions asking *who* said something: a country they name is what was said about, not the speaker. In
English the asker is the subject ("Who warned …", "Which delegation said …"), not "Who did the President
thank …", whose President is the speaker, nor "Which countries left the Council?", which asks for no
speaker; "Who spoke for Yemen?" (``SPEAKS_FOR``) names its speaker."""
CLAIM_SHARE = 0.02
"""A word held by at most this share of the paragraphs makes a who-question ask about a claim (``topic_names``)."""
SPEAKS_FOR = re.compile(r"\b(?:spoke|speaks|speaking|talked) (?:for|on behalf of)\b|\brepresent(?:ed|s|ing)?\b")


def names_title_holder(text: str, name: str, owners: tuple[str, ...]) -> bool:
    """The text names this speaker: for a speaker printed by title (秘书长), a mention not owned by a name just
    before it (集安秘书长, 集安组织秘书长 is another organisation's Secretary-General)."""
    if name not in TITLES:
        return name in text
    return any(not text[: match.start()].endswith(owners) for match in re.finditer(re.escape(name), text))


def speaker_names_of(speaker) -> tuple[str, ...] | list[str]:
    """The names saved with a speaker (``qa.index.layout.Speaker.names``), else cut now."""
    return getattr(speaker, "names", None) or speaker_names(speaker)


class SpeakerNames:
    """The names of each speaker (one table for thousands of speakers over 100,000s of speeches), and the
    questions and filters that pick speeches (by number, as ``Engine.speeches``) by them."""

    def __init__(
        self,
        speakers: Sequence[Speech],
        speaker_of_speech: np.ndarray,
        aliases: AliasTable | None,
        share: Callable[[str], float],
        name_share: float,
    ):
        """``speakers``: a speech of each distinct speaker; ``speaker_of_speech``: each speech's speaker number."""
        self.aliases = aliases
        self.share = share
        """Share of paragraphs holding a term or its aliases (``Engine.share``)."""
        self.name_share = name_share
        self.names = [[name for name in speaker_names_of(speaker) if len(name) > 1] for speaker in speakers]
        """The names of each speaker, by speaker number."""
        self.speakers_named: dict[str, list[int]] = {}
        """Each name -> the speakers it names."""
        for n, names in enumerate(self.names):
            for name in dict.fromkeys([*names, *map(fold_accents, names)]):  # "jurgenson" names Jürgenson too
                self.speakers_named.setdefault(name, []).append(n)
        self.order = np.argsort(speaker_of_speech, kind="stable").astype(np.int32)
        """Speech numbers grouped by speaker: speaker n's are order[starts[n]:starts[n + 1]], ascending."""
        self.starts = np.searchsorted(speaker_of_speech[self.order], np.arange(len(self.names) + 1))
        self.matcher = NameMatcher(self.speakers_named)
        """Every name in one automaton: a question is scanned once, whatever the number of speakers."""

    def speeches_of(self, speakers) -> np.ndarray:
        """The speech numbers of these speakers, ascending."""
        parts = [self.order[self.starts[n] : self.starts[n + 1]] for n in sorted(set(speakers))]
        return np.sort(np.concatenate(parts)) if parts else np.zeros(0, dtype=np.int32)

    def named(self, question: str, terms: list[str]) -> np.ndarray:
        """Speech numbers whose speaker the question names, directly or through an alias."""
        text = normalize(question)
        if ASKS_FOR_SPEAKER.search(text) and not SPEAKS_FOR.search(text):
            return np.zeros(0, dtype=np.int32)
        aliases = self.aliases
        owners = tuple(aliases.chinese) if aliases is not None else ()
        owned = {t for t in TITLES if t in text and not names_title_holder(text, t, owners)}
        others = {name for t in owned for name in (aliases.group_of(t) if aliases is not None else (t,))}
        wanted = {term for term in terms if self.share(term) <= self.name_share and term not in others}
        wanted |= {name for term in wanted for name in self.speaker_aliases(term) if name not in others}
        present = {name for _, _, name in self.matcher.occurrences(text)}
        chosen = {
            n
            for name in present | wanted
            if (names_title_holder(text, name, owners) or name in wanted) and self.share(name) <= self.name_share
            for n in self.speakers_named.get(name, ())
        }
        return self.speeches_of(chosen).astype(np.int32)

    def speaker_aliases(self, term: str) -> list[str]:
        """The names of speakers among ``term`` and its aliases ("british" → "united kingdom")."""
        names = self.aliases.group_of(term) if self.aliases is not None else (term,)
        return [name for name in (term, *names) if name in self.speakers_named]

    def topic_names(self, question: str, concepts: list[tuple[str, ...]]) -> list[tuple[str, ...]]:
        """The concepts of an English question asking who said something ("Who said … on the Syrian …") less the
        names of speakers: the name is the topic, and as a term it also matches every paragraph of that speaker
        (the speaker field). Kept when nothing else asked is rare (held by at most ``CLAIM_SHARE`` of the
        paragraphs): "Who briefed the Council on Colombia?" asks about the meeting the name picks, not a claim."""
        text = normalize(question)
        if not text.isascii() or not ASKS_FOR_SPEAKER.search(text) or SPEAKS_FOR.search(text):
            return concepts
        kept = [concept for concept in concepts if not any(self.speaker_aliases(term) for term in concept)]
        claim = any(0 < max(self.share(term) for term in concept) <= CLAIM_SHARE for concept in kept)
        return kept if claim and len(kept) >= 2 else concepts

    def chosen(self, speaker: str) -> list[int]:
        """Speeches whose speaker's name, person, affiliation or role contains or is contained in ``speaker``;
        failing that, those named exactly by another name of its alias group (英国, UK → 联合王国)."""
        wanted = normalize(speaker).strip()
        found = [n for n, names in enumerate(self.names) if any(wanted in name or name in wanted for name in names)]
        if found or not wanted or self.aliases is None:
            return self.speeches_of(found).tolist()
        others = set(self.aliases.group_of(wanted)) - {wanted}
        return self.speeches_of(n for n, names in enumerate(self.names) if others.intersection(names)).tolist()
