"""Conversations kept as they go, in the user data folder, to list and reopen later.

Each conversation is one JSON Lines file (``conversations/20261204-151003.jsonl``)
holding the questions in order with the speaker restriction in force and when
they were asked. Answers are not stored: reopening asks the questions again on
the records loaded now (answering is deterministic, and a changed record gives
the answer it supports today). Like the question history, saving is a
convenience: a folder that cannot be written gives one ``problem`` line and the
chat goes on.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from qa.paths import user_data_dir

FOLDER = "conversations"
LISTED = 50
"""Conversations the reopen list shows, newest first."""


@dataclass(frozen=True)
class Asked:
    question: str
    speaker: str | None = None
    asked: str = ""
    """When, as an ISO date and time."""


@dataclass(frozen=True)
class Saved:
    """A conversation on disk, as the reopen list shows it."""

    path: Path
    started: str
    questions: tuple[Asked, ...]

    @property
    def title(self) -> str:
        first = self.questions[0].question if self.questions else "(empty)"
        return f"{self.started} · {len(self.questions)} question(s) · {first}"


def default_folder() -> Path:

    return user_data_dir() / FOLDER


class ConversationLog:
    """The conversation being held, appended to its file question by question (``folder`` None: not kept)."""

    def __init__(self, folder: Path | None) -> None:
        self.folder = folder
        self.path: Path | None = None
        self.problem: str | None = None

    def start_new(self) -> None:
        """The next question opens a new file (after Ctrl+L); the old one stays in the list."""
        self.path = None

    def continue_in(self, path: Path) -> None:
        """Questions asked after reopening ``path`` are added to it."""
        self.path = path

    def add(self, question: str, speaker: str | None, now: datetime | None = None) -> None:
        if self.folder is None:
            return
        now = now or datetime.now()
        entry = {"question": question, "speaker": speaker, "asked": now.isoformat(timespec="seconds")}
        try:
            if self.path is None:
                self.folder.mkdir(parents=True, exist_ok=True)
                self.path = unused(self.folder / f"{now:%Y%m%d-%H%M%S}.jsonl")
            with self.path.open("a", encoding="utf-8") as stream:
                stream.write(json.dumps(entry, ensure_ascii=False) + "\n")
        except OSError as error:
            self.problem = f"conversations cannot be saved in {self.folder} ({error.strerror or error})"
            self.folder = None


def unused(path: Path) -> Path:
    """``path``, or ``path`` with -2, -3… before its suffix when a file of that name exists."""
    candidate, number = path, 1
    while candidate.exists():
        number += 1
        candidate = path.with_name(f"{path.stem}-{number}{path.suffix}")
    return candidate


def read_conversation(path: Path) -> Saved:
    """A saved conversation; damaged lines are skipped."""
    asked = []
    for line in path.read_text(encoding="utf-8", errors="replace").splitlines():
        try:
            entry = json.loads(line)
        except ValueError:
            continue
        if isinstance(entry, dict) and isinstance(entry.get("question"), str) and entry["question"].strip():
            speaker = entry.get("speaker") if isinstance(entry.get("speaker"), str) else None
            asked.append(Asked(entry["question"], speaker, str(entry.get("asked", ""))))
    started = asked[0].asked.replace("T", " ")[:16] if asked else path.stem
    return Saved(path, started, tuple(asked))


def saved_conversations(folder: Path | None, limit: int = LISTED) -> list[Saved]:
    """The saved conversations with at least one question, newest first."""
    if folder is None or not folder.is_dir():
        return []
    found = []
    for path in sorted(folder.glob("*.jsonl"), reverse=True)[:limit]:
        try:
            saved = read_conversation(path)
        except OSError:
            continue
        if saved.questions:
            found.append(saved)
    return found
