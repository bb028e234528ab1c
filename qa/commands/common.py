"""Helpers the commands share: loading the corpus, reporting its problems, text safe for a terminal."""

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
        print(f"qa: warning: {displayable(str(problem))}", file=sys.stderr)


def displayable(text: str | None) -> str:
    """Text from a record (or a file name) as a terminal may show it: escape sequences and control
    characters removed, line breaks and tabs kept. Record text is data; an ESC in it must not act."""
    from qa.questions import CONTROL

    return CONTROL.sub("", text or "")
