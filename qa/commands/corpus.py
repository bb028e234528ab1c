"""Show the parsed records: meetings and their speeches (--json for the full model)."""

from __future__ import annotations

import argparse
import dataclasses
import json

from qa.records.model import Corpus, Meeting, Speech


def configure(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--json", action="store_true", help="print meetings → speeches → paragraphs as JSON")


def run(args: argparse.Namespace) -> int:
    from qa.commands.common import displayable, load

    corpus = load(args)
    if args.json:
        print(json.dumps(corpus_json(corpus), ensure_ascii=False, indent=1))
    else:
        print(displayable(summary(corpus)))
    return 0


def corpus_json(corpus: Corpus) -> dict:
    return {"meetings": [meeting_json(meeting) for meeting in corpus.meetings]}


def meeting_json(meeting: Meeting) -> dict:
    return {
        "symbol": meeting.symbol,
        "date": meeting.date,
        "title": meeting.title,
        "source": meeting.source,
        "opened": meeting.opened,
        "closed": meeting.closed,
        "presiding": meeting.presiding,
        "pages": meeting.pages,
        "language": meeting.language,
        "agenda": meeting.agenda,
        "members": [list(member) for member in meeting.members],
        "votes": [dataclasses.asdict(vote) for vote in meeting.votes],
        "speeches": [speech_json(speech) for speech in meeting.speeches],
    }


def speech_json(speech: Speech) -> dict:
    return {
        "index": speech.index,
        "speaker": speech.speaker,
        "honorific": speech.honorific,
        "role": speech.role,
        "affiliation": speech.affiliation,
        "language": speech.language,
        "procedural": speech.procedural,
        "person": speech.person,
        "line": speech.line,
        "language_switches": [
            {"line": switch.line, "before_paragraph": switch.before_paragraph, "language": switch.language}
            for switch in speech.language_switches
        ],
        "paragraphs": [
            {"id": paragraph.id, "line": paragraph.line, "page": paragraph.page, "text": paragraph.text}
            for paragraph in speech.paragraphs
        ],
    }


NATIVE = {"zh": "汉语", "en": "English"}
"""The language a speaker with no language note spoke: the record's own."""


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
            language = speech.language or ("—" if speech.procedural else NATIVE.get(meeting.language, "汉语"))
            lines.append(f"  {speech.index:>3}  {who}{role}  {language}  {len(speech.paragraphs)} ¶")
    return "\n".join(lines)
