"""Show the parsed records: meetings and their speeches (--json for the full model)."""

from __future__ import annotations

import argparse

from qa.commands.common import json_text
from qa.records.jsonform import corpus_json
from qa.records.model import Corpus

EXAMPLES = """examples:
  qa corpus                           meetings and one line per speech
  qa corpus --seeds ~/records         what the parser read from your records
  qa corpus --json > corpus.json
"""


def configure(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--json",
        action="store_true",
        help="print the whole model as JSON (meetings, speeches, paragraphs, page furniture, problems)",
    )


def run(args: argparse.Namespace) -> int:
    from qa.commands.common import displayable, load

    corpus = load(args)
    if args.json:
        print(json_text(corpus_json(corpus), indent=1))
    else:
        print(displayable(summary(corpus)))
    return 0


def summary(corpus: Corpus) -> str:
    """Meeting, then one line per speech: order, speaker, affiliation, language, paragraphs (record text as
    printed: the caller removes control characters before a terminal sees it)."""
    lines = []
    for meeting in corpus.meetings:
        lines.append(
            f"{meeting.symbol}  {meeting.date or '(no date)'}  {meeting.title}  "
            f"[{meeting.source}, {len(meeting.speeches)} parts, {meeting.opened or '?'}–{meeting.closed or '?'}]"
        )
        for speech in meeting.speeches:
            who = speech.label if not speech.procedural else "（程序）"
            role = f"  {speech.role}" if speech.role and speech.role != speech.speaker else ""
            language = speech.language or ("—" if speech.procedural else "汉语")
            lines.append(f"  {speech.index:>3}  {who}{role}  {language}  {len(speech.paragraphs)} ¶")
    return "\n".join(lines)
