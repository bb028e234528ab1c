"""Question analysis: what kind of answer a question wants, in which language, about whom.

All the rules live here, in tables that read top to bottom, so that adding a way of
asking is one line. Nothing here knows the development questions: the patterns are
the ordinary ways of asking who / when / how many / what / why in Chinese and English.
"""

from __future__ import annotations

import functools
import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache

from qa.answer.english import topic_mention
from qa.paths import data_file
from qa.records.pages import TITLES
from qa.text.matcher import NameMatcher
from qa.text.normalize import normalize, strip_controls
from qa.text.tokens import fold_accents

MAX_QUESTION_CHARS = 500
"""Longer questions are cut to this many characters (with a notice): no real question is longer, and
retrieval time grows with the number of query terms."""

POINT_NOUNS = "意见|建议|看法|要求|主张|原则|内容|理由|考虑|措施|想法|因素|结论|共识"
"""What 几点 counts when one of these follows (几点意见: how many points); otherwise 几点 asks the time."""


def question_rules(table: str) -> tuple[tuple[str, str], ...]:
    """The (name, pattern) rows of one table of the registry ``qa/text/data/question_kinds.tsv``, in order."""
    rows = []
    for line in data_file("question_kinds.tsv").read_text(encoding="utf-8").splitlines():
        if line.strip() and not line.startswith("#"):
            kind, name, pattern, _example = line.split("\t")
            if kind == table:
                rows.append((name, pattern))
    return tuple(rows)


KIND_RULES = question_rules("kind")
"""(kind, pattern): the first pattern that matches decides what kind of answer the question wants."""
EXPECTED_VALUE_RULES = question_rules("value")
"""(value kind, pattern): the kind of value the answer should hold, by the first pattern that matches."""
FACT_RULES = question_rules("fact")
"""(fact, pattern): the fact of the meeting itself a question asks for (``qa.answer.meeting``), first match."""

QUESTION_WORDS = re.compile(
    r"请问|什么|哪些|哪个|哪位|哪一|哪几|哪|谁|多少|几|如何|怎么|怎样|为什么|为何|是否|是不是|有没有|吗|呢|么"
    r"|(?i:\b(what|which|who|whom|whose|when|where|why|how|many|much|is|are|was|were|did|does|do|the|a|an|of)\b)"
)
"""Words that ask rather than say: a question made only of these (and punctuation) has nothing to look up."""


FRAME_WORDS = frozenset(
    "立场 态度 观点 看法 说法 主张 认为 觉得 怎么看 评价 起因 原因 缘故 导致".split()
    + "position stance view views opinion".split()
    + "美元 欧元 卢布 英镑 人民币 元 吨 公里 百分比 名字 姓名 年份".split()
    + "本国 该国".split()
)
"""Words that frame a question rather than name its topic (a stance or a why, the unit or kind of value asked
for: 多少美元, 叫什么名字; the country named before: 本国): a passage need not repeat them."""

CJK = re.compile(r"[\u3400-\u9fff\U00020000-\U0003134f]")
LATIN = re.compile(r"[A-Za-z]")
PUNCTUATION_OR_SPACE = re.compile(r"[\s\W_]+")


@dataclass(frozen=True)
class Question:
    """A question as the composer understands it."""

    text: str
    """The question cleaned for use: NFKC digits, control characters and escapes removed, cut to the limit."""
    kind: str
    """who, when, how_many, list, why, stance, yes_no, procedural or what."""
    language: str
    """``zh`` or ``en``: the language the answer is written in."""
    expects: str | None
    """The kind of value the answer must hold (date, time, count, article, resolution, person) or None."""
    unit: str | None = None
    """For "how many": what is counted when the question says it (多少人 → 人, 多少个省 → 省)."""
    plural: bool = False
    """The question asks for several speakers or items (哪些国家, which countries)."""
    named: tuple[str, ...] = ()
    """Speakers or affiliations of the corpus that the question names, as the record prints them."""
    truncated: bool = False
    """True when the question was longer than MAX_QUESTION_CHARS and was cut."""
    blank: bool = False
    """True when there is nothing to look up: empty, only punctuation or only question words."""
    fact: str | None = None
    """The fact of the meeting itself asked for (date, span, agenda, presiding), by the registry's fact table."""


