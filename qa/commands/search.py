"""Search the records: ranked paragraphs with score, speaker, meeting, page and source line."""

from __future__ import annotations

import argparse
import re
import sys

from qa.commands.common import (
    add_meeting_options,
    add_speaker,
    add_top_k,
    check_meetings,
    check_speaker,
    displayable,
    json_text,
    open_search,
    question_text,
)
from qa.index.meetings import named_in_question
from qa.paths import cited_path
from qa.records.citation import quote_line

BOLD, RESET = "\033[1m", "\033[0m"
EXAMPLES = """examples:
  qa search "集安组织 维和"
  qa search -k 20 --speaker 中国 "阿富汗"
  qa search --json "区域组织的作用" | jq '.[0].paragraph'
"""


def configure(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("question", type=question_text, help="what to look for, in Chinese or English (quote it)")
    add_top_k(parser, "paragraphs to show")
    add_speaker(parser)
    add_meeting_options(parser)
    parser.add_argument("--json", action="store_true", help="print the hits as a JSON list")
    parser.add_argument(
        "--engine", choices=("maxscore", "rank-bm25"), default="maxscore", help="scorer (rank-bm25: the slow reference)"
    )


def run(args: argparse.Namespace) -> int:

    engine = open_search(args, args.engine)
    if args.speaker is not None:
        check_speaker(engine, args.speaker)
    meetings = check_meetings(engine, args)
    question = args.question
    if meetings is None:  # as qa ask: a question that names a meeting (S/PV.9001, 3月16日的会议) searches only it
        named, question = named_in_question(question, engine.corpus.meetings)
        meetings = named or None
    hits = engine.search(question, k=args.top_k, speaker=args.speaker, meetings=meetings)
    if args.json:
        print(json_text([hit.to_json() for hit in hits], indent=2))
    elif not hits:
        print("没有找到相关段落 (no paragraph matches the question's terms)")
    else:
        print(format_hits(hits, bold=sys.stdout.isatty()))
    return 0


def format_hits(hits, bold: bool = False) -> str:
    """One block per hit: rank, score, speaker, meeting, page, source:line, then the text."""
    blocks = []
    for hit in hits:
        page = f"p. {hit.paragraph.page}" if hit.paragraph.page else "p. ?"
        heading = terminal_line(
            f"{hit.rank:>2}. {hit.score:7.3f}  {hit.speech.label}  {hit.meeting.symbol} "
            f"{hit.meeting.date or ''} {page}  {cited_path(hit.meeting.source)}:{hit.paragraph.line}"
        )
        also = f"\n    {terminal_line(also_line(hit))}" if hit.copies else ""
        blocks.append(f"{heading}{also}\n    {highlight(terminal_line(hit.paragraph.text), hit.matched, bold)}")
    return "\n\n".join(blocks)


ALSO_SHOWN = 3
"""Copies listed by place in "also in N meetings"; the JSON (``also_in``) lists them all."""


def also_line(hit, quote: str | None = None) -> str:
    """ "also in N meetings: S/PV.9001 p. 4 (file:line), …" for a hit whose paragraph other meetings hold too; the
    line is the ``quote``'s when a citation quotes it, as the citation's own."""
    places = [
        f"{meeting.symbol} p. {paragraph.page or '?'} ({cited_path(meeting.source)}:{quote_line(paragraph, quote)})"
        for meeting, _, paragraph in hit.copies[:ALSO_SHOWN]
    ]
    more = ", …" if len(hit.copies) > ALSO_SHOWN else ""
    return f"另见 {len(hit.copies)} 次会议 (also in {len(hit.copies)} meetings): {', '.join(places)}{more}"


def terminal_line(text: str) -> str:
    """Record text is data: control characters and escape sequences never reach the terminal (whole
    sequences go, so no "[2J" is left behind), nor do line breaks inside a heading or a paragraph."""

    return " ".join(displayable(text).splitlines())


def highlight(text: str, terms, bold: bool) -> str:
    """``text`` with the matched terms in ANSI bold (longest first), or unchanged when not bold."""
    wanted = sorted({term for term in terms if term}, key=len, reverse=True)
    if not bold or not wanted:
        return text
    pattern = re.compile("|".join(re.escape(term) for term in wanted), re.IGNORECASE)
    return pattern.sub(lambda match: f"{BOLD}{match.group()}{RESET}", text)
