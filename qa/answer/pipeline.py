"""``answer(question, engine)``: the one call behind ``qa ask``, ``qa batch``, ``qa eval`` and the chat.

The pipeline: analyse the question (``qa.answer.questions``) → retrieve paragraphs (the engine) → rank their
sentences and choose the answer lines (``qa.answer.compose``) → decline when the record does not hold an answer
→ render the lines with the templates (``qa.answer.templates``), numbering one citation per cited paragraph.
"""

from __future__ import annotations

import re
from dataclasses import replace

from qa.answer.compose import AnswerLine, choose_lines, rank_evidence, speaks_for
from qa.answer.decline import decline_text, names_held, supported
from qa.answer.english import asks_briefer, is_briefer, represented, spelled_out
from qa.answer.focus import ENGLISH_FRAME_WORDS, build_focus, question_concepts
from qa.answer.knowledge import corpus_context
from qa.answer.meeting import (
    adoption_lines,
    asks_meeting_fact,
    each_meeting,
    held_to,
    invitation_hits,
    meeting_lines,
    per_meeting,
    presiding_answer,
    presiding_first,
    presiding_hits,
    procedural_hits,
)
from qa.answer.questions import TIME_EVENT_WORDS, Question, analyse, as_asked
from qa.answer.quoted import quoted_first, quoted_hits
from qa.answer.render import Answer, render, render_complete, truncation_notice
from qa.answer.templates import load_templates
from qa.answer.translate import chinese_for, in_chinese
from qa.answer.votes import answers_vote, vote_hits, votes_first
from qa.answer.who import SHOWN, complete_who, topic_words, without_frame
from qa.text.lexicon import general_vocabulary
from qa.text.tokens import default_stopwords

CANDIDATES = 10
"""Paragraphs whose sentences compete for the answer, whatever ``top_k`` reports as retrieved."""


RELATED = 3
"""Nearest passages listed as "possibly related" with a declined answer."""


