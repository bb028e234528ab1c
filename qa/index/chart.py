"""The chat's chart, "who spoke about it": every paragraph's score summed per speaker."""

from __future__ import annotations

import numpy as np

from qa.index.engine import Engine
from qa.index.meetings import named_in_question


def speaker_strength(
    engine: Engine, question: str, top: int = 8, speaker: str | None = None
) -> list[tuple[str, float]]:
    """(speaker label, summed score of their paragraphs), strongest first: who spoke about it, how much; only
    in the meetings the question names (by symbol or date, ``qa.index.meetings``) when it names any."""
    return strength_chart(engine, question, top, speaker)[0]


def strength_chart(
    engine: Engine, question: str, top: int = 8, speaker: str | None = None
) -> tuple[list[tuple[str, float]], int]:
    """``speaker_strength`` and the number of meetings whose paragraphs it adds up (the chat says so when
    there are several: a speaker's bar then sums what they said in all of them)."""
    meetings, question = named_in_question(question, engine.corpus.meetings)
    scores, _ = engine.scores(question, speaker, meetings or None)
    totals = np.bincount(engine.speech_of, weights=scores, minlength=len(engine.speeches))
    by_label: dict[str, float] = {}
    scoring = np.flatnonzero(totals > 0)
    for number, total in zip(scoring.tolist(), totals[scoring].tolist(), strict=True):
        label = engine.speeches[number].label
        by_label[label] = by_label.get(label, 0.0) + total
    meeting_count = len(np.unique(engine.meeting_of_speech[scoring]))
    return sorted(by_label.items(), key=lambda item: -item[1])[:top], meeting_count
