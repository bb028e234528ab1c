"""The ``qa`` command: argument parsing and dispatch to ``qa.commands.*``.

Each command module exposes ``configure(parser)`` and ``run(args) -> int``; only the command being run is
imported (``COMMANDS`` holds every command's one-line help), so ``qa --help`` stays instant while a command
imports what it needs at module level. Errors
a user can cause become one line on standard error (``--debug`` shows the
traceback): a ``UserError``, a mistyped option or command (exit status 2), and
a read or write the system refuses, such as a full disk (exit status 1).
"""

from __future__ import annotations

import argparse
import difflib
import importlib
import os
import sys
from pathlib import Path

from qa import __version__
from qa.errors import UserError
from qa.text.normalize import strip_controls

COMMANDS = {
    "chat": ("qa.commands.chat", "Open the chat: ask questions, read the cited sources (the default command)."),
    "corpus": (
        "qa.commands.corpus",
        "Show the parsed records: meetings and their speeches (--json for the full model).",
    ),
    "search": (
        "qa.commands.search",
        "Search the records: ranked paragraphs with score, speaker, meeting, page and line.",
    ),
    "ask": ("qa.commands.ask", "Answer one question with cited sources (--json for the answer object)."),
    "batch": ("qa.commands.batch", "Answer a file of questions into jsonl, csv or Markdown."),
    "eval": (
        "qa.commands.evaluate",
        "Measure answers on a question set: recall@k, MRR, speaker, answer hit, declines.",
    ),
    "bench": ("qa.commands.bench", "Measure build, load and query times, and how fast `qa ask` and the chat start."),
}
"""Every command: its module and its one-line help (what ``qa --help`` lists without importing the module)."""
DEFAULT_COMMAND = "chat"
VALUE_OPTIONS = frozenset({"--seeds", "--cache-dir", "--prompts"})
"""Common options that take the next word as their value (so it is not mistaken for a command name)."""


class OneLineParser(argparse.ArgumentParser):
    """argparse, but a usage mistake is one line that names the option and where to read more.

    argparse's own ``error`` prints the whole usage block first; users asked for one line per error.
    """

    def error(self, message: str):
        self.exit(2, f"{self.prog}: error: {strip_controls(message)} (see {self.prog} --help)\n")


def folder_option(text: str) -> Path:
    """A folder option's value; an empty one is refused rather than read as the current folder."""
    if not text.strip():
        raise argparse.ArgumentTypeError("empty folder name; give a path, or leave the option out for the default")
    return Path(text)


def common_options(default: object = None) -> argparse.ArgumentParser:
    """Options every command takes: where the records, templates and cache are.

    Subcommands get ``argparse.SUPPRESS`` defaults so that ``qa --seeds X corpus``
    keeps the value given before the command name.
    """
    parent = argparse.ArgumentParser(add_help=False)
    parent.add_argument(
        "--seeds", type=folder_option, metavar="DIR", default=default, help="folder of records (default: seeds/)"
    )
    parent.add_argument(
        "--cache-dir",
        type=folder_option,
        metavar="DIR",
        default=default,
        help="index cache (default: $QA_CACHE_DIR or user cache)",
    )
    parent.add_argument(
        "--prompts", type=folder_option, metavar="DIR", default=default, help="answer templates (default: prompts/)"
    )
    parent.add_argument("--debug", action="store_true", default=default or False, help="show tracebacks for errors")
    return parent


def available_commands() -> dict[str, object]:
    """Every command's module, imported, by name (for the tests that check each command's options)."""
    return {name: importlib.import_module(module_name) for name, (module_name, _) in COMMANDS.items()}


EXAMPLES = """examples:
  qa                                        the chat (qa chat)
  qa ask "中国对哈萨克斯坦局势持什么立场？"
  qa search -k 10 "集安组织 维和"
  qa batch questions.txt --format csv --output answers.csv
  qa eval --show-misses
  qa COMMAND --help                         each command's options and examples
"""


