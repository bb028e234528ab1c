"""``qa batch --workers N``: the questions answered by N processes, the answers written in input order by this one.

Each worker opens the index as ``qa ask`` does (from the snapshot: its corpus is read lazily, so opening costs a
fraction of a second whatever the archive's size) and answers the questions it is given; ``Pool.imap`` hands the
answers back in input order, so the output file, its flushing and ``--resume`` are those of one process. Workers
are spawned, not forked: the parent holds an open SQLite connection, which a child must not share. A short file is
answered in this process (``POOL_FROM``): starting a worker costs about as much as fifty answers.
"""

from __future__ import annotations

import multiprocessing
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

POOL_FROM = 50
"""Questions to answer below which the batch stays in this process."""

_state = None


@dataclass(frozen=True)
class WorkerSettings:
    """What a worker needs to answer as the parent would (all picklable)."""

    seeds: Path
    cache_dir: str | None
    prompts: str | None
    top_k: int
    speaker: str | None
    meetings: tuple[int, ...] | None


def _start(settings: WorkerSettings) -> None:
    global _state
    from qa.answer.templates import load_templates
    from qa.index.open import open_records

    _state = (open_records(settings.seeds, cache_dir=settings.cache_dir), load_templates(settings.prompts), settings)


def _answer(item: tuple[str, str]) -> tuple[bool, object]:
    from qa.answer.pipeline import answer

    engine, templates, settings = _state
    question, qid = item
    meetings = list(settings.meetings) if settings.meetings is not None else None
    try:
        shaped = answer(question, engine, top_k=settings.top_k, speaker=settings.speaker, meetings=meetings,
                        templates=templates, qid=qid)  # fmt: skip
        return True, shaped.to_json()
    except Exception as error:  # noqa: BLE001 - reported as that question's error, as in one process
        return False, (type(error).__name__, str(error))


class Pooled:
    """``ask(question, qid)`` answered by a pool of workers, in the order the questions were given."""

    def __init__(self, settings: WorkerSettings, items: list[tuple[str, str]], workers: int):
        self.pool = multiprocessing.get_context("spawn").Pool(workers, initializer=_start, initargs=(settings,))
        self.results = self.pool.imap(_answer, items)
        self.expected = iter(items)

    def ask(self, question: str, qid: str) -> dict:
        if next(self.expected) != (question, qid):
            raise RuntimeError("answers out of order")
        done, value = next(self.results)
        if done:
            return value
        name, message = value
        raise type(name, (Exception,), {})(message)

    def close(self) -> None:
        self.pool.terminate()
        self.pool.join()


def pooled_ask(settings: WorkerSettings, items: list[tuple[str, str]], workers: int, ask: Callable):
    """An ``ask`` for ``run_batch`` and a function that ends it: the pool's when ``workers`` > 1 and there are
    enough ``items`` (the questions to answer, in order), else ``ask`` itself."""
    if workers <= 1 or len(items) < POOL_FROM:
        return ask, lambda: None
    pooled = Pooled(settings, items, workers)
    return pooled.ask, pooled.close
