"""The chat's bugs of issue 16, each driven through the real app on the bundled record."""

from __future__ import annotations

import asyncio
import re

import pytest
from textual.geometry import Region

from qa.tui.app import make_app
from qa.tui.screens import ConfirmScreen
from qa.tui.widgets import AnswerView, QuestionInput, SourceList, SpeakerChart
from tests.test_chat import SIZE, STANCE_QUESTION, WHY_QUESTION, ask, until

SMALL = (80, 24)
CALL_QUESTION = "谁呼吁加强会员国方面的合作？"


@pytest.fixture
def new_app(bundled_corpus, bundled_cache_dir):
    return lambda **options: make_app(corpus=bundled_corpus, cache_dir=bundled_cache_dir, **options)


def screen_lines(widget) -> list[str]:
    """The lines a widget draws, as the terminal shows them (border and padding included)."""
    width, height = widget.size
    return [strip.text for strip in widget.render_lines(Region(0, 0, width, height))]


def test_up_recalls_the_question_just_asked(new_app):
    async def scenario():
        app = new_app()
        async with app.run_test(size=SMALL) as pilot:
            await ask(pilot, "会议几点开始？")
            await ask(pilot, CALL_QUESTION)
            await pilot.press("up")
            assert app.query_one(QuestionInput).value == CALL_QUESTION
            await pilot.press("up")
            assert app.query_one(QuestionInput).value == "会议几点开始？"

    asyncio.run(scenario())


def test_at_80x24_no_marker_splits_and_no_line_starts_with_a_closing_mark(new_app):
    async def scenario():
        app = new_app()
        async with app.run_test(size=SMALL) as pilot:
            for question in ("会议几点开始？", CALL_QUESTION, STANCE_QUESTION, WHY_QUESTION):
                await ask(pilot, question)
            await pilot.pause()
            drawn = [line for view in app.query(AnswerView) for line in screen_lines(view)]
            drawn += screen_lines(app.query_one(SourceList))
            text = [re.sub(r"^[\s▎│╭╰─]+|[\s│╮╯─]+$", "", line) for line in drawn]
            assert any("[1]" in line for line in text)
            assert not [line for line in text if re.search(r"\[\d+$", line) or re.match(r"^\d*\]", line)]
            assert not [line for line in text if line[:1] in tuple("。，、”）：")]
            assert not [line for line in text if line.endswith("p.")]

    asyncio.run(scenario())


def test_chart_labels_keep_whole_names_in_a_narrow_panel(new_app):
    async def scenario():
        app = new_app()
        async with app.run_test(size=SMALL) as pilot:
            await ask(pilot, CALL_QUESTION)
            chart = app.query_one(SpeakerChart)
            prompts = [str(chart.get_option_at_index(i).prompt) for i in range(chart.option_count)]
            for label, prompt in zip(chart.labels, prompts, strict=True):
                assert "…" not in prompt and label.split("（")[0] in prompt

    asyncio.run(scenario())


def test_clear_after_choosing_a_bar_leaves_the_panel_titled_sources(new_app):
    async def scenario():
        app = new_app()
        async with app.run_test(size=SIZE) as pilot:
            await ask(pilot, STANCE_QUESTION)
            chart = app.query_one(SpeakerChart)
            chart.focus()
            await pilot.press("home", "enter")
            await until(pilot, lambda: app.source_speaker is not None)
            assert app.source_speaker in app.query_one(SourceList).border_title
            await pilot.press("ctrl+l")
            await until(pilot, lambda: isinstance(app.screen, ConfirmScreen))
            await pilot.press("y")
            await until(pilot, lambda: not app.exchanges)
            assert app.query_one(SourceList).border_title == "Sources" and app.source_speaker is None

    asyncio.run(scenario())
