"""What an English question says in its own way: a delegation named by its country's adjective ("the French
representative"), and a country named as the place a question is about ("casualties in Yemen") rather than as
the speaker it asks about. Used by ``qa.answer.questions`` and ``qa.answer.knowledge``; Chinese questions never
match these patterns."""

from __future__ import annotations

import functools
import re

from qa.paths import data_file
from qa.text.normalize import normalize

TOPIC_BEFORE = re.compile(
    r"(?i)\b(?:in|on|about|into|across|regarding|concerning|over|towards?|throughout|inside|within|for)\s+(?:the\s+)?"
    r"(?:(?!which\b|that\b|what\b|whom\b|whose\b)[a-z][a-z-]*\s+)?$"
)
"""A preposition right before a country's name makes the country the question's topic ("the situation in
Yemen", "aid for Syria", "people in north-west Syria"), not its speaker; "according to Belgium", "the representative of
France" and "from Niger" still name the speaker (so: not "to", "of", "from")."""


AUXILIARIES = "said|says|did|does|do|has|have|had|is|was|were|are|will|would|can|could"
ASKED_SUBJECT = re.compile(
    rf"^\s*(?:who|which (?:country|delegation|speaker|member)s?)\s+(?!(?:{AUXILIARIES})\s)[a-z]+\s+(?:the\s+)?$"
)
"""A name right after "Who <verb>" is the verb's object ("Who thanked the United Kingdom?"): the speaker is what
the question asks for (not after "who said", nor after an auxiliary: in "Who did the President thank?" the name
is the subject)."""


SPEAKER_NOUNS = frozenset(
    "representative representatives delegation delegate delegates ambassador minister envoy government side view views"
    " position stance statement speaker diplomat permanent foreign mission president".split()
)
"""Nouns after a country's adjective that make the adjective name a speaker ("the French representative", "the
Chinese view"); any other noun makes it a topic ("the Colombian authorities", "the Syrian people")."""
NEXT_WORD = re.compile(r"\s+([a-z]+)")


def topic_mention(text: str, start: int, end: int) -> bool:
    """The mention ``text[start:end]`` (of a normalised question) is what is talked about, not who talks: it
    follows a topic preposition, or it is a country's adjective before a noun other than a speaker noun."""
    if TOPIC_BEFORE.search(text[:start]) or ASKED_SUBJECT.search(text[:start]):
        return True
    while end < len(text) and text[end].isalpha():  # "colombia" inside "colombian": the whole word counts
        end += 1
    if text[start:end] not in adjectives():
        return False
    following = NEXT_WORD.match(text, end)
    return bool(following) and following.group(1) not in SPEAKER_NOUNS


@functools.cache
def adjectives() -> frozenset[str]:
    """The country adjectives of ``demonyms.tsv``, normalised (french, south african)."""
    return frozenset(group[0] for group in demonym_groups())


@functools.cache
def demonym_groups() -> tuple[tuple[str, ...], ...]:
    """(adjective, country, …) groups from ``demonyms.tsv``, normalised: "French" names France's delegation."""
    groups = []
    for line in data_file("demonyms.tsv").read_text(encoding="utf-8").splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        adjective, _, countries = line.partition("\t")
        groups.append(tuple(normalize(name.strip()) for name in (adjective, *countries.split("|")) if name.strip()))
    return tuple(groups)


PROPER_NAME = re.compile(r"(?<!^)(?<![.?!]\s)\b[A-Z][a-z][\w’'-]*")
"""A capitalised word inside an English question (not its first word): a place or a name, candidates for the
meeting a question means ("the West Africa meeting", "the debate on Colombia")."""
NOT_TOPIC_NAMES = frozenset("Council Security United Nations President Secretary General Mr Ms What Who".split())
"""Capitalised words every meeting's subject shares or that start a clause: they tell no meeting apart."""


def meeting_subject(meeting) -> str:
    """What a meeting is about, as an English question would name it: its title and agenda, and the roles and
    countries of those it invited (a Special Envoy for Yemen, the representative of the Syrian Arab Republic),
    which are not Council members."""
    members = {country for country, _ in meeting.members}
    invited = [
        part
        for speech in meeting.speeches
        if speech.affiliation not in members
        for part in (speech.role, speech.affiliation)
        if part
    ]
    return " ".join([meeting.title, meeting.agenda, *invited])


def meetings_named_by_subject(text: str, meetings) -> list[int]:
    """The meetings whose subject (``meeting_subject``) holds a proper name of an English question, when some
    but not all do: "When did the Colombia meeting start?" means the meeting on Colombia; a name every meeting
    (or none) holds says nothing (an empty list)."""
    names = {word for word in PROPER_NAME.findall(text) if word not in NOT_TOPIC_NAMES}
    if not names or len(meetings) < 2:
        return []
    subjects = [meeting_subject(meeting) for meeting in meetings]
    best, kept = 0, []
    for n, subject in enumerate(subjects):
        held = sum(1 for name in names if re.search(rf"\b{re.escape(name)}", subject))
        if held > best:
            best, kept = held, [n]
        elif held == best and held:
            kept.append(n)
    return kept if len(kept) < len(meetings) else []


