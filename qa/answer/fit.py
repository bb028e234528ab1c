"""Fit the sentence scorer (``qa.answer.scorer``) on labelled questions and report cross-validated figures.

    python -m qa.answer.fit --cmrc ../shared/eval/cmrc/cmrc2018_trial.json --cmrc-seeds /tmp/cmrc/seeds \
        --en-seeds ../shared/records/en [--write]

Development only: needs scikit-learn (``pip install -e '.[fit]'``). Every candidate sentence of the retrieved
paragraphs (as ``qa.answer.pipeline`` ranks them) becomes a row of ``FEATURES``; its label is whether it holds the
question's evidence (a UN set: the sentence and an evidence passage overlap, and it holds the key answer when one
of the candidates does) or the gold answer (CMRC 2018: a sentence of the gold article holding a gold span). A
logistic regression, each question weighing the same (its positives and its negatives each summing to one), is
cross-validated with folds grouped by question set and by CMRC article; the report gives, per fold, how often
the top-scored sentence is a right one, beside the hand-set score it replaces. ``--write`` fits on everything and
writes the weights (``qa/text/data/sentence_scorer.json``) and the report (``qa/text/data/sentence_scorer.md``).
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

import numpy as np

from qa.answer.compose import rank_evidence, score_sentence
from qa.answer.decline import unmatched_share
from qa.answer.focus import LATIN_WORD, build_focus, question_concepts
from qa.answer.knowledge import corpus_context
from qa.answer.meeting import held_to
from qa.answer.pipeline import CANDIDATES, english_in_chinese, time_event_forms
from qa.answer.questions import analyse
from qa.answer.scorer import CONFIDENCE, FEATURES, WEIGHTS_FILE, absence, confidence_inputs, sigmoid
from qa.answer.who import without_frame
from qa.paths import data_file
from qa.text.normalize import compact

REPORT_FILE = "sentence_scorer.md"
FALSE_DECLINES = 0.02
"""The most answerable questions the confidence may decline, as a share of the UN sets' and of CMRC's each
(cross-validated): the threshold is the highest that keeps both within it."""
UN_SETS = (
    ("dev", "tests/data/dev.jsonl", None),
    ("A", "tests/data/checks/check-a.jsonl", None),
    ("B", "tests/data/checks/check-b.jsonl", None),
    ("D", "tests/data/checks/check-d.jsonl", None),
    ("E", "tests/data/checks/check-e.jsonl", None),
    ("F", "tests/data/checks/check-f.jsonl", None),
    ("en-dev", "tests/data/checks/en-dev.jsonl", "en"),
    ("en-dev2", "tests/data/checks/en-dev2.jsonl", "en"),
)
"""The labelled sets fitted on (name, file, seeds: None for seeds/, "en" for ``--en-seeds``)."""
CMRC_FOLDS = 5
"""CMRC articles are split into this many groups (by article order) for cross-validation."""


def ranked(question: str, engine):
    """(analysed question, focus, the candidate sentences best first) as the pipeline sees them."""
    context = corpus_context(engine)
    analysed = analyse(question)
    text, meetings = held_to(analysed.text, engine.corpus.meetings, None)
    analysed = analyse(text, context.names)
    searched = english_in_chinese(analysed.text, engine, context) if analysed.language == "en" else analysed.text
    hits = engine.search(searched, k=CANDIDATES, meetings=meetings)
    concepts = without_frame(analysed, question_concepts(engine, analysed.text))
    focus = build_focus(concepts, context.idf, time_event_forms(analysed))
    chinese = [word for word in context.unmatched(analysed.text, concepts) if not LATIN_WORD.fullmatch(word)]
    known = (unmatched_share(focus, chinese, context.idf(("",))[0]), len(chinese))
    return analysed, focus, rank_evidence(analysed, focus, hits), known


def un_label(item, evidence: tuple[str, ...]) -> bool:
    """The sentence and an evidence passage overlap (one holds the other)."""
    sentence = compact(item.sentence.text)
    return any(
        passage in sentence or (len(sentence) >= 8 and sentence in passage) for passage in map(compact, evidence)
    )


def collect_un(engine, path: Path, group: str):
    """Rows of one UN set: (group, question number, features, label, hand score) per candidate sentence."""
    rows = []
    for n, line in enumerate(path.read_text(encoding="utf-8").splitlines()):
        if not line.strip():
            continue
        labelled = json.loads(line)
        analysed, focus, items, known = ranked(labelled["question"], engine)
        labels = [un_label(item, tuple(labelled.get("evidence") or ())) for item in items]
        key = compact(labelled.get("answer") or "")
        if key and any(key in compact(item.sentence.text) for item, ok in zip(items, labels, strict=True) if ok):
            labels = [ok and key in compact(item.sentence.text) for item, ok in zip(items, labels, strict=True)]
        answerable = bool(labelled.get("evidence"))
        rows += [
            row(group, f"{group}-{n}", item, ok, analysed, focus, answerable, known)
            for item, ok in zip(items, labels, strict=True)
        ]
    return rows


def collect_cmrc(engine, trial: Path):
    """Rows of the CMRC 2018 trial questions (grouped by article); a right sentence is in the gold article and
    holds a gold answer."""
    rows = []
    articles = json.loads(trial.read_text(encoding="utf-8"))
    for number, article in enumerate(articles):
        key = compact(article["context_text"])[:40]
        group = f"cmrc{number % CMRC_FOLDS}"
        for qa in article["qas"]:
            answers = [compact(a) for a in qa["answers"] if compact(a)]
            analysed, focus, items, known = ranked(qa["query_text"], engine)
            for item in items:
                gold = compact(item.hit.paragraph.text).startswith(key)
                ok = gold and any(a in compact(item.sentence.text) for a in answers)
                rows.append(row(group, qa["query_id"], item, ok, analysed, focus, True, known))
    return rows


def row(group, qid, item, ok, analysed, focus, answerable, known):
    """(group, question id, features, label, hand-set score, the question is answerable, its known share and
    its count of words the corpus never holds)."""
    hand = score_sentence(analysed, focus, item.hit, item.sentence, item.features[FEATURES.index("prior")]).score
    return group, qid, item.features, bool(ok), hand, answerable, known, absence(focus, item.hit)


def weights_of(rows) -> np.ndarray:
    """Each question's positives sum to 1, its negatives to 1: every question counts the same."""
    counts: dict[tuple[str, bool], int] = {}
    for _, qid, _, ok, *_ in rows:
        counts[qid, ok] = counts.get((qid, ok), 0) + 1
    return np.array([1.0 / counts[qid, ok] for _, qid, _, ok, *_ in rows])


