"""What users of other terminal chats expect (issue 16): quitting, help that scrolls, the chart by a key, copy
that says the truth, export that is safe, conversations kept and reopened, a source opened outside."""

from __future__ import annotations

import asyncio
import dataclasses
import html
from datetime import datetime
from pathlib import Path

import pytest

from qa.records.citation import quote_line, record_url
from qa.records.model import Meeting
from qa.tui.app import make_app
from qa.tui.conversations import ConversationLog
from qa.tui.export import Exchange, conversation_markdown
from qa.tui.outside import clean_copy, editor_command, osc52_likely
from qa.tui.screens import CHART_NOTE, ConfirmScreen, ConversationsScreen, HelpScreen, ReaderScreen
from qa.tui.widgets import SourceList, SpeakerChart
from tests.test_chat import SIZE, STANCE_QUESTION, WHY_QUESTION, ask, latest, submit, until


@pytest.fixture
def new_app(bundled_corpus, bundled_cache_dir):
    return lambda **options: make_app(corpus=bundled_corpus, cache_dir=bundled_cache_dir, **options)


def noted(app) -> list[str]:
    """The app's notifications from now on, as a list of their messages."""
    messages: list[str] = []
    app.notify = lambda message, **options: messages.append(str(message))
    return messages


@pytest.mark.parametrize("command", ["/quit", "/exit"])
def test_quit_and_exit_leave_the_chat_and_the_footer_shows_the_quit_key(new_app, command):
    async def scenario():
        app = new_app()
        async with app.run_test(size=(80, 24)) as pilot:
            await until(pilot, lambda: "Quit" in html.unescape(app.export_screenshot()))
            await submit(pilot, command)
            await until(pilot, lambda: app._exit)
        assert app.return_code == 0

    asyncio.run(scenario())


def test_help_scrolls_at_once_and_lists_each_key_once_with_the_chart_explained(new_app):
    async def scenario():
        app = new_app()
        async with app.run_test(size=(80, 24)) as pilot:
            await pilot.press("f1")
            await until(pilot, lambda: isinstance(app.screen, HelpScreen))
            scroll = app.screen.query_one("#help")
            assert app.focused is scroll and scroll.max_scroll_y > 0
            await pilot.press("pagedown")
            await until(pilot, lambda: scroll.scroll_y > 0)
            text = str(app.screen.query_one("#help-text").render())
            keys = [line.split()[0:2] for line in text.split("Keys", 1)[1].split("Commands")[0].splitlines() if line]
            assert len(keys) == len({tuple(key) for key in keys})
            for key in ("f5", "f6", "ctrl+q", "o (reader)", "f3 (reader)"):
                assert f"  {key}" in text
            assert CHART_NOTE in text.replace("\n", " ") or "BM25 score" in text

    asyncio.run(scenario())


def test_f5_focuses_the_chart_with_its_cursor_on_the_first_bar(new_app):
    async def scenario():
        app = new_app()
        async with app.run_test(size=SIZE) as pilot:
            await ask(pilot, STANCE_QUESTION)
            chart = app.query_one(SpeakerChart)
            assert chart.highlighted == 0 and chart.border_subtitle == "BM25 score"
            await pilot.press("f5", "enter")
            assert app.focused is chart
            await until(pilot, lambda: app.source_speaker == chart.labels[0])

    asyncio.run(scenario())