CHINESE_MONTH = re.compile(r"(?<![\d一二三四五六七八九十第每])(十[一二]?|[一二三四五六七八九])(?=月)")
CHINESE_DIGITS = {"一": 1, "二": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9, "十": 10}


def arabic_months(text: str) -> str:
    """一月 → 1月, 十二月 → 12月: the records print months in digits."""

    def digits(match: re.Match[str]) -> str:
        numeral = match.group()
        return str(sum(CHINESE_DIGITS[char] for char in numeral))

    return CHINESE_MONTH.sub(digits, text)


def clean(text: str) -> tuple[str, bool]:
    """The question without control characters and escapes, NFKC-normalised, in Simplified characters, months
    in digits, cut to the limit."""
    text = arabic_months(simplified(unicodedata.normalize("NFKC", strip_controls(text)).strip()))
    truncated = len(text) > MAX_QUESTION_CHARS
    return text[:MAX_QUESTION_CHARS], truncated


TRADITIONAL_CHANGES = 2
"""Characters the conversion must change before a question counts as Traditional: a Simplified question may
hold one character OpenCC also converts (藉此 → 借此, while the record prints 藉此)."""


@lru_cache(maxsize=1)
def _to_simplified():
    """OpenCC's Traditional → Simplified converter (``opencc-python-reimplemented``: loads in milliseconds; on
    hand-written Traditional questions about the record it converts as well as zhconv, which loads in 0.4 s)."""
    import opencc

    return opencc.OpenCC("t2s")


def simplified(text: str) -> str:
    """A question in Traditional Chinese (會議是哪一天舉行的) in the Simplified characters of the records;
    any other text as it is. The corner quotes of Traditional writing (「…」) become “…”."""
    if not CJK.search(text):
        return text
    converted = _to_simplified().convert(text)
    if sum(a != b for a, b in zip(text, converted, strict=False)) < TRADITIONAL_CHANGES:
        return text
    return converted.replace("「", "“").replace("」", "”")


def as_asked(text: str) -> str:
    """The question as the user wrote it (full width kept) without control characters, cut to the limit:
    how answers repeat it."""
    return strip_controls(text).strip()[:MAX_QUESTION_CHARS]


def analyse(raw: str, names: dict[str, str] | None = None) -> Question:
    """Kind, language, expected value and named speakers of a question.

    ``names`` maps every way the corpus names a speaker (name, affiliation, short forms) to the
    affiliation or speaker as printed; see ``names_in_questions``.
    """
    text, truncated = clean(raw)
    return Question(
        text=text,
        kind=question_kind(text),
        language=question_language(text),
        expects=expected_value(text),
        unit=counted_unit(text),
        plural=bool(PLURAL.search(text)),
        named=named_speakers(text, names or {}),
        truncated=truncated,
        blank=is_blank(text),
        fact=meeting_fact(text),
    )


def question_kind(text: str) -> str:
    for kind, pattern in KIND_RULES:
        if re.search(pattern, text):
            return kind
    return "what"


def meeting_fact(text: str) -> str | None:
    for fact, pattern in FACT_RULES:
        if re.search(pattern, text):
            return fact
    return None


def expected_value(text: str) -> str | None:
    for value_kind, pattern in EXPECTED_VALUE_RULES:
        if re.search(pattern, text):
            return value_kind
    return None


MEASURE_WORDS = "人名位吨次国省架辆项家支批天层座栋条份届轮年月周岁件起例公里美元票"
COUNTED = re.compile(rf"(?:多少|几)个?([{MEASURE_WORDS}])(?!道|权|民|类|士|口|物|事)")
"""多少人, 几个省: the measure word after 多少 or 几, unless it starts a longer word (多少人道主义援助)."""
MONEY = re.compile(r"预算|经费|资金|金额|费用|开支|捐款|多少钱|经济损失|(?i:budget|funding|how much money|cost)")


