"""Answers that come from the meeting itself rather than from a speaker's words: the speech next to another
(``qa.answer.order``), the meeting's date and agenda, the procedural notes that state its times, and who
presided."""

from __future__ import annotations

import re
from dataclasses import replace

from qa.answer.compose import AnswerLine, Evidence, plain_evidence
from qa.answer.english import meetings_named_by_subject
from qa.answer.facts import adoption_hits, asks_adoption, date_hit, procedural_notes
from qa.answer.focus import build_focus, question_concepts
from qa.answer.order import agenda_hits, neighbour_hit, opening_hit, order_question
from qa.answer.questions import Question, analyse, question_language
from qa.answer.sentences import split_sentences
from qa.index.engine import Hit
from qa.index.meetings import named_in_question


def meeting_lines(
    question: Question, engine, context, focus, hits, meetings=None
) -> tuple[list[AnswerLine], tuple] | None:
    """For a question about the meeting's order (``qa.answer.order``): one line quoting the speech next to the
    anchor, and as retrieved the answering paragraph then the anchor; for one about its date or its agenda, the
    date or the agenda items of the meeting of the best of ``hits`` (the question's retrieved paragraphs). None
    for any other question."""
    order = order_question(question.text)
    if order is None:
        best = hits[0] if hits else only_meeting_hit(engine.corpus.meetings, meetings)
        return (
            date_lines(question, best, focus)
            or span_lines(question, best, focus)
            or agenda_lines(question, best, focus)
        )

    def focus_of(text: str):
        return build_focus(question_concepts(engine, text), context.idf)

    found = neighbour_hit(order, engine, focus_of, analyse(order.anchor, context.names).named)
    if found is None:
        return None
    target, anchor = found
    sentence = split_sentences(target.paragraph.text)[0]
    line = AnswerLine("line", plain_evidence(target, sentence, focus))
    return [line], (target, *([anchor] if anchor.paragraph.id != target.paragraph.id else []))


def only_meeting_hit(all_meetings, meetings) -> Hit | None:
    """A hit on the first paragraph of the one meeting in scope, for a question about "the meeting" that shares
    no word with it ("How long did the meeting last?" over a Chinese record): which meeting is meant is clear."""
    scope = [all_meetings[n] for n in meetings] if meetings is not None else list(all_meetings)
    if len(scope) != 1:
        return None
    first = next(iter(scope[0].paragraphs()), None)
    return Hit(scope[0], first[0], first[1], 0.0, 0) if first is not None else None


def date_lines(question: Question, best, focus) -> tuple[list[AnswerLine], tuple] | None:
    """For a question about the day of the meeting, its date (from the record's page headers), cited to the
    record's first line printing it (``qa.answer.facts.date_hit``), else to the note that opens the meeting."""
    if question.fact != "date":
        return None
    day = chinese_date(best.meeting.date) if best is not None else ""
    if not day:
        return None
    source = date_hit(best) or opening_hit(best)
    sentence = split_sentences(source.paragraph.text)[0]
    evidence = replace(plain_evidence(source, sentence, focus), values=(day,))
    return [AnswerLine("value_line", evidence)], (source,)


def span_lines(question: Question, best, focus) -> tuple[list[AnswerLine], tuple] | None:
    """For "how long did the meeting last", its opening and closing notes, each with its time as the value."""
    if best is None or question.fact != "span":
        return None
    notes = clock_notes(best)
    if len(notes) < 2:
        return None
    lines = []
    for note in (notes[0], notes[-1]):
        sentence = split_sentences(note.paragraph.text)[0]
        time = CLOCK_TIME.search(sentence.text)
        evidence = plain_evidence(note, sentence, focus)
        lines.append(AnswerLine("value_line", replace(evidence, values=(time.group(),)) if time else evidence))
    return lines, (notes[0], notes[-1])


CLOCK_TIME = re.compile(r"[上下]午\d+时(?:\d+分)?|中午\d+时(?:\d+分)?|(?i:\d+(?:\.\d+)? ?[ap]\.m\.)")


