"""The fitted sentence scorer (qa.answer.scorer) on the bundled record, and its fitting script (qa.answer.fit)."""

import json

import numpy as np
import pytest

from qa.answer.compose import rank_evidence
from qa.answer.focus import build_focus, question_concepts
from qa.answer.knowledge import corpus_context
from qa.answer.questions import analyse
from qa.answer.scorer import FEATURES, confidence, load_weights, longest_run, nearness, pair_share, question_pairs
from qa.paths import data_file


def ranked(engine, question):
    context = corpus_context(engine)
    analysed = analyse(question, context.names)
    focus = build_focus(question_concepts(engine, analysed.text), context.idf)
    return rank_evidence(analysed, focus, engine.search(analysed.text, k=10))


def test_the_weights_file_names_the_features_the_code_computes():
    data = json.loads(data_file("sentence_scorer.json").read_text(encoding="utf-8"))
    assert tuple(data["features"]) == FEATURES
    assert len(data["coefficients"]) == len(FEATURES)
    assert set(data["confidence"]) == {"score", "known", "covered", "missing", "lacking", "intercept"}
    coefficients = dict(zip(FEATURES, load_weights()["coefficients"], strict=True))
    assert coefficients["spoken"] > 0 and coefficients["run"] > 0 and coefficients["named"] > 0


def test_the_sentence_holding_the_count_next_to_the_question_words_ranks_first(engine):
    best = ranked(engine, "集安组织维和部队有多少人？")[0]
    assert "3800人" in best.sentence.text
    assert best.features[FEATURES.index("has_value")] == 1.0
    assert confidence(best.features, 1.0, 0) > 0.5


def test_words_the_record_never_holds_lower_the_confidence(engine):
    best = ranked(engine, "集安组织维和部队有多少人？")[0]
    assert confidence(best.features, 0.4, 3) < confidence(best.features, 1.0, 0)


def test_the_named_speaker_s_sentence_ranks_first(engine):
    best = ranked(engine, "中国对哈萨克斯坦局势持什么立场？")[0]
    assert best.hit.speech.affiliation == "中国"
    assert best.features[FEATURES.index("named")] == 1.0


def test_the_text_features():
    pairs = question_pairs("集安组织有多少维和人员？")
    assert "维和" in pairs and "多少" not in pairs
    assert pair_share(pairs, "集安组织维和人员") == pytest.approx(6 / 7)  # all but 织有
    assert longest_run("集安组织有多少维和人员？", "集安组织维和人员约3800人") == pytest.approx(
        4 / 11
    )  # 集安组织 of 集安组织有 维和人员？
    text = "集安组织维和部队的兵力约为3800人。"
    assert nearness(text, ["兵力"], [(13, 18, "3800人")]) > nearness(text, ["集安组织"], [(13, 18, "3800人")]) > 0
    assert nearness(text, ["兵力"], []) == 0.0


def test_the_fit_ranks_by_the_feature_that_decides():
    pytest.importorskip("sklearn")
    pytest.importorskip("scipy")
    from qa.answer.fit import fit, top_right

    rng = np.random.default_rng(1)
    rows = []
    for q in range(30):
        right = rng.integers(5)
        for i in range(5):
            features = list(rng.random(len(FEATURES)) * 0.2)
            features[FEATURES.index("run")] += (0.8 if q % 3 else -0.5) if i == right else 0.0
            rows.append(("cmrc0" if q % 2 else "A", f"q{q}", features, bool(i == right), 0.0, q < 25, (1.0, 0)))
    weights = fit(rows)
    scores = np.array([r[2] for r in rows]) @ np.array(weights["coefficients"])
    right, answerable = top_right(rows, scores)
    assert answerable == 30 and right >= 20
    assert weights["coefficients"][FEATURES.index("run")] > 0