def answer(
    question: str, engine, *, top_k: int = 5, speaker: str | None = None, meetings=None, templates=None, qid=None
) -> Answer:
    """The answer to ``question`` from ``engine``'s corpus, composed with ``templates`` (default: prompts/); only
    from ``meetings`` (meeting numbers, ``qa.index.meetings``) when given, or from the meetings the question names."""

    templates = templates or load_templates()
    shown, question = question, spelled_out(question)
    analysed = analyse(question)
    if analysed.blank:
        text = templates.render("decline", analysed.language, "blank")
        return Answer(qid, as_asked(shown), analysed.kind, analysed.language, text, True)
    context = corpus_context(engine)
    asked_meetings = meetings
    text, meetings = held_to(analysed.text, engine.corpus.meetings, meetings)
    analysed = analyse(question, context.names)
    if text != analysed.text:  # the question names a meeting: that is a filter, not words to look for
        analysed = replace(analyse(text, context.names), truncated=analysed.truncated)
    elif meetings != asked_meetings and analysed.expects == "time":  # "the Syria meeting": the name chose it
        analysed = replace(analysed, named=())
    several = each_meeting(analysed, engine.corpus.meetings, meetings)
    if several is not None:
        parts = [
            (n, answer(text, engine, top_k=top_k, speaker=speaker, meetings=[n], templates=templates)) for n in several
        ]
        total = len(meetings) if meetings is not None else len(engine.corpus.meetings)
        asked = as_asked(shown)
        left_out = total - len(parts)
        return per_meeting(parts, engine.corpus.meetings, qid=qid, question=asked, left_out=left_out, top_k=top_k)
    searched = english_in_chinese(analysed.text, engine, context) if analysed.language == "en" else analysed.text
    hits = engine.search(searched, k=max(top_k, CANDIDATES), speaker=speaker, meetings=meetings)
    concepts = without_frame(analysed, question_concepts(engine, analysed.text))
    event_forms = time_event_forms(analysed)
    focus = build_focus(concepts, context.idf, event_forms)
    unmatched = [
        word
        for word in context.unmatched(analysed.text, concepts)
        if not any(context.holds(form) for form in event_forms.get(word.lower(), ()))
    ]
    common = {
        "id": qid,
        "question": as_asked(shown),
        "kind": analysed.kind,
        "language": analysed.language,
        "retrieved": tuple(hits[:top_k]),
        "notice": truncation_notice(analysed, templates),
    }
    adopted = adoption_lines(analysed, hits, focus) if speaker is None else None
    if adopted is not None and not adopted[0]:
        text = templates.render("decline", analysed.language, "no_vote")
        return Answer(text=text, abstained=True, **{**common, "related": adopted[1][:RELATED]})
    ordered = adopted or (meeting_lines(analysed, engine, context, focus, hits, meetings) if speaker is None else None)
    if ordered is not None:
        lines, retrieved = ordered
        text, citations = render(lines, analysed, templates, kind="factoid")
        return Answer(text=text, abstained=False, citations=citations, **{**common, "retrieved": retrieved[:top_k]})
    speakers = represented(analysed.text, context.names) if analysed.language == "en" else ()
    candidates = [*hits, *procedural_hits(analysed, hits), *presiding_hits(analysed, hits)]
    candidates += invitation_hits(analysed, hits)
    briefers = analysed.language == "en" and analysed.kind == "who" and asks_briefer(analysed.text)
    candidates += speeches_of(lambda speech: speaks_for(speech, speakers), hits) if speakers else []
    candidates += speeches_of(is_briefer, hits) if briefers else []
    candidates += vote_hits(analysed.text, hits)
    candidates += quoted_hits(analysed, engine, hits)
    ranked = presiding_first(analysed, rank_evidence(analysed, focus, candidates))
    ranked = votes_first(analysed, quoted_first(analysed, ranked, focus))
    if analysed.expects == "time" and asks_meeting_fact(analysed):  # the meeting's own times: its notes
        ranked = held_first(ranked, lambda evidence: evidence.hit.speech.procedural and bool(evidence.values))
    if analysed.language == "en":
        ranked = held_first(ranked, lambda evidence: names_held(evidence, analysed, context))
    if briefers:  # "Who briefed the Council on …": a briefer, not the President who invited them
        ranked = held_first(ranked, lambda evidence: is_briefer(evidence.hit.speech))
    if speakers:  # "Who spoke for Yemen?": Yemen's own speech first; it answers by who speaks, whatever it says
        ranked = held_first(ranked, lambda evidence: speaks_for(evidence.hit.speech, speakers))
    lines = choose_lines(analysed, ranked, focus)
    common["retrieved"] = reranked([line.evidence.hit for line in lines[:1]], hits)[:top_k]
    answered = bool(lines) and answers_vote(analysed, lines[0].evidence)
    answered = answered or bool(lines and speakers and speaks_for(lines[0].evidence.hit.speech, speakers))
    answered = answered or bool(lines and presiding_answer(analysed, lines[0].evidence))
    if lines and analysed.language == "en":
        unmatched = translated_away(unmatched, context, lines[0].evidence.hit.paragraph.text)
        if not answered and asks_vote(analysed) and not VOTE_WORDS.search(lines[0].evidence.sentence.text):
            lines = []  # "how did China vote on …": a sentence that speaks of no vote does not say
    if not lines or not (answered or supported(ranked[0], lines[0].evidence, analysed, context, focus, unmatched)):
        blamed = unmatched if lines and supported(ranked[0], lines[0].evidence, analysed, context, focus) else ()
        text = decline_text(analysed, blamed, templates)
        return Answer(text=text, abstained=True, related=tuple(hits[:RELATED]), **common)
    complete = complete_who(analysed, focus, hits)
    if complete:
        items = [AnswerLine("line", item, index) for index, item in enumerate(complete, 1)]
        topic = topic_words(analysed, focus)
        text, citations, more = render_complete(items, analysed, templates, topic, SHOWN)
        return Answer(text=text, abstained=False, citations=citations, more=more, **common)
    text, citations = render(lines, analysed, templates)
    key_values = tuple(dict.fromkeys(value for line in lines for value in line.evidence.values))
    return Answer(text=text, abstained=False, citations=citations, key_values=key_values, **common)


def speeches_of(chosen, hits) -> list:
    """The first paragraph of each speech ``chosen`` accepts in the best hits' meetings, not among the hits."""
    if not hits:
        return []
    seen = {hit.paragraph.id for hit in hits}
    firsts = {hit.meeting.symbol: hit for hit in reversed(hits[:3])}
    return [
        hit.moved_to(speech, speech.paragraphs[0])
        for hit in firsts.values()
        for speech in hit.meeting.speeches
        if speech.paragraphs and chosen(speech) and speech.paragraphs[0].id not in seen
    ]


