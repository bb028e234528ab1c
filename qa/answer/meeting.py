"""Answers that come from the meeting itself rather than from a speaker's words: the speech next to another
(``qa.answer.order``), the meeting's date and agenda, the procedural notes that state its times, and who
presided."""

from __future__ import annotations

import re
from dataclasses import replace

from qa.answer.compose import AnswerLine, Evidence, plain_evidence
from qa.answer.facts import adoption_hits, asks_adoption, date_hit, procedural_notes
from qa.answer.focus import build_focus, question_concepts
from qa.answer.order import AGENDA, MEETING_DATE, agenda_hits, neighbour_hit, opening_hit, order_question
from qa.answer.questions import Question, analyse
from qa.answer.sentences import split_sentences


def meeting_lines(question: Question, engine, context, focus, hits) -> tuple[list[AnswerLine], tuple] | None:
    """For a question about the meeting's order (``qa.answer.order``): one line quoting the speech next to the
    anchor, and as retrieved the answering paragraph then the anchor; for one about its date or its agenda, the
    date or the agenda items of the meeting of the best of ``hits`` (the question's retrieved paragraphs). None
    for any other question."""
    order = order_question(question.text)
    if order is None:
        best = hits[0] if hits else None
        return date_lines(question, best, focus) or agenda_lines(question, best, focus)

    def focus_of(text: str):
        return build_focus(question_concepts(engine, text), context.idf)

    found = neighbour_hit(order, engine, focus_of, analyse(order.anchor, context.names).named)
    if found is None:
        return None
    target, anchor = found
    sentence = split_sentences(target.paragraph.text)[0]
    line = AnswerLine("line", plain_evidence(target, sentence, focus))
    return [line], (target, *([anchor] if anchor.paragraph.id != target.paragraph.id else []))


def date_lines(question: Question, best, focus) -> tuple[list[AnswerLine], tuple] | None:
    """For a question about the day of the meeting, its date (from the record's page headers), cited to the
    record's first line printing it (``qa.answer.facts.date_hit``), else to the note that opens the meeting."""
    if not MEETING_DATE.search(question.text):
        return None
    day = chinese_date(best.meeting.date) if best is not None else ""
    if not day:
        return None
    source = date_hit(best) or opening_hit(best)
    sentence = split_sentences(source.paragraph.text)[0]
    evidence = replace(plain_evidence(source, sentence, focus), values=(day,))
    return [AnswerLine("value_line", evidence)], (source,)


def agenda_lines(question: Question, best, focus) -> tuple[list[AnswerLine], tuple] | None:
    """For a question about the meeting's agenda, its items (the procedural notes after "议程通过。")."""
    if not AGENDA.search(question.text):
        return None
    items = agenda_hits(best) if best is not None else []
    lines = [AnswerLine("line", plain_evidence(item, split_sentences(item.paragraph.text)[0], focus)) for item in items]
    return (lines[:2], tuple(items)) if lines else None


def chinese_date(iso: str | None) -> str:
    """2022-02-16 → 2022年2月16日, as a question names it."""
    parts = (iso or "").split("-")
    if len(parts) != 3 or not all(part.isdigit() for part in parts):
        return ""
    year, month, day = parts
    return f"{year}年{int(month)}月{int(day)}日"


def procedural_hits(question: Question, hits) -> list:
    """The procedural notes (opening, closing times) of the best hit's meeting, for questions asking a time:
    the record states times only there, in words a question rarely repeats."""
    if question.expects != "time" or not hits:
        return []
    best = hits[0]
    notes = [(speech, paragraph) for speech, paragraph in best.meeting.paragraphs() if speech.procedural]
    seen = {hit.paragraph.id for hit in hits}
    return [best.moved_to(speech, paragraph) for speech, paragraph in notes if paragraph.id not in seen]


PRESIDING = re.compile(r"主持|(?i:chair|presid)")
"""Who presided: the record names the presiding officer where speakers welcome them (欢迎…主持…)."""


PRESIDING_CANDIDATES = 10


def presiding_hits(question: Question, hits) -> list:
    """For "who presided", the paragraphs of the best hit's meeting that say 主持: speakers name the presiding
    officer when they welcome them, in words the question does not repeat (so they rank low)."""
    if question.expects != "person" or not PRESIDING.search(question.text) or not hits:
        return []
    best = hits[0]
    seen = {hit.paragraph.id for hit in hits}
    found = [
        best.moved_to(speech, paragraph)
        for speech, paragraph in best.meeting.paragraphs()
        if "主持" in paragraph.text and paragraph.id not in seen
    ]
    return found[:PRESIDING_CANDIDATES]


def presiding_first(question: Question, ranked: list[Evidence]) -> list[Evidence]:
    """For "who presided", sentences naming a person as presiding (…主持…) before the rest: the President's
    own label (主席) matches such a question everywhere without answering it."""
    if question.expects != "person" or not PRESIDING.search(question.text):
        return ranked
    naming = [item for item in ranked if item.values and "主持" in item.sentence.text]
    return naming + [item for item in ranked if item not in naming] if naming else ranked


def adoption_lines(question: Question, hits, focus) -> tuple[list[AnswerLine], tuple] | None:
    """For "what did this meeting adopt / vote on": the lines quoting the record's notes of a vote or an
    adoption, with them as retrieved; ([], the procedural notes) when the record holds none (the answer says
    the meeting adopted nothing, citing no speaker); None for any other question."""
    if not hits or not asks_adoption(question.text):
        return None
    found = adoption_hits(hits[0])
    if not found:
        return [], tuple(procedural_notes(hits[0]))
    lines = [AnswerLine("line", plain_evidence(hit, split_sentences(hit.paragraph.text)[0], focus)) for hit in found]
    return lines[:2], tuple(found)
