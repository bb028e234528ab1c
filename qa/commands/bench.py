"""Measure build, load and query times at growing sizes, and how fast `qa ask` and the chat start."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from qa.bench import faults
from qa.bench.report import markdown
from qa.bench.run import BenchSettings, run_bench
from qa.commands.common import whole_number
from qa.errors import UserError
from qa.paths import default_seeds_dir

EXAMPLES = """examples:
  qa bench --sizes 10000 --record-mb 0 --no-processes      a quick run
  qa bench --output report.md                             also writes report.json
"""


def configure(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--sizes", type=sizes, default=(10_000, 100_000), metavar="N,N", help="paragraphs (default 10000,100000)"
    )
    parser.add_argument("--repeat", type=count, default=3, metavar="N", help="runs per timing (default 3)")
    parser.add_argument("--build-repeat", type=count, default=1, metavar="N", help="builds per size (default 1)")
    parser.add_argument("--workers", type=count, metavar="N", help="tokenizing processes (default: the cores)")
    parser.add_argument("--output", type=Path, metavar="FILE.md", help="also write the report here and as .json")
    parser.add_argument(
        "--record-mb",
        type=megabytes,
        default=100.0,
        metavar="MB",
        help="parse one record this large (default 100; 0: skip)",
    )
    parser.add_argument(
        "--incremental",
        type=whole_number(0, 10_000_000),
        default=0,
        metavar="N",
        help="N paragraphs in meeting files: time their build, then the rebuild after one more (default 0: skip)",
    )
    parser.add_argument("--pdfs", type=Path, metavar="DIR", help="time reading each record PDF in DIR (default: skip)")
    parser.add_argument(
        "--speakers",
        type=whole_number(0, 1_000_000),
        default=0,
        metavar="N",
        help="300 questions over an archive of N speakers against the bundled record, same run (default 0: skip)",
    )
    parser.add_argument(
        "--archive",
        type=whole_number(0, 10_000_000),
        default=0,
        metavar="N",
        help="N paragraphs as an archive of meetings over ten years and 6,000 speakers: first and unchanged "
        "`qa ask`, whole-answer p50/p95, `qa batch` questions per second (default 0: skip)",
    )
    parser.add_argument(
        "--peers",
        action="store_true",
        help="only compare qa with bm25s and tantivy (if installed: the 'peers' extra) on the sentence and Zipf "
        "corpora at each size",
    )
    parser.add_argument(
        "--no-processes", action="store_true", help="skip timing `qa ask` and the chat in new processes"
    )
    parser.add_argument(
        "--faults",
        type=whole_number(0, 1000),
        default=0,
        metavar="N",
        help="instead: try each fault (kill -9 mid-build and mid-batch, full disk, ...) N times (default 0: skip)",
    )


count = whole_number(1, 1000)
"""``--repeat``, ``--build-repeat``, ``--workers``: 1 to 1000."""


def megabytes(text: str) -> float:
    """``--record-mb``: a size from 0 (skip) to 2000 MB."""
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected a number of megabytes, got {text!r}") from None
    if not 0 <= value <= 2000:
        raise argparse.ArgumentTypeError(f"expected 0 to 2000, got {value:g}")
    return value


def sizes(text: str) -> tuple[int, ...]:
    """``--sizes``: comma-separated paragraph counts, each at least 100 (underscores allowed: 1_000_000)."""
    try:
        values = tuple(int(part.replace("_", "")) for part in text.split(",") if part.strip())
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected numbers separated by commas, got {text!r}") from None
    if not values or min(values) < 100:
        raise argparse.ArgumentTypeError(f"expected sizes of 100 paragraphs or more, got {text!r}")
    return values


def run(args: argparse.Namespace) -> int:

    if args.pdfs is not None and not (args.pdfs.is_dir() and any(args.pdfs.glob("*.pdf"))):
        raise UserError(f"--pdfs {args.pdfs}: no .pdf files there; name a folder of records as PDF")
    if args.output is not None and args.output.suffix.lower() != ".md":
        raise UserError(f"--output {args.output}: name a Markdown file (.md); the JSON goes beside it")
    if args.faults:
        return run_faults(args)
    settings = BenchSettings(
        sizes=args.sizes,
        repeat=args.repeat,
        build_repeat=args.build_repeat,
        workers=args.workers,
        seeds=args.seeds,
        processes=not args.no_processes,
        record_mb=args.record_mb,
        incremental=args.incremental,
        speakers=args.speakers,
        archive=args.archive,
        pdfs=args.pdfs,
        peers=args.peers,
    )
    report = run_bench(settings, progress=lambda message: print(message, file=sys.stderr, flush=True))
    text = markdown(report)
    print(text, end="")
    if args.output is not None:
        try:
            args.output.write_text(text, encoding="utf-8")
            args.output.with_suffix(".json").write_text(json.dumps(report, indent=2) + "\n", encoding="utf-8")
        except OSError as error:
            raise UserError(f"--output {args.output}: cannot write the report ({error.strerror or error})") from error
    return 0


def run_faults(args: argparse.Namespace) -> int:
    """The fault trials (``qa.bench.faults``): their table, and exit status 1 when any failed."""

    records = sorted((args.seeds or default_seeds_dir()).glob("*.txt"))
    if not records:
        raise UserError(f"{args.seeds or default_seeds_dir()}: no record (*.txt) to try the faults on")
    report = faults.run_faults(args.faults, records[0], progress=lambda message: print(message, file=sys.stderr))
    text = faults.markdown(report)
    print(text, end="")
    if args.output is not None:
        args.output.write_text(text, encoding="utf-8")
        args.output.with_suffix(".json").write_text(json.dumps(report, indent=2) + "\n", encoding="utf-8")
    return 1 if any(row["failures"] for row in report.values()) else 0
