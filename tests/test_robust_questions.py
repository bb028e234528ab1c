"""Odd questions through `qa ask` and answer(): blank, long, escapes, markup, emoji, rare CJK, full width.

Already covered elsewhere (not repeated here): answer() declines a blank question without touching the
engine (test_compose.py::test_blank_question_is_declined_without_retrieval); analyse() recognises blank
questions, strips escapes and cuts long questions (test_questions.py); answers to odd questions are well
formed (test_compose.py::test_odd_questions_get_well_formed_answers).
"""

from __future__ import annotations

import json
import re
import unicodedata

import pytest

from qa.answer.pipeline import answer
from qa.answer.questions import MAX_QUESTION_CHARS
from qa.answer.templates import load_templates
from qa.cli import main
from tests.conftest import REPO

TERMINAL_CONTROLS = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")
"""What must never reach a terminal from a question: C0 and C1 controls (ESC, CSI 0x9b, BEL, NUL), not \\n \\t."""


@pytest.fixture(scope="module")
def cache_dir(tmp_path_factory):
    return str(tmp_path_factory.mktemp("robust-questions-cache"))


@pytest.fixture(scope="module")
def engine(bundled_corpus, cache_dir):
    from qa.index.open import open_engine

    return open_engine(bundled_corpus, cache_dir=cache_dir)


def ask_cli(capsys, cache_dir, *argv):
    status = main(["--cache-dir", cache_dir, "ask", *argv])
    captured = capsys.readouterr()
    return status, captured.out, captured.err


def same_answer(left, right) -> bool:
    """Two answers agree in everything but the question as it was typed."""
    return {**left.to_json(), "question": None} == {**right.to_json(), "question": None}


@pytest.mark.parametrize(
    ("question", "language"),
    [("？！……。", "zh"), ("什么？哪些？谁", "zh"), ("what is the ?", "en")],
)
def test_a_question_with_nothing_to_look_up_gets_the_gentle_prompt(capsys, cache_dir, templates, question, language):
    status, out, err = ask_cli(capsys, cache_dir, "--json", question)
    result = json.loads(out)
    assert status == 0 and err == ""
    assert result["answer"] == templates.render("decline", language, "blank")
    assert result["abstained"] is True and result["error"] is None
    assert result["citations"] == [] and result["retrieved"] == [] and result["related"] == []


@pytest.mark.parametrize("question", ["", "   ", "\x1b[31m\x07"])
def test_a_blank_question_is_a_usage_error_and_runs_nothing(capsys, tmp_path, question):
    fresh_cache = tmp_path / "cache"
    with pytest.raises(SystemExit) as stop:  # issue 16: the same usage error as qa search ""
        ask_cli(capsys, str(fresh_cache), question)
    err = capsys.readouterr().err
    assert stop.value.code == 2 and "the question is empty" in err and "\x1b" not in err
    assert not fresh_cache.exists(), "an index was built for a blank question"


def test_a_question_of_100000_characters_is_cut_with_a_notice(capsys, cache_dir, engine):
    question = "张军对阿富汗局势怎么看？" + "。" * 100_000
    status, out, err = ask_cli(capsys, cache_dir, "--json", question)
    result = json.loads(out)
    assert status == 0 and err == ""
    assert len(result["question"]) == MAX_QUESTION_CHARS and question.startswith(result["question"])
    assert result["notice"] == f"（问题超过{MAX_QUESTION_CHARS}个字符，只使用了前{MAX_QUESTION_CHARS}个字符。）"
    assert result["citations"], "the question's first 500 characters still ask something answerable"
    status, out, _ = ask_cli(capsys, cache_dir, question)
    assert status == 0 and f"问题超过{MAX_QUESTION_CHARS}个字符" in out


def test_the_question_length_limit_is_documented(capsys):
    with pytest.raises(SystemExit):
        main(["ask", "--help"])
    help_text = capsys.readouterr().out
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    assert str(MAX_QUESTION_CHARS) in help_text or f"{MAX_QUESTION_CHARS} characters" in readme


@pytest.mark.parametrize(
    "noise",
    [
        ("\x1b[31m", "\x1b[0m"),  # colour (CSI)
        ("\x1b]0;pwned\x07", "\x1b[2J"),  # window title (OSC), clear screen
        ("\x00\x08", "\x7f\x9b\x85"),  # NUL, backspace, DEL, 8-bit CSI and NEL on their own
    ],
)
def test_escapes_are_removed_and_do_not_change_the_answer(capsys, cache_dir, engine, templates, noise):
    clean = "中国对阿富汗局势怎么看？"
    noisy = f"{noise[0]}中国{noise[1]}对阿富汗局势怎么看？{noise[0]}"
    result = answer(noisy, engine, templates=templates)
    assert not TERMINAL_CONTROLS.search(result.question)
    assert result.question == clean and same_answer(result, answer(clean, engine, templates=templates))
    for argv in (["--json", noisy], [noisy]):
        status, out, _ = ask_cli(capsys, cache_dir, *argv)
        assert status == 0 and not TERMINAL_CONTROLS.search(out.replace("\n", ""))


@pytest.mark.parametrize(
    ("decorated", "plain"),
    [
        ("集安组织🙂维和部队何时撤离哈萨克斯坦？🙂", "集安组织维和部队何时撤离哈萨克斯坦？"),  # emoji
        ("𠀀𠀁 集安组织维和部队何时撤离哈萨克斯坦？", "集安组织维和部队何时撤离哈萨克斯坦？"),  # Extension B
        ("CSTO 维和部队何时撤离 Kazakhstan？", "集安组织维和部队何时撤离哈萨克斯坦？"),  # mixed Chinese/English
        ("哈萨克斯坦１４个省中有几个省发生骚乱？", "哈萨克斯坦14个省中有几个省发生骚乱？"),  # full-width digits
    ],
)
def test_decorated_questions_get_the_plain_questions_answer(engine, templates, decorated, plain):
    expected = answer(plain, engine, templates=templates)
    result = answer(decorated, engine, templates=templates)
    assert not expected.abstained, "the plain question must be answerable for the comparison to mean anything"
    assert same_answer(result, expected)
    assert result.question == decorated, "the question is repeated as typed (full width, emoji and all)"


