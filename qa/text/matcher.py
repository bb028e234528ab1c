"""Every occurrence of many names in a text, in one pass: an Aho–Corasick automaton built once per corpus.

A question is checked against every speaker, title, country and alias the corpus knows; a regular expression per
name per question made the cost of an answer grow with the number of speakers (and, past Python's pattern cache,
recompiled every pattern each time). The automaton finds all of them in one scan of the text, whatever their number.
"""

from __future__ import annotations

from collections.abc import Iterable

import ahocorasick

from qa.text.tokens import is_cjk


class NameMatcher:
    """Finds the given names in texts: ``occurrences`` for every (overlapping) match, ``mentions`` for the names a
    text mentions (Latin names only as whole words, as ``qa.text.aliases.mentions``)."""

    def __init__(self, names: Iterable[str]):
        self.names = tuple(dict.fromkeys(name for name in names if name))
        self.automaton = ahocorasick.Automaton()
        for name in self.names:
            self.automaton.add_word(name, name)
        if self.names:
            self.automaton.make_automaton()

    def occurrences(self, text: str) -> list[tuple[int, int, str]]:
        """(start, end, name) of every occurrence of every name, overlapping ones included, by end then length."""
        if not self.names:
            return []
        return [(end + 1 - len(name), end + 1, name) for end, name in self.automaton.iter(text)]

    def mentions(self, text: str) -> set[str]:
        """The names the text mentions: Chinese names anywhere, Latin ones as whole words ("un" not in "fund")."""
        return {name for start, end, name in self.occurrences(text) if is_cjk(name) or whole_word(text, start, end)}


def whole_word(text: str, start: int, end: int) -> bool:
    """``text[start:end]`` has no ASCII letter or digit just before or after it."""
    return not (start > 0 and is_word_char(text[start - 1])) and not (end < len(text) and is_word_char(text[end]))


WORD_CHARS = frozenset("abcdefghijklmnopqrstuvwxyz0123456789")
"""What continues a Latin word in normalised (lower-case) text."""


def is_word_char(char: str) -> bool:
    return char in WORD_CHARS
