"""`qa ask` end to end: plain text when piped, the answer object with --json, options, errors."""

from __future__ import annotations

import json

import pytest

from qa.cli import main
from tests.conftest import REPO


@pytest.fixture(scope="session")
def cache_dir(tmp_path_factory):
    """One index cache for the whole module: the first command builds it, the others load it."""
    return str(tmp_path_factory.mktemp("ask-cache"))


def run(capsys, cache_dir, *argv):
    status = main(["--cache-dir", cache_dir, *argv])
    captured = capsys.readouterr()
    return status, captured.out, captured.err


def test_plain_answer_with_sources(capsys, cache_dir):
    status, out, _ = run(capsys, cache_dir, "ask", "安理会这次会议是几点散会的？")
    assert status == 0
    assert out == (
        "下午1时15分——会议记录：“下午1时15分散会。”[1]\n"
        "\n"
        "来源：\n"
        "[1] 会议记录, S/PV.8967, 2022-02-16, p. 20, seeds/S_PV.8967.zh.txt:1584, https://undocs.org/zh/S/PV.8967\n"
        "    “下午1时15分散会。”\n"
    )
    assert "\x1b[" not in out


def test_json_answer_object(capsys, cache_dir):
    status, out, _ = run(capsys, cache_dir, "ask", "--json", "--top-k", "3", "中方对阿富汗海外资产持什么立场？")
    result = json.loads(out)
    assert status == 0
    assert {"id", "question", "kind", "answer", "abstained", "error", "citations", "retrieved"} <= set(result)
    assert len(result["retrieved"]) == 3
    first = result["citations"][0]
    assert first["n"] == 1 and first["speaker"] == "张军" and first["affiliation"] == "中国"
    assert first["meeting"] == "S/PV.8967" and first["date"] == "2022-02-16"
    assert all(part in first["text"] for part in first["quote"].split(" … "))
    assert first["source"] == "seeds/S_PV.8967.zh.txt"
    assert {"page", "line", "paragraph_id", "score"} <= set(first)


def test_speaker_option_restricts_the_sources(capsys, cache_dir):
    status, out, _ = run(capsys, cache_dir, "ask", "--json", "--speaker", "挪威", "哈萨克斯坦")
    result = json.loads(out)
    assert status == 0 and {hit["affiliation"] for hit in result["retrieved"]} == {"挪威"}


def test_declined_answer_lists_related_passages(capsys, cache_dir):
    status, out, _ = run(capsys, cache_dir, "ask", "集安组织总部大楼有多少层？")
    assert status == 0
    assert out.startswith("记录中未找到这个问题的答案。")
    assert "可能相关的段落：\n[1] " in out


@pytest.mark.parametrize("command", ["ask", "search"])
def test_an_empty_question_is_the_same_usage_error_for_ask_and_search(capsys, cache_dir, command):
    with pytest.raises(SystemExit) as stop:
        main(["--cache-dir", cache_dir, command, "   "])
    err = capsys.readouterr().err
    assert stop.value.code == 2
    reason = 'the question is empty; write it in quotes, e.g. "集安组织 维和"'
    assert err == f"qa {command}: error: argument question: {reason} (see qa {command} --help)\n"


def test_a_question_of_punctuation_alone_is_a_gentle_prompt(capsys, cache_dir):
    status, out, _ = run(capsys, cache_dir, "ask", "？？")
    assert status == 0 and out.startswith("请输入一个具体的问题")


def test_english_question(capsys, cache_dir):
    status, out, _ = run(capsys, cache_dir, "ask", "Which country set up an India-Central Asia dialogue?")
    assert status == 0
    assert out.startswith("蒂鲁穆尔蒂（印度）: “") and "\n\nSources:\n[1] 蒂鲁穆尔蒂（印度）, S/PV.8967" in out


def test_record_text_with_escape_sequences_is_not_passed_to_the_terminal(capsys, cache_dir, tmp_path):
    seeds = tmp_path / "seeds"
    seeds.mkdir()
    record = (REPO / "seeds" / "S_PV.8967.zh.txt").read_text(encoding="utf-8")
    poisoned = record.replace("下午1时15分散会。", "下午1时15分散会\x1b[2J\x1b]0;pwned\x07。")
    (seeds / "S_PV.8967.zh.txt").write_text(poisoned, encoding="utf-8")
    status, out, _ = run(capsys, str(tmp_path / "cache"), "--seeds", str(seeds), "ask", "会议几点散会？")
    assert status == 0 and "\x1b" not in out and "\x07" not in out


def test_templates_from_another_folder(capsys, cache_dir, prompts_copy):
    folder = prompts_copy
    (folder / "factoid.zh.txt").write_text(
        "[line]\n${quote}[${n}]\n[value_line]\n答：${value}[${n}]\n", encoding="utf-8"
    )
    status, out, _ = run(capsys, cache_dir, "--prompts", str(folder), "ask", "会议几点散会？")
    assert status == 0 and out.startswith("答：下午1时15分[1]\n")


def test_broken_template_is_one_error_line(capsys, cache_dir, prompts_copy):
    folder = prompts_copy
    (folder / "stance.en.txt").write_text("[line]\n${speaker} ${oops}[${n}]\n", encoding="utf-8")
    status, out, err = run(capsys, cache_dir, "ask", "--prompts", str(folder), "会议几点散会？")
    assert status == 2 and out == ""
    assert err == f"qa: error: {folder / 'stance.en.txt'}:2: unknown variable ${{oops}} in [line] " + (
        "(known: affiliation, date, index, meeting, n, name, page, quote, speaker, value)\n"
    )


@pytest.mark.parametrize("value", ["0", "abc", "1001"])
def test_bad_top_k_is_refused(capsys, cache_dir, value):
    with pytest.raises(SystemExit) as raised:
        main(["ask", "--top-k", value, "问题"])
    assert raised.value.code == 2
    assert "--top-k" in capsys.readouterr().err


def test_terminal_output_styles_markers_and_values_without_markup(cache_dir):
    from qa.answer.pipeline import answer
    from qa.commands.ask import plain_text, styled
    from qa.index.open import open_engine
    from qa.records.load import load_corpus

    engine = open_engine(load_corpus(REPO / "seeds"), cache_dir=cache_dir)
    result = answer("会议几点散会？", engine)
    text = styled(result)
    assert text.plain == plain_text(result)
    styles = {(text.plain[span.start : span.end], str(span.style)) for span in text.spans}
    assert ("[1]", "bold cyan") in styles and ("下午1时15分", "bold yellow") in styles


def test_an_unknown_speaker_is_one_line_with_the_closest_names(capsys, cache_dir):
    status, out, err = run(capsys, cache_dir, "ask", "--speaker", "扎四", "维和")
    assert status == 2 and out == ""
    message = "--speaker '扎四': no such speaker, country or organisation in the records; closest: 扎斯"
    assert err == f"qa: error: {message}\n"


def test_speaker_by_its_english_name(capsys, cache_dir):
    status, out, _ = run(capsys, cache_dir, "ask", "--json", "--speaker", "France", "恐怖主义")
    assert status == 0
    assert {hit["affiliation"] for hit in json.loads(out)["retrieved"]} == {"法国"}


def test_a_blank_question_loads_no_records(capsys, tmp_path):
    cache = tmp_path / "fresh-cache"
    status, out, _ = run(capsys, str(cache), "ask", "--json", "什么？")
    assert status == 0 and json.loads(out)["abstained"] is True
    assert not cache.exists()
