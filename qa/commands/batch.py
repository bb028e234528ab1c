"""Answer a file of questions (one per line, or JSON Lines with id and question) into jsonl, csv or Markdown."""

from __future__ import annotations

import argparse
import re
import sys
from pathlib import Path

from qa.commands.ask import positive
from qa.commands.batchfiles import FORMATS
from qa.commands.common import add_meeting_options, check_meetings
from qa.errors import UserError


def configure(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "file", metavar="FILE", help="questions: one per line, or JSON Lines with id and question; - = stdin"
    )
    parser.add_argument("--format", choices=FORMATS, default="jsonl", help="output format (default jsonl)")
    parser.add_argument("--output", metavar="PATH", help="write here (default: standard output)")
    parser.add_argument("--top-k", type=positive, default=5, metavar="N", help="paragraphs retrieved (default 5)")
    parser.add_argument("--resume", action="store_true", help="skip ids already answered in --output and append")
    add_meeting_options(parser)


def run(args: argparse.Namespace) -> int:
    from qa.answer.pipeline import answer
    from qa.commands.batchfiles import read_batch, read_source, run_batch

    if args.resume and not args.output:
        raise UserError("--resume needs --output PATH (the file to continue)")
    source, text = read_source(args.file, sys.stdin)
    questions = read_batch(source, text)
    out, done = open_output(args.output, args.format, args.resume)
    try:
        from qa.commands.ask import open_answering

        templates, engine = open_answering(args)
        meetings = check_meetings(engine, args)

        def ask(question: str, qid: str) -> dict:
            return answer(question, engine, top_k=args.top_k, meetings=meetings, templates=templates, qid=qid).to_json()

        progress = progress_bar if sys.stderr.isatty() else None
        failures = run_batch(questions, ask, out, args.format, done, progress)
    finally:
        if out is not sys.stdout:
            out.close()
    if progress:
        print(file=sys.stderr)
    if failures:
        print(f'qa: {failures} of {len(questions)} question(s) failed; see their "error" field', file=sys.stderr)
    return 1 if failures else 0


def open_output(path: str | None, fmt: str, resume: bool):
    """The output stream, opened before any work (an unwritable path fails now), and the ids already done.

    With ``resume``, a half-written last entry of the existing file is cut off first.
    """
    from qa.commands.batchfiles import completed, header, looks_like

    if not path:
        sys.stdout.write(header(fmt))
        return sys.stdout, set()
    target = Path(path)
    done: set[str] = set()
    try:
        if resume and target.is_file():
            # surrogateescape: a kill between two writes can cut the last entry inside a character
            text = target.read_bytes().decode("utf-8", "surrogateescape")
            if text and not looks_like(text, fmt):
                raise UserError(f"{path}: not a {fmt} batch output; resume with the --format it was written in")
            done, kept = completed(text, fmt)
            if UNDECODED.search(text, 0, kept):
                raise UserError(f"{path}: the output to resume is not UTF-8 text; give another --output")
            with target.open("r+b") as existing:
                existing.truncate(len(text[:kept].encode("utf-8", "surrogateescape")))
        out = target.open("a" if resume else "w", encoding="utf-8", newline="")
    except UnicodeDecodeError:
        raise UserError(f"{path}: the output to resume is not UTF-8 text; give another --output") from None
    except OSError as error:
        raise UserError(f"{path}: cannot write the output ({error.strerror}); choose another --output") from None
    if out.tell() == 0:
        out.write(header(fmt))
        out.flush()
    return out, done


UNDECODED = re.compile(r"[\udc80-\udcff]")
"""Bytes that were not UTF-8, as ``surrogateescape`` decodes them."""


def progress_bar(done: int, total: int) -> None:
    """A one-line bar on standard error (only when it is a terminal)."""
    width = 30
    filled = width * done // max(total, 1)
    print(f"\r[{'#' * filled}{'.' * (width - filled)}] {done}/{total}", end="", file=sys.stderr, flush=True)
