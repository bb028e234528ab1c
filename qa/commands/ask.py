"""Answer one question with cited sources (--json for the answer object)."""

from __future__ import annotations

import argparse
import sys

from qa.answer.pipeline import answer
from qa.answer.questions import analyse
from qa.answer.templates import load_templates
from qa.commands.batchfiles import source_line
from qa.commands.common import (
    DEFAULT_TOP_K,
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
from qa.commands.search import also_line

EXAMPLES = """examples:
  qa ask "中国对哈萨克斯坦局势持什么立场？"
  qa ask -k 3 "谁呼吁加强会员国方面的合作？"      also lists the 3 paragraphs retrieved
  qa ask --speaker 中国 --json "如何看待区域组织的作用？"
"""


def configure(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("question", type=question_text, help="the question, in Chinese or English (quote it)")
    parser.add_argument("--json", action="store_true", help="print the answer object as JSON")
    add_top_k(parser, "paragraphs retrieved; given, they are listed after the sources", default=None)
    add_speaker(parser)
    add_meeting_options(parser)


def run(args: argparse.Namespace) -> int:

    if analyse(args.question).blank:  # nothing to look up: no corpus to load, no index to build
        result = answer(args.question, None, templates=load_templates(args.prompts))
    else:
        templates, engine = open_answering(args)
        speaker = check_speaker(engine, args.speaker) if args.speaker is not None else None
        top_k = args.top_k or DEFAULT_TOP_K
        meetings = check_meetings(engine, args)
        result = answer(args.question, engine, top_k=top_k, speaker=speaker, meetings=meetings, templates=templates)
    if args.json:
        print(json_text(result.to_json(), indent=2, sort_keys=True))
    elif sys.stdout.isatty():
        from rich.console import Console

        Console(highlight=False, soft_wrap=True).print(styled(result, listed=args.top_k is not None))
    else:
        print(plain_text(result, listed=args.top_k is not None))
    return 0


def open_answering(args: argparse.Namespace):
    """The checked templates (first: a broken template fails before any work) and the search engine."""

    templates = load_templates(args.prompts)
    return templates, open_search(args)


HEADINGS = {"zh": ("来源：", "可能相关的段落："), "en": ("Sources:", "Possibly related:")}
RETRIEVED = {"zh": "检索到的段落（前 {k} 个）：", "en": "Paragraphs retrieved (top {k}):"}


def plain_text(result, listed: bool = False) -> str:
    """The answer, then its numbered sources with the quoted sentence (or the related passages); ``listed``
    (``--top-k`` given) adds the paragraphs retrieved, so the option visibly does something."""

    sources, related = HEADINGS.get(result.language, HEADINGS["en"])
    lines = [displayable(result.text)]
    if result.notice:
        lines.append(displayable(result.notice))
    if result.citations:
        lines += ["", sources]
        for citation in result.citations:
            lines += [source_line(citation.to_json()), f"    “{displayable(citation.quote)}”"]
            lines += [f"    {displayable(also_line(citation.hit, citation.quote))}"] if citation.hit.copies else []
    if result.related:
        lines += ["", related]
        for n, hit in enumerate(result.related, start=1):
            lines += [source_line({**hit.to_json(), "n": n}), f"    {displayable(shorten(hit.paragraph.text))}"]
    if listed and result.retrieved:
        lines += ["", RETRIEVED.get(result.language, RETRIEVED["en"]).format(k=len(result.retrieved))]
        for n, hit in enumerate(result.retrieved, start=1):
            lines += [source_line({**hit.to_json(), "n": n}), f"    {displayable(shorten(hit.paragraph.text))}"]
    return "\n".join(lines)


def styled(result, listed: bool = False):
    """``plain_text`` as rich ``Text`` (never markup): [n] markers and key values stand out, sources dimmed."""
    from rich.text import Text

    text = Text(plain_text(result, listed))
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
