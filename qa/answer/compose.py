"""Choose the sentences that answer a question and lay them out as answer lines.

The pipeline: the retrieved paragraphs are split into sentences; every sentence is scored by
the question's focus terms it holds (weighted by how rare they are in the corpus), by the
kind of value the question asks for (a date for "when", a count for "how many"…) and by the
speaker the question names; the best sentences are trimmed to the clauses around the match.
Each answer kind then picks its lines: one sentence for a factoid, one line per speaker for a
stance, the enumerated items for a list. Rendering (templates, [n] markers) is ``qa.answer.pipeline``'s job.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace

from qa.answer.focus import Focus
from qa.answer.questions import Question
from qa.answer.sentences import Sentence, find_values, scaled_budget, split_sentences, trim

QUOTE_BUDGET = 120
"""Characters of a quoted sentence in a short answer before it is cut (each cut marked with …). A quote is whole
sentences by default: at 62 characters a fifth of the quotes on the development and check sets were cut, at 120
none, with the same answer hits and median short answers of 60–80 characters on every set but E (89; 76 at 62)."""
LONG_QUOTE_BUDGET = 200
"""Characters of a quote that holds an enumeration (list answers) or the asked-for value far from the match."""
SHORT_QUOTE = 40
"""A quote shorter than this that holds no value may only introduce its topic (``with_following``)."""
FOLLOW_BUDGET = 110
"""The most characters a factoid quote may reach with its following sentence (answers stay under 160)."""
MAX_LINES = 6
"""A list or stance answer has at most this many lines."""
CONTEXT_WEIGHT = 0.3
"""Share of a focus term's weight earned when it is in the paragraph or speaker label but not the sentence."""
VALUE_BONUS = 0.35
"""Bonus (share of the question's total weight) for a sentence holding the kind of value the question asks for."""
NAMED_BONUS = 0.5
"""Bonus (share of total weight) for a sentence said by the speaker or country the question names."""
RANK_PRIOR = 0.15
"""Share of total weight given by the retriever's own score: ties go to the better-ranked paragraph."""
VALUE_FALLBACK = 0.7
"""A sentence holding the asked-for value wins over the best sentence when it scores at least this share of it."""
STANCE_SHARE = 0.6
"""Another speaker gets a stance line when their best sentence scores at least this share of the best."""
POSITION_BONUS = 0.25
"""Bonus (share of total weight) for a sentence that takes a position, in answers to stance questions."""
POSITION_CUES = re.compile(
    r"支持|反对|主张|倡导|呼吁|认为|希望|关切|关注|敦促|强调|坚持|坚决|致力于|谴责|赞扬|欢迎|应当|应该|应予|都应|不应|必须|需要"
    r"|要求|至关重要|不可或缺|必不可少|必要条件|不是.{1,16}而是|感到(关切|震惊|担忧|遗憾)|震惊|遗憾|将.*(加剧|导致|加强)"
    r"|相信|深信|确信|期待|期望|赞赏|肯定|发挥.{0,8}作用|卓有成效"
)
"""Words that take a position, or judge (相信, 赞赏, 发挥了积极作用): a stance question asks for these."""
ENUMERATION_SPAN = 6
"""Paragraphs an enumeration (首先… 第二… 第三…) may span in one speech."""
PLURAL_SHARE = 0.7
"""For "which countries": another speaker is named when their best sentence scores this share of the best."""
ANAPHORA = ("他们", "她们", "它们", "他", "她", "它", "这些", "这一", "这个", "这种", "这次", "这项", "该", "其")
"""Sentence openings that point back to the sentence before."""
LEADING_PREPOSITIONS = ("按照", "根据", "依照", "依据", "基于", "鉴于", "在")
"""Prepositions a sentence may open with before its pronoun (按照这项原则…)."""
ORDINALS = ("第一", "第二", "第三", "第四", "第五", "第六")
ENGLISH_ORDINALS = ("First,", "Firstly,", "Secondly,", "Second,", "Thirdly,", "Third,", "Fourthly,", "Fourth,")
ENGLISH_OPENINGS = ("First,", "Firstly,")
"""How an English speech numbers its points (First, … Secondly, …)."""
ENUMERATION_MARKERS = (
    "首先",
    "第一",
    "其次",
    "第二",
    "第三",
    "第四",
    "第五",
    "再次",
    "此外",
    "最后",
    *ENGLISH_ORDINALS,
)