def clock_notes(hit) -> list:
    """Hits on the hit's meeting's procedural notes that print a time (its opening, suspensions, closing)."""
    return [
        hit.moved_to(speech, paragraph)
        for speech, paragraph in hit.meeting.paragraphs()
        if speech.procedural and CLOCK_TIME.search(paragraph.text)
    ]


def agenda_lines(question: Question, best, focus) -> tuple[list[AnswerLine], tuple] | None:
    """For a question about the meeting's agenda, its items (the procedural notes after "议程通过。")."""
    if question.fact != "agenda":
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
    notes = [(speech, p) for speech in best.meeting.speeches if speech.procedural for p in speech.paragraphs]
    seen = {hit.paragraph.id for hit in hits}
    return [best.moved_to(speech, paragraph) for speech, paragraph in notes if paragraph.id not in seen]


PRESIDING_CANDIDATES = 10


def asks_presiding(question: Question) -> bool:
    """Who presided: the record names the presiding officer where speakers welcome them (欢迎…主持…)."""
    return question.fact == "presiding" and question.expects == "person"


def presiding_hits(question: Question, hits) -> list:
    """For "who presided", the paragraphs of the best hit's meeting that say 主持: speakers name the presiding
    officer when they welcome them, in words the question does not repeat (so they rank low)."""
    if not asks_presiding(question) or not hits:
        return []
    best = hits[0]
    seen = {hit.paragraph.id for hit in hits}
    found = [
        best.moved_to(speech, paragraph)
        for speech, paragraph in best.meeting.paragraphs()
        if (("主持" in paragraph.text) or presides_in_english(speech, paragraph.text)) and paragraph.id not in seen
    ]
    return found[:PRESIDING_CANDIDATES]


def presiding_answer(question: Question, evidence: Evidence) -> bool:
    """The President of an English record saying they preside answers "who presided", whatever else it says."""
    return asks_presiding(question) and presides_in_english(evidence.hit.speech, evidence.sentence.text)


def presides_in_english(speech, text: str) -> bool:
    """The President of an English record speaking of presiding ("In presiding over this first formal meeting",
    "I now resume my functions as President"): the presiding member names itself there."""
    return speech.speaker == "The President" and bool(re.search(r"\bpresid|\bfunctions as President", text))


INVITATION = re.compile(r"(?i)\bI (?:now )?invite\b|邀请")
"""The President's invitations (rules 37 and 39): they name who takes part and in what capacity."""


def invitation_hits(question: Question, hits) -> list:
    """For "who is the Special Envoy …", the President's invitations in the best hits' meetings: they give a
    briefer's name beside their office, which the briefer's own paragraphs (found by the office in their
    speaker line) never print."""
    if question.expects != "person" or not hits:
        return []
    seen = {hit.paragraph.id for hit in hits}
    meetings = list(dict.fromkeys(hit.meeting.symbol for hit in hits[:3]))
    firsts = {hit.meeting.symbol: hit for hit in hits}
    return [
        firsts[symbol].moved_to(speech, paragraph)
        for symbol in meetings
        for speech, paragraph in firsts[symbol].meeting.paragraphs()
        if speech.role
        and "President" in (speech.speaker or "")
        and INVITATION.search(paragraph.text)
        and paragraph.id not in seen
    ]


def presiding_first(question: Question, ranked: list[Evidence]) -> list[Evidence]:
    """For "who presided", sentences naming a person as presiding (…主持…) before the rest: the President's
    own label (主席) matches such a question everywhere without answering it."""
    if not asks_presiding(question):
        return ranked
    naming = [item for item in ranked if item.values and "主持" in item.sentence.text]
    naming += [
        replace(item, values=(item.hit.speech.affiliation,))  # the presiding member is the value asked
        for item in ranked
        if item.hit.speech.affiliation and presides_in_english(item.hit.speech, item.sentence.text)
    ]
    kept = {(item.hit.paragraph.id, item.sentence.start) for item in naming}
    rest = [item for item in ranked if (item.hit.paragraph.id, item.sentence.start) not in kept]
    return naming + rest if naming else ranked


MEETING_EVENT = re.compile(r"会议|开会|散会|开始|结束|休会|开幕|闭幕|(?i:meeting|start|begin|open|close|end|adjourn)")
"""A "what time" question about the meeting itself (when it opened or closed), not about an event a speaker told."""
LISTED_MEETINGS = 5
"""Meetings answered one by one when a question about "the meeting" fits several; the rest are left out."""


