"""Mechanisms that make answers generalise: value kinds, declining on uncovered focus, meeting order, English."""

from __future__ import annotations

import pytest

from qa.questions import analyse
from qa.sentences import find_values


@pytest.mark.parametrize(
    ("text", "kind", "unit", "values"),
    [
        ("秘书处印发了文件S/2021/1090和A/76/560。", "symbol", None, ["S/2021/1090", "A/76/560"]),
        ("该办事处已经运作了12年，预算增加了百分之十五。", "count", "duration", ["12年"]),
        ("该办事处已经运作了12年，预算增加了百分之十五。", "count", "percent", ["百分之十五"]),
        ("失业率上升到8.5%。", "count", "percent", ["8.5%"]),
        ("特派团为期六个月，于2019年设立。", "count", "duration", ["六个月"]),
        ("根据《条约》第4条和第十二条提出请求。", "count", None, []),
        ("援助总额为2亿美元。", "count", "money", ["2亿美元"]),
    ],
)
def test_value_kinds_common_in_un_records(text, kind, unit, values):
    assert [value for *_, value in find_values(text, kind, unit)] == values


@pytest.mark.parametrize(
    ("question", "expects", "unit"),
    [
        ("那份报告的文件编号是多少？", "symbol", None),
        ("这个办事处成立多久了？", "count", "duration"),
        ("难民中儿童占百分之几？", "count", "percent"),
        ("What is the document symbol of the report?", "symbol", None),
    ],
)
def test_questions_asking_for_symbols_durations_and_shares(question, expects, unit):
    analysed = analyse(question)
    assert (analysed.expects, analysed.unit) == (expects, unit)
