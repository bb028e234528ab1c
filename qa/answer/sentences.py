"""Split a paragraph into sentences, keeping each sentence's character offsets.

The composer quotes sentences, not paragraphs: a citation must point at the words
that answer. Offsets let a front end highlight the quote inside the whole paragraph.
A sentence ends at 。！？； (or their ASCII forms) together with any closing quotes
or brackets that follow, so “……。” stays one sentence.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

SENTENCE_END = re.compile(
    r"[。！？；!?;]+[”’」』）)\]]*|(?<!\bMr)(?<!\bMs)(?<!\bMrs)(?<!\bDr)(?<!\bNo)(?<!\bSt)(?<!\be\.g)(?<!\bi\.e)\.(?=\s)|\.$"
)
"""Where a sentence ends: a terminator and its closing quotes/brackets (an ASCII full stop only before a space, and
not after an abbreviation: Mr. Griffiths, No. 5, e.g. this)."""

CLAUSE_END = re.compile(r"[，、：:]|,(?!\d{3}\b)|——")
"""Where a clause ends inside a sentence: used to trim long sentences to the part that answers (not at the comma
of a number: 4,000)."""


@dataclass(frozen=True)
class Sentence:
    """A sentence of a paragraph."""

    text: str
    """The sentence as printed, surrounding white space removed."""
    start: int
    """Offset of its first character in the paragraph."""
    end: int
    """Offset just past its last character, so ``paragraph[start:end] == text``."""


def split_sentences(paragraph: str) -> list[Sentence]:
    """The paragraph's sentences in order; text after the last terminator is a sentence too."""
    sentences = []
    start = 0
    for match in SENTENCE_END.finditer(paragraph):
        _append(sentences, paragraph, start, match.end())
        start = match.end()
    _append(sentences, paragraph, start, len(paragraph))
    return sentences


def split_clauses(sentence: str) -> list[str]:
    """The sentence cut after each comma, enumeration comma or colon (the delimiters stay attached)."""
    clauses = []
    start = 0
    for match in CLAUSE_END.finditer(sentence):
        clauses.append(sentence[start : match.end()])
        start = match.end()
    if start < len(sentence):
        clauses.append(sentence[start:])
    return [clause for clause in clauses if clause]


def _append(sentences: list[Sentence], paragraph: str, start: int, end: int) -> None:
    """Add ``paragraph[start:end]`` without its surrounding white space, unless it is empty."""
    piece = paragraph[start:end]
    stripped = piece.strip()
    if not stripped:
        return
    offset = start + piece.index(stripped)
    sentences.append(Sentence(stripped, offset, offset + len(stripped)))


PLACE_WORDS = re.compile(
    r"[\u4e00-\u9fff]{1,8}?(?:省|州|港|岛|首都)|(?<=[在到于])[\u4e00-\u9fff]{1,6}?地(?![区位方步])|(?<=在)(?!最近|近期|近日|日前|此前|之前|不久前|过去|今天|昨天|明天|今年|去年|明年|本周|上周|下周|本月|上月|下月|当天|同日|届时)[\u4e00-\u9fff]{2,8}?(?=举行|召开|举办|设立|开设|会议上|峰会上)|以虚拟形式|线上"
)
"""Words that name where something is or happened, beside the glossary's states and places (在…举行, but not
a time word in that place: 在最近举行的会议上): a "where"
question is not answered by a sentence holding none (see ``qa.answer.knowledge.CorpusContext.names_place``)."""
NUMERAL = (
    r"(?:\d+(?:[.,\s\u2000-\u200a\u202f]+\d{3})*(?:\.\d+)?"
    r"|[两三四五六七八九十百千万亿][一二两三四五六七八九十百千万亿]*|一[十百千万亿][一二两三四五六七八九十百千万亿]*)"
)
"""A number as printed: digits (thin-space groups allowed) or Chinese numerals (a lone 一 is no count)."""
ENGLISH_PEOPLE = (
    "people",
    "persons",
    "civilians",
    "refugees",
    "children",
    "women",
    "men",
    "troops",
    "soldiers",
    "peacekeepers",
    "personnel",
    "staff",
    "migrants",
    "fighters",
    "Syrians",
    "Yemenis",
    "combatants",
    "leaders",
    "defenders",
    "victims",
    "members",
)
"""How an English record prints a count of people (2.7 million people, 11 million Syrians)."""
ENGLISH_COUNTED = (
    *ENGLISH_PEOPLE,
    *("countries", "States", "states", "nations", "years", "months", "weeks", "days", "hours"),
    *("deaths", "casualties", "attacks", "incidents", "crossings", "cases", "votes", "abstentions", "tons", "tonnes"),
    *("plans", "projects", "programmes", "municipalities", "individuals", "accreditations", "warrants", "sentences"),
    *("trucks", "points", "schools", "hospitals", "elections", "resolutions", "meetings", "priorities", "issues"),
)
ENGLISH_NUMBER = (
    r"(?:\b\d+(?:[.,]\d+)*|\b(?:one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|fifteen|twenty|thirty"
    r"|forty|fifty|hundreds|thousands|several|dozens)\b)"
)
"""A number as an English record prints it: digits, or a number word (six months, three votes)."""
"""What an English count may count, for the count pattern (a number alone is no answer to "how many")."""

