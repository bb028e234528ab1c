"""Questions that quote the record ("who used the phrase “以行动促维和+”"): the quoted words are the answer's
key, so the paragraphs holding them verbatim compete for the answer even when the retriever ranks them low
(a quoted name of an initiative is cut into words every paragraph shares), and their sentences come first."""

from __future__ import annotations

import re
from dataclasses import replace

from qa.answer.questions import Question

QUOTED = re.compile(r"“([^”]{2,40})”|「([^」]{2,40})」|『([^』]{2,40})』|\"([^\"]{2,40})\"")
"""A phrase the question quotes (in Chinese or straight quotes, corner brackets; not a title in 《》)."""
ASKS_WORDING = re.compile(
    r"说法|提法|用语|措辞|字眼|这句话|这个词|这一?表述|原话|(?i:phrase|expression|wording|words?\b|term\b)"
)
"""A question asking about the quoted words themselves (who used them), not about what they name: “乡里制”的
特点 asks about the 乡里制, and any sentence of its article may answer."""
WHITE = re.compile(r"\s+")
MAX_FOUND = 10
"""Paragraphs holding the quoted phrase added to the candidates: a phrase found everywhere is no key."""


def quoted_phrases(question: Question) -> tuple[str, ...]:
    """The phrases the question quotes, without white space, when it asks who said them or about their
    wording (a "who" question, or 说法, phrase…); none otherwise."""
    if question.kind != "who" and not ASKS_WORDING.search(question.text):
        return ()
    found = [next(group for group in match.groups() if group) for match in QUOTED.finditer(question.text)]
    return tuple(dict.fromkeys(WHITE.sub("", phrase) for phrase in found if WHITE.sub("", phrase)))


def holds(text: str, phrase: str) -> bool:
    """The text holds the phrase, white space aside (checked first without removing it: a corpus-wide scan)."""
    return phrase in text or (WHITE.search(text) is not None and phrase in WHITE.sub("", text))


def quoted_hits(question: Question, engine, hits) -> list:
    """Hits on the corpus's paragraphs holding a quoted phrase verbatim that are not among ``hits`` yet (none
    when the question quotes nothing or the phrase is everywhere)."""
    phrases = quoted_phrases(question)
    if not phrases or not hits:
        return []
    seen = {hit.paragraph.id for hit in hits}
    found = []
    for doc, text in engine.texts(shortest_characters(phrases)):
        if not any(holds(text, phrase) for phrase in phrases):
            continue
        meeting, speech, paragraph = engine.entries[doc]
        if paragraph.id not in seen:
            found.append(replace(hits[0], meeting=meeting).moved_to(speech, paragraph))
            if len(found) > MAX_FOUND:
                return []
    return found


def shortest_characters(phrases) -> str:
    """Characters every paragraph holding one of ``phrases`` holds (white space aside): those the phrases share,
    so the engine reads only the paragraphs that may hold one."""
    shared = set.intersection(*(set(WHITE.sub("", phrase)) for phrase in phrases))
    return "".join(sorted(shared))


def quoted_first(question: Question, ranked: list, focus) -> list:
    """Sentences holding a phrase the question quotes first, their score raised by the question's whole focus
    weight (so a "who" answer names others only when they hold it too)."""
    phrases = quoted_phrases(question)
    if not phrases:
        return ranked
    holding = [item for item in ranked if any(holds(item.sentence.text, phrase) for phrase in phrases)]
    if not holding:
        return ranked
    raised = [replace(item, score=item.score + focus.total) for item in holding]
    return raised + [item for item in ranked if item not in holding]
