"""Metrics on small hand-made answer objects, then `qa eval` end to end on a question file the test writes."""

from __future__ import annotations

import json

import pytest

from qa.cli import main
from qa.commands.metrics import (
    LabelledQuestion,
    answer_length,
    evidence_rank,
    load_questions,
    metrics,
    misses,
    per_kind,
    speaker_right,
)
from qa.errors import UserError
from qa.text.normalize import compact
from tests.conftest import BUNDLED_RECORD, REPO

FACT = LabelledQuestion(
    "q1", "散会时间？", "procedural", ("主席",), ("俄罗斯联邦",), ("下午1时15分散会。",), "下午1时15分"
)
WHO = LabelledQuestion("q2", "谁呼吁归还资产？", "who", ("张军",), ("中国",), ("资产应迅速、全额归还",), "中国")
NONE = LabelledQuestion("q3", "预算多少？", "unanswerable")


def hit(text: str, speaker: str | None = "张军", affiliation: str | None = "中国") -> dict:
    return {"text": text, "speaker": speaker, "affiliation": affiliation}


def answer(retrieved, text="", abstained=False, citations=None) -> dict:
    return {"answer": text, "abstained": abstained, "retrieved": retrieved, "citations": citations or []}


def test_compact_is_nfkc_without_white_space():
    assert compact("下午 1时15分\n散会。") == "下午1时15分散会。"
    assert compact("ＣＳＴＯ　１") == "CSTO1"


def test_evidence_rank_compares_compacted_texts():
    retrieved = [hit("别的段落"), hit("属于阿富汗的海外资产应迅速、\n全额归还给阿富汗人民")]
    assert evidence_rank(WHO, answer(retrieved)) == 2
    assert evidence_rank(WHO, answer(retrieved), limit=1) is None


def test_speaker_right_by_name_or_affiliation():
    assert speaker_right(WHO, answer([], citations=[hit("x", "张军先生", None)]))
    assert speaker_right(WHO, answer([], citations=[hit("x", "某人", "中国")]))
    assert not speaker_right(WHO, answer([], citations=[hit("x", "某人", "中国香港")]))
    assert not speaker_right(WHO, answer([]))


def test_answer_length_drops_markers_and_spaces():
    assert answer_length({"answer": "会议于 下午1时15分 散会。[1] [12]"}) == 13


def test_metrics_on_hand_made_answers():
    pairs = [
        (FACT, answer([hit("x"), hit("下午1时15分散会。", None, None)], "下午1时15分散会 [1]",
                      citations=[hit("下午1时15分散会。", None, None)])),
        (WHO, answer([hit("资产应迅速、全额归还")], "未找到", abstained=True)),
        (NONE, answer([hit("x")], "记录中没有", abstained=True)),
    ]  # fmt: skip
    result = metrics(pairs)
    assert result["answerable"] == 2
    assert result["recall@1"] == 0.5 and result["recall@3"] == 1.0
    assert result["mrr@10"] == pytest.approx((1 / 2 + 1) / 2)
    assert result["speaker@1"] == 0.0  # only the who question counts, and it cited nothing
    assert result["answer_hit"] == 0.5 and result["evidence_cited"] == 0.5
    assert result["declined_unanswerable"] == 1.0 and result["false_declines"] == 0.5
    assert result["short_answer_length"] == 6  # median of 9 (procedural) and 3 (who, declined)
    assert per_kind(pairs)["who"]["false_declines"] == 1.0
    assert [miss["id"] for miss in misses(pairs, limit=1)] == ["q1"]


def test_bad_question_file_names_the_line(tmp_path):
    path = tmp_path / "q.jsonl"
    path.write_text('{"id": "a", "question": "x", "kind": "who"}\n{"id": "b"}\n', "utf-8")
    with pytest.raises(UserError, match=r"q.jsonl:2"):
        load_questions(path)


def test_qa_eval_end_to_end(tmp_path, capsys):
    path = tmp_path / "q.jsonl"
    rows = [
        {"id": "e1", "question": "会议是几点散会的？", "kind": "procedural", "speakers": ["主席"],
         "affiliations": ["俄罗斯联邦"], "evidence": ["下午1时15分散会。"], "answer": "下午1时15分"},
        {"id": "e2", "question": "哪个国家呼吁把阿富汗的海外资产归还给阿富汗人民？", "kind": "who",
         "speakers": ["张军"], "affiliations": ["中国"], "evidence": ["全额归还给阿富汗人民"], "answer": "中国"},
    ]  # fmt: skip
    path.write_text("\n".join(json.dumps(row, ensure_ascii=False) for row in rows), "utf-8")
    assert main(["eval", str(path), "--json"]) == 0
    report = json.loads(capsys.readouterr().out)
    assert report["metrics"]["questions"] == 2
    assert report["metrics"]["recall@3"] == 1.0
    assert set(report["per_kind"]) == {"procedural", "who"}
    assert main(["eval", str(path), "--show-misses"]) == 0
    out = capsys.readouterr().out
    assert "recall@3" in out and "Evidence not in the first 3 paragraphs (0)" in out


@pytest.mark.parametrize(
    "name",
    ["dev.jsonl", *(f"checks/check-{x}.jsonl" for x in "abcdefg"), "heldback/check-h.jsonl", "heldback/check-i.jsonl"],
)
def test_question_sets_quote_the_bundled_record(name):
    record = compact(BUNDLED_RECORD.read_text(encoding="utf-8"))
    questions = load_questions(REPO / "tests" / "data" / name)
    assert len(questions) >= 40
    for question in questions:
        assert all(compact(passage) in record for passage in question.evidence), question.id
        assert question.kind == "unanswerable" or any(
            compact(question.answer) in compact(passage) for passage in question.evidence
        ), question.id
