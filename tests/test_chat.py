"""The chat, driven with Textual's Pilot on the bundled record (and on small records the tests write).

Tests are synchronous functions running their scenario with ``asyncio.run`` (no async plugin needed), and
wait on the state they assert (answers shown, screens pushed), never on a fixed pause.
"""

from __future__ import annotations

import asyncio
import random
import re
import threading

import pytest
from textual.command import CommandList
from textual.content import Content

from qa.index.chart import speaker_strength
from qa.tui.app import make_app
from qa.tui.export import exchange_markdown
from qa.tui.render import source_prompt, sources_for
from qa.tui.screens import HelpScreen, ReaderScreen
from qa.tui.widgets import AnswerView, ParagraphView, QuestionInput, QuestionView, SourceList, SpeakerChart
from tests.conftest import BUNDLED_RECORD

SIZE = (100, 32)
WHY_QUESTION = "秘书长认为与区域组织的合作为什么重要？"
STANCE_QUESTION = "如何看待区域组织的作用？"


@pytest.fixture
def new_app(bundled_corpus, bundled_cache_dir):
    return lambda **options: make_app(corpus=bundled_corpus, cache_dir=bundled_cache_dir, **options)


async def until(pilot, condition, timeout: float = 20.0) -> None:
    """Let the app run until ``condition()`` holds (fail after ``timeout`` seconds)."""
    loop = asyncio.get_running_loop()
    deadline = loop.time() + timeout
    while not condition():
        assert loop.time() < deadline, "the chat did not reach the expected state"
        await pilot.pause(0.02)


async def ask(pilot, question: str) -> None:
    """Type ``question`` (paste-like), press Enter and wait for its answer to be shown."""
    app = pilot.app
    shown = app.answered
    app.query_one(QuestionInput).value = question
    await pilot.press("enter")
    await until(pilot, lambda: app.answered > shown)
    await pilot.pause()


async def submit(pilot, text: str) -> None:
    """Put ``text`` in the question line (as a paste would) and press Enter."""
    pilot.app.query_one(QuestionInput).value = text
    await pilot.press("enter")


def shown_text(widget) -> str:
    """What a widget shows; for text broken into lines at the widget's width, the text before breaking."""
    return str(getattr(widget, "source", None) or widget.render())


def latest(app):
    return app.exchanges[max(app.exchanges)]


def test_a_question_gets_its_answer_sources_and_speaker_chart(new_app):
    async def scenario():
        app = new_app()
        async with app.run_test(size=SIZE) as pilot:
            await ask(pilot, WHY_QUESTION)
            exchange = latest(app)
            reply = exchange.answer
            assert not reply.abstained and reply.citations
            view = app.query(AnswerView).last()
            assert shown_text(view) == reply.text and "-declined" not in view.classes
            assert re.search(r"\[\d+\]", shown_text(view))
            assert shown_text(app.query(QuestionView).last()) == WHY_QUESTION
            sources = app.query_one(SourceList)
            assert [(entry.n, entry.hit.paragraph.id) for entry in sources.entries] == [
                (citation.n, citation.hit.paragraph.id) for citation in reply.citations
            ]
            for index, citation in enumerate(reply.citations):
                prompt = str(sources.get_option_at_index(index).prompt)
                assert citation.hit.speech.label in prompt and citation.hit.meeting.symbol in prompt
                assert citation.quote in prompt.replace("\n", "")
            chart = app.query_one(SpeakerChart)
            expected = speaker_strength(app.engine, WHY_QUESTION, top=6)
            assert chart.display and chart.labels == [label for label, _ in expected]
            assert chart.labels[0].split("（")[0] in str(chart.get_option_at_index(0).prompt)

    asyncio.run(scenario())


def test_key_values_of_an_answer_stand_out(new_app):
    from qa.tui.render import KEY_VALUE_STYLE

    async def scenario():
        app = new_app()
        async with app.run_test(size=SIZE) as pilot:
            await ask(pilot, "会议几点开始？")
            reply = latest(app).answer
            assert reply.key_values
            content = app.query(AnswerView).last().render()
            styled = {content.plain[span.start : span.end] for span in content.spans if span.style == KEY_VALUE_STYLE}
            assert set(reply.key_values) <= styled

    asyncio.run(scenario())


