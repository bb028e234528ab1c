"""Votes as evidence: "how did X vote", "who abstained", "was it adopted" are answered by the record's own lists.

An English record prints each vote as notes ("In favour: China, Russian Federation, Viet Nam", "Against: …",
"Abstaining: …"; ``qa.records.english`` keeps them as one paragraph a side and as ``Meeting.votes``). Those notes
share few words with a question about the vote (they never repeat what was voted on), so for a question about
voting the sides of the best hit's meeting's votes join the candidates the composer reads.
"""

from __future__ import annotations

import re

from qa.answer.english import names_elsewhere

VOTING = re.compile(r"表决|投票|赞成|反对|弃权|(?i:\bvot(?:e|ed|es|ing)\b|\babstain|\bin favou?r\b|\bagainst\b)")
SIDE = re.compile(r"^(?:In favour|Against|Abstaining):")


def vote_hits(question_text: str, hits) -> list:
    """The vote sides of the best hit's meeting, for a question about voting; none for any other question."""
    if not hits or not VOTING.search(question_text) or not hits[0].meeting.votes:
        return []
    best = hits[0]
    seen = {hit.paragraph.id for hit in hits}
    return [
        best.moved_to(speech, paragraph)
        for speech, paragraph in best.meeting.paragraphs()
        if speech.procedural and SIDE.match(paragraph.text) and paragraph.id not in seen
    ]


SIDE_WORDS = (
    ("Abstaining:", re.compile(r"弃权|(?i:abstain)")),
    ("Against:", re.compile(r"反对|(?i:\bagainst\b)")),
    ("In favour:", re.compile(r"赞成|(?i:\bin favou?r\b|\bsupport|\bvot(?:e|ed|ing) for\b)")),
)
WORD = re.compile(r"[a-z]{4,}")
NUMBER = re.compile(r"\b[a-z]/\d{4}/\d+\b|\b\d{4}\b")
"""A document symbol (S/2020/24) or a resolution's number (2504) a question names."""
VOTE_WORDS = re.compile(r"^(?:vot|abstain|favou?r|against|support|oppos)")
STOP = frozenset(
    {
        "what",
        "which",
        "that",
        "this",
        "were",
        "with",
        "from",
        "have",
        "member",
        "members",
        "country",
        "countries",
        "council",
        "security",
        "meeting",
        "their",
        "they",
        "about",
        "when",
        "whom",
    }
)


def votes_first(question, ranked: list) -> list:
    """For a question about voting, the vote sides that answer it before the rest: those naming a member the
    question names (or, naming none, the side the question asks about) of a vote the question fits, the vote
    whose subject shares most words with the question first. Other questions (and "why", which the lists do
    not say) keep their order."""
    question_text = question.text
    if question.kind == "why" or not VOTING.search(question_text):
        return ranked
    sides = [item for item in ranked if answers_vote(question, item)]
    named = [item for item in sides if names_member(question_text, item.sentence.text)]
    if not named:
        wanted = [side for side, pattern in SIDE_WORDS if pattern.search(question_text)]
        named = [item for item in sides if wanted and item.sentence.text.startswith(wanted[0])]
    if not named:
        return ranked
    words = content_words(question_text)
    named.sort(key=lambda item: -len(words & content_words(item.hit.speech.role or "")))
    return named + [item for item in ranked if item not in named]


def answers_vote(question, evidence) -> bool:
    """A vote side of a vote the question fits: every number and document symbol the question names is in what
    was voted on and its outcome (its note's role), and, where the meeting held several votes, the question
    shares a word with it."""
    question_text = question.text
    if question.kind == "why":
        return False
    speech = evidence.hit.speech
    if not (VOTING.search(question_text) and speech.procedural and SIDE.match(evidence.sentence.text)):
        return False
    if question.language == "en" and names_elsewhere(
        question_text, evidence.hit.meeting, f"{speech.role} {evidence.sentence.text}"
    ):
        return False
    about = (speech.role or "").lower()
    if any(number not in about for number in NUMBER.findall(question_text.lower())):
        return False
    several = len(evidence.hit.meeting.votes) > 1
    return not several or bool(content_words(question_text) & content_words(about))


def content_words(text: str) -> set[str]:
    """Words of four letters or more that say what a vote was about, not that it was one."""
    return {word for word in WORD.findall(text.lower()) if not VOTE_WORDS.match(word)} - STOP


def names_member(question_text: str, side: str) -> bool:
    """The question names one of the side's members: in full, or by its first two words ("United Kingdom")."""
    members = [member.strip() for member in side.split(":", 1)[-1].split(",") if member.strip()]
    lowered = question_text.lower()
    for member in members:
        words = member.split()
        if member.lower() in lowered or (len(words) > 2 and " ".join(words[:2]).lower() in lowered):
            return True
    return False
