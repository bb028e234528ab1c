"""Evaluation metrics over answer objects, exactly as /work/shared/eval/README.md defines them.

Pure functions of (question, answer object) pairs: the answer object is the dict ``Answer.to_json()``
returns (or what ``qa batch --format jsonl`` writes), so the figures never depend on how it was produced.
Texts are compared after NFKC normalisation with all white space removed.
"""

from __future__ import annotations

import json
import re
import statistics
from dataclasses import dataclass
from pathlib import Path

from qa.commands.batchfiles import is_settings
from qa.errors import UserError
from qa.text.normalize import compact

SHORT_KINDS = ("factoid", "who", "procedural")
_CITATION_MARK = re.compile(r"\[\d+\]")


@dataclass(frozen=True)
class LabelledQuestion:
    """One line of an evaluation file."""

    id: str
    question: str
    kind: str
    """factoid, who, stance, list, procedural or unanswerable."""
    speakers: tuple[str, ...] = ()
    """Acceptable speakers of the answer, as printed without honorific."""
    affiliations: tuple[str, ...] = ()
    evidence: tuple[str, ...] = ()
    """Verbatim passages that answer it (white space removed)."""
    answer: str = ""
    """A key phrase a correct answer must contain."""

    @property
    def answerable(self) -> bool:
        return self.kind != "unanswerable"


def load_questions(path: Path) -> list[LabelledQuestion]:
    """Questions from a JSON-lines file; a bad line is one clear error naming the file and line."""
    try:
        lines = Path(path).read_text(encoding="utf-8").splitlines()
    except UnicodeDecodeError as error:
        raise UserError(f"{path}: not UTF-8 text (byte {error.start}); save the question file as UTF-8") from None
    except OSError as error:
        raise UserError(f"{path}: cannot read the question file ({error.strerror or error})") from None
    questions = []
    for number, line in enumerate(lines, start=1):
        if not line.strip():
            continue
        try:
            row = json.loads(line)
            if is_settings(row):  # the first line of a ``qa batch`` output: its settings, not a question
                continue
            questions.append(question_from_json(row))
        except KeyError as error:
            raise UserError(
                f"{path}:{number}: no {error.args[0]!r} field; each line needs id, question, kind"
            ) from None
        except (ValueError, TypeError, AttributeError) as error:
            raise UserError(f"{path}:{number}: not a question object ({error}); expected id, question, kind") from error
    if not questions:
        raise UserError(f"{path}: no questions found")
    return questions


def question_from_json(row: dict) -> LabelledQuestion:
    return LabelledQuestion(
        id=str(row["id"]),
        question=str(row["question"]),
        kind=str(row["kind"]),
        speakers=tuple(row.get("speakers") or ()),
        affiliations=tuple(row.get("affiliations") or ()),
        evidence=tuple(row.get("evidence") or ()),
        answer=str(row.get("answer") or ""),
    )


def holds_evidence(text: str | None, question: LabelledQuestion) -> bool:
    body = compact(text)
    return any(compact(passage) and compact(passage) in body for passage in question.evidence)


def evidence_rank(question: LabelledQuestion, answer: dict, limit: int = 10) -> int | None:
    """1-based rank of the first retrieved paragraph holding evidence, within ``limit``; None if none."""
    for rank, hit in enumerate((answer.get("retrieved") or [])[:limit], start=1):
        if holds_evidence(hit.get("text"), question):
            return rank
    return None


def speaker_right(question: LabelledQuestion, answer: dict) -> bool:
    """The first citation's speaker contains a gold speaker, or its affiliation equals a gold affiliation."""
    citations = answer.get("citations") or []
    if not citations:
        return False
    speaker, affiliation = compact(citations[0].get("speaker")), compact(citations[0].get("affiliation"))
    return any(compact(gold) in speaker for gold in question.speakers if gold and speaker) or (
        bool(affiliation) and affiliation in {compact(gold) for gold in question.affiliations}
    )


def answer_hit(question: LabelledQuestion, answer: dict) -> bool:
    return not answer.get("abstained") and compact(question.answer) in compact(answer.get("answer"))


def evidence_cited(question: LabelledQuestion, answer: dict) -> bool:
    return any(
        holds_evidence(c.get("text"), question) or holds_evidence(c.get("quote"), question)
        for c in answer.get("citations") or []
    )


def answer_length(answer: dict) -> int:
    """Characters of the answer with citation markers and white space removed."""
    return len(compact(_CITATION_MARK.sub("", answer.get("answer") or "")))


def share(flags: list[bool]) -> float | None:
    return sum(flags) / len(flags) if flags else None


def metrics(pairs: list[tuple[LabelledQuestion, dict]]) -> dict[str, float | int | None]:
    """Every metric of the README over (question, answer object) pairs; None where no question applies."""
    answerable = [(q, a) for q, a in pairs if q.answerable]
    ranks = [evidence_rank(q, a) for q, a in answerable]
    lengths = [answer_length(a) for q, a in pairs if q.kind in SHORT_KINDS]
    return {
        "questions": len(pairs),
        "answerable": len(answerable),
        "recall@1": share([r is not None and r <= 1 for r in ranks]),
        "recall@3": share([r is not None and r <= 3 for r in ranks]),
        "recall@5": share([r is not None and r <= 5 for r in ranks]),
        "mrr@10": sum(1 / r for r in ranks if r) / len(ranks) if ranks else None,
        "speaker@1": share([speaker_right(q, a) for q, a in answerable if q.kind != "procedural"]),
        "answer_hit": share([answer_hit(q, a) for q, a in answerable]),
        "evidence_cited": share([evidence_cited(q, a) for q, a in answerable]),
        "declined_unanswerable": share([bool(a.get("abstained")) for q, a in pairs if not q.answerable]),
        "false_declines": share([bool(a.get("abstained")) for q, a in answerable]),
        "short_answer_length": statistics.median(lengths) if lengths else None,
    }


def per_kind(pairs: list[tuple[LabelledQuestion, dict]]) -> dict[str, dict]:
    """The metrics for each kind of question separately, kinds in first-seen order."""
    kinds = list(dict.fromkeys(q.kind for q, _ in pairs))
    return {kind: metrics([(q, a) for q, a in pairs if q.kind == kind]) for kind in kinds}


def misses(pairs: list[tuple[LabelledQuestion, dict]], limit: int = 3) -> list[dict]:
    """Answerable questions whose evidence is not in the first ``limit`` paragraphs, with what came first."""
    missed = []
    for question, answer in pairs:
        rank = evidence_rank(question, answer) if question.answerable else None
        if question.answerable and (rank is None or rank > limit):
            first = (answer.get("retrieved") or [{}])[0]
            missed.append({"id": question.id, "question": question.question, "rank": rank, "first": first})
    return missed
