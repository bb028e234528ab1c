"""What a typed or pasted question becomes before the chat shows or asks it.

Terminal escapes and control characters in a question could move the cursor,
recolour or retitle the terminal when echoed; they carry no meaning for a
search, so they are removed. A question is one line, and an absurdly long paste
is cut (with a notice) so it cannot stall the interface.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from qa.answer.questions import MAX_QUESTION_CHARS as QUESTION_LIMIT  # one documented limit for every front end
from qa.text.normalize import strip_controls  # one cleaning for every front end

_CJK = re.compile(r"[\u3000-\u303f\u3400-\u9fff\uf900-\ufaff\uff00-\uffef\U00020000-\U0003ffff]")


@dataclass(frozen=True)
class CleanQuestion:
    text: str
    """The question on one line, without escapes or control characters."""
    cut: int = 0
    """How many characters were cut off the end (0 when none)."""


def clean_question(raw: str, limit: int = QUESTION_LIMIT) -> CleanQuestion:
    """``raw`` without terminal escapes and control characters, white space collapsed, cut to ``limit``."""
    text = " ".join(strip_controls(raw).split())
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
