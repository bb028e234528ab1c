"""Golden answers: every question of the development set and of the check sets, answered over the bundled
record, as one readable file per set (tests/data/golden/). A change of any answer, citation or retrieved
paragraph shows as a diff to review; after a deliberate change, rewrite them with
``QA_UPDATE_GOLDEN=1 python -m pytest tests/test_golden.py`` and read the diff before committing."""

from __future__ import annotations

import difflib
import json
import os
from pathlib import Path

import pytest

from qa.answer.pipeline import answer
from tests.conftest import REPO

GOLDEN = REPO / "tests" / "data" / "golden"
SETS = [REPO / "tests" / "data" / "dev.jsonl", *sorted((REPO / "tests" / "data" / "checks").glob("check-*.jsonl"))]


def golden_text(question_file: Path, engine, templates) -> str:
    """Each question, its answer as ``qa ask`` prints it, its citations and the paragraphs retrieved."""
    blocks = []
    for line in question_file.read_text(encoding="utf-8").splitlines():
        if not line.strip():
            continue
        row = json.loads(line)
        result = answer(row["question"], engine, templates=templates)
        block = [f"## {row['id']} · {row['question']}", f"kind {result.kind} · declined {result.abstained}", ""]
        block += [result.text, ""]
        for citation in result.citations:
            hit = citation.hit
            block.append(
                f"[{citation.n}] {hit.speech.label}, {hit.meeting.symbol}, p. {hit.paragraph.page}, "
                f"line {hit.paragraph.line}: “{citation.quote}”"
            )
        block.append("retrieved: " + ", ".join(hit.paragraph.id for hit in result.retrieved))
        blocks.append("\n".join(block))
    return "\n\n".join(blocks) + "\n"


@pytest.mark.parametrize("question_file", SETS, ids=[path.stem for path in SETS])
def test_answers_match_the_golden_file(question_file, engine, templates):
    golden = GOLDEN / f"{question_file.stem}.md"
    produced = golden_text(question_file, engine, templates)
    if os.environ.get("QA_UPDATE_GOLDEN") == "1":
        golden.write_text(produced, encoding="utf-8")
    expected = golden.read_text(encoding="utf-8") if golden.is_file() else ""
    diff = "".join(
        difflib.unified_diff(expected.splitlines(True), produced.splitlines(True), str(golden), "produced", n=1)
    )
    assert not diff, f"answers changed (QA_UPDATE_GOLDEN=1 rewrites {golden.name}):\n{diff[:4000]}"
