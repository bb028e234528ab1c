"""Answer one question with cited sources (--json for the answer object)."""

from __future__ import annotations

import argparse
import json
import sys

from qa.commands.common import add_meeting_options, check_meetings, check_speaker, displayable, whole_number


def configure(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("question", help="the question, in Chinese or English (quote it)")
    parser.add_argument("--json", action="store_true", help="print the answer object as JSON")
    parser.add_argument("--top-k", type=positive, default=5, metavar="N", help="paragraphs retrieved (default 5)")
    parser.add_argument("--speaker", metavar="X", help="only paragraphs of this speaker, country or organisation")
    add_meeting_options(parser)


positive = whole_number(1, 100)
"""``--top-k``: paragraphs retrieved, 1 to 100."""


def run(args: argparse.Namespace) -> int:
    from qa.answer.pipeline import answer
    from qa.answer.questions import analyse

    if analyse(args.question).blank:  # nothing to look up: no corpus to load, no index to build
        from qa.answer.templates import load_templates

        result = answer(args.question, None, templates=load_templates(args.prompts))
    else:
        templates, engine = open_answering(args)
        speaker = check_speaker(engine, args.speaker) if args.speaker is not None else None
        meetings = check_meetings(engine, args)
        result = answer(
            args.question, engine, top_k=args.top_k, speaker=speaker, meetings=meetings, templates=templates
        )
    if args.json:
        print(json.dumps(result.to_json(), ensure_ascii=False, indent=2, sort_keys=True))
    elif sys.stdout.isatty():
        from rich.console import Console

        Console(highlight=False, soft_wrap=True).print(styled(result))
    else:
        print(plain_text(result))
    return 0


def open_answering(args: argparse.Namespace):
    """The checked templates (first: a broken template fails before any work) and the search engine."""
    from qa.answer.templates import load_templates
    from qa.commands.common import open_search

    templates = load_templates(args.prompts)
    return templates, open_search(args)


HEADINGS = {"zh": ("来源：", "可能相关的段落："), "en": ("Sources:", "Possibly related:")}


def plain_text(result) -> str:
    """The answer, then its numbered sources with the quoted sentence (or the related passages)."""
    from qa.commands.batchfiles import source_line
    from qa.commands.search import also_line

    sources, related = HEADINGS.get(result.language, HEADINGS["en"])
    lines = [displayable(result.text)]
    if result.notice:
        lines.append(displayable(result.notice))
    if result.citations:
        lines += ["", sources]
        for citation in result.citations:
            lines += [source_line(citation.to_json()), f"    “{displayable(citation.quote)}”"]
            lines += [f"    {displayable(also_line(citation.hit))}"] if citation.hit.copies else []
    if result.related:
        lines += ["", related]
        for n, hit in enumerate(result.related, start=1):
            lines += [source_line({**hit.to_json(), "n": n}), f"    {displayable(shorten(hit.paragraph.text))}"]
    return "\n".join(lines)


def styled(result):
    """``plain_text`` as rich ``Text`` (never markup): [n] markers and key values stand out, sources dimmed."""
    from rich.text import Text

    text = Text(plain_text(result))
    answer_end = len(displayable(result.text))
    text.stylize("dim", answer_end)
    text.highlight_regex(r"\[\d+\]", "bold cyan")
    for value in result.key_values:
        text.highlight_words([value], "bold yellow")
    if result.abstained:
        text.stylize("italic", 0, answer_end)
    return text


def shorten(text: str, limit: int = 120) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"
