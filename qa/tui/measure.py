"""How fast the chat feels, measured headless on real records (for ``qa bench``; never asserted in tests).

``measure_chat_latency`` drives the real App with Textual's Pilot: the time from
start (records not yet read) to the first screen that accepts typing, to the
index being ready, and from Enter to the answer drawn on screen.
"""

from __future__ import annotations

import asyncio
import statistics
import time
from pathlib import Path

from qa.tui.app import make_app
from qa.tui.conversations import ConversationLog
from qa.tui.examples import example_questions
from qa.tui.history import QuestionHistory


def measure_chat_latency(
    question: str | None = None,
    *,
    seeds: Path | None = None,
    cache_dir: str | Path | None = None,
    repeats: int = 5,
    size: tuple[int, int] = (100, 32),
    typing_seconds: float = 0.0,
) -> dict[str, float]:
    """Seconds: ``first_screen``, ``index_ready`` (both from start), ``first_answer`` and ``answer``.

    ``first_answer`` includes loading the segmenter's dictionary in a fresh process; ``answer`` is
    the median of the ``repeats`` that follow it.

    With a ``cache_dir`` that already holds the index, ``index_ready`` is a warm start; with an empty
    one, it includes building the index. ``typing_seconds`` waits after the index is ready before the
    first question, as a user typing it would (the chat loads the segmenter meanwhile).
    """
    return asyncio.run(_measure(question, seeds, cache_dir, repeats, size, typing_seconds))


async def _measure(question, seeds, cache_dir, repeats, size, typing_seconds) -> dict[str, float]:
    started = time.perf_counter()  # before importing Textual, as ``qa`` does when it starts

    app = make_app(seeds, cache_dir=cache_dir, history=QuestionHistory(None), conversations=ConversationLog(None))
    async with app.run_test(size=size) as pilot:
        await _until(pilot, lambda: app.focused is not None)
        first_screen = time.perf_counter() - started
        await _until(pilot, lambda: app.engine is not None or app.engine_error is not None)
        index_ready = time.perf_counter() - started
        if app.engine_error:
            raise RuntimeError(app.engine_error)
        question = question or example_questions(app.corpus, [])[-1]
        await pilot.pause(typing_seconds)
        answers = [await _time_answer(pilot, question) for _ in range(1 + max(1, repeats))]
    return {
        "first_screen": first_screen,
        "index_ready": index_ready,
        "first_answer": answers[0],
        "answer": statistics.median(answers[1:] or answers),
    }


async def _time_answer(pilot, question: str) -> float:
    app = pilot.app
    shown = app.answered
    app.query_one("#question").value = question
    started = time.perf_counter()
    await pilot.press("enter")
    await _until(pilot, lambda: app.answered > shown)
    await pilot.pause()  # one refresh: the answer is drawn
    return time.perf_counter() - started


async def _until(pilot, condition, timeout: float = 120.0) -> None:
    deadline = time.perf_counter() + timeout
    while not condition():
        if time.perf_counter() > deadline:
            raise TimeoutError("the chat did not get there in time")
        await pilot.pause(0.005)