def test_a_declined_answer_looks_different_and_lists_related_passages(new_app):
    async def scenario():
        app = new_app()
        async with app.run_test(size=SIZE) as pilot:
            await ask(pilot, "安理会会议厅一共有多少个座位？")
            reply = latest(app).answer
            assert reply.abstained and reply.related
            assert "-declined" in app.query(AnswerView).last().classes
            sources = app.query_one(SourceList)
            assert sources.border_title.startswith("Possibly related")
            assert [entry.hit for entry in sources.entries] == list(reply.related)

    asyncio.run(scenario())


def test_opening_a_source_lands_on_its_paragraph_and_escape_returns(new_app):
    async def scenario():
        app = new_app()
        async with app.run_test(size=SIZE) as pilot:
            await ask(pilot, WHY_QUESTION)
            first = latest(app).answer.citations[0]
            await pilot.click(SourceList, offset=(3, 1))
            await until(pilot, lambda: isinstance(app.screen, ReaderScreen))
            reader = app.screen
            await until(pilot, lambda: bool(reader.query(ParagraphView.current_selector())))
            assert reader.current_paragraph.id == first.hit.paragraph.id
            assert reader.speech is first.hit.speech
            current = reader.query_one(ParagraphView.current_selector())
            assert first.hit.paragraph.text in shown_text(current)
            speech = reader.query_one("#speech")
            await until(pilot, lambda: speech.region.contains_region(current.region) or current.region.height > 20)
            position = reader.paragraph_position
            await pilot.press("n")
            expected = min(position + 1, len(reader.speech.paragraphs) - 1)
            assert reader.paragraph_position == expected
            await pilot.press("p")
            assert reader.current_paragraph.id == first.hit.paragraph.id
            await pilot.press("right")
            await until(pilot, lambda: reader.speech_position == first.hit.speech.index + 1)
            await pilot.press("escape")
            await until(pilot, lambda: not isinstance(app.screen, ReaderScreen))
            assert isinstance(app.focused, QuestionInput)

            await pilot.press("f2", "down", "enter")  # the keyboard way, second source (or the first again)
            await until(pilot, lambda: isinstance(app.screen, ReaderScreen))
            cited = latest(app).answer.citations
            assert app.screen.current_paragraph.id == cited[min(1, len(cited) - 1)].hit.paragraph.id

    asyncio.run(scenario())


def test_up_and_down_recall_questions_of_an_earlier_session(new_app):
    async def first_session():
        app = new_app()
        async with app.run_test(size=SIZE) as pilot:
            await ask(pilot, WHY_QUESTION)
            await ask(pilot, STANCE_QUESTION)

    async def second_session():
        app = new_app()
        async with app.run_test(size=SIZE) as pilot:
            line = app.query_one(QuestionInput)
            await pilot.press(*"草稿")
            recalled = []
            for key in ("up", "up", "up", "down", "down", "down"):
                await pilot.press(key)
                recalled.append(line.value)
            assert recalled == [STANCE_QUESTION, WHY_QUESTION, WHY_QUESTION, STANCE_QUESTION, "草稿", "草稿"]

    asyncio.run(first_session())
    asyncio.run(second_session())


def test_speaker_restriction_and_choosing_a_bar(new_app):
    async def scenario():
        app = new_app()
        async with app.run_test(size=SIZE) as pilot:
            await pilot.press(*"/speaker 中国", "enter")
            assert app.speaker == "中国"
            await ask(pilot, STANCE_QUESTION)
            entries = app.query_one(SourceList).entries
            assert entries and all(entry.hit.speech.affiliation == "中国" for entry in entries)
            assert all("中国" in label for label in app.query_one(SpeakerChart).labels)

            await submit(pilot, "/speaker 不存在的国家")
            assert app.speaker == "中国"
            await submit(pilot, "/speaker 古特雷斯")  # the person behind the title 秘书长, as the index knows it
            assert app.speaker == "古特雷斯"
            await pilot.press(*"/speaker", "enter")
            assert app.speaker is None
            await ask(pilot, STANCE_QUESTION)
            chart = app.query_one(SpeakerChart)
            assert len(set(chart.labels)) > 1
            chart.focus()
            await pilot.press("home", "down", "enter")
            chosen = chart.labels[1]
            sources = app.query_one(SourceList)
            await until(pilot, lambda: app.source_speaker == chosen)
            assert sources.entries and all(entry.hit.speech.label == chosen for entry in sources.entries)
            assert chosen in sources.border_title
            await pilot.press("enter")
            assert app.source_speaker is None
            assert sources.entries == sources_for(latest(app))

    asyncio.run(scenario())


