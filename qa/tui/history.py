"""The questions a user asked, kept across chat sessions.

History is a convenience, never a reason to fail: a damaged file loses only its
damaged lines, and a folder that cannot be written leaves the history in
memory for this session with one notice (``problem``) for the interface to show.
The file is JSON lines (one question per line) so that a question holding a
newline or a quote cannot corrupt its neighbours, and appends are atomic enough
for two chats open at once.
"""

from __future__ import annotations

import json
import os
from pathlib import Path

from qa.paths import user_data_dir

HISTORY_FILE = "history.jsonl"
HISTORY_LIMIT = 500
"""Questions kept; the file is compacted to this many once it holds twice as many."""


def default_history_path() -> Path:

    return user_data_dir() / HISTORY_FILE


class QuestionHistory:
    """Earlier questions, oldest first, persisted in ``path`` (None: memory only)."""

    def __init__(self, path: Path | None, limit: int = HISTORY_LIMIT) -> None:
        self.path = path
        self.limit = limit
        self.problem: str | None = None
        """One line saying why the history is not being saved or was partly unreadable."""
        self._lines_on_disk = 0
        self.entries: list[str] = self._read()

    def _read(self) -> list[str]:
        if self.path is None:
            return []
        try:
            raw = self.path.read_bytes()
        except FileNotFoundError:
            return []
        except OSError as error:
            self.problem = f"question history {self.path} cannot be read ({error.strerror or error}); starting empty"
            return []
        entries, damaged = parse_history(raw.decode("utf-8", errors="replace"))
        self._lines_on_disk = len(entries) + damaged
        if damaged:
            self.problem = f"question history {self.path}: skipped {damaged} damaged line(s)"
        return entries[-self.limit :]

    def add(self, question: str) -> None:
        """Remember ``question`` (not twice in a row) and save it."""
        question = question.strip()
        if not question or (self.entries and self.entries[-1] == question):
            return
        self.entries.append(question)
        del self.entries[: -self.limit]
        self._save(question)

    def _save(self, question: str) -> None:
        if self.path is None:
            return
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            if self._lines_on_disk >= 2 * self.limit:
                self._rewrite()
            else:
                with self.path.open("a", encoding="utf-8") as stream:
                    stream.write(json.dumps(question, ensure_ascii=False) + "\n")
                self._lines_on_disk += 1
        except OSError as error:
            reason = error.strerror or error
            self.problem = f"question history cannot be saved to {self.path} ({reason}); kept for this session only"
            self.path = None

    def _rewrite(self) -> None:
        """Compact the file to the kept entries, replacing it atomically."""
        assert self.path is not None
        temporary = self.path.with_name(f".{self.path.name}.{os.getpid()}.tmp")
        temporary.write_text("".join(json.dumps(q, ensure_ascii=False) + "\n" for q in self.entries), "utf-8")
        os.replace(temporary, self.path)
        self._lines_on_disk = len(self.entries)


def parse_history(text: str) -> tuple[list[str], int]:
    """The questions in a history file's text, and how many lines were damaged."""
    entries: list[str] = []
    damaged = 0
    for line in text.splitlines():
        if not line.strip():
            continue
        try:
            value = json.loads(line)
        except ValueError:
            damaged += 1
            continue
        if isinstance(value, str) and value.strip():
            entries.append(value)
        else:
            damaged += 1
    return entries, damaged


class Recall:
    """Up/Down through the history like a shell: the line being typed is kept as a draft."""

    def __init__(self, entries: list[str]) -> None:
        self.entries = entries
        self.position = len(entries)
        self.draft = ""

    def older(self, current: str) -> str | None:
        """The previous question, or None at the oldest."""
        if self.position == 0:
            return None
        if self.position == len(self.entries):
            self.draft = current
        self.position -= 1
        return self.entries[self.position]

    def newer(self) -> str | None:
        """The next question, the draft after the newest, or None when already at the draft."""
        if self.position >= len(self.entries):
            return None
        self.position += 1
        return self.draft if self.position == len(self.entries) else self.entries[self.position]

    def reset(self) -> None:
        self.position = len(self.entries)
        self.draft = ""