def test_full_width_digits_find_the_records_half_width_value(engine, templates):
    result = answer("哈萨克斯坦１４个省中有几个省发生骚乱？", engine, templates=templates)
    assert "14个" in result.key_values
    assert all(value in result.citations[0].hit.paragraph.text for value in result.key_values)


def test_only_rare_characters_are_declined_not_refused(engine, templates):
    for question in ["𠀀𠀁𪚥？", "🙂🙂🙂", "𠀀 是什么意思？"]:
        result = answer(question, engine, templates=templates)
        assert result.abstained and result.error is None and not result.citations


def test_markup_in_a_question_is_never_interpreted(capsys, cache_dir, engine, templates):
    """Rich markup and HTML in a question stay literal text in every output form."""
    question = "[bold red]中国[/] 对 <b>阿富汗</b> [link=http://x]局势[/link] 怎么看？"
    status, out, _ = ask_cli(capsys, cache_dir, "--json", question)
    assert status == 0 and json.loads(out)["question"] == question
    from qa.commands.ask import styled

    text = styled(answer(question, engine, templates=templates))
    assert all("link" not in str(span.style) for span in text.spans)


@pytest.fixture()
def echoing_templates(prompts_copy):
    """The shipped templates, with not_found repeating the question (``${question}``)."""
    folder = prompts_copy
    for language in ("zh", "en"):
        path = folder / f"decline.{language}.txt"
        text = path.read_text(encoding="utf-8")
        path.write_text(re.sub(r"\[not_found\]\n[^\n]*", "[not_found]\nQ=${question}", text), encoding="utf-8")
    return load_templates(folder)


@pytest.mark.parametrize(
    "question",
    [
        "${question.__class__} 大楼有多少层？",
        "{question.__class__} {0.__init__.__globals__} 大楼有多少层？",
        "$__import__('os') 大楼有多少层？",
    ],
)
def test_a_question_cannot_reach_python_objects_through_a_template(engine, echoing_templates, question):
    result = answer(question, engine, templates=echoing_templates)
    assert result.abstained, "the record has no floor count: declined with the not_found template"
    assert result.text == "Q=" + unicodedata.normalize("NFKC", question)  # ${question} is the cleaned question


TEMPLATE_RECORD = """\
联合国 S/PV.9002
安全理事会
2023年3月2日上午10时在纽约举行

主席（以英语发言）：我宣布会议开始。

张三先生（中国）：中方支持${speaker}和{quote.__class__}以及$__import__的乡村教育项目。

李四先生（法国）（以法语发言）：法国支持水井项目。
"""


def test_template_syntax_in_a_record_is_quoted_literally(tmp_path):
    """A paragraph is a value put into a template once, never a template itself."""
    from qa.index.open import open_engine
    from qa.records.load import load_corpus

    (tmp_path / "seeds").mkdir()
    (tmp_path / "seeds" / "r.txt").write_text(TEMPLATE_RECORD, encoding="utf-8")
    engine = open_engine(load_corpus(tmp_path / "seeds"), cache_dir=tmp_path / "cache")
    result = answer("中方支持哪些乡村教育项目？", engine)
    literal = "中方支持${speaker}和{quote.__class__}以及$__import__的乡村教育项目。"
    assert result.citations and result.citations[0].quote == literal
    assert literal in result.text and "class" not in result.text.replace("{quote.__class__}", "")


def test_undecodable_bytes_in_a_question_do_not_break_the_output(engine, templates):
    result = answer("会议几点散会？\udcff", engine, templates=templates)
    json.dumps(result.to_json(), ensure_ascii=False).encode("utf-8")


RARE_RECORD = """\
联合国 S/PV.9001
安全理事会
2023年3月1日上午10时在纽约举行

主席（以英语发言）：我宣布会议开始。

张三先生（中国）：中方注意到𠀀𠀁村的水井项目已经完成。

李四先生（法国）（以法语发言）：法国支持教育项目。
"""


def test_a_word_in_rare_cjk_characters_can_be_searched(tmp_path):
    from qa.index.open import open_engine
    from qa.records.load import load_corpus

    (tmp_path / "seeds").mkdir()
    (tmp_path / "seeds" / "r.txt").write_text(RARE_RECORD, encoding="utf-8")
    rare = open_engine(load_corpus(tmp_path / "seeds"), cache_dir=tmp_path / "cache")
    hits = rare.search("𠀀𠀁村", k=1)
    assert hits and "𠀀𠀁村" in hits[0].paragraph.text


def test_every_front_end_strips_the_same_escapes_and_controls():
    """8-bit CSI, DCS strings and bidi overrides too; the chat and the composer clean one way."""
    from qa.answer.questions import analyse
    from qa.text.normalize import strip_controls
    from qa.tui.clean import clean_question

    raw = "\x9b31m中国\x1bP1;2q\x1b\\对\u202e阿富汗\ue000怎么看？"
    assert strip_controls(raw) == "中国对阿富汗怎么看？"
    assert clean_question(raw).text == "中国对阿富汗怎么看？"
    assert analyse(raw).text == analyse(clean_question(raw).text).text == "中国对阿富汗怎么看?"  # NFKC
    assert strip_controls("第一行\n\t第二行\x07") == "第一行\n\t第二行"
