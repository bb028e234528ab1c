"""What a typed or pasted question becomes before the chat shows or asks it.

Terminal escapes and control characters in a question could move the cursor,
recolour or retitle the terminal when echoed; they carry no meaning for a
search, so they are removed. A question is one line, and an absurdly long paste
is cut (with a notice) so it cannot stall the interface.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

from qa.questions import MAX_QUESTION_CHARS as QUESTION_LIMIT  # one documented limit for every front end

_ANSI_ESCAPE = re.compile(
    r"\x1b\][^\x07\x1b]*(?:\x07|\x1b\\)?"  # OSC … BEL/ST (titles, hyperlinks)
    r"|\x1b\[[0-?]*[ -/]*[@-~]"  # CSI (colours, cursor moves)
    r"|\x1b[PX^_][^\x1b]*(?:\x1b\\)?"  # DCS, SOS, PM, APC strings
    r"|\x1b.?"  # any other escape
    r"|\x9b[0-?]*[ -/]*[@-~]"  # 8-bit CSI
)
_CJK = re.compile(r"[\u3000-\u303f\u3400-\u9fff\uf900-\ufaff\uff00-\uffef\U00020000-\U0003ffff]")
_BIDI_CONTROLS = frozenset("\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")


@dataclass(frozen=True)
class CleanQuestion:
    text: str
    """The question on one line, without escapes or control characters."""
    cut: int = 0
    """How many characters were cut off the end (0 when none)."""


def clean_question(raw: str, limit: int = QUESTION_LIMIT) -> CleanQuestion:
    """``raw`` without terminal escapes and control characters, white space collapsed, cut to ``limit``."""
    text = _ANSI_ESCAPE.sub("", raw)
    text = "".join(" " if _is_control(char) else char for char in text)
    text = " ".join(text.split())
    if len(text) > limit:
        return CleanQuestion(text[:limit].rstrip(), len(text) - limit)
    return CleanQuestion(text)


def one_line(text: str) -> str:
    """Pasted lines joined into one: without a space between Chinese characters (a hard wrap), else with one."""
    lines = [line.strip() for line in text.splitlines() if line.strip()]
    joined = lines[:1]
    for line in lines[1:]:
        glue = "" if _CJK.match(joined[-1][-1]) and _CJK.match(line[0]) else " "
        joined.append(glue + line)
    return "".join(joined)


def _is_control(char: str) -> bool:
    return unicodedata.category(char) in ("Cc", "Cs", "Co") or char in _BIDI_CONTROLS
