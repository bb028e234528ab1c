"""``qa bench --faults N``: the faults a real user meets, each tried N times on the bundled record, in new processes.

Why a bench and not only tests: a kill at a random moment finds what a kill at a chosen moment does not, and it
takes many tries. Each trial passes when ``qa`` ends without a traceback or a hang, answers what a clean run
answers (or refuses with one line), and leaves no temporary file behind. The kinds:

- ``build killed``: ``qa search`` killed (SIGKILL) at a random moment of its first run, then run again;
- ``batch killed``: ``qa batch --output`` killed at a random moment, then ``--resume``: the file must be
  byte-identical to an uninterrupted run's, and the previous output untouched until then;
- ``concurrent``: four processes started together on one empty cache;
- ``full disk`` / ``read-only cache``: the cache on a 64 KiB or a read-only tmpfs (skipped where mounting is not
  allowed): the answer as usual, with at most one notice naming the cause;
- ``damaged record``: the record cut, bytes flipped or bad bytes put in between two runs;
- ``fuzzed record``: random mutations of the record parsed in process: nothing but a ``RecordError`` may come out.
"""

from __future__ import annotations

import os
import random
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from qa.records.parse import RecordError, decode_record, parse_record

QUESTION = "集安组织维和部队何时撤离哈萨克斯坦"
BATCH_QUESTIONS = ["安理会这次会议是几点散会的？", "中方对阿富汗海外资产持什么立场？", "哪个国家提到了伊朗查巴哈港？"]
TIMEOUT = 180
"""Seconds a run may take before it counts as a hang."""


def qa(*argv: str, cache: Path, seeds: Path, **options) -> subprocess.Popen:
    command = [sys.executable, "-m", "qa", "--seeds", str(seeds), "--cache-dir", str(cache), *argv]
    return subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, **options)


def finished(process: subprocess.Popen) -> tuple[int, str, str]:
    """(exit status, stdout, stderr) of a run; a hang is killed and reported as status -1."""
    try:
        out, err = process.communicate(timeout=TIMEOUT)
    except subprocess.TimeoutExpired:
        process.kill()
        out, err = process.communicate()
        return -1, out.decode("utf-8", "replace"), "hang"
    return process.returncode, out.decode("utf-8", "replace"), err.decode("utf-8", "replace")


def problem(status: int, err: str, allowed=(0,)) -> str | None:
    """Why a run failed the bar, or None."""
    if status == -1:
        return "hang"
    if "Traceback" in err:
        return "traceback: " + err.strip().splitlines()[-1]
    if status not in allowed:
        return f"exit status {status}: {err.strip()[:200]}"
    return None


def leftovers(folder: Path) -> list[str]:
    """Hidden temporary entries and partial files left in ``folder``."""
    return sorted(str(path.relative_to(folder)) for path in folder.rglob("*") if path.name.startswith("."))


def killed_at_random(process: subprocess.Popen, within: float, rng: random.Random) -> None:
    time.sleep(rng.uniform(0, within))
    if process.poll() is None:
        os.kill(process.pid, signal.SIGKILL)
    process.wait()


class Trials:
    """The trials of one ``qa bench --faults`` run, in a temporary folder."""

    def __init__(self, work: Path, record: Path, seed: int = 18):
        self.work, self.rng = work, random.Random(seed)
        self.seeds = work / "seeds"
        self.seeds.mkdir()
        shutil.copy(record, self.seeds / record.name)
        self.record = self.seeds / record.name
        start = time.perf_counter()
        status, self.reference, err = finished(qa("search", "--json", QUESTION, cache=work / "c0", seeds=self.seeds))
        self.build_s = time.perf_counter() - start
        if status != 0:
            raise RuntimeError(f"the clean reference run failed: {err.strip()}")
        self.questions = work / "questions.txt"
        self.questions.write_text("\n".join(BATCH_QUESTIONS * 20) + "\n", encoding="utf-8")
        self.batch_reference = work / "reference.jsonl"
        start = time.perf_counter()
        process = qa(
            "batch", str(self.questions), "--output", str(self.batch_reference), cache=work / "c0", seeds=self.seeds
        )
        status, _, err = finished(process)
        self.batch_s = time.perf_counter() - start
        if status != 0:
            raise RuntimeError(f"the clean reference batch failed: {err.strip()}")
        self.count = 0

    def fresh(self, name: str) -> Path:
        self.count += 1
        return self.work / f"{name}-{self.count}"

    def search(self, cache: Path) -> tuple[int, str, str]:
        return finished(qa("search", "--json", QUESTION, cache=cache, seeds=self.seeds))

    def build_killed(self) -> str | None:
        cache = self.fresh("build")
        killed_at_random(qa("search", "--json", QUESTION, cache=cache, seeds=self.seeds), self.build_s, self.rng)
        status, out, err = self.search(cache)
        return problem(status, err) or ("another answer" if out != self.reference else None) or stray(cache)

    def batch_killed(self) -> str | None:
        cache, output = self.fresh("batch"), self.fresh("out").with_suffix(".jsonl")
        output.write_text("previous\n", encoding="utf-8")
        process = qa("batch", str(self.questions), "--output", str(output), cache=cache, seeds=self.seeds)
        killed_at_random(process, self.batch_s, self.rng)
        kept = output.read_text(encoding="utf-8")
        if kept != "previous\n" and kept != self.batch_reference.read_text(encoding="utf-8"):
            return "the previous output was changed before the batch was complete"
        started = Path(f"{output}.partial").exists() or kept != "previous\n"
        process = qa("batch", str(self.questions), "--output", str(output), "--resume", cache=cache, seeds=self.seeds)
        status, _, err = finished(process)
        if not started:  # killed before its first write: the resume appends to the old file, which is not an output
            refused = status == 2 and len(err.splitlines()) == 1 and "not a jsonl batch output" in err
            unchanged = output.read_text(encoding="utf-8") == "previous\n"
            return None if refused and unchanged else problem(status, err, allowed=(2,)) or "the old file was touched"
        if problem(status, err):
            return problem(status, err)
        if output.read_bytes() != self.batch_reference.read_bytes():
            return "the resumed output differs from an uninterrupted run's"
        return "a partial file is left" if Path(f"{output}.partial").exists() else stray(cache)

    def concurrent(self) -> str | None:
        cache = self.fresh("concurrent")
        runs = [
            finished(process)
            for process in [qa("search", "--json", QUESTION, cache=cache, seeds=self.seeds) for _ in range(4)]
        ]
        for status, out, err in runs:
            if problem(status, err) or out != self.reference:
                return problem(status, err) or "another answer"
        return stray(cache)

    def on_mounted_cache(self, options: str) -> str | None:
        """The cache on a tmpfs mounted with ``options``; "skipped" where mounting is not allowed."""
        cache = self.fresh("mounted")
        cache.mkdir()
        try:
            mounted = subprocess.run(["mount", "-t", "tmpfs", "-o", options, "tmpfs", str(cache)], capture_output=True)
        except OSError:
            return "skipped"
        if mounted.returncode != 0:
            return "skipped"
        try:
            first, second = self.search(cache), self.search(cache)
        finally:
            subprocess.run(["umount", str(cache)], capture_output=True)
        for status, out, err in (first, second):
            if problem(status, err) or out != self.reference:
                return problem(status, err) or "another answer"
            if len(err.splitlines()) > 1:
                return f"more than one notice: {err.strip()}"
        return None

    def damaged_record(self) -> str | None:
        cache = self.fresh("damaged")
        status, _, err = self.search(cache)
        original = self.record.read_bytes()
        try:
            self.record.write_bytes(damage(original, self.rng))
            status, out, err = self.search(cache)
            return problem(status, err, allowed=(0, 2)) or stray(cache)
        finally:
            self.record.write_bytes(original)


