"""Where a batch's answers go, so that nothing is lost and two runs are never mixed in one file.

A new ``--output FILE`` is written as ``FILE.partial`` beside it and moved over ``FILE`` only when every answer
is in: a full disk or a kill mid-batch leaves the previous ``FILE`` as it was, and the answers done so far in
``FILE.partial``, which ``--resume`` continues. ``--resume`` without a partial file appends to ``FILE`` itself
after its last complete entry (a half-written one is cut off).

The settings that shape an answer (``settings``) are recorded with the output: the first line of a JSONL or
Markdown output, a ``FILE.settings.json`` sidecar beside a CSV (whose first row is the column names Excel
expects). A resume with other settings is refused with one line that names the difference, since the file would
otherwise hold answers of two kinds without a word.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
from dataclasses import dataclass, field
from pathlib import Path

from qa.commands.batchfiles import completed, header, looks_like, settings_in
from qa.errors import UserError
from qa.index.store.cache import INDEX_VERSION

OPTION_NAMES = {
    "format": "--format",
    "top_k": "--top-k",
    "speaker": "--speaker",
    "meeting": "--meeting",
    "templates": "the templates (--prompts)",
    "index_version": "the index version",
}
"""How a setting is named in the message that refuses a resume."""
UNDECODED = re.compile(r"[\udc80-\udcff]")
"""Bytes that were not UTF-8, as ``surrogateescape`` decodes them."""


class WriteError(UserError):
    """The output could not be written (full disk, device error): exit status 1, as for other failed writes."""

    exit_status = 1


def templates_digest(templates) -> str:
    """A short digest of the templates' text (not their folder), so editing one is a different setting."""
    digest = hashlib.sha256()
    for key, section in sorted(templates.sections.items()):
        digest.update(json.dumps([list(key), section.template.template], ensure_ascii=False).encode())
    return digest.hexdigest()[:16]


def settings(fmt: str, top_k: int, templates, speaker: str | None = None, meeting: str | None = None) -> dict:
    """What shapes the answers of a batch: a resume must ask with the same."""

    return {
        "format": fmt,
        "index_version": INDEX_VERSION,
        "meeting": meeting,
        "speaker": speaker,
        "templates": templates_digest(templates),
        "top_k": top_k,
    }


def difference(old: dict, new: dict) -> str:
    """``--top-k 5 there, 10 now; …``: the settings that differ, or "" when none does."""
    parts = []
    for key in sorted(set(old) | set(new)):
        if old.get(key) != new.get(key):
            parts.append(f"{OPTION_NAMES.get(key, key)} {shown(old.get(key))} there, {shown(new.get(key))} now")
    return "; ".join(parts)


def shown(value) -> str:
    return (
        "(none)" if value is None else json.dumps(value, ensure_ascii=False) if isinstance(value, str) else str(value)
    )


def is_device(path: Path) -> bool:
    """A device or a pipe (/dev/null, /dev/stdout, a FIFO): written as it is, never replaced by a rename (which
    would turn the device into a plain file) and given no sidecar beside it."""
    return path.exists() and not path.is_file() and not path.is_dir()


def partial_path(target: Path) -> Path:
    return target.with_name(target.name + ".partial")


def sidecar_path(output: Path) -> Path:
    """Where a CSV output's settings are kept (a CSV has no place for them that Excel would not show)."""
    return output.with_name(output.name + ".settings.json")


@dataclass
class Output:
    """The open output of a batch: the stream written to, the file it becomes, what is already answered."""

    stream: object
    target: Path | None = None
    """The ``--output`` file; None for standard output."""
    working: Path | None = None
    """The file being written: ``FILE.partial``, or ``FILE`` itself when a resume appends to it."""
    done: set[str] = field(default_factory=set)
    resumed_from: Path | None = None
    """The file whose finished answers a resume keeps (None for a new output)."""

    def finish(self, settings_: dict | None, fmt: str) -> None:
        """Close the stream and, when the answers went to ``FILE.partial``, move it over ``FILE`` (its data on
        disk first, so a crash right after the move cannot leave an empty file)."""
        if self.target is None:
            return
        try:
            self.stream.flush()
            if self.target.is_file():
                os.fsync(self.stream.fileno())
        except OSError as error:
            raise WriteError(write_failure(self, error)) from None
        self.stream.close()
        if self.working != self.target:
            os.replace(self.working, self.target)
            if fmt == "csv":
                os.replace(sidecar_path(self.working), sidecar_path(self.target))
        sidecar = fmt == "csv" and settings_ is not None and not is_device(self.target)  # a device has no folder
        if sidecar and not sidecar_path(self.target).exists():
            write_sidecar(self.target, settings_)

    def close(self) -> None:
        """Close the file, also after a failed write (whose error was reported: what still sits in the buffer is
        a cut-off entry that ``--resume`` drops anyway)."""
        if self.target is not None:
            try:
                self.stream.close()
            except OSError:
                pass