def test_export_writes_markdown_whose_citations_match_the_sources(new_app, tmp_path):
    target = tmp_path / "out" / "conversation.md"
    target.parent.mkdir()

    async def scenario():
        app = new_app()
        async with app.run_test(size=SIZE) as pilot:
            await ask(pilot, WHY_QUESTION)
            await ask(pilot, STANCE_QUESTION)
            panels = []
            for _ in app.exchanges:
                shown = [source_prompt(e).plain.split("\n")[0] for e in app.query_one(SourceList).entries]
                panels.insert(0, [line.replace("\u00a0", " ") for line in shown])
                await pilot.press("ctrl+up")
            await submit(pilot, f"/export {target}")
            await until(pilot, target.exists)
            app.action_copy()
            assert app.clipboard == exchange_markdown(app.exchanges[app.selected])
            return panels

    panels = asyncio.run(scenario())
    markdown = target.read_text("utf-8")
    sections = re.split(r"^## \d+\. ", markdown, flags=re.MULTILINE)[1:]
    assert [section.splitlines()[0] for section in sections] == [WHY_QUESTION.replace("？", "？"), STANCE_QUESTION]
    for section, panel in zip(sections, panels, strict=True):
        listed = re.findall(r"^- (\[\d+\] .+?) — “", section, flags=re.MULTILINE)
        assert listed and [line.replace("\\", "") for line in listed] == panel
        cited = r", seeds/S_PV\.8967\.zh\.txt:\d+, https://undocs\.org/zh/S/PV\.8967$"
        assert all(re.search(cited, line) for line in panel)


def test_first_start_without_a_cache_accepts_questions_while_building(bundled_corpus, tmp_path):
    fresh = tmp_path / "fresh-cache"
    release = threading.Event()

    async def scenario():
        app = make_app(corpus=bundled_corpus, cache_dir=fresh)
        build = app.service.load_engine

        def held_build(notify):
            release.wait(20)
            return build(notify)

        app.service.load_engine = held_build
        async with app.run_test(size=SIZE) as pilot:
            assert isinstance(app.focused, QuestionInput)
            assert app.query_one("#progress").display
            await pilot.press(*"秘书长说了什么", "enter")
            await until(pilot, lambda: len(app.query(AnswerView)) == 1)
            assert "waiting for the index" in shown_text(app.query_one(AnswerView))
            assert app.answered == 0
            release.set()
            await until(pilot, lambda: app.answered == 1)
            assert not app.query_one("#progress").display
            assert latest(app).answer is not None

    asyncio.run(scenario())
    assert any(fresh.rglob("*")), "the index was cached on first start"


def test_a_record_with_markup_like_text_shows_it_literally(tmp_path):
    hostile = "[bold]我感谢[/]主席国[link=https://example.org]俄罗斯[/link][@click=app.quit]组织本次公开辩"
    text = BUNDLED_RECORD.read_text("utf-8").replace("我感谢主席国俄罗斯组织本次公开辩", hostile, 1)
    assert hostile in text
    seeds = tmp_path / "seeds"
    seeds.mkdir()
    (seeds / "record.txt").write_text(text, "utf-8")

    async def scenario():
        app = make_app(seeds, cache_dir=tmp_path / "cache")
        async with app.run_test(size=SIZE) as pilot:
            await ask(pilot, "[bold]谁感谢主席国俄罗斯组织公开辩论会？[/]")
            assert shown_text(app.query(QuestionView).last()) == "[bold]谁感谢主席国俄罗斯组织公开辩论会？[/]"
            entry = next(e for e in app.query_one(SourceList).entries if "[link=" in e.hit.paragraph.text)
            app.open_reader(entry)
            await until(pilot, lambda: bool(app.screen.query(ParagraphView.current_selector())))
            await pilot.pause()
            current = str(app.screen.query_one(ParagraphView.current_selector()).render())
            assert hostile in current.replace("\n", "")
            screen = "".join(re.findall(r">([^<]*)</text>", app.export_screenshot())).replace("&#160;", " ")
            for literal in ("[bold]", "[/]", "[link=https://example.org]", "[@click=app.quit]"):
                assert literal in screen
            assert app.is_running

    asyncio.run(scenario())


