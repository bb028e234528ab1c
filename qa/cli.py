"""The ``qa`` command: argument parsing and dispatch to ``qa.commands.*``.

Each command module exposes ``configure(parser)`` and ``run(args) -> int`` and
imports nothing heavy at module level, so ``qa --help`` stays instant. Errors
a user can cause become one line on standard error (``--debug`` shows the
traceback).
"""

from __future__ import annotations

import argparse
import importlib
import sys
from pathlib import Path

from qa import __version__
from qa.errors import UserError

COMMANDS = {
    "chat": "qa.commands.chat",
    "corpus": "qa.commands.corpus",
    "search": "qa.commands.search",
    "ask": "qa.commands.ask",
    "batch": "qa.commands.batch",
    "eval": "qa.commands.evaluate",
    "bench": "qa.commands.bench",
}
DEFAULT_COMMAND = "chat"


def common_options(default: object = None) -> argparse.ArgumentParser:
    """Options every command takes: where the records, templates and cache are.

    Subcommands get ``argparse.SUPPRESS`` defaults so that ``qa --seeds X corpus``
    keeps the value given before the command name.
    """
    parent = argparse.ArgumentParser(add_help=False)
    parent.add_argument(
        "--seeds", type=Path, metavar="DIR", default=default, help="folder of records (default: seeds/)"
    )
    parent.add_argument(
        "--cache-dir", metavar="DIR", default=default, help="index cache (default: $QA_CACHE_DIR or user cache)"
    )
    parent.add_argument(
        "--prompts", type=Path, metavar="DIR", default=default, help="answer templates (default: prompts/)"
    )
    parent.add_argument("--debug", action="store_true", default=default or False, help="show tracebacks for errors")
    return parent


def available_commands() -> dict[str, object]:
    """The command modules that exist in this build, by name."""
    modules = {}
    for name, module_name in COMMANDS.items():
        try:
            modules[name] = importlib.import_module(module_name)
        except ModuleNotFoundError as error:
            if error.name != module_name:
                raise
    return modules


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="qa",
        description="Cited answers about UN Security Council verbatim records (S/PV…, Chinese).",
        parents=[common_options()],
    )
    parser.add_argument("--version", action="version", version=f"qa {__version__}")
    subparsers = parser.add_subparsers(dest="command", metavar="COMMAND")
    parent = common_options(argparse.SUPPRESS)
    for name, module in available_commands().items():
        doc = (module.__doc__ or "").strip().splitlines()[0]
        sub = subparsers.add_parser(name, parents=[parent], help=doc, description=doc)
        module.configure(sub)
        sub.set_defaults(run=module.run)
    return parser


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    parser = build_parser()
    names = set(available_commands())
    if DEFAULT_COMMAND in names and not names.intersection(argv) and not {"-h", "--help", "--version"} & set(argv):
        argv = [DEFAULT_COMMAND, *argv]
    args = parser.parse_args(argv)
    if not hasattr(args, "run"):
        parser.print_help()
        return 2
    try:
        return args.run(args)
    except UserError as error:
        if args.debug:
            raise
        print(f"qa: error: {error}", file=sys.stderr)
        return error.exit_status
    except KeyboardInterrupt:
        print("qa: interrupted", file=sys.stderr)
        return 130
    except BrokenPipeError:
        sys.stderr.close()
        return 0