@dataclass(frozen=True)
class Evidence:
    """A sentence of a retrieved paragraph, scored as an answer to the question."""

    hit: object
    """The retrieval ``Hit`` whose paragraph holds the sentence."""
    sentence: Sentence
    quote: str
    """The part of the sentence quoted in the answer (the whole sentence or the clauses around the match)."""
    values: tuple[str, ...]
    """Values of the asked-for kind inside the quote, verbatim."""
    score: float
    coverage: float
    """Share of the focus weight held by the sentence, its paragraph and speaker label together."""
    own_coverage: float = 0.0
    """Share of the focus weight held by the sentence alone (its speaker's names count as said in it)."""
    text_coverage: float = 0.0
    """Share of the focus weight held by the sentence's own words."""


@dataclass(frozen=True)
class AnswerLine:
    """One line of an answer: which template section renders it and the evidence it cites."""

    section: str
    evidence: Evidence
    index: int = 1
    """1-based position among the lines (list items are numbered)."""


def rank_evidence(question: Question, focus: Focus, hits) -> list[Evidence]:
    """Every sentence of the hits' paragraphs, best answer first."""
    if not hits:
        return []
    top_score = max(hit.score for hit in hits) or 1.0
    evidence = []
    for hit in hits:
        for sentence in split_sentences(hit.paragraph.text):
            evidence.append(score_sentence(question, focus, hit, sentence, hit.score / top_score))
    return sorted(evidence, key=lambda item: (-item.score, item.hit.rank, item.sentence.start))


def score_sentence(question: Question, focus: Focus, hit, sentence: Sentence, prior: float) -> Evidence:
    """Focus terms in the sentence (its speaker's names count as said in it: "中国对阿富汗…" is answered
    by China's sentence on Afghanistan), a share for those only in its paragraph, bonuses for value and speaker."""
    speaker = " ".join(name for name in (hit.speech.label, hit.speech.person) if name)
    in_sentence = focus.matched(f"{sentence.text} {speaker}")
    in_context = focus.matched_in(f"{sentence.text} {speaker}", hit.paragraph.text)
    score = in_sentence + CONTEXT_WEIGHT * (in_context - in_sentence) + RANK_PRIOR * prior * focus.total
    values = find_values(sentence.text, question.expects, question.unit)
    if values or (question.kind == "list" and holds_enumeration(sentence.text)):
        score += VALUE_BONUS * focus.total
    if question.kind == "stance" and states_position(sentence.text):
        score += POSITION_BONUS * focus.total
    if question.named and speaks_for(hit.speech, question.named):
        score += NAMED_BONUS * focus.total
    budget = LONG_QUOTE_BUDGET if question.kind == "list" else QUOTE_BUDGET
    quote = trim(sentence.text, focus, values or position_spans(question, sentence.text), budget)
    quoted_values = tuple(dict.fromkeys(value for _, _, value in values if value in quote))
    own_words = focus.coverage(sentence.text)
    return Evidence(
        hit, sentence, quote, quoted_values, score, in_context / focus.total, in_sentence / focus.total, own_words
    )


def speaks_for(speech, named: tuple[str, ...]) -> bool:
    """The speech's speaker, person or affiliation is one the question names."""
    return any(name in (speech.speaker, speech.person, speech.affiliation) for name in named)


def choose_lines(question: Question, ranked: list[Evidence], focus: Focus) -> list[AnswerLine]:
    """The answer's lines for the question's kind (empty when there is no evidence)."""
    if not ranked:
        return []
    if question.kind == "stance":
        chosen, section = stance_evidence(question, ranked, focus), "line"
    elif question.kind == "list":
        chosen, section = list_evidence(ranked, focus), "item"
    elif question.kind == "who":
        chosen, section = who_evidence(question, ranked), "line"
    else:
        best = with_antecedent(value_evidence(question, ranked, focus), focus)
        if not best.values or len(best.sentence.text) < FRAGMENT:
            best = with_following(best, focus)
        return [AnswerLine("value_line" if best.values else "line", best)]
    return [AnswerLine(section, item, index) for index, item in enumerate(chosen[:MAX_LINES], 1)]


def with_antecedent(item: Evidence, focus: Focus) -> Evidence:
    """A sentence opening with a pronoun (他们…, 该国…) is quoted with the sentence before it, which says
    who or what the pronoun stands for."""
    if not refers_back(item.sentence.text):
        return item
    paragraph = item.hit.paragraph.text
    before = [sentence for sentence in split_sentences(paragraph) if sentence.end <= item.sentence.start]
    if not before:
        return item
    joined = Sentence(paragraph[before[-1].start : item.sentence.end], before[-1].start, item.sentence.end)
    quote = trim(joined.text, focus, [], LONG_QUOTE_BUDGET)
    return replace(item, sentence=joined, quote=quote, values=tuple(v for v in item.values if v in quote))


