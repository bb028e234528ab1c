"""Complete answers to "which speakers said X" (哪些国家谈到了阿富汗, which countries mentioned Afghanistan):
every speaker of the meeting with a sentence holding what was asked, in the order of the meeting, each with
that sentence, rather than the few best-scored paragraphs the retriever returned.

A question of this kind frames its topic with words about speakers and speaking (哪些国家…谈到, which
delegations mentioned): they name no topic, so they are left out of its focus, else a sentence saying 谈到 of
anything would answer.
"""

from __future__ import annotations

import re
from dataclasses import replace

from qa.answer.compose import Evidence, score_sentence
from qa.answer.focus import Focus
from qa.answer.questions import Question
from qa.answer.sentences import split_sentences
from qa.paths import data_file
from qa.text.normalize import normalize

SHOWN = 5
"""Items of a complete list shown in the answer's text; the rest are in the answer object (``Answer.more``)."""
MENTIONS = re.compile(r"谈到|谈及|提到|提及|说到|讲到|(?i:\bmention)")
"""A question asking who mentioned something (not who called for it, which the ranked answer serves)."""
MIN_COVERAGE = 0.6
"""Share of the question's focus weight a sentence's own words must hold to count as saying what was asked."""


def who_frame_words() -> frozenset[str]:
    """The words that frame a "which speakers" question (``qa/text/data/who_frame.tsv``, first column)."""
    words = set()
    for line in data_file("who_frame.tsv").read_text(encoding="utf-8").splitlines():
        if line.strip() and not line.startswith("#"):
            words.add(normalize(line.split("\t")[0].strip()))
    return frozenset(words)


WHO_FRAME = who_frame_words()


def without_frame(question: Question, concepts: list[tuple[str, ...]]) -> list[tuple[str, ...]]:
    """The concepts of a "who" question without those that only frame it (哪些国家, 谈到, mentioned), unless
    nothing else is left."""
    if question.kind != "who":
        return concepts
    kept = [concept for concept in concepts if not set(concept) & WHO_FRAME]
    return kept or concepts


def complete_who(question: Question, focus: Focus, hits) -> list[Evidence]:
    """For "which speakers/countries mentioned X" (a plural who question): one item per speaker of the best hit's
    meeting whose own sentence holds the rarest concept asked and most of the rest (``MIN_COVERAGE``), in
    the order they first spoke, each with their best such sentence; empty when fewer than two speakers do."""
    if question.kind != "who" or not question.plural or not hits or not focus.concepts:
        return []
    if not MENTIONS.search(question.text):
        return []
    anchor = focus.concepts[max(range(len(focus.concepts)), key=lambda i: focus.weights[i])]
    best: dict[str, Evidence] = {}
    first: dict[str, int] = {}
    for position, (speech, paragraph) in enumerate(hits[0].meeting.paragraphs()):
        if speech.procedural:
            continue
        hit = hits[0].moved_to(speech, paragraph)
        for sentence in split_sentences(paragraph.text):
            if not focus.holds(anchor, sentence.text) or focus.coverage(sentence.text) < MIN_COVERAGE:
                continue
            item = score_sentence(question, focus, hit, sentence, 0.0)
            if not focus.holds(anchor, item.quote):
                item = replace(item, quote=sentence.text)
            label = speech.label
            first.setdefault(label, position)
            if label not in best or item.score > best[label].score:
                best[label] = item
    if len(best) < 2:
        return []
    return [best[label] for label in sorted(best, key=first.__getitem__)]


TOPIC_CHARS = 20
"""The longest topic the count line repeats from the question; a longer one is cut to its rarest word."""


def topic_words(question: Question, focus: Focus) -> str:
    """What the question asks the speakers mentioned, as the question words it (阿富汗, 哈萨克斯坦的1月事件,
    Afghanistan): the question's text from its first to its last focus term, or the rarest term when longer."""
    if not focus.concepts:
        return ""
    text = question.text
    folded = normalize(text)
    same = len(folded) == len(text)
    spans = []
    for concept in focus.concepts:
        for term in concept:
            start = folded.find(term)
            if start >= 0:
                spans.append((start, start + len(term)))
                break
    anchor = focus.concepts[max(range(len(focus.concepts)), key=lambda i: focus.weights[i])]
    if spans and same:
        low, high = min(start for start, _ in spans), max(end for _, end in spans)
        if high - low <= TOPIC_CHARS:
            return text[low:high]
    term = next((term for term in anchor if term in folded), anchor[0])
    start = folded.find(term)
    return text[start : start + len(term)] if same and start >= 0 else term
