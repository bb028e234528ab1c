"""Tokenization spread over the machine's cores, in corpus order, as a stream.

jieba runs at about 400k characters per second on one core; a million paragraphs (about 110 million
characters) take some 4.5 minutes on one core, so a large build hands paragraphs to a process pool.
Each worker needs the tokenizer's jieba dictionary (about 150 MB): with the ``fork`` start method the
workers share the parent's already-loaded copy until they write to it, so the parent loads it first;
where forking is unsafe (other threads running, e.g. the chat's loader thread) or the parent is large (a huge
record parsed: ``FORK_UP_TO_MB``) they start clean with ``spawn`` and each loads its own copy. Results come
back in order, a block at a time, so the parent never holds more than a few blocks of token lists. Small
jobs stay in process: a pool costs more than it saves below ``PARALLEL_FROM`` paragraphs.
"""

from __future__ import annotations

import multiprocessing
import os
import threading
from collections import deque
from collections.abc import Iterable, Iterator

PARALLEL_FROM = 20_000
"""Below this many paragraphs tokenization stays in the calling process."""
CHUNK = 256
"""Paragraphs per message to a worker: large enough to amortise the message, small enough to stream."""
BLOCK = 32 * CHUNK
"""Paragraphs handed to the pool at once (``Pool.imap`` alone would read the whole input ahead and queue it)."""
IN_FLIGHT = 4
"""Blocks queued ahead of the one the caller consumes: enough that the workers never wait while the caller
builds postings from a block (with one block ahead, a 2-core build ran a third slower), few enough to bound
memory."""

FORK_UP_TO_MB = 250
"""The largest parent whose workers are forked. A forked worker maps all of the parent's memory (every page counts
in its resident size) and copies the pages whose objects the garbage collector or a reference count touches; with
a 200 MB record parsed, the two workers added gigabytes. Spawned, each takes what the tokenizer needs (~130 MB)."""

_tokenizer = None
"""The worker's tokenizer (set once per worker by ``_start``)."""


def available_cores() -> int:
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # not on Linux
        return max(1, os.cpu_count() or 1)


def _start(tokenizer) -> None:
    global _tokenizer
    _tokenizer = tokenizer
    tokenizer.terms("")  # load the dictionary once, before the first chunk


SEPARATOR = "\x1f"
"""Joins a paragraph's terms for the trip back from a worker: one string pickles and unpickles far faster than
a list of dozens. No term can hold it (terms are jieba words, symbols or Latin runs; it is not a word character)."""


def item_terms(tokenizer, item: tuple[str, str, int]) -> list[str]:
    """What a paragraph is indexed under: its text's terms, then its speaker's names' terms ``repeat`` times
    (``qa.index.open.paragraph_item`` makes the item)."""
    text, names, repeat = item
    terms = tokenizer.terms(text)
    return terms + tokenizer.terms(names) * repeat if names else terms


def _terms(item: tuple[str, str, int]) -> list[str]:
    return item_terms(_tokenizer, item)


def _joined_terms(item: tuple[str, str, int]) -> str:
    return SEPARATOR.join(_terms(item))


def _split(joined: list[str]) -> Iterator[list[str]]:
    return (text.split(SEPARATOR) if text else [] for text in joined)


def token_lists(
    tokenizer, items: Iterable[tuple[str, str, int]], workers: int | None = None, size_hint: int | None = None
) -> Iterator[list[str]]:
    """The terms of each (text, names, name repeats) item, in order: ``terms(text) + terms(names) * repeats``.

    ``workers``: processes to use (default: the available cores); ``size_hint``: the number of items when
    known, to keep small jobs in process.
    """
    workers = available_cores() if workers is None else workers
    if workers <= 1 or (size_hint is not None and size_hint < PARALLEL_FROM):
        _start(tokenizer)
        yield from map(_terms, items)
        return
    tokenizer.terms("")  # loaded in the parent, so forked workers share it
    method = start_method()
    with multiprocessing.get_context(method).Pool(workers, initializer=_start, initargs=(tokenizer,)) as pool:
        pending: deque = deque()
        for block in blocks(items, BLOCK):
            pending.append(pool.map_async(_joined_terms, block, chunksize=CHUNK))
            if len(pending) > IN_FLIGHT:
                yield from _split(pending.popleft().get())
        while pending:
            yield from _split(pending.popleft().get())


def start_method() -> str:
    """``fork`` when safe and cheap (one thread, a small parent), else ``spawn``."""
    if threading.active_count() > 1 or "fork" not in multiprocessing.get_all_start_methods():
        return "spawn"
    return "fork" if resident_mb() <= FORK_UP_TO_MB else "spawn"


def resident_mb() -> float:
    """This process's resident memory in MB (0 where /proc is not there: forking stays the default)."""
    try:
        with open("/proc/self/statm") as statm:
            return int(statm.read().split()[1]) * os.sysconf("SC_PAGE_SIZE") / 1e6
    except (OSError, ValueError, IndexError):
        return 0.0


def blocks(items: Iterable, size: int) -> Iterator[list]:
    """``items`` in lists of ``size`` (the last one shorter)."""
    block = []
    for item in items:
        block.append(item)
        if len(block) == size:
            yield block
            block = []
    if block:
        yield block
