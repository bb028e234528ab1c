"""The chat's back room: load the engine, then answer queued questions one at a time.

It runs in one worker thread the App starts, and knows nothing of Textual: it
reports through the callables it is given (the App wraps them in
``call_from_thread``). One thread answering in order keeps the engine
single-threaded and lets questions typed before the index is ready simply wait
in the queue.
"""

from __future__ import annotations

import logging
import queue
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from qa.errors import UserError
from qa.index.chart import strength_chart
from qa.index.meetings import named_in_question
from qa.records.model import Corpus

EngineLoader = Callable[[Callable[[str], None]], Any]
"""Builds or loads the engine, reporting progress through the callable it is given."""
Asker = Callable[[str, Any, "str | None"], Any]
"""(question, engine, speaker restriction) -> Answer."""
CHART_SPEAKERS = 6
SPEAKER_PASSAGES = 5
"""Passages kept per charted speaker (a handful of searches restricted to one speaker: milliseconds)."""
POLL_SECONDS = 0.1
"""How often the idle worker checks whether the app is closing."""

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Reply:
    """What the worker sends back for one question."""

    exchange_id: int
    answer: Any
    """The Answer, or None when composing failed."""
    strengths: list[tuple[str, float]]
    """(speaker label, strength) for the "who spoke about it" chart, strongest first."""
    error: str | None = None
    """One line saying why there is no answer."""
    passages: dict[str, list] = field(default_factory=dict)
    """Each charted speaker's best passages for the question, for when the user picks their bar."""
    chart_meetings: int = 1
    """How many meetings the chart's bars add up (said under the chart when more than one)."""


@dataclass
class Reports:
    """Where the worker reports; each runs on the App's thread."""

    progress: Callable[[str], None]
    ready: Callable[[Any], None]
    failed: Callable[[str], None]
    replied: Callable[[Reply], None]


class AnswerService:
    def __init__(self, load_engine: EngineLoader, ask: Asker, prepare: Callable[[Any], None] | None = None) -> None:
        self.load_engine = load_engine
        self.ask = ask
        self.prepare = prepare
        self.questions: queue.Queue[tuple[int, str, str | None]] = queue.Queue()
        self.error: str | None = None

    def put(self, exchange_id: int, question: str, speaker: str | None) -> None:
        self.questions.put((exchange_id, question, speaker))

    def run(self, cancelled: Callable[[], bool], reports: Reports) -> None:
        """Load the engine, then answer until ``cancelled()``; never raises for a bad question or index."""
        try:
            engine = self.load_engine(reports.progress)
        except Exception as error:  # shown in the status line; the chat stays open and says why it cannot answer
            log.exception("the index could not be opened")
            self.error, engine = describe(error), None
            reports.failed(self.error)
        else:
            reports.ready(engine)
            self.warm_up(engine)
        while not cancelled():
            try:
                exchange_id, question, speaker = self.questions.get(timeout=POLL_SECONDS)
            except queue.Empty:
                continue
            reply = self.reply(engine, exchange_id, question, speaker)
            if not cancelled():
                reports.replied(reply)

    def warm_up(self, engine: Any) -> None:
        """The composer's first-use work (``qa.answer.pipeline.prepare``), done while the user types the first
        question."""
        if self.prepare is not None:
            try:
                self.prepare(engine)
            except Exception:  # a warm-up must never stop the chat; the first question will report the problem
                log.exception("warming up the composer failed")

    def reply(self, engine: Any, exchange_id: int, question: str, speaker: str | None) -> Reply:
        if engine is None:
            return Reply(exchange_id, None, [], f"the index is not available: {self.error}")
        try:
            answer = self.ask(question, engine, speaker)
            strengths, chart_meetings = strength_chart(engine, question, top=CHART_SPEAKERS, speaker=speaker)
            passages = {label: speaker_passages(engine, question, label) for label, _ in strengths}
        except Exception as error:  # one failed question must not end the chat; its answer shows the error
            log.exception("composing an answer failed")
            return Reply(exchange_id, None, [], describe(error))
        return Reply(exchange_id, answer, strengths, passages=passages, chart_meetings=chart_meetings)


def speaker_passages(engine: Any, question: str, label: str) -> list:
    """The best passages of the speaker a chart bar is labelled with (the label names exactly one speaker)."""
    meetings = named_in_question(question, engine.corpus.meetings)[0] or None
    hits = engine.search(question, k=SPEAKER_PASSAGES, speaker=label, meetings=meetings)
    return [hit for hit in hits if hit.speech.label == label]


def describe(error: BaseException) -> str:
    """One line for an error: a UserError's message as is, anything else with its type."""
    return str(error) if isinstance(error, UserError) else f"{type(error).__name__}: {error}"


def corpus_summary(corpus: Corpus) -> str:
    """ "S/PV.8967 (2022-02-16) · 33 speeches" or "3 meetings, 2021-05-01 – 2022-02-16 · 97 speeches"."""
    meetings = corpus.meetings
    speeches = sum(len(meeting.speeches) for meeting in meetings)
    if len(meetings) == 1:
        return f"{meetings[0].symbol} ({meetings[0].date or 'no date'}) · {speeches} speeches"
    dates = sorted(meeting.date for meeting in meetings if meeting.date)
    span = f", {dates[0]} – {dates[-1]}" if dates else ""
    return f"{len(meetings)} meetings{span} · {speeches} speeches"
