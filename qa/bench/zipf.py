"""A second benchmark corpus with a realistic vocabulary: Zipf-distributed terms, given as token lists.

Why: the sentence corpus (``qa.bench.synthetic``) recombines one record's sentences, so a million paragraphs
have about 2,400 distinct terms and every question term has a long posting list. A real archive has hundreds of
thousands of terms whose frequencies fall off as a power of their rank (Zipf's law); engines that prune well
on rare terms and badly on common ones rank differently there. This corpus is that shape, deterministic:

- a vocabulary of ``VOCABULARY`` terms (``z0`` the commonest, ``z1`` the next …); a token is drawn with
  probability proportional to 1 / (rank + ``OFFSET``) ** ``EXPONENT`` (Zipf–Mandelbrot: the offset flattens
  the head, as a tokenizer that drops stopwords does);
- each paragraph's length (in terms) is drawn from given lengths (the bundled record's paragraphs'), so
  paragraphs are as long as the records';
- queries take their lengths from given lengths too (the development questions' term counts) and their terms
  log-uniformly by rank, so most mix a common term with rarer ones, as questions do;
- paragraphs come in blocks of ``BLOCK`` with a generator seeded by (seed, block), so the first n paragraphs of
  a larger corpus are the n paragraphs of the smaller one, and a size and a seed always give the same lists.

Token lists, not texts: no tokenizer is involved, so building from them measures the engines alone (the
sentence corpus measures jieba).
"""

from __future__ import annotations

import math
from collections.abc import Iterator, Sequence

import numpy as np

from qa.bench.synthetic import SEED

VOCABULARY = 500_000
"""Distinct terms the corpus can draw (at a million paragraphs nearly all of them appear)."""
EXPONENT = 1.0
"""Zipf's exponent: about 1 for words in natural language."""
OFFSET = 2.7
"""Mandelbrot's rank offset (his fit for word frequencies)."""
BLOCK = 10_000
"""Paragraphs drawn with one seeded generator."""


def term(rank: int) -> str:
    return f"z{rank}"


def names() -> np.ndarray:
    """Every term, by rank, as an object array (so a block's ids become strings in one step; shared objects)."""
    return np.array([term(rank) for rank in range(VOCABULARY)], dtype=object)


def cumulative() -> np.ndarray:
    """The terms' cumulative probabilities, for drawing by inverse transform."""
    weights = 1.0 / (np.arange(VOCABULARY, dtype=np.float64) + OFFSET) ** EXPONENT
    cdf = np.cumsum(weights)
    return cdf / cdf[-1]


def paragraphs(count: int, lengths: Sequence[int], seed: int = SEED) -> Iterator[list[str]]:
    """``count`` paragraphs as term lists, each as long as one of ``lengths`` drawn at random."""
    lengths = np.asarray([n for n in lengths if n > 0], dtype=np.int64)
    if not len(lengths):
        raise ValueError("no paragraph lengths to draw from")
    cdf, words = cumulative(), names()
    for block in range(math.ceil(count / BLOCK)):
        rng = np.random.default_rng((seed, block))
        sizes = rng.choice(lengths, BLOCK)[: min(BLOCK, count - block * BLOCK)]  # whole blocks drawn: same prefix
        ranks = np.minimum(np.searchsorted(cdf, rng.random(int(sizes.sum())), side="right"), VOCABULARY - 1)
        tokens = words[ranks].tolist()
        ends = np.cumsum(sizes).tolist()
        yield from (tokens[start:end] for start, end in zip([0, *ends[:-1]], ends, strict=True))


def queries(count: int, lengths: Sequence[int], seed: int = SEED) -> list[list[str]]:
    """``count`` queries of distinct terms, as long as ``lengths`` drawn at random, ranks log-uniform (so a
    typical query holds a term among the commonest hundred and one or two in the long tail)."""
    lengths = [n for n in lengths if n > 0] or [3]
    rng = np.random.default_rng((seed, 1 << 30))
    made = []
    for _ in range(count):
        size = int(rng.choice(lengths))
        ranks = np.exp(rng.uniform(0.0, math.log(VOCABULARY), size)).astype(np.int64) - 1
        made.append([term(rank) for rank in dict.fromkeys(np.clip(ranks, 0, VOCABULARY - 1).tolist())])
    return made