def random_inputs(count: int, seed: int = 5) -> list[str]:
    """Strings users paste by accident or on purpose: markup, escapes, control characters, huge, empty."""
    pieces = [
        "[bold]", "[/]", "[link=http://x.org]", "[@click=app.quit]", "[red on blue]", "\\[", "]", "$accent",
        "\x1b[31m", "\x1b]0;title\x07", "\x1b[2J", "\x00", "\x07", "\x08", "\r", "\t", "\u202e", "😀", "𠀀",
        "１２３", "集安组织", "秘书长", "哈萨克斯坦", "维和", "Security Council", "？", "。", " ", "",
    ]  # fmt: skip
    generator = random.Random(seed)
    strings = ["", "   ", "？？？", "x" * 5000, "集安组织" * 400]
    while len(strings) < count:
        strings.append("".join(generator.choice(pieces) for _ in range(generator.randint(0, 12))))
    return strings


def test_a_few_hundred_random_strings_and_the_chat_keeps_answering(new_app):
    from qa.tui.clean import clean_question

    inputs = random_inputs(200)
    expected = sum(1 for raw in inputs if clean_question(raw).text and not clean_question(raw).text.startswith("/"))

    async def scenario():
        app = new_app()
        async with app.run_test(size=SIZE) as pilot:
            line = app.query_one(QuestionInput)
            for raw in inputs:  # as fast as a paste: the app renders once it has caught up
                line.value = raw
                await line.action_submit()
            await until(pilot, lambda: app.answered == expected, timeout=40)
            control = re.compile(r"[\x00-\x1f\x7f\u202e]")
            assert not any(control.search(exchange.question) for exchange in app.exchanges.values())
            assert not any(control.search(shown_text(view)) for view in app.query(QuestionView))
            assert all(exchange.error is None for exchange in app.exchanges.values())
            await ask(pilot, WHY_QUESTION)
            assert latest(app).answer.citations and app.is_running

    asyncio.run(scenario())


def test_help_lists_keys_commands_and_examples_from_the_corpus(new_app, bundled_corpus):
    async def scenario():
        app = new_app()
        async with app.run_test(size=SIZE) as pilot:
            await until(pilot, lambda: bool(app.topics))
            await pilot.press("f1")
            await until(pilot, lambda: isinstance(app.screen, HelpScreen))
            text = shown_text(app.screen.query_one("#help-text"))
            assert "/speaker" in text and "/export" in text and "f3" in text
            assert bundled_corpus.meetings[0].symbol in text
            assert any(topic in text for topic in app.topics)
            await pilot.press("escape")
            await until(pilot, lambda: not isinstance(app.screen, HelpScreen))
            await pilot.press(*"/help", "enter")
            await until(pilot, lambda: isinstance(app.screen, HelpScreen))

    asyncio.run(scenario())


def test_clear_empties_the_conversation_and_the_panels(new_app):
    async def scenario():
        app = new_app()
        async with app.run_test(size=SIZE) as pilot:
            await ask(pilot, WHY_QUESTION)
            await pilot.press(*"/clear", "enter")
            await until(pilot, lambda: not app.query(AnswerView))
            assert not app.exchanges and not app.query_one(SourceList).entries
            assert not app.query_one(SpeakerChart).display
            await ask(pilot, WHY_QUESTION)
            assert len(app.query(AnswerView)) == 1

    asyncio.run(scenario())


def test_questions_lose_escapes_and_control_characters_and_are_cut():
    from qa.tui.clean import QUESTION_LIMIT, clean_question

    raw = "\x1b[31m红色\x1b[0m\x1b]0;title\x07 问题\x00\x07\r\n第二行\t\u202e😀𠀀[bold]"
    assert clean_question(raw).text == "红色 问题 第二行 😀𠀀[bold]"
    long = clean_question("问" * (QUESTION_LIMIT + 10))
    assert len(long.text) == QUESTION_LIMIT and long.cut == 10
    assert clean_question(" \x1b[2J \x00 ").text == ""


def test_slash_commands_are_parsed_with_their_argument():
    from qa.tui.slash import SlashCommand, parse_slash

    assert parse_slash("/speaker 中国") == SlashCommand("speaker", "中国")
    assert parse_slash("／Speaker  俄罗斯联邦 ") == SlashCommand("speaker", "俄罗斯联邦")
    assert parse_slash("/export") == SlashCommand("export", "")
    assert parse_slash("中国/俄罗斯") is None


def test_example_questions_name_this_corpus(bundled_corpus):
    from qa.tui.examples import affiliations, example_questions, frequent_topics, speaker_labels

    topics = frequent_topics(bundled_corpus, lambda text: [text[i : i + 4] for i in range(0, len(text) - 3, 2)])
    found = example_questions(bundled_corpus, topics)
    assert len(found) == 6 and len(set(found)) == 6
    assert any(name in question for question in found for name in affiliations(bundled_corpus))
    assert any(topic in question for question in found for topic in topics)
    labels = speaker_labels(bundled_corpus)
    assert "张军（中国）" in labels and not any(label.startswith("会议记录") for label in labels)
    names = {s.affiliation for _, s in bundled_corpus.speeches()} | {s.speaker for _, s in bundled_corpus.speeches()}
    assert not any(topic in name or name in topic for topic in topics for name in names if name)


