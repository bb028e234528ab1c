"""The command line of issue 16: one -k/--top-k everywhere, --speaker on batch and chat, examples in every
--help, "did you mean" for mistyped commands and options, no raw escapes in an error line."""

from __future__ import annotations

import asyncio
import json

import pytest

from qa.cli import available_commands, build_parser, main
from qa.commands.common import DEFAULT_TOP_K


@pytest.fixture(scope="module")
def cache_dir(tmp_path_factory):
    return str(tmp_path_factory.mktemp("options-cache"))


def help_text(capsys, *argv) -> str:
    with pytest.raises(SystemExit):
        main([*argv, "--help"])
    return capsys.readouterr().out


@pytest.mark.parametrize("command", sorted(available_commands()))
def test_every_help_ends_with_examples(capsys, command):
    text = help_text(capsys, command)
    examples = text.rsplit("examples:\n", 1)
    assert len(examples) == 2 and f"  qa {'' if command == 'chat' else command}".rstrip() in examples[1]


def test_qa_help_and_eval_help_explain_the_file_format(capsys):
    assert "examples:\n  qa " in help_text(capsys)
    text = help_text(capsys, "eval")
    assert "file format (JSON Lines" in text and '"evidence"' in text and "answer hit" in text


@pytest.mark.parametrize("command", ["ask", "search", "batch", "eval"])
@pytest.mark.parametrize("spelling", ["-k", "--top-k"])
def test_ask_search_batch_and_eval_take_k_with_one_default(command, spelling):
    parser = build_parser()
    question = [] if command == "eval" else ["问题"]
    args = parser.parse_args([command, *question, spelling, "7"])
    assert args.top_k == 7
    default = parser.parse_args([command, *question]).top_k
    assert default in (DEFAULT_TOP_K, None)  # None for ask: the same default, and the list is not printed


def test_top_k_visibly_changes_ask(capsys, cache_dir):
    question = "谁呼吁加强会员国方面的合作？"
    assert main(["--cache-dir", cache_dir, "ask", question]) == 0
    plain = capsys.readouterr().out
    assert main(["--cache-dir", cache_dir, "ask", "-k", "3", question]) == 0
    listed = capsys.readouterr().out
    assert listed.startswith(plain.rstrip("\n")) and "检索到的段落（前 3 个）：" in listed
    assert main(["--cache-dir", cache_dir, "ask", "--top-k", "1", question]) == 0
    assert "检索到的段落（前 1 个）：" in capsys.readouterr().out


def test_batch_with_a_speaker_cites_only_that_speaker(capsys, cache_dir, tmp_path):
    questions = tmp_path / "q.txt"
    questions.write_text("如何看待区域组织的作用？\n阿富汗局势如何？\n", encoding="utf-8")
    assert main(["--cache-dir", cache_dir, "batch", str(questions), "--speaker", "中国", "-k", "3"]) == 0
    rows = [json.loads(line) for line in capsys.readouterr().out.splitlines()[1:]]  # after the settings line
    assert [row["id"] for row in rows] == ["L1", "L2"]
    cited = [citation for row in rows for citation in row["citations"]]
    assert cited and all(citation["affiliation"] == "中国" for citation in cited)
    assert all(len(row["retrieved"]) <= 3 for row in rows)
    assert main(["--cache-dir", cache_dir, "batch", str(questions), "--speaker", "火星"]) == 2
    assert "--speaker '火星': no such speaker" in capsys.readouterr().err


def test_chat_speaker_starts_filtered(bundled_corpus, bundled_cache_dir):
    from qa.tui.app import make_app
    from tests.test_chat import ask

    assert build_parser().parse_args(["chat", "--speaker", "中国"]).speaker == "中国"

    async def scenario():
        app = make_app(corpus=bundled_corpus, cache_dir=bundled_cache_dir, speaker="中国")
        async with app.run_test(size=(100, 32)) as pilot:
            await ask(pilot, "如何看待区域组织的作用？")
            citations = app.exchanges[max(app.exchanges)].answer.citations
            assert citations and all(c.hit.speech.affiliation == "中国" for c in citations)
            assert "only 中国" in str(app.query_one("#status-text").render())

    asyncio.run(scenario())


@pytest.mark.parametrize(
    ("argv", "hint"),
    [
        (["serch", "x"], "did you mean 'search'?"),
        (["ask", "--topk", "3", "问题"], "did you mean --top-k?"),
        (["batch", "f.txt", "--speker", "中国"], "did you mean --speaker?"),
    ],
)
def test_a_mistyped_command_or_option_gets_a_suggestion(capsys, argv, hint):
    with pytest.raises(SystemExit) as stop:
        main(argv)
    err = capsys.readouterr().err
    assert stop.value.code == 2 and hint in err and err.count("\n") == 1


def test_error_lines_never_echo_escape_bytes(capsys, tmp_path):
    assert main(["--seeds", str(tmp_path / "\x1b[31mred\x1b]0;t\x07"), "corpus"]) == 2
    err = capsys.readouterr().err
    assert "\x1b" not in err and "\x07" not in err and "red" in err
    with pytest.raises(SystemExit):
        main(["ask", "--top-k", "\x1b[2J", "问题"])
    assert "\x1b" not in capsys.readouterr().err
