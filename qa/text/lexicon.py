"""jieba's general dictionary in a compact, quickly loaded form.

Declining needs to know which words of a question the records never hold (总部, 城市 in "总部设在哪个城市"):
those words are by definition outside the index's vocabulary, so they are cut with jieba's own dictionary.
Loading jieba takes about a second; this keeps the words of one to four characters that jieba has seen at
least ``MIN_FREQUENCY`` times (94k of 349k), derived once from jieba's ``dict.txt`` and cached as plain text,
and cuts with the same dynamic programme as jieba (``qa.text.tokens.Vocabulary.segment``).
"""

from __future__ import annotations

import functools
import importlib.util
import os
from pathlib import Path

from qa.paths import user_cache_dir
from qa.text.tokens import Vocabulary

MIN_FREQUENCY = 10
LONGEST = 4
TOTAL_KEY = "#total"


def jieba_dictionary() -> Path:
    """jieba's dict.txt, found without importing jieba (whose import alone costs 0.14 s)."""
    spec = importlib.util.find_spec("jieba")
    if spec is None or spec.origin is None:
        raise ModuleNotFoundError("jieba is not installed")
    return Path(spec.origin).parent / "dict.txt"


def compact_entries(dictionary: Path) -> tuple[int, dict[str, int]]:
    """The total frequency of the whole dictionary, and its short, not-rare words with their frequencies."""
    total, kept = 0, {}
    with dictionary.open(encoding="utf-8") as lines:
        for line in lines:
            word, frequency, *_ = line.split(" ")
            total += int(frequency)
            if len(word) <= LONGEST and int(frequency) >= MIN_FREQUENCY:
                kept[word] = int(frequency)
    return total, kept


@functools.lru_cache(maxsize=1)
def general_vocabulary() -> Vocabulary:
    """The compact dictionary, from the user cache when it is there (else derived, and cached if possible)."""

    dictionary = jieba_dictionary()
    stat = dictionary.stat()
    cached = user_cache_dir() / f"jieba-words-{stat.st_size}-{int(stat.st_mtime)}-{MIN_FREQUENCY}.tsv"
    try:
        return _read(cached)
    except (OSError, ValueError):
        pass
    total, kept = compact_entries(dictionary)
    _write(cached, total, kept)
    return Vocabulary(kept.keys(), kept.values(), total)


def _read(path: Path) -> Vocabulary:
    words, frequencies, total = [], [], 0
    with path.open(encoding="utf-8") as lines:
        for line in lines:
            word, frequency = line.rstrip("\n").split("\t")
            if word == TOTAL_KEY:
                total = int(frequency)
            else:
                words.append(word)
                frequencies.append(int(frequency))
    if not total or not words:
        raise ValueError(f"{path}: incomplete")
    return Vocabulary(words, frequencies, total)


def _write(path: Path, total: int, kept: dict[str, int]) -> None:
    """Atomically; a cache that cannot be written only costs the next process the derivation again (and leaves
    no cut-off temporary file behind, as a full disk would)."""
    temporary = path.with_name(f"{path.name}.{os.getpid()}.tmp")
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        body = "".join(f"{word}\t{frequency}\n" for word, frequency in kept.items())
        temporary.write_text(f"{TOTAL_KEY}\t{total}\n{body}", encoding="utf-8")
        os.replace(temporary, path)
    except OSError:
        try:
            temporary.unlink(missing_ok=True)
        except OSError:
            pass
