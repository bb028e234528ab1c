"""Open the chat: ask questions, read the cited sources (the default command)."""

from __future__ import annotations

import argparse

from qa.commands.common import add_speaker, load

EXAMPLES = """keys: Enter asks, Up/Down recall earlier questions, F1 help, F6 saved conversations, ctrl+q quits.

examples:
  qa                                  the chat on the bundled record
  qa chat --speaker 中国              answers only from China's statements (/speaker in the chat changes it)
  qa chat --seeds ~/records           the chat on your own records
"""


def configure(parser: argparse.ArgumentParser) -> None:
    add_speaker(parser)


def run(args: argparse.Namespace) -> int:
    from qa.tui.app import make_app

    corpus = load(args)
    speaker = args.speaker.strip() if args.speaker and args.speaker.strip() else None
    app = make_app(corpus=corpus, cache_dir=args.cache_dir, prompts=args.prompts, speaker=speaker)
    app.run()
    return app.return_code or 0