def build_parser(command: str | None = None) -> argparse.ArgumentParser:
    """The parser, with the options of ``command`` (every command's when None: the tests read them all)."""
    parser = OneLineParser(
        prog="qa",
        description="Cited answers about UN Security Council verbatim records (S/PV…, Chinese and English).",
        parents=[common_options()],
        epilog=EXAMPLES,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("--version", action="version", version=f"qa {__version__}")
    subparsers = parser.add_subparsers(dest="command", metavar="COMMAND")
    parent = common_options(argparse.SUPPRESS)
    for name, (module_name, doc) in COMMANDS.items():
        module = importlib.import_module(module_name) if command in (None, name) else None
        sub = subparsers.add_parser(
            name,
            parents=[parent],
            help=doc,
            description=doc,
            epilog=getattr(module, "EXAMPLES", None),
            formatter_class=argparse.RawDescriptionHelpFormatter,
        )
        if module is not None:
            module.configure(sub)
            sub.set_defaults(run=module.run)
    return parser


def first_word(argv: list[str]) -> str | None:
    """The first argument that is neither an option nor a common option's value: the command, if any."""
    skip = False
    for token in argv:
        if skip or token.startswith("-"):
            skip = not skip and token in VALUE_OPTIONS
            continue
        return token
    return None


def with_command(parser: argparse.ArgumentParser, argv: list[str]) -> list[str]:
    """``argv`` with the default command (chat) put first when none is named; an unknown name is an error."""
    names = list(COMMANDS)
    word = first_word(argv)
    if word is not None and word not in names:
        close = difflib.get_close_matches(word, names, n=1, cutoff=0.6)
        hint = f"did you mean {close[0]!r}? " if close else ""
        parser.error(
            f'unknown command {word!r}; {hint}the commands are {", ".join(names)}; to ask a question: qa ask "…"'
        )
    if word is None and DEFAULT_COMMAND in names and not {"-h", "--help", "--version"} & set(argv):
        return [DEFAULT_COMMAND, *argv]
    return argv


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    argv = with_command(build_parser(command=""), argv)
    parser = build_parser(command=first_word(argv))
    args, extra = parser.parse_known_args(argv)
    prog = f"qa {args.command}" if getattr(args, "command", None) else "qa"
    if extra:
        words = strip_controls(" ".join(extra)) + did_you_mean(extra, option_names(parser, args))
        parser.exit(2, f"{prog}: error: unrecognized arguments: {words} (see {prog} --help)\n")
    if not hasattr(args, "run"):
        parser.print_help()
        return 2
    try:
        status = args.run(args)
        sys.stdout.flush()  # a full disk shows here, as one line, not as a traceback at exit
        return status
    except UserError as error:
        if args.debug:
            raise
        print(f"qa: error: {strip_controls(str(error))}", file=sys.stderr)  # a path given may hold escapes
        return error.exit_status
    except KeyboardInterrupt:
        print("qa: interrupted", file=sys.stderr)
        return 130
    except BrokenPipeError:
        sys.stderr.close()
        return 0
    except OSError as error:
        if args.debug:
            raise
        print(f"qa: error: {strip_controls(os_error_line(error))}", file=sys.stderr)
        silence_stdout()
        return 1


def option_names(parser: argparse.ArgumentParser, args: argparse.Namespace) -> list[str]:
    """The long options the command being run takes (the top level's when there is none)."""
    chosen = parser
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction) and getattr(args, "command", None) in action.choices:
            chosen = action.choices[args.command]
    return [name for action in chosen._actions for name in action.option_strings if name.startswith("--")]


def did_you_mean(extra: list[str], options: list[str]) -> str:
    """ "; did you mean --top-k?" for a mistyped option among ``extra`` (empty when nothing is close)."""
    for word in extra:
        name = word.split("=", 1)[0]
        if name.startswith("-"):
            close = difflib.get_close_matches(name if name.startswith("--") else f"-{name}", options, n=1, cutoff=0.6)
            if close:
                return f"; did you mean {close[0]}?"
    return ""


def os_error_line(error: OSError) -> str:
    """A failed read or write (disk full, device error, permissions) as one line with what to do."""
    reason = error.strerror or str(error)
    if error.filename:
        return f"{error.filename}: {reason}; check the path and its permissions"
    return f"writing the output failed ({reason}); check the disk and the output file, then run again"


def silence_stdout() -> None:
    """After a failed write to standard output, send what is still buffered to the null device, so the
    interpreter's final flush does not fail a second time with a traceback."""
    try:
        sys.stdout.flush()
    except OSError:
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