def fit(rows, l2: float = 0.0001) -> dict:
    """The weights file's content: ``coefficients`` maximising, over the answerable questions, the log of the
    share of the softmax over a question's candidates that falls on its right sentences (a listwise ranking
    model: scores compete within a question only) with an L2 penalty ``l2``, scaled with an ``intercept`` so that
    the sigmoid of a score is the chance that a question's best sentence is right; and the ``confidence`` model,
    a logistic regression on every question's best score and known share telling answerable questions from
    unanswerable ones (``confidence_model``: CMRC, the UN sets' answerable and their unanswerable questions weighing
    the same), which the composer declines by under the cross-validated ``decline_below``."""
    answerable = {qid for _, qid, _, ok, *_ in rows if ok}
    ranked_rows = [r for r in rows if r[1] in answerable]
    x, y, owner, starts = arrays(ranked_rows)
    w = rank_weights(x, y, owner, starts, l2)
    scale, intercept = best_logistic(x @ w, y, owner, starts)
    weights = {"features": list(FEATURES), "coefficients": [round(c * scale, 5) for c in w]}
    weights["intercept"] = round(intercept, 5)
    weights["confidence"] = confidence_model(rows, weights)
    return weights


def rank_weights(x, y, owner, starts, l2: float) -> np.ndarray:
    """The listwise model's coefficients: the log of each question's softmax share on its right rows, summed,
    with an L2 penalty ``l2`` per question."""
    from scipy.optimize import minimize

    def loss(w):
        s = x @ w
        top = np.maximum.reduceat(s, starts)
        e = np.exp(s - top[owner])
        every = np.add.reduceat(e, starts)
        right = np.add.reduceat(e * y, starts)
        p_all = e / every[owner]
        p_right = e * y / right[owner]
        value = -np.sum(np.log(right) - np.log(every)) + l2 * len(starts) * w @ w
        grad = x.T @ (p_all - p_right) + 2 * l2 * len(starts) * w
        return value, grad

    return minimize(loss, np.zeros(x.shape[1]), jac=True, method="L-BFGS-B").x


def arrays(rows):
    """Features, labels, each row's question number and each question's first row, rows grouped by question."""
    order = sorted(range(len(rows)), key=lambda i: rows[i][1])
    x = np.array([rows[i][2] for i in order], dtype=float)
    y = np.array([rows[i][3] for i in order], dtype=float)
    qids = [rows[i][1] for i in order]
    starts = np.array([i for i in range(len(qids)) if i == 0 or qids[i] != qids[i - 1]])
    owner = np.repeat(np.arange(len(starts)), np.diff(np.append(starts, len(qids))))
    return x, y, owner, starts


