"""Measuring in a child process: a spawned process runs one function, so the memory peak it reports is its own
(the benchmark's builds, parses and incremental opens)."""

from __future__ import annotations

import multiprocessing
import resource
import sys
from pathlib import Path


def peak_rss_mb(who: int) -> float:
    """Peak resident memory of this process (RUSAGE_SELF) or its largest finished child, in MB (Linux: KB).

    For this process, Linux's ``VmHWM`` when there is one: ``ru_maxrss`` survives ``exec``, so a spawned child
    reports at least the resident size its parent had when it forked (a 100 MB record's parse read 1,536 MB
    after the million-paragraph queries, 582 MB alone)."""
    if who == resource.RUSAGE_SELF:
        try:
            status = Path("/proc/self/status").read_text(encoding="ascii", errors="replace")
            return next(int(line.split()[1]) for line in status.splitlines() if line.startswith("VmHWM:")) / 1024
        except (OSError, StopIteration, ValueError, IndexError):
            pass
    scale = 1 / 1024 if sys.platform != "darwin" else 1 / 1024 / 1024
    return resource.getrusage(who).ru_maxrss * scale


def _send_result(function, args, connection) -> None:
    try:
        connection.send(function(*args))
    except BaseException as error:  # reported by the parent, which raises
        connection.send({"error": f"{error.__class__.__name__}: {error}"})
    finally:
        connection.close()


def in_child(function, *args, doing: str) -> dict:
    """``function(*args)`` (a module-level function returning a dict) in a spawned process, so the memory
    peak it reports is its own; a failure there is raised here, saying what it was ``doing``."""
    context = multiprocessing.get_context("spawn")
    receiver, sender = context.Pipe(duplex=False)
    process = context.Process(target=_send_result, args=(function, args, sender))
    process.start()
    sender.close()
    result = receiver.recv()
    process.join()
    if "error" in result:
        raise RuntimeError(f"{doing} failed: {result['error']}")
    return result