COUNTED_NOUNS: tuple[tuple[str, re.Pattern[str]], ...] = (
    ("点", re.compile(r"(?:多少|几)点(?:" + POINT_NOUNS + ")")),
    ("人", re.compile(r"多少(?:名|位)?(?:兵力|部队|军人|士兵|人员|维和人员|难民|平民|儿童|妇女)")),
    (
        "人",
        re.compile(
            r"(?i)how many (?:\w+ )?(?:troops|soldiers|people|persons|personnel|peacekeepers|refugees|civilians"
            r"|staff|children|women|men|observers|officers|police|combatants|leaders|defenders|victims|migrants)\b"
        ),
    ),
    ("国", re.compile(r"(?i)how many (?:\w+ )?(?:countries|states|nations)\b")),
    ("吨", re.compile(r"(?i)how many (?:\w+ )?(?:tons|tonnes)\b")),
    ("次", re.compile(r"(?i)how many times\b")),
    ("duration", re.compile(r"(?i)how many (?:years|months|weeks|days)\b")),
)
"""What a "how many" question counts when it names the thing rather than a measure word (多少兵力, how many
troops): a count of people is printed with 人/名/位, of states with 国."""
DURATION = re.compile(r"多久|多长时间|(?i:how long)")
PERCENT = re.compile(r"百分之几|百分比|比例|(?i:percent|proportion|share of)")
PLURAL = re.compile(r"哪些|哪几|(?i:which (countries|states|delegations|speakers|members))")

TIME_EVENT_WORDS = {
    "开始": ("开会", "order"),
    "开幕": ("开会", "order"),
    "结束": ("散会", "rose"),
    "闭幕": ("散会", "rose"),
    "休会": ("散会", "rose"),
    # an English record says "The meeting was called to order at 10.05 a.m." and "The meeting rose at …"; an
    # English question about a Chinese record needs the Chinese note's word (上午11时05分开会), and the other way
    "start": ("order", "开会"),
    "begin": ("order", "开会"),
    "began": ("order", "开会"),
    "open": ("order", "开会"),
    "end": ("rose", "散会"),
    "close": ("rose", "散会"),
    "adjourn": ("rose", "散会"),
    "conclud": ("rose", "散会"),
    "finish": ("rose", "散会"),
    "rise": ("rose", "散会"),
    "rose": ("rose", "散会"),
    "called": ("order", "开会"),
}
"""How the records' procedural notes print a meeting's start and end (上午11时05分开会), for "what time" questions."""


def counted_unit(text: str) -> str | None:
    """What a "how many" question counts: the measure word after 多少/几, or money for budgets and costs."""
    if MONEY.search(text):
        return "money"
    if DURATION.search(text):
        return "duration"
    if PERCENT.search(text):
        return "percent"
    match = COUNTED.search(text)
    if match:
        return match.group(1)
    for unit, pattern in COUNTED_NOUNS:
        if pattern.search(text):
            return unit
    return None


def question_language(text: str) -> str:
    """Chinese unless the question has Latin letters and clearly more of them than Chinese characters."""
    cjk = len(CJK.findall(text))
    latin = len(LATIN.findall(text))
    return "en" if latin > 2 * cjk and latin >= 3 else "zh"


def is_blank(text: str) -> bool:
    """Nothing to look up once question words, punctuation and white space are gone."""
    return not PUNCTUATION_OR_SPACE.sub("", QUESTION_WORDS.sub("", text))


