"""Measure answers on a question set: recall@k, MRR, speaker, answer hit, declines (--json for machines)."""

from __future__ import annotations

import argparse
from pathlib import Path

from qa.answer.pipeline import answer
from qa.answer.templates import load_templates
from qa.commands.common import add_meeting_options, add_top_k, check_meetings, displayable, json_text, open_search
from qa.commands.metrics import load_questions, metrics, misses, per_kind
from qa.paths import default_eval_file

METRIC_DEPTH = 10
"""Paragraphs the metrics look at (MRR@10, "not in top 10"): retrieval goes at least this deep."""
EXAMPLES = """file format (JSON Lines, one question per line; id, question and kind are required):
  {"id": "d001", "question": "这场公开辩论一直开到几点才结束？", "kind": "procedural",
   "speakers": ["主席"], "affiliations": ["俄罗斯联邦"],
   "evidence": ["下午1时15分散会。"], "answer": "下午1时15分"}
  speakers / affiliations: who should be cited first (speaker@1); evidence: passages quoted from the record that
  answer it (recall, MRR, evidence cited; none: the question is unanswerable and should be declined);
  answer: the key phrase the answer must hold (answer hit).

examples:
  qa eval                                   the development set, tests/data/dev.jsonl
  qa eval tests/data/checks/check-c.jsonl --show-misses
  qa eval my-questions.jsonl --json > report.json
"""

SUMMARY = [
    ("recall@1", "recall@1"),
    ("recall@3", "recall@3"),
    ("recall@5", "recall@5"),
    ("mrr@10", "MRR@10"),
    ("speaker@1", "speaker@1"),
    ("answer_hit", "answer hit"),
    ("evidence_cited", "evidence cited"),
    ("declined_unanswerable", "declined unanswerable"),
    ("false_declines", "false declines"),
    ("short_answer_length", "short answer length (median chars)"),
]
KIND_COLUMNS = ["recall@1", "recall@3", "mrr@10", "speaker@1", "answer_hit", "evidence_cited", "false_declines"]


def configure(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("file", nargs="?", type=Path, metavar="FILE", help="questions (default: the development set)")
    parser.add_argument("--json", action="store_true", help="print metrics, per-kind metrics and misses as JSON")
    parser.add_argument("--show-misses", action="store_true", help="list questions whose evidence is not in the top 3")
    add_top_k(parser, f"paragraphs each answer retrieves; the metrics always look {METRIC_DEPTH} deep")
    add_meeting_options(parser)


def run(args: argparse.Namespace) -> int:

    questions = load_questions(args.file or default_eval_file())
    ask = answerer(args)
    pairs = [(question, ask(question.question, question.id)) for question in questions]
    report = {"metrics": metrics(pairs), "per_kind": per_kind(pairs), "misses": misses(pairs)}
    if args.json:
        print(json_text(report, indent=2))
    else:
        print(displayable(format_report(report, show_misses=args.show_misses)))  # questions, record text: data
    return 0


def answerer(args: argparse.Namespace):
    """question, id → answer object: ``qa.answer.pipeline.answer`` (the same call ``qa ask`` and the chat make)."""

    templates = load_templates(args.prompts)
    engine = open_search(args)
    meetings = check_meetings(engine, args)

    def ask(question: str, qid: str) -> dict:
        depth = max(args.top_k, METRIC_DEPTH)
        return answer(question, engine, top_k=depth, meetings=meetings, templates=templates, qid=qid).to_json()

    return ask


def figure(value, decimals: int = 3) -> str:
    """A metric as printed: shares with three decimals, counts and lengths as they are, "—" when none."""
    if value is None:
        return "—"
    return f"{value:.{decimals}f}" if decimals else f"{value:g}"


def format_report(report: dict, show_misses: bool = False) -> str:
    summary = report["metrics"]
    lines = [f"{summary['questions']} questions, {summary['answerable']} answerable", ""]
    lines += [
        f"  {label:<36} {figure(summary[key], 0 if key == 'short_answer_length' else 3)}" for key, label in SUMMARY
    ]
    lines += ["", "  " + f"{'kind':<13}{'n':>4}" + "".join(f"{column:>16}" for column in KIND_COLUMNS)]
    for kind, values in report["per_kind"].items():
        cells = "".join(f"{figure(values[column]):>16}" for column in KIND_COLUMNS)
        lines.append(f"  {kind:<13}{values['questions']:>4}{cells}")
    if show_misses:
        lines += ["", f"Evidence not in the first 3 paragraphs ({len(report['misses'])}):"]
        for miss in report["misses"]:
            first = miss["first"]
            rank = f"rank {miss['rank']}" if miss["rank"] else "not in top 10"
            lines.append(f"  {miss['id']}  {miss['question']}  [{rank}]")
            if first:
                label = first.get("speaker") or first.get("label") or "会议记录"  # "The record" for an English note
                lines.append(f"      first: {first.get('paragraph_id')} {label}: {first.get('text', '')[:70]}")
    return "\n".join(lines)
