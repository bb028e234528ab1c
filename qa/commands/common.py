"""Helpers the commands share: loading the corpus and reporting its problems."""

from __future__ import annotations

import argparse
import sys

from qa.corpus import Corpus
from qa.paths import default_seeds_dir


def load(args: argparse.Namespace) -> Corpus:
    """The corpus named by ``--seeds`` (default: the bundled records), problems warned on stderr."""
    from qa.seeds import load_corpus

    corpus = load_corpus(args.seeds or default_seeds_dir())
    warn_problems(corpus)
    return corpus


def warn_problems(corpus: Corpus) -> None:
    for problem in corpus.problems:
        print(f"qa: warning: {problem}", file=sys.stderr)