def refers_back(sentence: str) -> bool:
    """The sentence opens with a pronoun, also after a preposition (按照这项原则, 根据该决议)."""
    leads = [lead for lead in LEADING_PREPOSITIONS if sentence.startswith(lead)]
    return sentence.startswith(ANAPHORA) or any(sentence[len(lead) :].startswith(ANAPHORA) for lead in leads)


def sentences_after(item: Evidence) -> list[Sentence]:
    """The sentences of the item's paragraph after its own, in order."""
    return [sentence for sentence in split_sentences(item.hit.paragraph.text) if sentence.start >= item.sentence.end]


def with_following(item: Evidence, focus: Focus) -> Evidence:
    """A short sentence that holds no value often only introduces its topic ("应对生物安全领域的威胁也是
    一个优先事项。"); what the speaker says of it follows. Quote the next sentence of the paragraph too,
    while the two stay within ``FOLLOW_BUDGET`` characters (both widened for an English sentence, ``scaled_budget``:
    "…for several reasons." is followed by the reasons)."""
    if len(item.quote) >= scaled_budget(item.quote, SHORT_QUOTE):
        return item
    paragraph = item.hit.paragraph.text
    after = sentences_after(item)
    if not after or after[0].end - item.sentence.start > scaled_budget(item.quote, FOLLOW_BUDGET):
        return item
    joined = Sentence(paragraph[item.sentence.start : after[0].end], item.sentence.start, after[0].end)
    return replace(item, sentence=joined, quote=joined.text)


def value_evidence(question: Question, ranked: list[Evidence], focus: Focus) -> Evidence:
    """The best sentence, or a nearly as good one that holds the kind of value the question asks for and
    the rarest focus term the best sentence holds (the value must be about the same thing)."""
    best = ranked[0]
    if not question.expects or best.values:
        return best
    anchor = focus.rarest_in(best.sentence.text)
    holding = [
        item
        for item in ranked
        if item.values
        and item.score >= VALUE_FALLBACK * best.score
        and (anchor is None or focus.holds(anchor, with_fragment(item)))
    ]
    return holding[0] if holding else best


FRAGMENT = 16
"""A sentence this short ("自2015年启动以来。") is often a clause the record cut off with a stray 。"""


def with_fragment(item: Evidence) -> str:
    """The sentence's text, and for a fragment also the sentence after it, whose subject it shares
    ("自2015年启动以来。C5+1模式已经…")."""
    if len(item.sentence.text) >= FRAGMENT:
        return item.sentence.text
    after = sentences_after(item)
    return item.sentence.text + (after[0].text if after else "")


def who_evidence(question: Question, ranked: list[Evidence]) -> list[Evidence]:
    """The best sentence, plus other speakers' best sentences when they answer about as well (so all are
    named): up to one more for "which country", up to ``MAX_LINES`` for "which countries"."""
    share, most = (PLURAL_SHARE, MAX_LINES) if question.plural else (0.9, 2)
    chosen = [ranked[0]]
    for item in ranked[1:]:
        if len(chosen) < most and item.score >= share * ranked[0].score:
            if all(item.hit.speech is not other.hit.speech for other in chosen):
                chosen.append(item)
    return chosen


def stance_evidence(question: Question, ranked: list[Evidence], focus: Focus) -> list[Evidence]:
    """For a named speaker their best sentence and the one after it when that one takes a position too (a
    position and its reason or its other half usually come together); else each speaker's best sentence."""
    best = ranked[0]
    if question.named and speaks_for(best.hit.speech, question.named):
        continuation = [item for item in following_sentences(best, focus, 1) if states_position(item.sentence.text)]
        return [best, *continuation]
    lines: list[Evidence] = []
    seen: set[int] = set()
    for item in ranked:
        if id(item.hit.speech) in seen or item.score < STANCE_SHARE * best.score:
            continue
        seen.add(id(item.hit.speech))
        lines.append(item)
    return lines[:3]


