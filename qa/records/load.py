"""Load every record in a seeds folder into a Corpus, keeping what can be read.

A file that cannot be used is skipped with a one-line reason; only an empty
result is an error, because then no command can do anything. Given a cache
folder, each file's parse is kept there (``qa.records.parsecache``) and only the files
whose bytes changed are parsed again.
"""

from __future__ import annotations

import hashlib
from pathlib import Path

from qa.errors import UserError
from qa.paths import display_path
from qa.records import parsecache
from qa.records.model import Corpus, LoadProblem, Meeting
from qa.records.parse import RecordError, decode_with_warnings, is_pdf, parse_pdf, parse_record, symbol_from_filename

RECORD_SUFFIXES = (".txt", ".pdf")


def record_files(seeds_dir: Path) -> list[Path]:
    """The record files below ``seeds_dir`` in a stable order (by relative path)."""
    if not seeds_dir.exists():
        raise UserError(
            f"seeds folder {seeds_dir} does not exist; create it and put records (*.txt, *.pdf) in it, "
            "or pass --seeds DIR"
        )
    if not seeds_dir.is_dir():
        raise UserError(f"--seeds {seeds_dir} is a file, not a folder; pass the folder that holds the records")
    depth = len(seeds_dir.parts)
    found = []
    for path in seeds_dir.rglob("*"):
        inside = path.parts[depth:]  # the path relative to seeds_dir (rglob yields seeds_dir / ...)
        if path.suffix.lower() in RECORD_SUFFIXES and not any(part.startswith(".") for part in inside):
            found.append(("/".join(inside), path))
    return [path for _, path in sorted(found, key=lambda item: item[0])]


def load_corpus(seeds_dir: Path, cache_root: Path | None = None) -> Corpus:
    """Parse every record (each unchanged one from its parse cached under ``cache_root``, when given: the
    commands pass ``qa.paths.user_cache_dir``); raise UserError only when none could be used."""
    folder = parsecache.parsed_folder(cache_root, seeds_dir) if cache_root is not None else None
    keys: set[str] = set()
    files = [(path, display_path(path)) for path in record_files(seeds_dir)]
    loaded = [(source, *_load_one(path, source, folder, keys)) for path, source in files]
    if folder is not None:
        parsecache.prune(folder, keys)
    meetings: list[Meeting] = []
    problems: list[LoadProblem] = []
    seen: dict[str, str] = {}
    for source, meeting, problem in loaded:
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
            f"no usable records in {seeds_dir}: add a UN verbatim record (a UTF-8 .txt file or the PDF) there "
            f"(see README), or pass --seeds DIR{reasons}"
        )
    return Corpus(meetings=tuple(meetings), problems=tuple(problems), root=str(seeds_dir))


def _load_one(
    path: Path, source: str, folder: Path | None, keys: set[str]
) -> tuple[Meeting | None, LoadProblem | None]:
    """One file's meeting, or why it was skipped. Only what its bytes decide is cached: the file system's
    answers (a folder, a pipe, permission denied, a missing link target) are asked again every time."""
    if path.is_dir():
        return None, LoadProblem(source, "skipped: a folder, not a record file")
    if path.exists() and not path.is_file():  # reading a pipe or a device would wait (or read) forever
        return None, LoadProblem(source, "skipped: not a regular file (a pipe, socket or device)")
    try:
        parsed = _read_and_parse(path, source, folder, keys)
    except FileNotFoundError:
        return None, LoadProblem(source, "skipped: the file (or the target of its link) does not exist")
    except PermissionError:
        return None, LoadProblem(source, "skipped: not readable (permission denied)")
    except OSError as error:
        return None, LoadProblem(source, f"skipped: cannot be read ({error.strerror or error})")
    return (None, parsed) if isinstance(parsed, LoadProblem) else (parsed, None)


def _read_and_parse(path: Path, source: str, folder: Path | None, keys: set[str]) -> Meeting | LoadProblem:
    """Read and hash the file, then its cached parse, else parse it (and cache that). Raises OSError.

    One function, so that the bytes of a large record can be let go before its text is parsed."""
    data = path.read_bytes()
    digest = hashlib.sha256(data).hexdigest()
    key = parsecache.entry_key(digest, source)
    keys.add(key)
    cached = parsecache.load(folder, key, source) if folder is not None else None
    if cached is not None:
        return cached
    parsed: Meeting | LoadProblem
    try:
        if is_pdf(path, data):
            parsed = parse_pdf(data, source, symbol_from_filename(path), digest)
        else:
            text, warnings = decode_with_warnings(data)
            del data  # a large record should not be held twice while it is parsed
            parsed = parse_record(text, source, symbol_from_filename(path), digest, warnings)
    except RecordError as error:
        parsed = LoadProblem(source, f"skipped: {error}")
    if folder is not None:
        parsecache.save(folder, key, parsed)
    return parsed