MONTHS = "january february march april may june july august september october november december".split()
MONTH = re.compile(r"\b(" + "|".join(month.capitalize() for month in MONTHS) + r")\b")
"""A month an English question names, capitalised ("in February"; the verb "may" is lower case)."""


def other_month(question: str, said: str, meeting_date: str | None) -> bool:
    """The question names a month that neither the answering paragraph (``said``) nor the meeting's date holds:
    "who presides in February" is not answered by a January meeting's President (as ``holds_numbers`` does for
    a Chinese question's 3月)."""
    month_of_meeting = ""
    if meeting_date and meeting_date[5:7].isdigit() and 1 <= int(meeting_date[5:7]) <= 12:
        month_of_meeting = MONTHS[int(meeting_date[5:7]) - 1]
    lowered = said.lower()

    def said_in(month: str) -> bool:  # as an English or a Chinese record prints it (January, 1月)
        number = MONTHS.index(month) + 1
        return month in lowered or re.search(rf"(?<!\d){number}月", said) is not None

    return any(not said_in(m.lower()) and m.lower() != month_of_meeting for m in MONTH.findall(question))


def named_elsewhere(named: tuple[str, ...], speech, paragraph: str, names=None) -> bool:
    """The question names speakers or countries (``Question.named``) and the answering paragraph is by none of
    them and mentions none of them, by any of their names (``names``: Syria for the Syrian Arab Republic): "how
    many Colombian soldiers" is not answered by a count from Yemen."""
    if not named:
        return False
    lowered = normalize(paragraph)
    forms = {name: {normalize(name)} for name in named}
    for key, printed in (names or {}).items():
        if printed in forms and len(key) > 3:
            forms[printed].add(normalize(key))
    return not any(
        name in (speech.speaker, speech.affiliation, speech.person) or any(form in lowered for form in forms[name])
        for name in named
    )


def names_elsewhere(question: str, meeting, also: str = "") -> bool:
    """An English question names a place or party (a capitalised word) that neither the meeting's subject
    (``meeting_subject``) nor ``also`` (what was voted on, the side's members) holds: "How did China vote on the
    Yemen resolution?" is not answered by a vote of a meeting on Syria."""
    names = {word for word in PROPER_NAME.findall(question) if word not in NOT_TOPIC_NAMES}
    held = f"{meeting_subject(meeting)} {also}"
    return any(not re.search(rf"\b{re.escape(name)}", held) for name in names)


def unheld_names(question: str, names, speech, paragraph: str, meeting) -> bool:
    """An English question names a speaker or country of the corpus (``names``: the ``CorpusContext`` table,
    adjectives included) that the answering paragraph, its speaker and its meeting's subject all leave out:
    "What did Estonia say about Yemen?" is not answered by Estonia on West Africa."""
    text = normalize(question).replace("’", "'")
    said = normalize(
        " ".join(part or "" for part in (paragraph, speech.speaker, speech.person, speech.affiliation, speech.role))
        + " "
        + meeting_subject(meeting)
    ).replace("’", "'")
    for start, end, key in names.finder.matcher.occurrences(text):
        if (start and text[start - 1].isalnum()) or (end < len(text) and text[end].isalnum()):
            continue
        printed = normalize(names.finder.folded[key])
        if key not in said and printed not in said:
            return True
    return False


US = re.compile(r"\bU\.S\.(?!\w)|\bUS\b")
""""US" or "U.S." for the United States, as printed in capitals: a case-folded "us" is the pronoun."""


def spelled_out(question: str) -> str:
    """The question with "US" and "U.S." written as "United States" (what the glossary knows)."""
    return US.sub("United States", question)


REPRESENTS = re.compile(
    r"(?i)\bwho\b.*\b(?:spoke|speaks|speaking|talked) (?:for|on behalf of)\b|\bwho\b.*\brepresent(?:ed|s|ing)?\b"
)
"""A who-question asking who spoke for a country or body ("Who spoke for Yemen?", "Who represented Colombia?")."""


def represented(question: str, names) -> tuple[str, ...]:
    """For "Who spoke for Yemen?", the countries or bodies (as printed) it names: the answer is their speaker,
    though the name follows "for" as a topic would."""
    if not REPRESENTS.search(question):
        return ()
    text = normalize(question)
    found = []
    for start, end, key in names.finder.matcher.occurrences(text):
        if (start and text[start - 1].isalnum()) or (end < len(text) and text[end].isalnum()):
            continue
        printed = names.finder.folded[key]
        if printed not in found:
            found.append(printed)
    return tuple(found)


BRIEFED = re.compile(
    r"(?i)\bwho (?:has |had )?(?:briefed|briefs|gave (?:a |the )?briefing)\b|\bwhich (?:briefer|official)s?\b"
)
"""A question asking who briefed the Council: a briefer answers, not the President who invited them."""


def asks_briefer(question: str) -> bool:
    return bool(BRIEFED.search(question))


def is_briefer(speech) -> bool:
    """A speaker the record prints with an office and no country (a Special Envoy, an OCHA Director)."""
    return bool(speech.role) and not speech.affiliation and not speech.procedural
