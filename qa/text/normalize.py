"""The forms text is compared and shown in: one place for every normalisation.

- ``normalize``: how the index, the composer and the aliases compare text (NFKC, lower case, digit groups
  joined);
- ``compact``: how the evaluation compares answers with gold passages (NFKC, no white space at all), as
  /work/shared/eval/README.md defines it;
- ``strip_controls``: what a terminal, a file or the composer may take from a record or a question (no escape
  sequences, control or bidi-override characters).
"""

from __future__ import annotations

import re
import unicodedata

_THIN_SPACED_DIGITS = re.compile(r"(?<=\d) (?=\d{3}(?!\d))")
_SPACE = re.compile(r"\s+")
_WIDE = re.compile("[\uff01-\uff5e\u00a0\u2000-\u200a\u202f\u205f\u3000]")
"""Full-width ASCII forms and the wide or fixed-width spaces: nearly all of what NFKC changes in a record."""


def normalize(text: str) -> str:
    """The form every text is compared in: NFKC (full width → half width), lower case, no digit-group spaces.

    Records print thousands with a thin or no-break space ("6 800"); NFKC turns those into plain
    spaces, which are then dropped between digit groups so the query "6800" matches.

    The characters of ``_WIDE`` are replaced first, one ``str.replace`` each (their NFKC forms are single
    characters that compose with nothing before them, so the result is the same), and NFKC runs only if
    something else is left for it: a record's text is then folded about ten times faster.
    """
    for character in set(_WIDE.findall(text)):
        text = text.replace(character, unicodedata.normalize("NFKC", character))
    if not unicodedata.is_normalized("NFKC", text):
        text = unicodedata.normalize("NFKC", text)
    folded = text.lower()
    return _THIN_SPACED_DIGITS.sub("", folded) if " " in folded else folded


ESCAPE_SEQUENCE = re.compile(
    r"\x1b\][^\x07\x1b]*(?:\x07|\x1b\\)?"  # OSC … BEL/ST (titles, hyperlinks)
    r"|\x1b\[[0-?]*[ -/]*[@-~]"  # CSI (colours, cursor moves)
    r"|\x1b[PX^_][^\x1b]*(?:\x1b\\)?"  # DCS, SOS, PM, APC strings
    r"|\x1b.?"  # any other escape
    r"|\x9b[0-?]*[ -/]*[@-~]"  # 8-bit CSI
)
BIDI_CONTROLS = frozenset("\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")


def strip_controls(text: str | None) -> str:
    """Text as a terminal, a file or the composer may take it: whole escape sequences, control characters,
    lone surrogates (undecodable bytes of a command line), private-use and bidi-override characters removed;
    line breaks and tabs kept. Questions and record text are data: an ESC in them must not act."""
    text = ESCAPE_SEQUENCE.sub("", text or "")
    return "".join(char for char in text if char in "\n\t" or not _is_control(char))


def _is_control(char: str) -> bool:
    return unicodedata.category(char) in ("Cc", "Cs", "Co") or char in BIDI_CONTROLS


def compact(text: str | None) -> str:
    """NFKC with every white space removed: the form all comparisons use."""
    return _SPACE.sub("", unicodedata.normalize("NFKC", text or ""))