def list_evidence(ranked: list[Evidence], focus: Focus) -> list[Evidence]:
    """The enumerated items: the clauses after "：…；", an inline "、…和…" series, or the speech's sentences
    marked 首先/第二/第三 from the best paragraph on. When the best sentence only introduces the items, the series
    may be the next sentence ("…扩大合作范围。我们确定了一些关键领域，包括预警、…")."""
    best = ranked[0]
    if not holds_enumeration(best.sentence.text):
        after = following_sentences(best, focus, 1)
        best = next((item for item in after if holds_enumeration(item.sentence.text) and continues_list(item)), best)
    if best.sentence.text.endswith(("：", "；", ":", ";")):
        return [best, *following_sentences(best, focus, MAX_LINES - 1, only_after_semicolon=True)]
    if "、" in best.quote:
        return [best]
    marked = marked_items(best, focus)
    return marked if len(marked) >= 2 else [best]


SERIES_OPENING = re.compile(r"包括|如下|以下|例如|比如|诸如|涉及")
"""Words that open a series: a sentence with one, after a sentence that introduced the topic, is its list."""


def continues_list(item: Evidence) -> bool:
    """The sentence after the best one carries its list: it shares the focus, or it opens a series itself
    ("我们确定了一些关键领域，包括预警、…" after "…扩大合作范围。")."""
    return item.coverage > 0 or bool(SERIES_OPENING.search(item.sentence.text))


def following_sentences(item: Evidence, focus: Focus, count: int, only_after_semicolon=False) -> list[Evidence]:
    """Up to ``count`` sentences after the item's sentence in its paragraph (while the previous ends with ；)."""
    chosen, previous = [], item.sentence
    for sentence in sentences_after(item)[:count]:
        if only_after_semicolon and not previous.text.endswith(("：", "；", ":", ";")):
            break
        chosen.append(plain_evidence(item.hit, sentence, focus))
        previous = sentence
    return chosen


def marked_items(best: Evidence, focus: Focus) -> list[Evidence]:
    """Sentences opening an enumeration item in the best sentence's speech, from the item that starts the
    enumeration (首先/第一, up to ``ENUMERATION_SPAN`` paragraphs back) over the next paragraphs."""
    paragraphs = best.hit.speech.paragraphs
    here = next((i for i, p in enumerate(paragraphs) if p.id == best.hit.paragraph.id), 0)
    start = here
    if is_enumerated(best.sentence.text):
        openings = [i for i in range(max(0, here - ENUMERATION_SPAN), here + 1) if opens_enumeration(paragraphs[i])]
        start = openings[-1] if openings else here
    items = []
    for paragraph in paragraphs[start : start + ENUMERATION_SPAN]:
        hit = best.hit if paragraph.id == best.hit.paragraph.id else best.hit.moved_to(best.hit.speech, paragraph)
        for sentence in split_sentences(paragraph.text):
            if is_enumerated(sentence.text):
                items.append(plain_evidence(hit, sentence, focus))
    return items[:MAX_LINES]


def opens_enumeration(paragraph) -> bool:
    return any(s.text.startswith(("首先", "第一", *ENGLISH_OPENINGS)) for s in split_sentences(paragraph.text))


def plain_evidence(hit, sentence: Sentence, focus: Focus) -> Evidence:
    """A sentence chosen for its place (a list item, a continuation) rather than its score."""
    quote = trim(sentence.text, focus, [], LONG_QUOTE_BUDGET)
    coverage = focus.coverage(sentence.text)
    return Evidence(hit, sentence, quote, (), 0.0, coverage, coverage, coverage)


def holds_enumeration(sentence: str) -> bool:
    """A series (、), an introduction of items (：) or one item of a ；-separated list or of 首先/第二…"""
    return "、" in sentence or "：" in sentence or sentence.endswith(("；", ";")) or is_enumerated(sentence)


def position_spans(question: Question, sentence: str) -> list[tuple[int, int, str]]:
    """For a stance question, where the sentence takes its position: a quote trimmed to the words the question
    repeats must still reach them (…在关键时刻，为稳定局势发挥了积极作用)."""
    if question.kind != "stance":
        return []
    return [(match.start(), match.end(), match.group()) for match in POSITION_CUES.finditer(sentence)]


def states_position(sentence: str) -> bool:
    """The sentence takes a position (支持, 反对, 主张, 呼吁, 应…) rather than reporting or thanking."""
    return bool(POSITION_CUES.search(sentence))


def is_enumerated(sentence: str) -> bool:
    """The sentence opens an item of an enumeration (首先…, 第二，…, 我想谈的第三个领域…)."""
    head = sentence[:14]
    return sentence.startswith(ENUMERATION_MARKERS) or any(f"{marker}个" in head for marker in ORDINALS)
