"""Show the parsed records: meetings and their speeches (--json for the full model)."""

from __future__ import annotations

import argparse

from qa.commands.common import displayable, json_text, load
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
    parser.add_argument(
        "--meetings", action="store_true", help="one line per meeting: symbol, date, agenda, number of speeches"
    )


def run(args: argparse.Namespace) -> int:

    corpus = load(args)
    if args.json:
        print(json_text(corpus_json(corpus), indent=1))
    elif args.meetings:
        print(displayable(meeting_list(corpus)))
    else:
        print(displayable(summary(corpus)))
    return 0


def meeting_list(corpus: Corpus) -> str:
    """One line per meeting, by date: symbol, date, agenda item, speeches (procedural notes not counted), file."""
    lines = []
    for meeting in sorted(corpus.meetings, key=lambda meeting: (meeting.date or "", meeting.symbol)):
        speeches = sum(1 for speech in meeting.speeches if not speech.procedural)
        lines.append(
            f"{meeting.symbol}  {meeting.date or '(no date)'}  {meeting.title}  {speeches} speeches  [{meeting.source}]"
        )
    return "\n".join(lines)


NATIVE = {"zh": "汉语", "en": "English"}
"""The language a speaker with no language note spoke: the record's own."""


def summary(corpus: Corpus) -> str:
    """Meeting, then one line per speech: order, speaker, affiliation, language, paragraphs (record text as
    printed: the caller removes control characters before a terminal sees it)."""
    lines = []
    for meeting in corpus.meetings:
        lines.append(
            f"{meeting.symbol}  {meeting.date or '(no date)'}  {meeting.title}  "
            f"[{meeting.source}, {len(meeting.speeches)} parts, "
            f"{sum(1 for speech in meeting.speeches if not speech.procedural)} speeches, "
            f"{meeting.opened or '?'}–{meeting.closed or '?'}]"
        )
        for speech in meeting.speeches:
            who = speech.label if not speech.procedural else "（程序）"
            role = f"  {speech.role}" if speech.role and speech.role != speech.speaker else ""
            language = speech.language or ("—" if speech.procedural else NATIVE.get(meeting.language, "汉语"))
            lines.append(f"  {speech.index:>3}  {who}{role}  {language}  {len(speech.paragraphs)} ¶")
    return "\n".join(lines)
