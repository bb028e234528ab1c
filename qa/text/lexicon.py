"""jieba's general dictionary in a compact, quickly loaded form.

Declining needs to know which words of a question the records never hold (总部, 城市 in "总部设在哪个城市"):
those words are by definition outside the index's vocabulary, so they are cut with jieba's own dictionary.
Loading jieba takes about a second; this keeps the words of one to four characters that jieba has seen at
least ``MIN_FREQUENCY`` times (94k of 349k), derived once from jieba's ``dict.txt`` and cached as plain text
(three lines: the total, the words, their frequencies, tab-separated: three splits, where a line per word took
160 ms of a question's start), and cuts with the same dynamic programme as jieba
(``qa.text.tokens.Vocabulary.segment``).
"""

from __future__ import annotations

import functools
import importlib.util
import os
from pathlib import Path

import numpy as np

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
    cached = user_cache_dir() / f"jieba-words-{stat.st_size}-{int(stat.st_mtime)}-{MIN_FREQUENCY}-lines.txt"
    try:
        return _read(cached)
    except (OSError, ValueError):
        pass
    total, kept = compact_entries(dictionary)
    _write(cached, total, kept)
    return Vocabulary(kept.keys(), kept.values(), total)


def _read(path: Path) -> Vocabulary:
    head, words, frequencies = path.read_text(encoding="utf-8").split("\n", 2)
    key, total = head.split("\t")
    words = words.split("\t")
    numbers = np.fromstring(frequencies, dtype=np.int64, sep="\t").tolist()  # parsed in C: a third of the load
    if key != TOTAL_KEY or not int(total) or len(words) != len(numbers) or not words[0]:
        raise ValueError(f"{path}: incomplete")
    return Vocabulary(words, numbers, int(total))


def _write(path: Path, total: int, kept: dict[str, int]) -> None:
    """Atomically; a cache that cannot be written only costs the next process the derivation again (and leaves
    no cut-off temporary file behind, as a full disk would)."""
    temporary = path.with_name(f"{path.name}.{os.getpid()}.tmp")
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        words, frequencies = "\t".join(kept), "\t".join(str(frequency) for frequency in kept.values())
        temporary.write_text(f"{TOTAL_KEY}\t{total}\n{words}\n{frequencies}\n", encoding="utf-8")
        os.replace(temporary, path)
        for stale in path.parent.glob("jieba-words-*"):  # another jieba's or an older format's
            if stale.name != path.name and not stale.name.endswith(".tmp"):
                stale.unlink(missing_ok=True)
    except OSError:
        try:
            temporary.unlink(missing_ok=True)
        except OSError:
            pass