def fuzzed(original: bytes, count: int, rng: random.Random) -> list[str]:
    """``count`` random cuts and mutations of a record decoded and parsed: the errors other than ``RecordError``."""

    failures = []
    for _ in range(count):
        data = damage(original[: rng.randint(0, len(original))], rng)
        try:
            parse_record(decode_record(data), "fuzz.txt", "S/PV.1")
        except RecordError:
            continue
        except Exception as error:  # noqa: BLE001 - what the trial looks for
            failures.append(f"{type(error).__name__}: {error}")
    return failures


def damage(data: bytes, rng: random.Random) -> bytes:
    """``data`` cut, with bytes flipped, or with bad bytes put in: one of the three at random."""
    if not data:
        return bytes(rng.randrange(256) for _ in range(rng.randint(0, 64)))
    kind = rng.randrange(3)
    if kind == 0:
        return data[: rng.randrange(len(data))]
    damaged = bytearray(data)
    for _ in range(rng.randint(1, 40)):
        place = rng.randrange(len(damaged))
        if kind == 1:
            damaged[place] = rng.randrange(256)
        else:
            damaged[place:place] = rng.choice([b"\xed\xa0\x80", b"\xff", b"\x00", b"\x9b", "\u202e".encode()])
    return bytes(damaged)


def stray(cache: Path) -> str | None:
    left = leftovers(cache) if cache.exists() else []
    return f"left behind: {', '.join(left[:3])}" if left else None


def run_faults(trials: int, record: Path, progress: Callable[[str], None] = lambda message: None) -> dict:
    """Each kind of fault ``trials`` times (fuzzing: 100 records per trial); counts of passed, failed, skipped."""
    with tempfile.TemporaryDirectory(prefix="qa-faults-") as folder:
        run = Trials(Path(folder), record)
        kinds: dict[str, Callable[[], str | None]] = {
            "build killed": run.build_killed,
            "batch killed": run.batch_killed,
            "concurrent (4 processes)": run.concurrent,
            "full disk (64 KiB tmpfs)": lambda: run.on_mounted_cache("size=64k"),
            "read-only cache": lambda: run.on_mounted_cache("ro"),
            "damaged record": run.damaged_record,
        }
        report: dict[str, dict] = {}
        for name, trial in kinds.items():
            progress(f"faults: {name} × {trials}")
            outcomes = [trial() for _ in range(trials)]
            report[name] = tally(outcomes)
        progress(f"faults: fuzzed records × {100 * trials}")
        count = 100 * trials
        failures = fuzzed(run.record.read_bytes(), count, run.rng)
        report["fuzzed record"] = {
            "trials": count,
            "passed": count - len(failures),
            "skipped": 0,
            "failures": failures[:5],
        }
    return report


def tally(outcomes: list[str | None]) -> dict:
    failures = [outcome for outcome in outcomes if outcome not in (None, "skipped")]
    skipped = sum(outcome == "skipped" for outcome in outcomes)
    return {"trials": len(outcomes), "passed": outcomes.count(None), "skipped": skipped, "failures": failures[:5]}


def markdown(report: dict) -> str:
    lines = ["| fault | trials | passed | skipped | first failures |", "| --- | --- | --- | --- | --- |"]
    for name, row in report.items():
        failures = "; ".join(row["failures"]) or "–"
        lines.append(f"| {name} | {row['trials']} | {row['passed']} | {row['skipped']} | {failures} |")
    return "\n".join(lines) + "\n"