def test_the_command_palette_offers_the_chat_actions(new_app):
    async def scenario():
        app = new_app()
        async with app.run_test(size=SIZE) as pilot:
            await ask(pilot, WHY_QUESTION)
            await pilot.press("ctrl+p")
            await until(pilot, lambda: type(app.screen).__name__ == "CommandPalette")
            await pilot.press(*"Copy answer")
            palette = app.screen.query_one(CommandList)
            await until(
                pilot, lambda: palette.option_count and "Copy answer" in str(palette.get_option_at_index(0).prompt)
            )
            await pilot.press("down", "enter")
            await until(pilot, lambda: bool(app.clipboard))
            assert app.clipboard == exchange_markdown(latest(app))
            assert app.clipboard.count("- [") == len(latest(app).answer.citations)

            await pilot.press("ctrl+p")
            await until(pilot, lambda: type(app.screen).__name__ == "CommandPalette")
            await pilot.press(*"Only 中国")
            palette = app.screen.query_one(CommandList)
            await until(
                pilot, lambda: palette.option_count and "Only 中国" in str(palette.get_option_at_index(0).prompt)
            )
            await pilot.press("down", "enter")
            await until(pilot, lambda: app.speaker == "中国")

    asyncio.run(scenario())


def test_an_index_that_cannot_be_opened_is_reported_and_the_chat_stays_open(new_app):
    from qa.errors import UserError

    def broken_index(notify):
        raise UserError("cache folder /nowhere cannot be created; pass --cache-dir DIR")

    async def scenario():
        app = new_app()
        app.service.load_engine = broken_index
        async with app.run_test(size=SIZE) as pilot:
            await until(pilot, lambda: app.service.error is not None)
            assert "Cannot search" in shown_text(app.query_one("#status-text"))
            await ask(pilot, WHY_QUESTION)
            view = app.query(AnswerView).last()
            assert "-error" in view.classes and "--cache-dir DIR" in shown_text(view)
            assert app.is_running

    asyncio.run(scenario())


def test_skipped_record_files_are_reported_in_the_chat(tmp_path):
    seeds = tmp_path / "seeds"
    seeds.mkdir()
    (seeds / "record.txt").write_text(BUNDLED_RECORD.read_text("utf-8"), "utf-8")
    (seeds / "empty.txt").write_text("", "utf-8")

    async def scenario():
        app = make_app(seeds, cache_dir=tmp_path / "cache")
        async with app.run_test(size=SIZE) as pilot:
            await until(pilot, lambda: app.engine is not None)
            messages = [notification.message for notification in app._notifications]  # Textual is pinned
            assert any("empty.txt" in message for message in messages)

    asyncio.run(scenario())


def test_a_pasted_question_keeps_all_its_lines(new_app):
    from textual.events import Paste

    async def scenario():
        app = new_app()
        async with app.run_test(size=SIZE) as pilot:
            line = app.query_one(QuestionInput)
            line.post_message(Paste("秘书长认为与区域组织的\n合作为什么\r\n重要？ Why is\n  it important?\n"))
            await until(pilot, lambda: line.value != "")
            assert line.value == "秘书长认为与区域组织的合作为什么重要？ Why is it important?"

    asyncio.run(scenario())


def test_clicking_a_marker_in_the_answer_opens_its_source(new_app):
    async def scenario():
        app = new_app()
        async with app.run_test(size=SIZE) as pilot:
            await ask(pilot, WHY_QUESTION)
            view = app.query(AnswerView).last()
            content, inner = view.render(), view.content_region
            lines = content.wrap(inner.width)
            row = next(y for y, line in enumerate(lines) if "[1]" in line.plain)
            column = Content(lines[row].plain[: lines[row].plain.index("[1]")]).cell_length + 1
            await pilot.click(view, offset=(inner.x - view.region.x + column, inner.y - view.region.y + row))
            await until(pilot, lambda: isinstance(app.screen, ReaderScreen))
            assert app.screen.current_paragraph.id == latest(app).answer.citations[0].hit.paragraph.id

    asyncio.run(scenario())