def test_copy_where_the_terminal_may_not_take_it_says_so_and_saves_the_text(new_app, monkeypatch, tmp_path):
    monkeypatch.setenv("TMUX", "/tmp/tmux-0/default,1,0")
    monkeypatch.setenv("QA_DATA_DIR", str(tmp_path / "data"))

    async def scenario():
        app = new_app()
        async with app.run_test(size=SIZE) as pilot:
            await ask(pilot, WHY_QUESTION)
            notes = noted(app)
            await pilot.press("f3")
            saved = tmp_path / "data" / "last-copy.md"
            assert notes and "may not support" in notes[-1] and str(saved) in notes[-1]
            assert saved.read_text(encoding="utf-8") == app.clipboard
            await pilot.press("f2", "f3")  # the sources have the focus: one citation
            first = latest(app).answer.citations[0]
            assert app.clipboard.startswith("[1] ") and first.quote in app.clipboard
            assert app.clipboard.count("\n") == 1
            app.open_reader(app.query_one(SourceList).entries[0].__class__(first.hit, 1, first.quote))
            await until(pilot, lambda: isinstance(app.screen, ReaderScreen))
            await pilot.pause()
            await pilot.press("f3")
            assert app.clipboard.startswith(first.hit.paragraph.text)
            assert app.clipboard.endswith(f"\n\n— {first.text}\n")  # the reader cites it as the answer does

    asyncio.run(scenario())


def test_osc52_is_trusted_only_in_terminals_known_to_take_it():
    assert osc52_likely({"TERM_PROGRAM": "WezTerm"}) and osc52_likely({"TERM": "xterm-kitty"})
    assert osc52_likely({"WT_SESSION": "1"})
    assert not osc52_likely({"TERM": "xterm-256color"}) and not osc52_likely({"TERM_PROGRAM": "WezTerm", "TMUX": "x"})
    assert clean_copy("集安\x1b[31m组织\x1b]0;t\x07\n") == "集安组织\n"


