"""The fitted sentence scorer: how likely a candidate sentence is to hold the answer, from general features.

Every sentence of the retrieved paragraphs is described by the same few numbers (``FEATURES``): the share of the
question's focus weight it holds (IDF-weighted concepts, ``qa.answer.focus``) alone, with its speaker's names, with
its paragraph and with its neighbours; whether it holds the rarest concept; the share of the question's character
pairs it holds; whether it holds a value of the kind the question expects and how close that value stands to the
matched words; whether its speaker is the one the question names; its place in the paragraph; the paragraph's
retrieval rank and score; its length. A logistic regression fitted on labelled questions (``qa.answer.fit``, run
with ``python -m qa.answer.fit``) weighs them; the weights ship as ``qa/text/data/sentence_scorer.json`` with the
features' names, and are applied here with NumPy. The fitting script writes its cross-validated report beside them.
"""

from __future__ import annotations

import functools
import json
import math
import re

import numpy as np

from qa.paths import data_file

WEIGHTS_FILE = "sentence_scorer.json"
FEATURES = (
    "own",
    "spoken",
    "context",
    "neighbour",
    "rarest",
    "pairs",
    "run",
    "has_value",
    "lacks_value",
    "value_near",
    "named",
    "named_other",
    "first",
    "position",
    "rank",
    "prior",
    "length",
    "short",
    "position_cue",
    "enumeration",
    "procedural",
    "refers_back",
)
"""The features' names, in the order of the weights file (which must list the same)."""

CJK_PAIR = re.compile(r"(?=([\u3400-\u9fff]{2}))")
ASKING = re.compile(r"什么|哪些|哪个|哪位|哪一|哪几|哪里|哪儿|哪|谁|多少|几|如何|怎么|怎样|为什么|为何|是否|吗|呢|请问")
"""Words that ask: their character pairs are no part of what an answer must say."""


@functools.lru_cache(maxsize=4)
def load_weights(name: str = WEIGHTS_FILE) -> dict:
    """The shipped JSON: ``coefficients`` in ``FEATURES`` order and ``intercept`` of the sentence score, and the
    ``confidence`` model; refuses a file whose feature names differ (weights fitted for other features would
    score nonsense)."""
    data = json.loads(data_file(name).read_text(encoding="utf-8"))
    if tuple(data["features"]) != FEATURES:
        raise ValueError(f"{name}: fitted for features {data['features']}, the code computes {list(FEATURES)}")
    return {**data, "coefficients": np.asarray(data["coefficients"], dtype=float)}


def logits(rows: np.ndarray) -> np.ndarray:
    """The fitted score of each row (log-odds that its sentence holds the answer)."""
    weights = load_weights()
    return rows @ weights["coefficients"] + weights["intercept"]


def probability(rows: np.ndarray) -> np.ndarray:
    """The fitted probability that each row's sentence holds the answer."""
    return 1.0 / (1.0 + np.exp(-logits(rows)))


def confidence(row, known: float, missing: int, absent: tuple[float, float] = (0.0, 0.0)) -> float:
    """The calibrated chance that the question is answered by the sentence of ``row`` (its best sentence), from
    ``confidence_inputs``."""
    if not len(row):
        return 1.0
    score = float(logits(np.asarray([row], dtype=float))[0])
    return sigmoid(load_weights()["confidence"], confidence_inputs(score, row, known, missing, absent))


def decline_below() -> float:
    """The confidence under which the composer declines: chosen by cross-validation (``qa.answer.fit``) as the
    highest that keeps the share of answerable questions declined within ``qa.answer.fit.FALSE_DECLINES`` on the
    UN sets and on CMRC alike."""
    return float(load_weights()["decline_below"])


def confidence_inputs(score: float, row, known: float, missing: int, absent=(0.0, 0.0)) -> tuple[float, ...]:
    """What the confidence weighs: the sentence's score; ``known``, the share of the question's focus weight in
    words the corpus holds at all; the share of the focus its sentence, paragraph and speaker hold, times
    ``known``; ``missing``, how many of the question's words the corpus never holds; whether the question
    expects a value the sentence does not hold; and ``absent`` (``absence``): whether the paragraph lacks the
    question's heaviest concept, and that lack times the concept's share of the weight."""
    context, lacking = row[FEATURES.index("context")], row[FEATURES.index("lacks_value")]
    lack, share = absent
    return score, known, context * known, float(missing), lacking, lack, lack * share