def best_rows(rows, weights) -> list:
    """Each question's best-scored row under ``weights``, with that score."""
    best: dict[str, tuple] = {}
    coefficients = np.array(weights["coefficients"])
    for r in rows:
        score = float(np.dot(r[2], coefficients)) + weights["intercept"]
        if r[1] not in best or score > best[r[1]][0]:
            best[r[1]] = (score, r)
    return list(best.values())


def best_logistic(scores, y, owner, starts) -> tuple[float, float]:
    """(scale, intercept) so that sigmoid(scale * score + intercept) is the chance the best sentence is right."""
    from sklearn.linear_model import LogisticRegression

    best = np.array([start + int(np.argmax(scores[owner == q])) for q, start in enumerate(starts)])
    model = LogisticRegression().fit(scores[best].reshape(-1, 1), y[best])
    return float(model.coef_[0][0]), float(model.intercept_[0])


def source(r) -> str:
    """Which of the three equally weighted sources a question is of: CMRC, the UN sets' answerable questions, their
    unanswerable ones."""
    return "cmrc" if r[0].startswith("cmrc") else ("answerable" if r[5] else "unanswerable")


def confidence_model(rows, weights) -> dict:
    """A logistic regression telling answerable questions from unanswerable ones by ``confidence_inputs`` of
    their best sentence; the three sources (``source``) weigh the same, so the UN sets' few unanswerable
    questions count as much as the CMRC questions, all answerable."""
    from sklearn.linear_model import LogisticRegression

    best = best_rows(rows, weights)
    x = np.array([confidence_inputs(score, r[2], *r[6], r[7]) for score, r in best])
    y = np.array([r[5] for _, r in best])
    sources = [source(r) for _, r in best]
    counts = {name: sources.count(name) for name in set(sources)}
    sample = np.array([len(best) / (len(counts) * counts[name]) for name in sources])
    model = LogisticRegression(max_iter=2000).fit(x, y, sample_weight=sample)
    model_weights = {name: round(float(c), 5) for name, c in zip(CONFIDENCE, model.coef_[0], strict=True)}
    return {**model_weights, "intercept": round(float(model.intercept_[0]), 5)}


def threshold(predictions) -> float:
    """The highest confidence threshold (in hundredths) under which at most ``FALSE_DECLINES`` of the answerable
    questions of the UN sets and of CMRC each fall; ``predictions``: (source, confidence) pairs."""
    chosen = 0.0
    for step in range(1, 100):
        limit = step / 100
        shares = [np.mean([p < limit for s, p in predictions if s == name] or [0.0]) for name in ("cmrc", "answerable")]
        if max(shares) <= FALSE_DECLINES:
            chosen = limit
    return chosen


def top_right(rows, scores) -> tuple[int, int]:
    """(questions whose best-scored sentence is right, questions with a right sentence)."""
    best: dict[str, tuple[float, bool]] = {}
    answerable = {qid for _, qid, _, ok, *_ in rows if ok}
    for (_, qid, _, ok, *_), score in zip(rows, scores, strict=True):
        if qid in answerable and (qid not in best or score > best[qid][0]):
            best[qid] = (score, ok)
    return sum(ok for _, ok in best.values()), len(answerable)


