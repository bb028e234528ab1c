"""Helpers the commands share: loading the corpus, reporting its problems, text safe for a terminal."""

from __future__ import annotations

import argparse
import json
import re
import sys

from qa.errors import UserError
from qa.index.meetings import SYMBOL, MeetingFilter, parse_date
from qa.index.meetings import check_meetings as resolve
from qa.index.open import open_engine, open_records
from qa.paths import default_seeds_dir, user_cache_dir
from qa.records.load import load_corpus
from qa.records.model import Corpus
from qa.text.normalize import strip_controls


def load(args: argparse.Namespace) -> Corpus:
    """The corpus named by ``--seeds`` (default: the bundled records), problems warned on stderr; unchanged
    records come from their parses cached beside the index (``qa.records.parsecache``)."""

    corpus = load_corpus(args.seeds or default_seeds_dir(), user_cache_dir(args.cache_dir))
    warn_problems(corpus)
    return corpus


def whole_number(low: int, high: int):
    """An argparse type for a whole number from ``low`` to ``high`` (--top-k, -k, --repeat)."""

    def convert(text: str) -> int:
        try:
            value = int(text)
        except ValueError:
            raise argparse.ArgumentTypeError(f"expected a whole number, got {text!r}") from None
        if not low <= value <= high:
            raise argparse.ArgumentTypeError(f"expected {low} to {high}, got {value}")
        return value

    return convert


DEFAULT_TOP_K = 5
"""Paragraphs retrieved per question, the same for ask, search, batch and eval (and what the chat uses)."""


def add_top_k(parser: argparse.ArgumentParser, what: str = "paragraphs retrieved", default: object = DEFAULT_TOP_K):
    """The one ``-k/--top-k`` option every answering command takes, 1 to 1000."""
    top_k, described = whole_number(1, 1000), f"{what} (default {DEFAULT_TOP_K})"
    parser.add_argument("-k", "--top-k", type=top_k, default=default, metavar="N", help=described)


def add_speaker(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--speaker", metavar="X", help="only paragraphs of this speaker, country or organisation")


def question_text(text: str) -> str:
    """The question argument of ask and search: an empty one (or one of escapes and control characters alone)
    is a usage error (exit 2), the same for both."""
    if not displayable(text).strip():
        raise argparse.ArgumentTypeError('the question is empty; write it in quotes, e.g. "集安组织 维和"')
    return text


def open_search(args: argparse.Namespace, scorer: str = "maxscore"):
    """The search engine over ``--seeds``: an unchanged seeds folder opens from its snapshot and cached index
    without parsing a record or loading jieba (``qa.index.store.snapshot``); the rank-bm25 reference is always built."""

    if scorer == "maxscore":
        seeds = args.seeds or default_seeds_dir()
        return open_records(seeds, cache_dir=args.cache_dir, notify=notice, on_corpus=warn_problems)
    return open_engine(load(args), cache_dir=args.cache_dir, scorer=scorer, notify=notice)


def check_speaker(engine, speaker: str) -> str:
    """``--speaker`` when some speech is by that speaker, country or organisation under any of its names
    (``SpeakerNames.chosen``), else a one-line error with the closest names the records print."""
    import difflib

    if speaker.strip() and engine.speaker_names.chosen(speaker):
        return speaker

    if SYMBOL.search(speaker):
        raise UserError(f"--speaker {speaker!r} names a meeting, not a speaker: use --meeting {speaker.strip()}")
    names = sorted({name for s in engine.layout.speakers for name in (s.speaker, s.person, s.affiliation) if name})
    close = difflib.get_close_matches(speaker.strip(), names, n=5, cutoff=0.3)
    hint = f"; closest: {', '.join(close)}" if close else f"; speakers include: {', '.join(names[:8])}"
    raise UserError(f"--speaker {speaker!r}: no such speaker, country or organisation in the records{hint}")


def add_meeting_options(parser: argparse.ArgumentParser) -> None:
    """``--meeting SYMBOL`` (repeatable), ``--since DATE``, ``--until DATE``: answer only from those meetings."""
    parser.add_argument(
        "--meeting", action="append", default=[], metavar="SYMBOL", help="only this meeting (S/PV.8967); repeatable"
    )
    parser.add_argument("--since", type=date_option, metavar="DATE", help="only meetings on or after DATE (2022-02-16)")
    parser.add_argument("--until", type=date_option, metavar="DATE", help="only meetings on or before DATE")


def date_option(text: str):
    """An argparse type for --since/--until: 2022-02-16, 2022/2/16 or 2022年2月16日."""

    try:
        return parse_date(text)
    except ValueError as error:
        raise argparse.ArgumentTypeError(str(error)) from None


def check_meetings(engine, args: argparse.Namespace) -> list[int] | None:
    """The meeting numbers ``--meeting``/``--since``/``--until`` keep (None: no filter), or a one-line error when
    they name no loaded meeting."""

    wanted = MeetingFilter(
        tuple(getattr(args, "meeting", None) or ()), getattr(args, "since", None), getattr(args, "until", None)
    )
    return resolve(engine.corpus.meetings, wanted)


def notice(message: str) -> None:
    """A one-line notice from the index cache (rebuilt, cannot be written) on standard error."""
    print(message, file=sys.stderr)


def warn_problems(corpus: Corpus) -> None:
    for problem in corpus.problems:
        print(f"qa: warning: {displayable(str(problem))}", file=sys.stderr)


def displayable(text: str | None) -> str:
    """Text from a record (or a file name) as a terminal may show it: escape sequences and control
    characters removed, line breaks and tabs kept. Record text is data; an ESC in it must not act."""

    return strip_controls(text)


UNSAFE_IN_JSON = re.compile("[\x7f-\x9f\ud800-\udfff\u2028\u2029\u202a-\u202e\u2066-\u2069]")
"""What ``json.dumps`` leaves raw with ``ensure_ascii=False`` but a consumer may print and a terminal act on:
C1 controls (U+009B starts an escape sequence), lone surrogates, line separators and bidi overrides."""


def json_text(value, **options) -> str:
    """``json.dumps`` keeping Chinese readable, with record text's control and bidi-override characters escaped
    (``\\u009b``), as the terminal output removes them. They can only stand inside JSON strings, so the escaped
    text decodes to the same value."""
    text = json.dumps(value, ensure_ascii=False, **options)
    return UNSAFE_IN_JSON.sub(lambda match: f"\\u{ord(match.group()):04x}", text)
