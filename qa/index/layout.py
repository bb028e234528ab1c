"""Where each paragraph sits, as arrays: its speech, each speech's meeting and speaker, and one speech per speaker.

The engine ranks document numbers (paragraphs in corpus order); these arrays turn them into speeches, meetings and
speakers without walking the corpus. ``corpus_layout`` derives them from a corpus in memory; a corpus opened lazily
from the snapshot (``qa.index.store.corpusdb``) reads them as saved.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

import numpy as np

from qa.records.model import Speech
from qa.text.tokens import speaker_names


@dataclass(frozen=True)
class Speaker:
    """What a question or a filter may know a speaker by, and how citations label them: a speech's speaker
    fields, without its text."""

    speaker: str | None
    person: str | None
    affiliation: str | None
    role: str | None
    speaker_line: str
    label: str
    names: tuple[str, ...] = field(default=(), compare=False)
    """``qa.text.tokens.speaker_names`` of the speaker (derived from the fields above): saved with the corpus, so
    opening it does not cut every speaker's names again."""

    @classmethod
    def of(cls, speech: Speech) -> Speaker:
        fields = (speech.speaker, speech.person, speech.affiliation, speech.role, speech.speaker_line, speech.label)
        return cls(*fields, names=tuple(speaker_names(speech)))


@dataclass(frozen=True)
class Layout:
    speech_of: np.ndarray
    """int32 per paragraph: the number of its speech (speeches numbered in corpus order)."""
    meeting_of_speech: np.ndarray
    """int32 per speech: the number (in ``Corpus.meetings``) of its meeting."""
    speaker_of_speech: np.ndarray
    """int32 per speech: the number of its speaker (in ``speakers``)."""
    speakers: Sequence[Speaker]
    """Each distinct speaker, ordered by their last speech, so that a table built by going through the speakers
    ends as it would going through every speech."""
    speeches: Sequence[Speech]
    """Every speech, by number."""


def corpus_layout(entries) -> Layout:
    """The layout of a corpus in memory from its (meeting, speech, paragraph) entries, in corpus order."""
    speech_numbers: dict[int, int] = {}
    speeches: list[Speech] = []
    meeting_numbers: dict[int, int] = {}
    meeting_of_speech: list[int] = []
    speech_of = np.empty(len(entries), dtype=np.int32)
    for doc, (meeting, speech, _) in enumerate(entries):
        number = speech_numbers.get(id(speech))
        if number is None:
            number = speech_numbers[id(speech)] = len(speeches)
            speeches.append(speech)
            meeting_of_speech.append(meeting_numbers.setdefault(id(meeting), len(meeting_numbers)))
        speech_of[doc] = number
    speaker_of_speech, speakers = speaker_table(speeches)
    return Layout(speech_of, np.asarray(meeting_of_speech, dtype=np.int32), speaker_of_speech, speakers, speeches)


def speaker_table(speeches: Sequence[Speech]) -> tuple[np.ndarray, list[Speaker]]:
    """Each speech's speaker number, and the speakers ordered by their last speech."""
    numbers: dict[Speaker, int] = {}
    last: list[int] = []
    first_speech: list[Speaker] = []
    of_speech = np.empty(len(speeches), dtype=np.int32)
    for position, speech in enumerate(speeches):
        key = Speaker.of(speech)
        number = numbers.get(key)
        if number is None:
            number = numbers[key] = len(last)
            last.append(position)
            first_speech.append(key)
        last[number] = position
        of_speech[position] = number
    order = np.argsort(np.asarray(last, dtype=np.int64), kind="stable")
    renumber = np.empty(len(order), dtype=np.int32)
    renumber[order] = np.arange(len(order), dtype=np.int32)
    return renumber[of_speech] if len(speeches) else of_speech, [first_speech[n] for n in order.tolist()]