def test_export_makes_its_folder_never_overwrites_and_defaults_to_the_data_folder(new_app, monkeypatch, tmp_path):
    monkeypatch.setenv("QA_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.chdir(tmp_path)
    target = tmp_path / "exports" / "a.md"

    async def scenario():
        app = new_app()
        async with app.run_test(size=SIZE) as pilot:
            await submit(pilot, "/speaker 中国")
            await ask(pilot, STANCE_QUESTION)
            notes = noted(app)
            await submit(pilot, "/export exports/a.md")
            text = target.read_text(encoding="utf-8")
            assert "S_PV" in text and "S\\_PV" not in text
            assert f"*Exported {datetime.now():%Y-%m-%d}" in text and "speaker filter in force: 中国" in text
            target.write_text("mine", encoding="utf-8")
            await submit(pilot, "/export exports/a.md")
            assert target.read_text(encoding="utf-8") == "mine" and "exists" in notes[-1]
            await pilot.press("f4")
            written = list((tmp_path / "data" / "exports").glob("qa-conversation-*.md"))
            assert len(written) == 1 and str(written[0]) in notes[-1]
            assert sorted(path.name for path in tmp_path.iterdir()) == ["data", "exports"]

    asyncio.run(scenario())


def test_export_and_copy_never_carry_terminal_escapes(answered_with_escapes):
    markdown = conversation_markdown([Exchange("问题\x1b[2J", answered_with_escapes)])
    assert "\x1b" not in markdown and "\x07" not in markdown


@pytest.fixture
def answered_with_escapes(engine):
    from qa.answer.pipeline import answer

    reply = answer(WHY_QUESTION, engine)
    citation = reply.citations[0]
    hostile = dataclasses.replace(citation, quote="\x1b]0;title\x07" + citation.quote + "\x1b[31m")
    return dataclasses.replace(reply, text=reply.text + "\x1b[2J", citations=(hostile, *reply.citations[1:]))


def test_ctrl_l_asks_and_the_conversation_is_kept_to_reopen(new_app, tmp_path):
    folder = tmp_path / "conversations"

    async def first():
        app = new_app(conversations=ConversationLog(folder))
        async with app.run_test(size=SIZE) as pilot:
            await ask(pilot, WHY_QUESTION)
            await submit(pilot, "/speaker 中国")
            await ask(pilot, STANCE_QUESTION)
            await pilot.press("ctrl+l")
            await until(pilot, lambda: isinstance(app.screen, ConfirmScreen))
            await pilot.press("n")
            assert len(app.exchanges) == 2
            await pilot.press("ctrl+l")
            await until(pilot, lambda: isinstance(app.screen, ConfirmScreen))
            await pilot.press("y")
            await until(pilot, lambda: not app.exchanges)

    async def second():
        app = new_app(conversations=ConversationLog(folder))
        async with app.run_test(size=SIZE) as pilot:
            await pilot.press("f6")
            await until(pilot, lambda: isinstance(app.screen, ConversationsScreen))
            assert WHY_QUESTION in str(app.screen.query_one("#conversations").get_option_at_index(0).prompt)
            await pilot.press("enter")
            await until(pilot, lambda: app.answered == 2)
            asked = [(exchange.question, exchange.speaker) for exchange in app.exchanges.values()]
            assert asked == [(WHY_QUESTION, None), (STANCE_QUESTION, "中国")]
            await ask(pilot, "会议几点开始？")
        assert len(list(folder.glob("*.jsonl"))) == 1
        assert len(next(folder.glob("*.jsonl")).read_text(encoding="utf-8").splitlines()) == 3

    asyncio.run(first())
    asyncio.run(second())


def test_o_in_the_reader_shows_the_path_line_and_un_link_without_an_editor(new_app, monkeypatch):
    monkeypatch.delenv("EDITOR", raising=False)
    monkeypatch.delenv("VISUAL", raising=False)

    async def scenario():
        app = new_app()
        async with app.run_test(size=SIZE) as pilot:
            await ask(pilot, WHY_QUESTION)
            entry = app.query_one(SourceList).entries[0]
            app.open_reader(entry)
            await until(pilot, lambda: isinstance(app.screen, ReaderScreen))
            notes = noted(app)
            await pilot.press("o")
            assert f"seeds/S_PV.8967.zh.txt:{quote_line(entry.hit.paragraph, entry.quote)}" in notes[-1]
            assert "https://undocs.org/zh/S/PV.8967" in notes[-1]
            assert "https://undocs.org/zh/S/PV.8967" in str(app.screen.query_one("#reader-title").render())

    asyncio.run(scenario())


def test_editor_commands_and_un_links():
    record = Path("seeds/S_PV.8967.zh.txt")
    assert editor_command("vim", record, 12) == ["vim", "+12", "seeds/S_PV.8967.zh.txt"]
    assert editor_command("code -w", record, 12) == ["code", "-w", "--goto", "seeds/S_PV.8967.zh.txt:12"]
    zh = Meeting("S/PV.8967", None, "", "seeds/S_PV.8967.zh.txt", ())
    assert record_url(zh) == "https://undocs.org/zh/S/PV.8967"
    assert record_url(dataclasses.replace(zh, symbol="S/PV.9001", language="en")) == "https://undocs.org/en/S/PV.9001"
    assert record_url(dataclasses.replace(zh, symbol="会议记录")) is None


def test_a_mistyped_slash_command_gets_a_suggestion(new_app):
    async def scenario():
        app = new_app()
        async with app.run_test(size=SIZE) as pilot:
            notes = noted(app)
            await submit(pilot, "/quti")
            assert "did you mean /quit?" in notes[-1]
            assert not app._exit

    asyncio.run(scenario())


def test_ctrl_q_quits_from_a_modal_screen_too(new_app):
    async def scenario():
        app = new_app()
        async with app.run_test(size=SIZE) as pilot:
            await pilot.press("ctrl+l")  # nothing to clear: no question asked, so open the help instead
            await pilot.press("f1")
            await until(pilot, lambda: isinstance(app.screen, HelpScreen))
            await pilot.press("ctrl+q")
            await until(pilot, lambda: app._exit)

    asyncio.run(scenario())


def test_an_unknown_starting_speaker_is_reported_and_dropped(new_app):
    async def scenario():
        app = new_app(speaker="火星")
        notes = noted(app)
        async with app.run_test(size=SIZE) as pilot:
            await until(pilot, lambda: app.engine is not None)
            assert app.speaker is None and any("火星" in note for note in notes)
            assert "all speakers" in str(app.query_one("#status-text").render())

    asyncio.run(scenario())