ENGLISH_MONTH = r"(?:January|February|March|April|May|June|July|August|September|October|November|December)"
ENGLISH_DAY = r"\b\d{1,2} " + ENGLISH_MONTH + r"(?: \d{4})?\b|\b" + ENGLISH_MONTH + r" \d{1,2}(?:, \d{4})?\b"
"""A day as an English record prints it: 22 February, 27 October 2019 (or February 22, 2020)."""
ENGLISH_DATE = (
    ENGLISH_DAY
    + r"|\b(?:(?:early|mid|late|the end of|the summer of|the spring of|the autumn of|the winter of) )?"
    + ENGLISH_MONTH
    + r"(?: \d{4})?\b|\b(?:the (?:summer|spring|autumn|winter) of |early |late |since |in )(?:19|20)\d{2}\b"
    + r"|\b(?:last|next|this) (?:year|month|week)\b"
)
"""A date as an English record prints it: a day, a month (February 2020, the end of March), a season or a year after
"since"/"in" (the summer of 2018; a bare number as in "resolution 2504 (2020)" is no date)."""

VALUE_PATTERNS: dict[str, re.Pattern[str]] = {
    "time": re.compile(
        r"(?:上午|下午|中午|晚上|凌晨)\d{1,2}时(?:\d{1,2}分)?|\d{1,2}:\d{2}|\b\d{1,2}(?:\.\d{2})? [ap]\.m\."
    ),
    "date": re.compile(
        r"\d{4}年\d{1,2}月\d{1,2}日|\d{4}年\d{1,2}月|\d{1,2}月\d{1,2}日|\d{4}年(?!代)|\d{1,2}月(?:份)?|[一二三四五六七八九十]{1,3}月(?:份)?"
        r"|今年|去年|明年|" + ENGLISH_DATE
    ),
    "year": re.compile(r"\d{4}年(?!代)|(?<![\d/(])\b(?:19|20)\d{2}\b(?![)/])"),
    "day": re.compile(r"(?:\d{4}年)?\d{1,2}月\d{1,2}日|" + ENGLISH_DAY),
    "article": re.compile(r"第" + NUMERAL + r"条"),
    "resolution": re.compile(
        r"第?\d+\s*[（(]\d{4}[)）]\s*号?决议|第?\d+/\d+\s*号?决议|[ASE]/(?:RES/)?\d+(?:/\d+)+|\d+/\d+"
    ),
    "count": re.compile(
        r"(?<![第\d.一二两三四五六七八九十百千万亿])"
        + NUMERAL
        + r"(?:多|余)?\s*(?:万|亿)?\s*"
        + r"(?:个月|个|名|人|位|吨|次|国|省|架|辆|公里|平方公里|美元|卢布|欧元|元|%|％|倍|天|小时|分钟|周年|周|星期|岁"
        + r"|点|年|项|家|支|批|层|座|栋|条|份|届|轮|件|起|例)"
        + r"|百分之"
        + NUMERAL
        + r"|(?:US)?\$ ?\d+(?:[.,]\d+)*(?: (?:million|billion|thousand))?"  # money: $1 billion, $2.3 billion
        + r"|(?!(?:19|20)\d\d\b)"  # a year is no count (2019 elections)
        + ENGLISH_NUMBER
        + r"(?: (?:million|billion|thousand|hundred))?"
        + r"(?: per cent| (?:[A-Za-z][\w’'-]+ ){0,2}(?:"
        + "|".join(ENGLISH_COUNTED)
        + r")\b)"
        + r"|"
        + ENGLISH_NUMBER
        + r" (?:million|billion)\b"  # a count standing alone: levels of 24 million
        + r"|(?<![\d.,])(?!(?:19|20)\d\d\b)"  # any plural noun after a number that is no year: 200 detainees
        + ENGLISH_NUMBER
        + r"(?: [A-Za-z][a-z-]+)? [a-z][a-z-]+[^s\W]s\b"
        + r"|(?<=\s)\d{1,3}(?:,\d{3})+(?=[\s.;:)]|,\s|$)"  # an English count with thousands commas: 13,185
    ),
    "place": PLACE_WORDS,
    "symbol": re.compile(r"(?<![A-Za-z0-9])[A-Z]{1,3}/(?:[A-Z0-9.\-]+/)*[A-Za-z0-9.\-]*\d[A-Za-z0-9.\-]*"),
    "person": re.compile(
        r"(?:[\u4e00-\u9fff\-]{1,8}·)?[\u4e00-\u9fff][\u4e00-\u9fff\-]{1,7}?(?=先生|女士|夫人|阁下|副部长|部长|大使)"
        r"|(?:主席|总统|总理|首相|外长|部长|书长|大使|特使|代表)(?:[\u4e00-\u9fff]{1,8}·)?"
        r"(?:(?![在对于向就与同和也还曾已将的是为从以及了致之其一这该此])[\u4e00-\u9fff]){2,4}?"
        r"(?=专门|亲自|同|与|向|在|对|于|曾|已|也|还|就|说|表示|指出|强调|宣布|主持|出席|访问|致|[，。、；：（(])"
        r"|\b(?:Mr|Mrs|Ms|Miss|Dr|Sir|Dame)\.? [A-Z][\w’'\-]+(?: (?:[A-Z][\w’'\-]+|de|da|van|von|bin|al|del|dela))*"
    ),
}
"""How each kind of key value is printed in the records; the composer quotes the match verbatim. A person is
named before a courtesy title (文在寅先生) or after an office (国家主席习近平专门…), where the name is two to four
characters that are no function words, followed by a verb or punctuation; in English after one (Mr. Martin
Griffiths)."""


