"""Snapshots of the chat (pytest-textual-snapshot; Textual is pinned so they do not drift).

Review a change with ``pytest tests/test_chat_snapshots.py --snapshot-report``; accept it with
``--snapshot-update``. The chat snapshot shows a composed answer, so a change in retrieval or in
the composer changes it too: that is the point, the reviewer sees what a user would see.
"""

from __future__ import annotations

import pytest

from qa.tui.app import make_app
from qa.tui.history import QuestionHistory
from qa.tui.screens import HelpScreen, ReaderScreen
from qa.tui.widgets import ParagraphView, QuestionInput

QUESTION = "秘书长认为与区域组织的合作为什么重要？"


@pytest.fixture
def chat(bundled_corpus, bundled_cache_dir):
    return make_app(corpus=bundled_corpus, cache_dir=bundled_cache_dir, history=QuestionHistory(None))


async def until(pilot, condition) -> None:
    for _ in range(1000):
        if condition():
            return
        await pilot.pause(0.02)
    raise AssertionError("the chat did not reach the expected state")


async def ready(pilot) -> None:
    pilot.app.query_one(QuestionInput).cursor_blink = False  # a blinking cursor made the snapshot depend on timing
    await until(pilot, lambda: pilot.app.engine is not None and bool(pilot.app.topics))


async def one_answer(pilot) -> None:
    await ready(pilot)
    pilot.app.query_one(QuestionInput).value = QUESTION
    await pilot.press("enter")
    await until(pilot, lambda: pilot.app.answered == 1)
    await pilot.pause()


@pytest.mark.parametrize("size", [(100, 32), (80, 24)], ids=["100x32", "80x24"])
def test_chat_after_one_answer(snap_compare, chat, size):
    assert snap_compare(chat, terminal_size=size, run_before=one_answer)


def test_reader_on_a_highlighted_paragraph(snap_compare, chat, bundled_meeting):
    speech = next(s for s in bundled_meeting.speeches if s.affiliation == "中国")

    async def open_reader(pilot) -> None:
        await ready(pilot)
        pilot.app.push_screen(ReaderScreen(bundled_meeting, speech.index, 3, terms=("合作", "区域组织")))
        await until(pilot, lambda: bool(pilot.app.screen.query(ParagraphView.current_selector())))
        await pilot.pause(0.1)

    assert snap_compare(chat, terminal_size=(100, 32), run_before=open_reader)


def test_help_screen(snap_compare, chat):
    async def open_help(pilot) -> None:
        await ready(pilot)
        await pilot.press("f1")
        await until(pilot, lambda: isinstance(pilot.app.screen, HelpScreen))

    assert snap_compare(chat, terminal_size=(100, 32), run_before=open_help)
