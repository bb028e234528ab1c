"""Where the chat's text goes outside the terminal window: the clipboard and an editor.

Pure helpers (no Textual): which terminals take Textual's OSC 52 copy, where a
copy is also saved when the terminal may ignore it, the command that opens a
record at a line in ``$VISUAL``/``$EDITOR`` (the meeting's public link: ``qa.records.citation``).
"""

from __future__ import annotations

import shlex
from collections.abc import Mapping
from pathlib import Path

from qa.text.normalize import strip_controls

OSC52_TERMINALS = ("iTerm.app", "WezTerm", "ghostty", "kitty", "alacritty", "foot", "contour", "rio")
"""TERM_PROGRAM or TERM values of terminals known to accept OSC 52 copies (Windows Terminal sets WT_SESSION)."""
COPY_FILE = "last-copy.md"


def osc52_likely(environ: Mapping[str, str]) -> bool:
    """Whether the terminal is one known to put an OSC 52 copy on the clipboard. Others (and tmux, whose
    ``set-clipboard`` may be off) might drop it silently, so the chat then also saves the text to a file."""
    if environ.get("TMUX"):
        return False
    if environ.get("WT_SESSION"):
        return True
    names = f"{environ.get('TERM_PROGRAM', '')} {environ.get('TERM', '')}".lower()
    return any(name.lower() in names for name in OSC52_TERMINALS)


def clean_copy(text: str) -> str:
    """Text for the clipboard or a file: escape sequences and control characters from records removed."""
    return strip_controls(text)


def save_copy(text: str, folder: Path) -> Path:
    """Write ``text`` to the copy file in ``folder`` (made if missing) and return its path."""
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / COPY_FILE
    path.write_text(clean_copy(text), encoding="utf-8")
    return path


def editor_command(editor: str, path: Path, line: int) -> list[str]:
    """The command that opens ``path`` at ``line``: ``+LINE`` is understood by vi, vim, nano, emacs and most
    others; VS Code (``code``) takes ``--goto path:line``."""
    words = shlex.split(editor)
    if words and Path(words[0]).name in ("code", "codium", "code-insiders"):
        return [*words, "--goto", f"{path}:{line}"]
    return [*words, f"+{line}", str(path)]
