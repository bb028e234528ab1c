"""``qa bench --speakers N``: whether the cost of an answer grows with the number of speakers.

An archive holds thousands of meetings and speakers; a question is checked against every name the corpus knows
(who it names, which names the corpus never holds). The bench makes such an archive from the bundled record: copies
of its meeting, each under its own symbol and date, whose speakers (names, persons, countries) carry the copy's
number, until ``N`` distinct speakers, and times the same questions through the whole ``answer()`` over it and over
the bundled record alone, in the same process. The ratio is the figure: 1 would be no growth at all (the archive
has more paragraphs too, so retrieval itself costs a little more).
"""

from __future__ import annotations

import datetime
import time
from dataclasses import replace
from pathlib import Path

from qa.answer.pipeline import answer, prepare
from qa.index.open import open_engine
from qa.records.model import Corpus, Meeting, Speech
from qa.records.pages import TITLES


def renamed(speech: Speech, number: int) -> Speech:
    """The speech as a new speaker's: name, person and country with the copy's number (titles stay titles)."""

    def new(name: str | None) -> str | None:
        return f"{name}{number}" if name and name not in TITLES else name

    if speech.procedural:
        return speech
    return replace(speech, speaker=new(speech.speaker), person=new(speech.person), affiliation=new(speech.affiliation))


def copied_meeting(meeting: Meeting, number: int) -> Meeting:
    """The meeting as copy ``number``: symbol S/PV.<100000 + number>, one day later per copy, new speakers."""
    symbol = f"S/PV.{100000 + number}"
    day = datetime.date.fromisoformat(meeting.date or "2022-02-16") + datetime.timedelta(days=number)
    speeches = tuple(
        replace(
            renamed(speech, number),
            paragraphs=tuple(replace(p, id=p.id.replace(meeting.symbol, symbol)) for p in speech.paragraphs),
        )
        for speech in meeting.speeches
    )
    return replace(meeting, symbol=symbol, date=day.isoformat(), source=f"{symbol}.txt", speeches=speeches, sha256="")


def speaker_count(corpus: Corpus) -> int:
    return len({speech.label for _, speech in corpus.speeches() if not speech.procedural})


def archive(corpus: Corpus, speakers: int) -> Corpus:
    """Copies of the corpus's first meeting until at least ``speakers`` distinct speakers (the original first)."""
    meeting = corpus.meetings[0]
    meetings, number = [meeting], 0
    per_copy = max(1, speaker_count(Corpus((meeting,))))
    while per_copy * len(meetings) < speakers:
        number += 1
        meetings.append(copied_meeting(meeting, number))
    return Corpus(tuple(meetings), root=f"{corpus.root}#archive-{speakers}")


def answering_seconds(engine, questions: list[str], repeat: int) -> float:
    """The fastest of ``repeat`` runs of every question through ``answer()`` (after one warm-up answer)."""
    prepare(engine)
    answer(questions[0], engine)
    runs = []
    for _ in range(max(1, repeat)):
        started = time.perf_counter()
        for question in questions:
            answer(question, engine)
        runs.append(time.perf_counter() - started)
    return min(runs)


def measure_speakers(corpus: Corpus, speakers: int, questions: list[str], work: Path, repeat: int) -> dict:
    """The same questions over the bundled record and over an archive of ``speakers`` speakers, same process."""
    big = archive(corpus, speakers)
    started = time.perf_counter()
    archive_engine = open_engine(big, cache_dir=work / "speakers-archive")
    build = time.perf_counter() - started
    bundled_engine = open_engine(corpus, cache_dir=work / "speakers-bundled")
    small_s = answering_seconds(bundled_engine, questions, repeat)
    large_s = answering_seconds(archive_engine, questions, repeat)
    return {
        "questions": len(questions),
        "meetings": len(big.meetings),
        "paragraphs": len(archive_engine.entries),
        "speakers_small": speaker_count(corpus),
        "speakers_large": speaker_count(big),
        "open_s": build,
        "small_s": small_s,
        "large_s": large_s,
        "ratio": large_s / small_s if small_s else None,
    }
