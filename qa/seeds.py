"""Load every record in a seeds folder into a Corpus, keeping what can be read.

A file that cannot be used is skipped with a one-line reason; only an empty
result is an error, because then no command can do anything.
"""

from __future__ import annotations

from pathlib import Path

from qa.corpus import Corpus, LoadProblem, Meeting
from qa.errors import UserError
from qa.paths import display_path
from qa.records import RecordError, read_record

RECORD_SUFFIX = ".txt"


def record_files(seeds_dir: Path) -> list[Path]:
    """The record files below ``seeds_dir`` in a stable order (by relative path)."""
    if not seeds_dir.exists():
        raise UserError(
            f"seeds folder {seeds_dir} does not exist; create it and put records (*.txt) in it, or pass --seeds DIR"
        )
    if not seeds_dir.is_dir():
        raise UserError(f"--seeds {seeds_dir} is a file, not a folder; pass the folder that holds the records")
    return sorted(
        (path for path in seeds_dir.rglob(f"*{RECORD_SUFFIX}") if not _hidden(path, seeds_dir)),
        key=lambda path: path.relative_to(seeds_dir).as_posix(),
    )


def _hidden(path: Path, root: Path) -> bool:
    return any(part.startswith(".") for part in path.relative_to(root).parts)


def load_corpus(seeds_dir: Path) -> Corpus:
    """Parse every record; raise UserError only when none could be used."""
    meetings: list[Meeting] = []
    problems: list[LoadProblem] = []
    seen: dict[str, str] = {}
    for path in record_files(seeds_dir):
        source = display_path(path)
        meeting, problem = _load_one(path, source)
        if problem:
            problems.append(problem)
            continue
        assert meeting is not None
        if meeting.symbol in seen:
            problems.append(LoadProblem(source, f"skipped: same meeting {meeting.symbol} as {seen[meeting.symbol]}"))
            continue
        seen[meeting.symbol] = source
        meetings.append(meeting)
        problems.extend(LoadProblem(source, warning) for warning in meeting.warnings)
    if not meetings:
        reasons = "".join(f"\n  {problem}" for problem in problems)
        raise UserError(
            f"no usable records in {seeds_dir}: add a UN verbatim record as a UTF-8 .txt file there "
            f"(see README), or pass --seeds DIR{reasons}"
        )
    return Corpus(meetings=tuple(meetings), problems=tuple(problems), root=str(seeds_dir))


def _load_one(path: Path, source: str) -> tuple[Meeting | None, LoadProblem | None]:
    if path.is_dir():
        return None, LoadProblem(source, "skipped: a folder, not a record file")
    if path.exists() and not path.is_file():  # reading a pipe or a device would wait (or read) forever
        return None, LoadProblem(source, "skipped: not a regular file (a pipe, socket or device)")
    try:
        return read_record(path, source), None
    except RecordError as error:
        return None, LoadProblem(source, f"skipped: {error}")
    except FileNotFoundError:
        return None, LoadProblem(source, "skipped: the file (or the target of its link) does not exist")
    except PermissionError:
        return None, LoadProblem(source, "skipped: not readable (permission denied)")
    except OSError as error:
        return None, LoadProblem(source, f"skipped: cannot be read ({error.strerror or error})")
