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
    meetings, question = named_in_question(question, engine.corpus.meetings)
    scores, _ = engine.scores(question, speaker, meetings or None)
    totals = np.bincount(engine.speech_of, weights=scores, minlength=len(engine.speeches))
    by_label: dict[str, float] = {}
    for number, total in enumerate(totals.tolist()):
        if total > 0:
            label = engine.speeches[number].label
            by_label[label] = by_label.get(label, 0.0) + total
    return sorted(by_label.items(), key=lambda item: -item[1])[:top]
