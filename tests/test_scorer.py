"""The fitted sentence scorer (qa.answer.scorer) on the bundled record, and its fitting script (qa.answer.fit)."""

import json

import numpy as np
import pytest

from qa.answer.compose import rank_evidence
from qa.answer.focus import build_focus, question_concepts
from qa.answer.knowledge import corpus_context
from qa.answer.questions import analyse
from qa.answer.scorer import (
    CONFIDENCE,
    FEATURES,
    absence,
    confidence,
    load_weights,
    longest_run,
    nearness,
    pair_share,
    question_pairs,
)
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
    assert set(data["confidence"]) == {*CONFIDENCE, "intercept"}
    assert 0.0 < data["decline_below"] < 1.0
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
            group = "cmrc0" if q % 2 else "A"
            rows.append((group, f"q{q}", features, bool(i == right), 0.0, q < 25, (1.0, 0), (0.0, 0.0)))
    weights = fit(rows)
    scores = np.array([r[2] for r in rows]) @ np.array(weights["coefficients"])
    right, answerable = top_right(rows, scores)
    assert answerable == 30 and right >= 20
    assert weights["coefficients"][FEATURES.index("run")] > 0


def test_a_paragraph_without_the_question_s_heaviest_word_lowers_the_confidence(engine):
    context = corpus_context(engine)
    analysed = analyse("集安组织维和部队有多少人？", context.names)
    focus = build_focus(question_concepts(engine, analysed.text), context.idf)
    best = rank_evidence(analysed, focus, engine.search(analysed.text, k=10))[0]
    lack, share = absence(focus, best.hit)
    assert lack == 0.0 and 0.0 < share <= 1.0
    assert confidence(best.features, 1.0, 0, (1.0, share)) < confidence(best.features, 1.0, 0, (lack, share))


def test_the_decline_threshold_keeps_false_declines_within_the_budget():
    from qa.answer.fit import FALSE_DECLINES, threshold

    answerable = [("cmrc", p / 100) for p in range(100)] + [("answerable", 0.5 + p / 200) for p in range(100)]
    limit = threshold([*answerable, ("unanswerable", 0.1)])
    assert limit == pytest.approx(FALSE_DECLINES)  # one CMRC question in 100 per hundredth below the limit
    assert sum(p < limit for s, p in answerable if s == "cmrc") <= FALSE_DECLINES * 100
