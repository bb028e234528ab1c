"""Answer a file of questions (one per line, or JSON Lines with id and question) into jsonl, csv or Markdown."""

from __future__ import annotations

import argparse
import sys

from qa.answer.pipeline import answer
from qa.answer.templates import load_templates
from qa.commands.ask import open_answering
from qa.commands.batchfiles import FORMATS, read_batch, read_source, run_batch
from qa.commands.batchoutput import open_output, settings, write
from qa.commands.batchpool import POOL_FROM, WorkerSettings, pooled_ask
from qa.commands.common import (
    add_meeting_options,
    add_speaker,
    add_top_k,
    check_meetings,
    check_speaker,
    whole_number,
)
from qa.errors import UserError
from qa.index.workers import available_cores
from qa.paths import default_seeds_dir

EXAMPLES = """examples:
  qa batch questions.txt > answers.jsonl
  qa batch tests/data/dev.jsonl --format csv --output answers.csv
  qa batch questions.txt --speaker 中国 -k 10 --format md --output answers.md
  qa batch questions.txt --output answers.jsonl --resume        after an interruption
  qa batch questions.txt --workers 4 --output answers.jsonl
"""


def configure(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "file", metavar="FILE", help="questions: one per line, or JSON Lines with id and question; - = stdin"
    )
    parser.add_argument("--format", choices=FORMATS, default="jsonl", help="output format (default jsonl)")
    parser.add_argument("--output", metavar="PATH", help="write here (default: standard output)")
    add_top_k(parser)
    add_speaker(parser)
    parser.add_argument("--resume", action="store_true", help="skip ids already answered in --output and append")
    add_meeting_options(parser)
    parser.add_argument(
        "--workers",
        type=whole_number(1, 256),
        metavar="N",
        help=f"answering processes (default: the cores; fewer than {POOL_FROM} questions: this one)",
    )


def run(args: argparse.Namespace) -> int:

    if args.resume and not args.output:
        raise UserError("--resume needs --output PATH (the file to continue)")
    source, text = read_source(args.file, sys.stdin)
    questions = read_batch(source, text)
    shaping = settings(args.format, args.top_k, load_templates(args.prompts), args.speaker, meeting_scope(args))
    output = open_output(args.output, args.format, args.resume, shaping, sys.stdout)
    if output.resumed_from is not None:
        skipped = sum(item.id in output.done for item in questions)
        print(
            f"qa: resuming {output.resumed_from}: {skipped} of {len(questions)} questions already answered, skipped",
            file=sys.stderr,
        )
    try:
        templates, engine = open_answering(args)
        speaker = check_speaker(engine, args.speaker) if args.speaker is not None else None
        meetings = check_meetings(engine, args)

        def ask(question: str, qid: str) -> dict:
            shaped = answer(
                question, engine, top_k=args.top_k, speaker=speaker, meetings=meetings, templates=templates, qid=qid
            )
            return shaped.to_json()

        items = [(item.question, item.id) for item in questions if item.id not in output.done and not item.error]
        worker = WorkerSettings(
            args.seeds or default_seeds_dir(),
            args.cache_dir,
            args.prompts,
            args.top_k,
            speaker,
            tuple(meetings) if meetings is not None else None,
        )
        ask, stop = pooled_ask(worker, items, args.workers or available_cores(), ask)
        try:
            with ProgressDisplay(sum(item.id not in output.done for item in questions)) as progress:
                write_piece = lambda piece: write(output, piece)  # noqa: E731
                failures = run_batch(questions, ask, write_piece, args.format, output.done, progress)
        finally:
            stop()
        output.finish(shaping, args.format)
    except KeyboardInterrupt:
        if output.working is not None and output.working != output.target:
            print(f"qa: the answers so far are in {output.working}; --resume continues", file=sys.stderr)
        raise
    finally:
        output.close()
    if failures:
        print(f'qa: {failures} of {len(questions)} question(s) failed; see their "error" field', file=sys.stderr)
    return 1 if failures else 0


class ProgressDisplay:
    """A bar with the rate and the time left on standard error, only when it is a terminal (a log or a pipe
    gets nothing); used as ``with ProgressDisplay(total) as update: update(done, total)``."""

    def __init__(self, total: int):
        self.total, self.bar = total, None

    def __enter__(self):
        if not sys.stderr.isatty() or not self.total:
            return None
        from rich.console import Console
        from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn

        self.bar = Progress(
            BarColumn(),
            MofNCompleteColumn(),
            TextColumn("{task.fields[rate]}"),
            TimeRemainingColumn(),
            console=Console(file=sys.stderr),
            auto_refresh=False,
        )
        self.task = self.bar.add_task("batch", total=self.total, rate="")
        self.bar.start()
        return self.update

    def update(self, done: int, total: int) -> None:
        self.bar.update(self.task, completed=done)
        speed = self.bar.tasks[0].speed
        self.bar.update(self.task, rate=f"{speed:.1f} q/s" if speed else "")
        self.bar.refresh()

    def __exit__(self, *exc) -> None:
        if self.bar is not None:
            self.bar.stop()


def meeting_scope(args: argparse.Namespace) -> str | None:
    """``--meeting``, ``--since`` and ``--until`` as one setting of the output ("S/PV.8967, since 2022-01-01"),
    so a resume with other meetings is refused like one with another ``--top-k``."""
    parts = [
        *args.meeting,
        *([f"since {args.since}"] if args.since else []),
        *([f"until {args.until}"] if args.until else []),
    ]
    return ", ".join(parts) or None
