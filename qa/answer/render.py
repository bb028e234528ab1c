"""An answer as the front ends receive it (``Answer``, ``Citation``) and its text rendered from the chosen
lines with the templates (``qa.answer.templates``), one citation per cited paragraph."""

from __future__ import annotations

from dataclasses import dataclass

from qa.answer.compose import AnswerLine
from qa.answer.questions import MAX_QUESTION_CHARS, Question
from qa.records.citation import citation_fields, citation_text


@dataclass(frozen=True)
class Citation:
    """A numbered source of an answer."""

    n: int
    """The number the answer's [n] markers use."""
    hit: object
    """The retrieval ``Hit``: speaker, meeting, page, source line, the whole paragraph."""
    quote: str
    """The sentence (or the clauses of it) the answer quotes, verbatim from the paragraph."""

    @property
    def fields(self) -> dict:
        """The citation's parts (``qa.records.citation``): ``line`` is the quoted sentence's."""
        hit = self.hit
        return citation_fields(hit.meeting, hit.speech, hit.paragraph, self.quote)

    @property
    def text(self) -> str:
        """The one citation string every front end shows (``qa.records.citation.citation_text``)."""
        return citation_text(self.fields)

    def to_json(self) -> dict:
        """The hit's object, its ``line`` that of the quoted sentence (``paragraph_line``: where the paragraph
        starts), with the ``citation`` string as every front end shows it."""
        fields = self.fields
        extra = {"paragraph_line": self.hit.paragraph.line, "citation": citation_text(fields), "quote": self.quote}
        return {"n": self.n, **self.hit.to_json(), **fields, **extra}


@dataclass(frozen=True)
class Answer:
    """A composed answer with its sources; ``to_json`` is the answer object of ``qa ask --json`` and batches."""

    id: str | None
    question: str
    kind: str
    """The question's kind as analysed (who, when, how_many, list, why, stance, yes_no, procedural, what)."""
    language: str
    """zh or en: the language of the answer's own words."""
    text: str
    """Plain text, every sentence ending with its [n] marker."""
    abstained: bool
    """True when the record does not hold an answer (or the question was blank)."""
    error: str | None = None
    """Why the question could not be answered at all (set by the batch runner for a failing question)."""
    citations: tuple[Citation, ...] = ()
    retrieved: tuple = ()
    """The top-k hits in rank order."""
    key_values: tuple[str, ...] = ()
    """Values (dates, numbers, names) quoted verbatim in the answer, to emphasise."""
    related: tuple = ()
    """Nearest passages when the answer is declined."""
    notice: str | None = None
    """A remark about the question itself (cut to the length limit)."""
    more: tuple[Citation, ...] = ()
    """The rest of a complete list whose text shows only its first items (``qa.answer.who.SHOWN``): numbered
    on from ``citations``, never marked in the text."""

    def to_json(self) -> dict:
        return {
            "id": self.id,
            "question": self.question,
            "kind": self.kind,
            "language": self.language,
            "answer": self.text,
            "abstained": self.abstained,
            "error": self.error,
            "notice": self.notice,
            "key_values": list(self.key_values),
            "citations": [citation.to_json() for citation in self.citations],
            "retrieved": [hit.to_json() for hit in self.retrieved],
            "related": [hit.to_json() for hit in self.related],
            "more": [citation.to_json() for citation in self.more],
        }


def truncation_notice(question: Question, templates) -> str | None:
    if not question.truncated:
        return None
    return templates.render("decline", question.language, "truncated", limit=MAX_QUESTION_CHARS)


def render(lines: list[AnswerLine], question: Question, templates, kind=None) -> tuple[str, tuple[Citation, ...]]:
    """The answer text (one template line per answer line) and its citations, one per cited paragraph,
    quoting every sentence the answer takes from it (joined by " … "). ``kind``: the template file, when the
    lines are not of the question's kind (a fact about the meeting answers "哪些国家最后发言" in one line)."""
    kind = kind or template_kind(question)
    numbers: dict[str, int] = {}
    hits: dict[str, object] = {}
    quotes: dict[str, list[str]] = {}
    rendered = []
    for line in lines:
        paragraph_id = line.evidence.hit.paragraph.id
        numbers.setdefault(paragraph_id, len(numbers) + 1)
        hits.setdefault(paragraph_id, line.evidence.hit)
        sentences = quotes.setdefault(paragraph_id, [])
        if line.evidence.sentence.text not in sentences:
            sentences.append(line.evidence.sentence.text)
        rendered.append(templates.render(kind, question.language, line.section, **line_values(line, numbers)))
    citations = tuple(Citation(n, hits[pid], " … ".join(quotes[pid])) for pid, n in numbers.items())
    return "\n".join(rendered), citations


def render_complete(lines: list[AnswerLine], question: Question, templates, topic: str, shown: int):
    """A complete list: a line counting its items, the first ``shown`` of them rendered and cited, and the
    rest as further citations (``Answer.more``) numbered on. Returns (text, citations, more)."""
    text, citations = render(lines[:shown], question, templates, kind="who")
    section = "count_first" if len(lines) > shown else "count_all"
    header = templates.render("who", question.language, section, count=len(lines), shown=shown, topic=topic)
    _, everything = render(lines, question, templates, kind="who")
    more = tuple(citation for citation in everything if citation.n > len(citations))
    return f"{header}\n{text}", citations, more


def line_values(line: AnswerLine, numbers: dict[str, int]) -> dict[str, object]:
    evidence = line.evidence
    speech, meeting, paragraph = evidence.hit.speech, evidence.hit.meeting, evidence.hit.paragraph
    return {
        "speaker": speech.label,
        "name": speech.speaker or speech.label,
        "affiliation": speech.affiliation or "",
        "quote": evidence.quote,
        "value": (", " if meeting.language == "en" else "、").join(evidence.values),  # an English record's values
        "n": numbers[paragraph.id],
        "index": line.index,
        "meeting": meeting.symbol,
        "date": meeting.date or "",
        "page": paragraph.page if paragraph.page is not None else "",
    }


def template_kind(question: Question) -> str:
    """Which template file renders the answer: who, stance and list have their own; the rest are factoids."""
    return question.kind if question.kind in {"who", "stance", "list"} else "factoid"
