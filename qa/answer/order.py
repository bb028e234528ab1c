"""Questions about the order of a meeting: who spoke after X, what the President announced once X had
spoken, who spoke first or last.

Their answer is not in any paragraph's words but in the record's sequence: the words of the question find
an anchor (the speech it names, by retrieval), and the answer is the speech next to it. A record prints the
presiding officer as 主席 and has them call each speaker (我现在请…发言), so "after the President called X"
means after X's speech, and "whom did the President call next" is the President's next call.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

SPOKEN = r"(?:发言|讲话|讲完话?|发完言|说完话?|致辞|通报|发言结束)"
AFTER = re.compile(rf"^(?P<anchor>.+?{SPOKEN})(?:完毕)?(?:之后|以后|后)[，,]?(?P<tail>.+)$")
BEFORE = re.compile(rf"^(?P<anchor>.+?{SPOKEN})(?:之前|以前|前)[，,]?(?P<tail>.+)$")
EN_AFTER = re.compile(
    r"(?i)^(?P<tail>.*?)\b(?:after|following)\s+(?P<anchor>.+?)"
    r"(?:'s (?:statement|speech|briefing)"
    r"| (?:had )?(?:spoke|spoken|finished(?: speaking)?|made (?:a|his|her) statement))?[?？]*$"
)
EN_BEFORE = re.compile(
    r"(?i)^(?P<tail>.*?)\bbefore\s+(?P<anchor>.+?)"
    r"(?:'s (?:statement|speech|briefing)| (?:spoke|took the floor|made (?:a|his|her) statement))?[?？]*$"
)
CALLED = r"(?:被?请.{0,4}|上台|登台)?"
"""Between "first" and "spoke": 首先请谁发言, 第一个被请上来发言."""
FIRST = re.compile(
    rf"(?:第一个|第一位|首先|最先|首位|头一个){CALLED}(?:发言|讲话|致辞)"
    r"|(?i:spoke first|first speaker|first to speak|called first)"
)
LAST = re.compile(rf"(?:最后一个|最后一位|最后){CALLED}(?:发言|讲话|致辞)|(?i:spoke last|last speaker|last to speak)")
ASKS_NEIGHBOUR = re.compile(
    r"谁|哪国|哪个国家|哪位|哪一位|哪个代表|接着|随后|然后|下一|紧接|主席|宣布"
    r"|(?i:\bwho\b|which (?:country|delegation|speaker|representative)|\bnext\b|president|chair)"
)
"""The part after "after X spoke" asks about the neighbour (who spoke, whom the President called, what they
announced), not about what X said ("秘书长在通报后提到了哪些数字" is not an order question)."""
CLAIM = re.compile(r"(?i)\b(?:said|says|say|stated|told|noted|argued|claimed|warned|described)\b")
"""An English tail that reports a claim ("Who said Colombia could stand proud three years after the peace
agreement?"): its "after" belongs to what was said, not to the order of speakers."""
PRESIDENT = "主席"
CHAIRS = frozenset({PRESIDENT, "代理主席", "The President", "The Acting President"})
"""How the records name the presiding officer (Chinese and English records)."""
"""How Chinese records print the presiding officer's speeches."""
ASKS_PRESIDENT = re.compile(r"主席|宣布|(?i:president|chair|announce)")
ASKS_CALL = re.compile(r"请的|请了|请谁|请哪|邀请|接着请|(?i:invit|call(?:ed)? on|gave the floor)")
CALL = re.compile(r"请.{1,30}发言|(?i:invite)")
ANCHOR_FRAME = re.compile(SPOKEN + r"|代表|先生|女士|阁下|(?i:\b(?:representative|statement|speech|briefing|spoke)\b)")
"""Words of an anchor that say it is a speech rather than which one: the anchor paragraph need not hold them."""
ANCHOR_CANDIDATES = 10
"""Hits searched for a speech by the speaker the anchor names."""
MIN_ANCHOR_COVERAGE = 0.4
"""The anchor paragraph (with its speaker) must hold this share of the anchor's focus, else the question is
answered the ordinary way: a vaguely matched anchor would make the neighbour a confident wrong answer."""


@dataclass(frozen=True)
class OrderQuestion:
    """What an order question asks."""

    direction: str
    """after, before, first or last."""
    anchor: str
    """The words naming the speech the answer is next to (empty for first and last)."""
    tail: str
    """What it asks about the neighbour (whom the President called, what was announced)."""


def order_question(text: str) -> OrderQuestion | None:
    """The order question ``text`` asks, or None when it asks about what was said."""
    for direction, pattern in (("first", FIRST), ("last", LAST)):
        if pattern.search(text):
            return OrderQuestion(direction, "", text)
    for direction, pattern in (("after", AFTER), ("before", BEFORE), ("after", EN_AFTER), ("before", EN_BEFORE)):
        match = pattern.match(text)
        tail = match.group("tail") if match else ""
        if match and match.group("anchor").strip() and ASKS_NEIGHBOUR.search(tail) and not CLAIM.search(tail):
            return OrderQuestion(direction, match.group("anchor").strip(), match.group("tail").strip())
    return None


def neighbour_hit(order: OrderQuestion, engine, focus_of, named=()) -> tuple[object, object] | None:
    """(the answering hit, the anchor hit) in the record's order, or None when no anchor is found well enough.

    ``focus_of(text)`` gives the ``Focus`` of a text (the composer's weights), used to check the anchor;
    ``named``: the speakers or affiliations the anchor names, whose own speech is preferred as the anchor
    (after "the Secretary-General's briefing" means after the briefing, not after a speech thanking for it)."""
    if order.direction in ("first", "last"):
        hits = engine.search(order.tail, k=1)
        if not hits:
            return None
        target = edge_hit(hits[0], order.direction, order.tail)
        return (call_of(target) if ASKS_CALL.search(order.tail) else target), hits[0]
    hits = engine.search(order.anchor, k=ANCHOR_CANDIDATES)
    if not hits:
        return None
    own = [hit for hit in hits if {hit.speech.speaker, hit.speech.person, hit.speech.affiliation} & set(named)]
    anchor = own[0] if own else hits[0]
    speech = anchor.speech
    said = f"{anchor.paragraph.text} {speech.label} {speech.person or ''} {speech.role or ''}"
    if focus_of(ANCHOR_FRAME.sub(" ", order.anchor)).coverage(said) < MIN_ANCHOR_COVERAGE:
        return None
    speeches = list(anchor.meeting.speeches)
    position = next(i for i, other in enumerate(speeches) if other is speech)
    if order.direction == "after" and is_call(speech, anchor.paragraph):
        position += 1  # after the President called X means after X's speech
    step = 1 if order.direction == "after" else -1
    target = next_speech(speeches, position, step, order.tail)
    return (answering_paragraph(anchor, target, order.tail), anchor) if target is not None else None


def is_call(speech, paragraph) -> bool:
    """The President calling the next speaker (我现在请哈萨克斯坦代表发言)."""
    return speech.speaker in CHAIRS and bool(CALL.search(paragraph.text))


def next_speech(speeches, position: int, step: int, tail: str):
    """The nearest speech from ``position`` in direction ``step`` that the tail asks about: the President's
    when it asks what the President said or whom they called, another speaker's when it asks who spoke."""
    wants_president = bool(ASKS_PRESIDENT.search(tail) or ASKS_CALL.search(tail))
    index = position + step
    while 0 <= index < len(speeches):
        speech = speeches[index]
        if not speech.procedural and (speech.speaker in CHAIRS) == wants_president:
            return speech
        index += step
    return None


def answering_paragraph(hit, speech, tail: str):
    """A hit on the speech's paragraph that answers: the President's call when the tail asks whom they
    called, else the speech's first paragraph."""
    paragraphs = list(speech.paragraphs)
    chosen = paragraphs[0]
    if ASKS_CALL.search(tail):
        chosen = next((p for p in paragraphs if CALL.search(p.text)), chosen)
    return hit.moved_to(speech, chosen)


ADOPTED = re.compile(r"^议程通过。?$|(?i:^the agenda was adopted)")
CLOCK = re.compile(r"\d+时|(?i:\d+(?:\.\d+)? ?[ap]\.m\.)")
"""A note giving a time (下午1时15分散会。): no agenda item."""


def agenda_hits(hit) -> list:
    """Hits on the agenda items of the hit's meeting: the procedural notes after "议程通过。"."""
    notes = [(speech, p) for speech in hit.meeting.speeches if speech.procedural for p in speech.paragraphs]
    start = next((i + 1 for i, (_, p) in enumerate(notes) if ADOPTED.search(p.text.strip())), None)
    if start is None:
        return []
    items = [(speech, p) for speech, p in notes[start:] if not CLOCK.search(p.text)]
    return [hit.moved_to(speech, p) for speech, p in items]


def opening_hit(hit):
    """A hit on the note that opens the hit's meeting (上午11时05分开会。), else on its first paragraph."""
    paragraphs = list(hit.meeting.paragraphs())
    notes = [(speech, p) for speech, p in paragraphs if speech.procedural and CLOCK.search(p.text)]
    speech, paragraph = (notes or paragraphs)[0]
    return hit.moved_to(speech, paragraph)


def call_of(hit):
    """The President's call of the hit's speaker (我现在请他发言), for "whom did the President call first": it
    names the speaker in full (欢迎秘书长安东尼奥·古特雷斯先生阁下). The hit itself when there is no call."""
    speeches = list(hit.meeting.speeches)
    position = next((i for i, speech in enumerate(speeches) if speech is hit.speech), 0)
    for speech in reversed(speeches[:position]):
        if speech.procedural:
            continue
        calls = [p for p in speech.paragraphs if speech.speaker in CHAIRS and CALL.search(p.text)]
        return hit.moved_to(speech, calls[-1]) if calls else hit
    return hit


NON_MEMBER = re.compile(
    r"非安理会成员|非成员|不是安理会成员|(?i:non-?members?|not (?:a )?members? of the (?:security )?council)"
)
RULE_37 = re.compile(r"第37条|(?i:rule 37)")
"""States that are not members of the Council speak when invited under rule 37 of the provisional rules of
procedure; the President names them all in the invitation."""


def edge_hit(hit, direction: str, tail: str = ""):
    """The first (or last) speaker's opening paragraph: the President and procedural notes do not count; when
    the tail asks for a state that is no member of the Council, only the states invited under rule 37 do."""
    speeches = [s for s in hit.meeting.speeches if not s.procedural and s.speaker not in CHAIRS and s.paragraphs]
    if NON_MEMBER.search(tail):
        calls = [p for s, p in hit.meeting.paragraphs() if s.speaker in CHAIRS and RULE_37.search(p.text)]
        invited = " ".join(p.text for p in calls)
        speeches = [s for s in speeches if s.affiliation and s.affiliation in invited]
    if not speeches:
        return hit
    speech = speeches[0] if direction == "first" else speeches[-1]
    return hit.moved_to(speech, speech.paragraphs[0])