YEAR = re.compile(r"(\d{4})年")
"""A calendar year (2021年) is a date, not a count of years."""
RELATIVE_YEARS = {"今年": 0, "本年": 0, "去年": -1, "明年": 1}
"""Years named relative to the meeting's: 今年 is the meeting's year."""
NAMED_YEAR = re.compile(f"{YEAR.pattern}|{'|'.join(RELATIVE_YEARS)}")
NAME_LEAD = re.compile(r"请|感谢|欢迎|邀请|祝贺|向|由|让|应|书长|主席|代表|总统|总理|首相|外长|部长|大使|特使|国王")
"""Words the person pattern may sweep in before a name: the name starts after the last one (欢迎韦尔希宁 → 韦尔希宁)."""
INSTITUTIONS = ("国", "组织", "部", "会", "团", "处", "政府")
"""Endings of what stands before 总统/部长 that is an institution, not a person (哈萨克斯坦共和国总统)."""
NOT_NAMES = frozenset(
    "先生 女士 夫人 阁下 副部长 部长 大使 总统 强调 指出 表示 认为 发言 提到 重申 呼吁 感谢 欢迎 希望 通报 赞扬".split()
)
"""Words the person pattern may take for a name: titles, and the verbs that follow an office (各国代表强调)."""


def find_values(text: str, value_kind: str | None, unit: str | None = None) -> list[tuple[int, int, str]]:
    """Every ``(start, end, value)`` of that kind in the text, in order (none for an unknown kind).

    ``unit``: for counts, keep only those counting that thing (人 also accepts 名 and 位; a count
    ending in 个 accepts the noun right after it: 11个省).
    """
    pattern = VALUE_PATTERNS.get(value_kind or "")
    if pattern is None:
        return []
    values = []
    for match in pattern.finditer(text):
        start, value = match.start(), match.group()
        if value_kind == "person":
            given = value.split("·")[0] if "·" in value else value
            cut = max((lead.end() for lead in NAME_LEAD.finditer(given)), default=0)
            start, value = start + cut, value[cut:]
            if len(value) < 2 or value in NOT_NAMES or value.endswith(INSTITUTIONS):
                continue
        if value_kind == "count" and YEAR.fullmatch(value):
            continue
        if unit and not counts(value, text[match.end() : match.end() + len(unit)], unit):
            if not counted_before(text[: match.start()], unit):
                continue
        values.append((start, match.end(), value))
    return values


