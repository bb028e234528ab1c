"""Open the chat: ask questions, read the cited sources (the default command)."""

from __future__ import annotations

import argparse


def configure(parser: argparse.ArgumentParser) -> None:
    parser.epilog = "Keys: Enter asks, Up/Down recall earlier questions, F1 help, ctrl+q quits."


def run(args: argparse.Namespace) -> int:
    from qa.commands.common import load
    from qa.tui.app import make_app

    corpus = load(args)
    app = make_app(corpus=corpus, cache_dir=args.cache_dir, prompts=args.prompts)
    app.run()
    return app.return_code or 0