def held_first(ranked: list, held) -> list:
    """The evidence ``held`` accepts ahead of the rest, each part in its order: a sentence from a paragraph that
    leaves out a country or speaker the question names cannot answer it, but the next one may (an English
    question on Colombia is not declined because South Africa's best sentence is about West Africa)."""
    verdicts: dict[str, bool] = {}

    def accepted(evidence) -> bool:
        key = evidence.hit.paragraph.id
        if key not in verdicts:
            verdicts[key] = held(evidence)
        return verdicts[key]

    return [e for e in ranked if accepted(e)] + [e for e in ranked if not accepted(e)]


def reranked(first, hits) -> tuple:
    """The hits with ``first`` (the paragraph the answer quotes first) ahead of the rest, numbered anew: the
    composer, which reads every sentence for the focus, the value asked for and the speaker named, is a better
    judge of the best paragraph than its BM25 score alone; the rest keep their BM25 order."""
    chosen = {hit.paragraph.id for hit in first}
    rest = [hit for hit in hits if hit.paragraph.id not in chosen]
    return tuple(replace(hit, rank=rank) for rank, hit in enumerate([*first, *rest], 1))


def prepare(engine) -> None:
    """Do the composer's first-use work for ``engine``'s corpus now (its weights, names and text, and the
    general dictionary that finds question words the records never hold), so the first question does not
    wait for it (about 0.1 s on the bundled record, more on a large corpus)."""

    corpus_context(engine)
    general_vocabulary()


def time_event_forms(question: Question) -> dict[str, tuple[str, ...]]:
    """For a "what time" question, the procedural notes' words for the start or end it asks about (a word the
    record holds only in that form is no unmatched word: "end" in a record that says 散会)."""
    return TIME_EVENT_WORDS if question.expects == "time" else {}


VOTE_WORDS = re.compile(r"(?i)\bvot(?:e|ed|es|ing)\b|\babstain|\babstention")
"""How an English record speaks of a vote (in favour and against also say what a speaker thinks)."""


ASKS_VOTE = re.compile(
    r"(?i)\bvot(?:e|es|ed|ing)\s+(?:on|for|against|in favou?r)\b|\bhow did\b.{0,40}\bvote\b"
    r"|\babstain(?:ed)?\s+(?:on|from)\b"
)
"""A question about how members voted ("how did X vote", "voted for", "abstained on"), not one that only
mentions a vote ("after the vote")."""


def asks_vote(question: Question) -> bool:
    """An English question about how a member voted (not why: a speaker explains their vote in other words)."""
    return question.kind != "why" and bool(ASKS_VOTE.search(question.text))


def translated_away(unmatched: list[str], context, paragraph: str) -> list[str]:
    """An English question's unmatched words without single letters (the s of a possessive), the words naming
    the kind of value asked (``VALUE_NAMES``) and those the answering ``paragraph`` holds in Chinese (a CC-CEDICT
    word for it that the corpus holds): "protests" is found in a paragraph saying 抗议; "population" stays
    unmatched where the paragraph has no 人口."""

    def frequency(word: str) -> int:
        return context.idf((word,))[1]

    def said(word: str) -> bool:
        return word.isascii() and any(chinese in paragraph for chinese in chinese_for(word, frequency))

    return [word for word in unmatched if len(word) > 1 and word not in VALUE_NAMES and not said(word)]


VALUE_NAMES = frozenset("year years date day time number amount total".split())
"""Words that name the kind of value an English question asks ("since what year"): the value answers them."""


def english_in_chinese(text: str, engine, context) -> str:
    """An English question with its words the corpus holds in no form followed by their Chinese words
    (``qa.answer.translate``): the glossary and thesaurus map names and UN terms, CC-CEDICT the rest. Only the
    search reads it: a dictionary gives every sense of a word (raise → 增加, never 提出 as in "raised
    concerns"), so its words must not become terms a sentence has to hold, nor a reason to decline."""

    def frequency(word: str) -> int:
        return context.idf((word,))[1]

    def unknown(word: str) -> bool:
        if word.lower() in ENGLISH_FRAME_WORDS or word.lower() in default_stopwords():
            return False
        return all(context.idf(tuple(concept))[1] == 0 for concept in question_concepts(engine, word))

    return in_chinese(text, unknown, frequency)