UNIT_FORMS = {
    "人": ("人", "名", "位", *ENGLISH_PEOPLE),
    "名": ("人", "名", "位", *ENGLISH_PEOPLE),
    "位": ("人", "名", "位", *ENGLISH_PEOPLE),
    "国": ("国", "countries", "States", "states", "nations"),
    "money": ("美元", "欧元", "卢布", "元", "万", "亿", "dollars", "euros"),
    "duration": ("年", "个月", "周", "星期", "天", "小时", "分钟", "years", "months", "weeks", "days", "hours"),
    "percent": ("%", "％", "百分之", "per cent"),
}
"""Ways a count of that unit is printed; ``money`` is what 预算/经费/多少钱 questions count."""


def counts(value: str, following: str, unit: str) -> bool:
    """The count ``value`` (followed in the text by ``following``) counts ``unit``s."""
    same = UNIT_FORMS.get(unit, (unit,))
    if unit == "money" and value.startswith(("$", "US$")):
        return True
    if unit == "percent":
        return value.endswith(same) or value.startswith(same)
    return value.endswith(same) or (value.endswith("个") and following.startswith(same))


def counted_before(before: str, unit: str) -> bool:
    """An English sentence names what it counts before the number: "the number of people killed increased from
    80 to more than 1,800" counts people."""
    forms = [form for form in UNIT_FORMS.get(unit, (unit,)) if form.isascii() and form.isalpha()]
    return any(re.search(rf"\b{form}\b", before[-COUNTED_BEFORE:]) for form in forms)


COUNTED_BEFORE = 80
"""Characters before an English number in which the thing it counts may be named."""


INTRODUCES = re.compile(
    r"(认为|表示|指出|强调|主张|呼吁|希望|相信|重申|坚信|深信|认识到|注意到|建议|要求|说|的是|在于)[，,：:]?$"
)
"""A clause ending in a verb of saying or believing, or in 的是 (我们关切的是，…): what was said follows it, so a
quote never stops there."""


CUT = "…"
"""How a quote marks words of its sentence left out, at either end or between its head and the rest."""
HEAD_CHARS = 16
"""A first clause this short is kept before a quote that starts later in the sentence (…), so the quote keeps
the sentence's subject ("扩大集安组织同联合国的合作，…是…优先事项之一。")."""
CONNECTIVE_CHARS = 4
"""A first clause this short (因此，此外，首先，) is a connective, not the sentence's subject."""
TAIL_CHARS = 8
"""A rest of the sentence this short is quoted rather than cut ("…的问题。")."""


def trim(sentence: str, focus, values: list[tuple[int, int, str]], budget: int) -> str:
    """The sentence itself when short; else the clauses around the best match of ``focus``
    (a ``qa.answer.focus.Focus``), grown while within budget, and never stopping at a verb of saying
    (``INTRODUCES``) nor inside a series (、) that follows one. A quote is faithful: each cut is marked
    ``…``; one that would start a few characters into the sentence starts at its start, and one that starts
    later keeps a short first phrase (the subject) before its cut: the quote may exceed the budget by these.

    Growing alternates towards the neighbour holding more focus weight, preferring the one after the
    match (the new information usually follows the words a question repeats).
    """
    budget = scaled_budget(sentence, budget)
    if len(sentence) <= budget:
        return sentence
    clauses = split_clauses(sentence)
    heads = _head_clauses(clauses)
    head = "".join(clauses[:heads]) if _length(clauses, 0, heads - 1) <= HEAD_CHARS else ""
    low, high = _window(clauses, focus, values, budget)
    if _length(clauses, 0, low - 1) <= HEAD_CHARS:
        low = 0
    if _length(clauses, high + 1, len(clauses) - 1) <= TAIL_CHARS:
        high = len(clauses) - 1
    return marked_quote(clauses, low, high, head)


