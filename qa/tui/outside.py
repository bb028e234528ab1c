"""Where the chat's text goes outside the terminal window: the clipboard, an editor, the UN's document link.

Pure helpers (no Textual): which terminals take Textual's OSC 52 copy, where a
copy is also saved when the terminal may ignore it, the command that opens a
record at a line in ``$VISUAL``/``$EDITOR``, and the public link of a meeting.
"""

from __future__ import annotations

import re
import shlex
from collections.abc import Mapping
from pathlib import Path

from qa.paths import CHECKOUT_DIR
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


def source_path(source: str) -> Path:
    """The file a citation names (relative to the working folder or the checkout, as ``display_path`` made it)."""

    path = Path(source)
    if path.is_absolute() or path.exists():
        return path
    return CHECKOUT_DIR / path if (CHECKOUT_DIR / path).exists() else path


def record_language(source: str) -> str:
    """``en`` for an English record (``….en.txt`` or ``….en.pdf``), else ``zh``: the records are Chinese by default."""
    return "en" if re.search(r"\.en\.[A-Za-z0-9]+$", source) else "zh"


def un_link(symbol: str, source: str) -> str | None:
    """The record's page on the UN's documents site (``https://undocs.org/zh/S/PV.8967``), when the symbol is one."""
    if not re.fullmatch(r"S/PV\.\d+(?:/Resumption\d*)?", symbol):
        return None
    return f"https://undocs.org/{record_language(source)}/{symbol}"