def open_output(path: str | None, fmt: str, resume: bool, settings_: dict, stdout) -> Output:
    """The output, opened before any work (an unwritable path fails now), its header written.

    Without ``resume`` the answers go to ``FILE.partial`` (replaced if there); with it, to ``FILE.partial`` if
    an interrupted run left one, else appended to ``FILE``, after checking it was made with ``settings_``."""
    if not path:
        stdout.write(header(fmt, settings_))
        return Output(stdout)
    target = Path(os.path.realpath(path)) if Path(path).is_symlink() else Path(path)  # the link is kept
    if target.is_dir():
        raise UserError(f"{path}: is a folder; choose a file for --output")
    if is_device(target):  # written as it is
        return open_special(target, fmt, settings_, path)
    partial = partial_path(target)
    working = partial if (not resume or partial.is_file() or not target.is_file()) else target
    done: set[str] = set()
    existed = resume and working.is_file()
    try:
        if target.exists():
            with target.open("ab"):  # a file the user may not write stays so, though a rename could replace it
                pass
        if existed:
            done = kept_answers(working, fmt, settings_, path)
        elif fmt == "csv":
            write_sidecar(working, settings_)
        stream = working.open("a" if resume else "w", encoding="utf-8", newline="")
    except UnicodeDecodeError:
        raise UserError(f"{working}: the output to resume is not UTF-8 text; give another --output") from None
    except OSError as error:
        raise UserError(f"{path}: cannot write the output ({error.strerror}); choose another --output") from None
    output = Output(stream, target, working, done, working if existed else None)
    if stream.tell() == 0:
        write(output, header(fmt, settings_, bom=True))
    return output


def open_special(target: Path, fmt: str, settings_: dict, path: str) -> Output:
    """An output that is not a regular file (/dev/stdout, a named pipe): no partial file renamed over it, which
    would replace the device with a file; nothing to resume either."""
    try:
        stream = target.open("w", encoding="utf-8", newline="")
    except OSError as error:
        raise UserError(f"{path}: cannot write the output ({error.strerror}); choose another --output") from None
    output = Output(stream, target, target)
    write(output, header(fmt, settings_))
    return output


def kept_answers(working: Path, fmt: str, settings_: dict, path: str) -> set[str]:
    """The ids answered in ``working``, after cutting off a half-written last entry; a file of another
    format, of other settings or not a batch output at all is refused before it is touched."""
    # surrogateescape: a kill between two writes can cut the last entry inside a character
    text = working.read_bytes().decode("utf-8", "surrogateescape")
    if text and not looks_like(text, fmt):
        raise UserError(f"{working}: not a {fmt} batch output; resume with the --format it was written in")
    done, kept = completed(text, fmt)
    if UNDECODED.search(text, 0, kept):
        raise UserError(f"{working}: the output to resume is not UTF-8 text; give another --output")
    if kept == 0 and text and not header(fmt, settings_, bom=True).startswith(text):
        raise UserError(f"{working}: no complete batch output to resume; give another --output")
    recorded = recorded_settings(working, text, fmt)
    if kept and recorded is None:
        raise UserError(
            f"{working}: does not record the settings it was answered with (an older qa wrote it); "
            "to be sure no two settings mix in one file, answer into a new --output"
        )
    changed = difference(recorded, settings_) if recorded is not None else ""
    if changed:
        raise UserError(
            f"{working}: answered with other settings ({changed}); resume with the same, or give another --output"
        )
    with working.open("r+b") as existing:
        existing.truncate(len(text[:kept].encode("utf-8", "surrogateescape")))
    if fmt == "csv" and recorded is None:
        write_sidecar(working, settings_)
    return done


def recorded_settings(working: Path, text: str, fmt: str) -> dict | None:
    """The settings an output was written with: its first line, or for a CSV its sidecar; None if absent."""

    if fmt != "csv":
        return settings_in(text, fmt)
    try:
        recorded = json.loads(sidecar_path(working).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    return (
        recorded.get("qa_batch") if isinstance(recorded, dict) and isinstance(recorded.get("qa_batch"), dict) else None
    )


def write_sidecar(output: Path, settings_: dict) -> None:
    sidecar_path(output).write_text(json.dumps({"qa_batch": settings_}, sort_keys=True) + "\n", encoding="utf-8")


def write(output: Output, text: str) -> None:
    """Write and flush one piece; a failed write names the cause and where the answers so far are."""
    try:
        output.stream.write(text)
        output.stream.flush()
    except OSError as error:
        if output.target is None:  # standard output: ``qa.cli`` reports it and quiets the final flush
            raise
        raise WriteError(write_failure(output, error)) from None


def write_failure(output: Output, error: OSError) -> str:
    """``out.jsonl.partial: no space left on device; out.jsonl is unchanged, …``."""
    reason = error.strerror or str(error)
    if is_device(output.target):  # it keeps nothing to resume
        return f"{output.target}: {reason}; write the answers to a file with --output"
    if output.working == output.target:
        return f"{output.target}: {reason}; the answers before it are kept: free space, then run again with --resume"
    kept = f"{output.target} is unchanged" if output.target.exists() else f"{output.target} is not written yet"
    return (
        f"{output.working}: {reason}; {kept}, the answers so far are in {output.working.name}: "
        "free space, then run again with --resume"
    )