def cross_validate(rows) -> tuple[list[str], float]:
    """One line per held-out group, with the weights fitted on the other groups: how often the top sentence is
    right (and with the hand-set score), and the share of answerable and unanswerable questions the confidence
    declines (the composer's other checks aside) under a threshold chosen on the other groups' held-out
    confidences; and the threshold chosen on all held-out confidences."""
    lines = [
        "| held out | answerable with a right candidate | fitted: top sentence right | hand score |"
        " answerable declined | unanswerable declined | threshold |",
        "|---|---|---|---|---|---|---|",
    ]
    groups = sorted({r[0] for r in rows})
    ranking, held_out = {}, []
    for group in groups:
        test = [r for r in rows if r[0] == group]
        weights = fit([r for r in rows if r[0] != group])
        right, n = top_right(test, np.array([r[2] for r in test]) @ np.array(weights["coefficients"]))
        hand, _ = top_right(test, [r[4] for r in test])
        ranking[group] = (right, n, hand)
        model = weights["confidence"]
        held_out += [
            (group, source(r), sigmoid(model, confidence_inputs(score, r[2], *r[6], r[7])))
            for score, r in best_rows(test, weights)
        ]
    totals = np.zeros(7)
    for group in groups:
        limit = threshold([(s, p) for g, s, p in held_out if g != group])
        declined = [(s, p < limit) for g, s, p in held_out if g == group]
        yes = [d for s, d in declined if s != "unanswerable"]
        no = [d for s, d in declined if s == "unanswerable"]
        right, n, hand = ranking[group]
        figures = (right, n, hand, sum(yes), len(yes), sum(no), len(no))
        totals += figures
        lines.append(row_line(group, figures) + f" {limit:.2f} |")
    for name, chosen in (("UN sets", lambda g: not g.startswith("cmrc")), ("CMRC", lambda g: g.startswith("cmrc"))):
        part = np.zeros(7)
        for group in filter(chosen, groups):
            limit = threshold([(s, p) for g, s, p in held_out if g != group])
            declined = [(s, p < limit) for g, s, p in held_out if g == group]
            right, n, hand = ranking[group]
            part += (
                right,
                n,
                hand,
                sum(d for s, d in declined if s != "unanswerable"),
                sum(1 for s, _ in declined if s != "unanswerable"),
                sum(d for s, d in declined if s == "unanswerable"),
                sum(1 for s, _ in declined if s == "unanswerable"),
            )
        lines.append(row_line(name, part) + " |")
    lines.append(row_line("all", totals) + " |")
    return lines, threshold([(s, p) for _, s, p in held_out])


def row_line(group, figures) -> str:
    right, n, hand, yes, answerable, no, unanswerable = figures
    parts = (share(right, n), share(hand, n), share(yes, answerable), share(no, unanswerable))
    return f"| {group} | {int(n)} | " + " | ".join(parts) + " |"


def share(part, whole) -> str:
    return f"{part / whole:.3f}" if whole else "–"


def main(argv=None) -> int:
    from qa.index.open import open_records
    from qa.paths import default_seeds_dir

    parser = argparse.ArgumentParser(prog="python -m qa.answer.fit", description=__doc__.split("\n")[0])
    parser.add_argument("--cmrc", type=Path, help="the CMRC 2018 trial JSON")
    parser.add_argument("--cmrc-seeds", type=Path, help="its articles as records (cmrc.py build)")
    parser.add_argument("--en-seeds", type=Path, help="the English records of en-dev.jsonl")
    parser.add_argument("--cache-dir", type=Path)
    parser.add_argument("--rows", type=Path, help="save the rows here (JSON Lines) and reuse them when present")
    parser.add_argument("--write", action="store_true", help="fit on everything and write the weights and report")
    args = parser.parse_args(argv)
    rows = gathered(args, open_records, default_seeds_dir())
    report, limit = cross_validate(rows)
    print("\n".join(report))
    print(f"decline below {limit:.2f}")
    if args.write:
        weights = {**fit(rows), "decline_below": limit}
        data_file(WEIGHTS_FILE).write_text(json.dumps(weights, indent=1) + "\n", encoding="utf-8")
        heading = (
            "Cross-validated figures of the sentence scorer (`python -m qa.answer.fit`), folds by question set and by"
        )
        heading += " CMRC article group; the confidence's threshold for each held-out group is chosen on the other"
        heading += f" groups' held-out confidences (at most {FALSE_DECLINES} of the UN sets' and of CMRC's answerable"
        heading += f" questions declined), {limit:.2f} on all of them (shipped):\n\n"
        data_file(REPORT_FILE).write_text(heading + "\n".join(report) + "\n", encoding="utf-8")
        print(json.dumps(weights))
    return 0


def gathered(args, open_records, default_seeds):
    if args.rows and args.rows.exists():
        return [tuple(json.loads(line)) for line in args.rows.read_text(encoding="utf-8").splitlines()]
    rows = []
    for name, path, seeds in UN_SETS:
        if seeds == "en" and args.en_seeds is None:
            continue
        engine = open_records(args.en_seeds if seeds == "en" else default_seeds, cache_dir=args.cache_dir)
        rows += collect_un(engine, Path(path), name)
        print(f"{name}: {len(rows)} rows", file=sys.stderr)
    if args.cmrc and args.cmrc_seeds:
        rows += collect_cmrc(open_records(args.cmrc_seeds, cache_dir=args.cache_dir), args.cmrc)
        print(f"cmrc: {len(rows)} rows", file=sys.stderr)
    if args.rows:
        args.rows.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows), encoding="utf-8")
    return rows


if __name__ == "__main__":
    sys.exit(main())