def _head_clauses(clauses: list[str]) -> int:
    """How many clauses make the sentence's first phrase, its subject mostly: up to the first comma or colon
    after a word longer than a connective (因此，首先，), a series (西非国家经济共同体、政府间发展组织…，) being one."""
    return next(
        (i + 1 for i, clause in enumerate(clauses) if not clause.endswith("、") and len(clause) > CONNECTIVE_CHARS),
        len(clauses),
    )


def marked_quote(clauses: list[str], low: int, high: int, head: str = "") -> str:
    """Clauses ``low..high`` of a sentence with each cut marked: the short first clause ``head`` before a
    quote that starts later, ``…`` where the quote starts or stops inside the sentence."""
    text = "".join(clauses[low : high + 1]).strip()
    if high < len(clauses) - 1:
        text = text.rstrip("，、：,:—") + CUT
    if low > 0:
        text = (head.rstrip("，、：,:—") + CUT if head else CUT) + text
    return text


def _window(clauses: list[str], focus, values: list[tuple[int, int, str]], budget: int) -> tuple[int, int]:
    """The first and last clause of the quote: around the best match, grown while within budget."""
    scores = [focus.matched(clause) for clause in clauses]
    anchor = max(range(len(clauses)), key=lambda i: (scores[i], -i))
    value_clause = _clause_holding_value(clauses, values, anchor)
    low, high = sorted((anchor, value_clause if value_clause is not None else anchor))
    while True:
        options = [i for i in (high + 1, low - 1) if 0 <= i < len(clauses)]
        options = [i for i in options if _length(clauses, min(low, i), max(high, i)) <= budget]
        if not options:
            break
        best = max(options, key=lambda i: (scores[i], i > high))
        low, high = min(low, best), max(high, best)
    while high + 1 < len(clauses) and (INTRODUCES.search(clauses[high]) or _series_said(clauses, low, high)):
        high += 1
        while low < high and _length(clauses, low, high) > budget:
            low += 1
    return low, high


LATIN_BUDGET_FACTOR = 4
"""An English sentence takes three to four times the characters of a Chinese one to say as much (an English record's
sentences run to 150 characters and more), so a quote budget counted for Chinese is widened for Latin text. On the
English development set (tests/data/checks/en-dev.jsonl) 3 cut a list of five items after its first; 4 (224
characters, a long sentence whole) keeps it, and 5 changes nothing more."""


def scaled_budget(sentence: str, budget: int) -> int:
    """``budget`` for a sentence mostly of Latin letters widened by ``LATIN_BUDGET_FACTOR``; else as it is."""
    latin = sum(1 for char in sentence if char.isascii() and char.isalpha())
    return budget * LATIN_BUDGET_FACTOR if latin * 2 > len(sentence) else budget


def _series_said(clauses: list[str], low: int, high: int) -> bool:
    """The quote would stop inside a series (…全国对话、) of what a verb of saying in it introduced."""
    return clauses[high].endswith("、") and any(INTRODUCES.search(clause) for clause in clauses[low:high])


def _clause_holding_value(clauses: list[str], values: list[tuple[int, int, str]], anchor: int) -> int | None:
    """Index of the clause holding the asked-for value nearest the anchor clause."""
    starts, position = [], 0
    for clause in clauses:
        starts.append(position)
        position += len(clause)
    holding = {max(i for i, start in enumerate(starts) if start <= value_start) for value_start, _, _ in values}
    return min(holding, key=lambda i: abs(i - anchor)) if holding else None


def _length(clauses: list[str], low: int, high: int) -> int:
    return sum(len(clause) for clause in clauses[low : high + 1])


def years(text: str, meeting_year: int | None) -> set[int]:
    """The years a text names, 今年 and 去年 counted from the meeting's year."""
    found = set()
    for match in NAMED_YEAR.finditer(text):
        if match.group(1):
            found.add(int(match.group(1)))
        elif meeting_year is not None:
            found.add(meeting_year + RELATIVE_YEARS[match.group()])
    return found
