"""Deterministic synthetic corpora for ``qa bench``, built from a real record's sentences.

Why synthetic: the bench must show how the index behaves at a million paragraphs (every Security Council
record), and we ship one record. The generator keeps the real vocabulary, word frequencies and paragraph
lengths of that record and varies their combination:

- the record's paragraphs are split into sentences (after 。！？；) — the *sentence pool*;
- paragraph i of a corpus takes its target length from a real paragraph drawn at random, then appends
  sentences drawn at random (with replacement) from the pool until it reaches that length;
- one ``random.Random(seed)`` drives everything, so a size and a seed always give the same texts, and the
  first n paragraphs of a larger corpus are the n paragraphs of the smaller one.

The corpus is produced as paragraph *texts* (not record files, not token lists): the bench tokenizes them with
the real tokenizer, so its build time includes jieba, as a real build does. Generated questions are spans of
8–16 characters cut from pool sentences, so most share words with many paragraphs (close to the worst case).
The texts are very uniform (261 source paragraphs), so common terms have long posting lists: a hard case.
"""

from __future__ import annotations

import random
import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass

SEED = 20220216
"""The bundled meeting's date: any fixed number would do."""
_SENTENCE_END = re.compile(r"(?<=[。！？；])")


@dataclass(frozen=True)
class SentencePool:
    """What synthetic paragraphs are made of."""

    sentences: tuple[str, ...]
    """The source paragraphs' sentences, in record order."""
    lengths: tuple[int, ...]
    """The source paragraphs' lengths in characters: the distribution synthetic paragraphs follow."""

    @classmethod
    def from_texts(cls, texts: Sequence[str]) -> SentencePool:
        sentences = [part.strip() for text in texts for part in _SENTENCE_END.split(text) if len(part.strip()) >= 4]
        if not sentences:
            raise ValueError("no sentences to build a synthetic corpus from")
        return cls(tuple(sentences), tuple(len(text) for text in texts if text.strip()))


def paragraphs(pool: SentencePool, count: int, seed: int = SEED) -> Iterator[str]:
    """``count`` synthetic paragraph texts, always the same for the same pool, count and seed."""
    rng = random.Random(seed)
    for _ in range(count):
        target = rng.choice(pool.lengths)
        parts: list[str] = []
        size = 0
        while size < target:
            sentence = rng.choice(pool.sentences)
            parts.append(sentence)
            size += len(sentence)
        yield "".join(parts)


def questions(pool: SentencePool, count: int, seed: int = SEED) -> list[str]:
    """``count`` generated questions: a span of 8 to 16 characters of a pool sentence, plus "吗？"."""
    rng = random.Random(seed + 1)
    generated = []
    for _ in range(count):
        sentence = rng.choice(pool.sentences)
        size = min(len(sentence), rng.randint(8, 16))
        start = rng.randint(0, len(sentence) - size)
        generated.append(sentence[start : start + size] + "吗？")
    return generated
