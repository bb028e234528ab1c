"""``qa bench``'s start-up figures: ``qa ask``, ``qa search`` and the chat timed as a user meets them, each in a
new process (imports, reading the index, answering and printing all counted), medians of repeated runs."""

from __future__ import annotations

import json
import statistics
import subprocess
import sys
import time
from pathlib import Path

ASK_QUESTION = "集安组织有哪些成员国？"
"""The question ``qa ask`` is timed with (not a development-set question)."""


def qa_command() -> list[str]:
    """How a user starts ``qa``: the installed script beside this Python, else ``python -m qa``."""
    script = Path(sys.executable).with_name("qa")
    return [str(script)] if script.is_file() else [sys.executable, "-m", "qa"]


def time_qa(settings, cache_dir: Path, *arguments: str) -> float:
    """Wall time of one ``qa`` process from start to exit (its output discarded)."""
    command = [*qa_command(), "--cache-dir", str(cache_dir), *arguments]
    if settings.seeds:
        command[1:1] = ["--seeds", str(settings.seeds)]
    started = time.perf_counter()
    subprocess.run(command, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    return time.perf_counter() - started


def measure_ask(settings, work: Path) -> dict:
    """``qa ask`` with a warm index cache (built by a first, untimed run) and with an empty one each time;
    ``qa search`` (retrieval alone) warm."""
    warm = work / "ask-warm-cache"
    time_qa(settings, warm, "ask", ASK_QUESTION)
    time_qa(settings, warm, "search", ASK_QUESTION)
    warm_runs = [time_qa(settings, warm, "ask", ASK_QUESTION) for _ in range(settings.repeat)]
    search_runs = [time_qa(settings, warm, "search", ASK_QUESTION) for _ in range(settings.repeat)]
    cold_runs = [time_qa(settings, work / f"ask-cold-{run}", "ask", ASK_QUESTION) for run in range(settings.repeat)]
    return {
        "ask_warm_s": statistics.median(warm_runs),
        "ask_cold_s": statistics.median(cold_runs),
        "search_warm_s": statistics.median(search_runs),
    }


CHAT_SCRIPT = """
import json, sys
from pathlib import Path
from qa.tui.measure import measure_chat_latency
seeds = Path(sys.argv[2]) if sys.argv[2] else None
print(json.dumps(measure_chat_latency(seeds=seeds, cache_dir=sys.argv[1], repeats=int(sys.argv[3]))))
"""


def measure_chat(settings, work: Path) -> dict:
    """The chat in a new process (Textual imported after the clock starts), index cache warm, median of runs."""
    cache_dir = work / "ask-warm-cache"
    runs = []
    for _ in range(settings.repeat):
        arguments = [str(cache_dir), str(settings.seeds or ""), str(max(1, settings.repeat))]
        output = subprocess.run(
            [sys.executable, "-c", CHAT_SCRIPT, *arguments], check=True, capture_output=True, text=True
        ).stdout
        runs.append(json.loads(output.strip().splitlines()[-1]))
    return {
        "chat_first_screen_s": statistics.median(run["first_screen"] for run in runs),
        "chat_answer_s": statistics.median(run["answer"] for run in runs),
    }