def named_speakers(text: str, names: dict[str, str]) -> tuple[str, ...]:
    """The speakers/affiliations the question names as its subject (longest mention first, no repeats).

    A name counts where it opens the question (after 据/按/根据) or is followed by a verb of saying or a
    stance cue (中国认为, 英国代表说, 中方提到): "联合国同集安组织的合作" names a topic, not a speaker.
    The names are found in one scan (``NameTable.finder``), so the cost does not grow with the corpus's speakers.
    """
    finder = names.finder if isinstance(names, NameTable) else SpeakerFinder(names)
    found: list[str] = []
    text = normalize(text)
    taken = [False] * len(text)
    occurrences = finder.matcher.occurrences(text)
    ending = {(end, name) for _, end, name in occurrences}
    for start, end, name in finder.in_order(occurrences):
        span = range(start, end)
        if any(taken[i] for i in span) or not is_subject(text, start, end):
            continue
        if name in TITLES and any(at == start and other != name for at, other in ending):
            continue
        for i in span:
            taken[i] = True
        if finder.folded[name] not in found:
            found.append(finder.folded[name])
    return tuple(found)


class SpeakerFinder:
    """The names of a ``names_in_questions`` table, normalised, in one automaton, with the order in which
    ``named_speakers`` weighs their mentions (longest name first)."""

    def __init__(self, names: dict[str, str]):
        self.folded = {normalize(name): printed for name, printed in names.items()}
        for name, printed in list(self.folded.items()):  # "jurgenson", typed without the accent, names Jürgenson
            self.folded.setdefault(fold_accents(name), printed)
        self.rank = {name: n for n, name in enumerate(sorted(self.folded, key=len, reverse=True))}
        self.matcher = NameMatcher(self.folded)

    def in_order(self, occurrences: list[tuple[int, int, str]]) -> list[tuple[int, int, str]]:
        """The mentions longest name first, each name's left to right without overlapping itself (as a
        regular expression per name would find them)."""
        ordered, last_end = [], {}
        for start, end, name in sorted(occurrences, key=lambda item: (self.rank[item[2]], item[0])):
            if start >= last_end.get(name, 0):
                ordered.append((start, end, name))
                last_end[name] = end
        return ordered


class NameTable(dict):
    """``names_in_questions``'s table (a question's name of a speaker -> as printed), with its automaton built
    once, on first use, and kept with the table (and so with the engine's ``CorpusContext``)."""

    @functools.cached_property
    def finder(self) -> SpeakerFinder:
        return SpeakerFinder(self)


SUBJECT_BEFORE = re.compile(r"(^|[，,。；：\s]|据|按|根据|按照|依|那么|请问)$")
SUBJECT_AFTER = re.compile(
    r"^(的?(代表|方面|政府|发言者|秘书长|大使|立场|看法|观点|态度)|对|认为|觉得|说|表示|主张|提到|提出|指出|强调|赞扬|呼吁|希望|欢迎|支持|反对"
    r"|关切|担心|建议|承诺|宣布|是|曾|如何|怎么|怎样|在发言|发言)"
)


def is_subject(text: str, start: int, end: int) -> bool:
    """The mention ``text[start:end]`` is who the question asks about (see ``named_speakers``); in English,
    not after a topic preposition ("casualties in Yemen")."""
    if topic_mention(text, start, end):
        return False
    return bool(SUBJECT_BEFORE.search(text[:start]) or SUBJECT_AFTER.search(text[end:]))


def names_in_questions(speeches, alias_groups=()) -> dict[str, str]:
    """Every way a question may name a speaker of these speeches -> the speaker or affiliation as printed.

    Names, persons, titles and affiliations as printed; every other name of an affiliation in
    ``alias_groups`` (the glossary's and the corpus's own: 英国, 阿联酋, 集安组织, CSTO); and "X方"
    (中方, 哈方) when X starts exactly one affiliation.
    """
    names = NameTable()
    affiliations = sorted({s.affiliation for s in speeches if s.affiliation})
    for speech in speeches:
        for name in (speech.speaker, speech.person):
            if name and len(name) >= 2:
                names[name] = name if name in TITLES else speech.affiliation or name
    for affiliation in affiliations:
        names[affiliation] = affiliation
    for group in alias_groups:
        printed = [affiliation for affiliation in affiliations if normalize(affiliation) in group]
        for alias in group if printed else ():
            names.setdefault(alias, printed[0])
    for first in {a[0] for a in affiliations}:
        matching = [a for a in affiliations if a[0] == first]
        if len(matching) == 1:
            names.setdefault(f"{first}方", matching[0])
    return names