def held_to(text: str, all_meetings, meetings) -> tuple[str, list[int] | None]:
    """The question without the meeting it names (by symbol or date), and the meetings to answer from: those it
    names (within ``meetings``, the user's filter, when both are given), else ``meetings`` (None: all)."""
    named, stripped = named_in_question(text, all_meetings)
    if not named and question_language(text) == "en" and asks_meeting_fact(analyse(text)):
        named = meetings_named_by_subject(text, all_meetings)  # "the Colombia meeting": its agenda's name
    if not named:
        return text, meetings
    if meetings is None:
        return stripped, named
    return stripped, [n for n in named if n in set(meetings)] or list(meetings)


def asks_meeting_fact(question: Question) -> bool:
    """The question asks for a fact of the meeting itself: its date, opening or closing time, how long it lasted,
    agenda, presiding."""
    text = question.text
    if order_question(text) is not None:
        return False
    return bool(
        question.fact in ("date", "span", "agenda")
        or (question.expects == "time" and MEETING_EVENT.search(text))
        or asks_presiding(question)
    )


def each_meeting(question: Question, all_meetings, meetings) -> list[int] | None:
    """The meetings to answer one by one (at most ``LISTED_MEETINGS``), when the question asks a fact of "the
    meeting" and several meetings are loaded (or kept by the filter); None otherwise."""
    candidates = list(meetings) if meetings is not None else list(range(len(all_meetings)))
    if len(candidates) < 2 or not asks_meeting_fact(question):
        return None
    return candidates[:LISTED_MEETINGS]


def per_meeting(parts, all_meetings, *, qid, question, left_out: int = 0, top_k: int | None = None):
    """One answer from the answers of several meetings: a line per meeting that answers, headed by its symbol
    and date, the citations numbered on across them, then how many meetings were ``left_out``; as retrieved, each
    meeting's first hit, then each one's second… (``top_k`` of them); the first answer as it is when none answers."""
    answered = [(n, part) for n, part in parts if not part.abstained]
    if not answered:
        return replace(parts[0][1], id=qid, question=question)
    lines, citations, offset = [], [], 0
    for n, part in answered:
        meeting = all_meetings[n]
        shifted = CITATION_MARK.sub(lambda mark, by=offset: f"[{int(mark.group(1)) + by}]", part.text)
        lines.append(f"{meeting_heading(meeting, part.language)}{shifted}")
        citations += [replace(citation, n=citation.n + offset) for citation in part.citations]
        offset += len(part.citations)
    first = answered[0][1]
    if left_out:
        lines.append(LEFT_OUT[first.language == "en"].format(left_out))
    return replace(
        first,
        id=qid,
        question=question,
        text="\n".join(lines),
        citations=tuple(citations),
        retrieved=interleaved([part.retrieved for _, part in answered], top_k),
        key_values=tuple(dict.fromkeys(value for _, part in answered for value in part.key_values)),
    )


def interleaved(rankings, top_k: int | None) -> tuple:
    """The rankings' first hits, then their second…, numbered anew, at most ``top_k`` (None: all)."""
    merged = [
        hit
        for depth in range(max(map(len, rankings), default=0))
        for hit in (r[depth] for r in rankings if depth < len(r))
    ]
    return tuple(replace(hit, rank=rank) for rank, hit in enumerate(merged[:top_k], start=1))


CITATION_MARK = re.compile(r"\[(\d+)\]")
LEFT_OUT = (
    "另有 {} 次会议未列出（可用 --meeting 或 /meeting 选定一次会议）。",
    "{} more meetings not listed (choose one with --meeting).",
)


def meeting_heading(meeting, language: str) -> str:
    """ "S/PV.8967（2022年2月16日）：" before a meeting's part of an answer ("S/PV.8967 (2022-02-16): " in English)."""
    if language == "en":
        return f"{meeting.symbol} ({meeting.date or 'no date'}): "
    return f"{meeting.symbol}（{chinese_date(meeting.date) or '日期不详'}）："


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