def sigmoid(model: dict, inputs) -> float:
    logit = model["intercept"] + sum(model[name] * value for name, value in zip(CONFIDENCE, inputs, strict=True))
    return 1.0 / (1.0 + math.exp(-logit))


CONFIDENCE = ("score", "known", "covered", "missing", "lacking", "absent", "absent_weight")
"""The confidence model's inputs, by name in the weights file (``confidence_inputs``)."""


def question_pairs(text: str) -> frozenset[str]:
    """The question's pairs of Chinese characters, without the words that ask (什么, 哪些…)."""
    return frozenset(CJK_PAIR.findall(ASKING.sub(" ", text)))


def pair_share(pairs: frozenset[str], sentence: str) -> float:
    """Share of the question's character pairs that stand in the sentence."""
    if not pairs:
        return 0.0
    return sum(1 for pair in pairs if pair in sentence) / len(pairs)


def longest_run(question: str, sentence: str) -> float:
    """The longest run of the question's characters (its asking words left out) that the sentence repeats, as a
    share of the question's length: an answering sentence often copies a phrase of the question whole."""
    from difflib import SequenceMatcher

    asked = ASKING.sub(" ", question)
    if not asked.strip():
        return 0.0
    match = SequenceMatcher(None, asked, sentence, autojunk=False).find_longest_match(0, len(asked), 0, len(sentence))
    return min(match.size / max(len(asked.strip()), 1), 1.0)


def nearness(sentence: str, terms, values) -> float:
    """1 for a value right beside a matched question term, falling with the characters between them (0: no
    value or no term)."""
    if not values:
        return 0.0
    spots = [m.start() for term in terms for m in re.finditer(re.escape(term), sentence)]
    if not spots:
        return 0.0
    gap = min(max(0, start - spot, spot - end) for start, end, _ in values for spot in spots)
    return 1.0 / (1.0 + gap / 10.0)


def length_feature(text: str) -> float:
    return math.log1p(len(text)) / 5.0


def absence(focus, hit) -> tuple[float, float]:
    """Whether the paragraph (with its speaker) lacks the question's heaviest concept, and that concept's share of
    the focus weight: a record that does not say what is asked often holds everything but its rarest word."""
    if not focus.weights:
        return 0.0, 0.0
    top = max(range(len(focus.weights)), key=lambda i: (focus.weights[i], i))
    text = f"{hit.paragraph.text} {hit.speech.label} {hit.speech.person or ''}"
    return float(not focus.holds(focus.concepts[top], text)), focus.weights[top] / focus.total


def feature_row(item, question, focus, pairs: frozenset[str], place, cues) -> tuple[float, ...]:
    """The ``FEATURES`` of a scored sentence (``qa.answer.compose.Evidence``). ``place``: the larger focus share of
    its neighbours, its index and the paragraph's sentence count, the paragraph's retrieval score as a share of
    the best; ``cues``: whether it takes a position, holds an enumeration, opens with a pronoun, is said by
    whom the question names."""
    from qa.answer.sentences import find_values

    around, index, count, prior = place
    position_cue, enumeration, refers_back, named = cues
    text, hit = item.sentence.text, item.hit
    values = find_values(text, question.expects, question.unit) if question.expects else []
    held = focus.held(text)
    terms = [term for i in held for term in focus.concepts[i] if term in text]
    rarest = focus.rarest_in(f"{text} {hit.speech.label} {hit.speech.person or ''}")
    top = focus.concepts[max(range(len(focus.weights)), key=focus.weights.__getitem__)] if focus.weights else None
    named_any = bool(question.named)
    found = {
        "own": item.text_coverage,
        "spoken": item.own_coverage,
        "context": item.coverage,
        "neighbour": around,
        "rarest": float(top is not None and rarest == top),
        "pairs": pair_share(pairs, text),
        "run": longest_run(question.text, text),
        "has_value": float(bool(values)),
        "lacks_value": float(bool(question.expects) and not values),
        "value_near": nearness(text, terms, values),
        "named": float(named_any and named),
        "named_other": float(named_any and not named),
        "first": float(index == 0),
        "position": index / max(count - 1, 1),
        "rank": 1.0 / hit.rank if hit.rank > 0 else 0.0,
        "prior": prior,
        "length": length_feature(text),
        "short": float(len(text) < 16),
        "position_cue": float(question.kind == "stance" and position_cue),
        "enumeration": float(question.kind == "list" and enumeration),
        "procedural": float(bool(hit.speech.procedural)),
        "refers_back": float(refers_back),
    }
    return tuple(found[name] for name in FEATURES)
