"""Errors a user can cause on the command line: one line naming the option, file or line and what to do,
a non-zero exit, a traceback only with --debug; record text never acts on the terminal.

Already covered elsewhere: --top-k 0 / abc / 1000 for `qa ask` (test_ask_cli.py::test_bad_top_k_is_refused),
an unknown template variable as one line (test_ask_cli.py::test_broken_template_is_one_error_line), a missing
question file (test_batch.py::test_missing_question_file), --output into a missing folder
(test_batch.py::test_unwritable_output_fails_before_any_work), a missing seeds folder
(test_records.py::test_corpus_summary_and_missing_seeds).
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from qa.cli import main
from qa.errors import UserError
from tests.conftest import REPO

ESCAPES = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]|\[2J|\]0;")
"""Control characters, and what is left of an escape sequence when only its ESC is removed."""


@pytest.fixture(scope="module")
def cache_dir(tmp_path_factory):
    return str(tmp_path_factory.mktemp("robust-cli-cache"))


@pytest.fixture()
def question_file(tmp_path):
    path = tmp_path / "questions.txt"
    path.write_text("会议几点散会？\n", encoding="utf-8")
    return path


def run(capsys, *argv):
    """(exit status, stdout, stderr) of ``qa argv``, whether it returns or exits through argparse."""
    try:
        status = main(list(argv))
    except SystemExit as exit_:
        status = exit_.code
    captured = capsys.readouterr()
    return status, captured.out, captured.err


def one_error_line(err: str) -> str:
    lines = err.splitlines()
    assert len(lines) == 1, f"expected one line, got:\n{err}"
    assert "Traceback" not in err and "usage:" not in err
    return lines[0]


@pytest.mark.parametrize(
    ("argv", "names"),
    [
        (["ask", "--bogus", "问题"], ["qa ask: error:", "--bogus", "qa ask --help"]),
        (["ask", "--top-k", "-5", "问题"], ["qa ask: error:", "--top-k", "-5"]),
        (["ask", "--top-k=-5", "问题"], ["qa ask: error:", "--top-k", "-5"]),
        (["batch", "{questions}", "--top-k", "0"], ["qa batch: error:", "--top-k", "got 0"]),
        (["batch", "{questions}", "--format", "xml"], ["qa batch: error:", "--format", "'xml'", "jsonl"]),
        (["search", "-k", "abc", "问题"], ["qa search: error:", "--top-k", "'abc'"]),
        (["eval", "--top-k", "0"], ["qa eval: error:", "--top-k"]),
        (["ask"], ["qa ask: error:", "question"]),
        (["corpus", "--seeds"], ["qa corpus: error:", "--seeds", "expected one argument"]),
        (["corpus", "--seeds", ""], ["qa corpus: error:", "--seeds", "empty folder name"]),
        (["--prompts=", "ask", "问题"], ["qa: error:", "--prompts", "empty folder name"]),
        (["eval", "--bogus"], ["qa eval: error:", "unrecognized arguments: --bogus"]),
        (["nosuchcommand"], ["qa: error:", "unknown command 'nosuchcommand'", "qa ask"]),
        (["阿富汗局势如何？"], ["qa: error:", "unknown command", 'qa ask "…"']),
    ],
)
def test_a_usage_mistake_is_one_line_naming_the_option(capsys, question_file, argv, names):
    argv = [str(question_file) if word == "{questions}" else word for word in argv]
    status, out, err = run(capsys, *argv)
    line = one_error_line(err)
    assert status == 2 and out == ""
    for name in names:
        assert name in line


def test_common_options_before_the_command_are_not_mistaken_for_it(capsys, tmp_path):
    status, out, err = run(capsys, "--seeds", str(REPO / "seeds"), "--cache-dir", str(tmp_path), "corpus")
    assert status == 0 and err == "" and out.startswith("S/PV.8967  2022-02-16")


def test_seeds_pointing_at_a_file(capsys, question_file):
    status, out, err = run(capsys, "--seeds", str(question_file), "ask", "问题")
    assert status == 2 and out == ""
    assert one_error_line(err) == (
        f"qa: error: --seeds {question_file} is a file, not a folder; pass the folder that holds the records"
    )


def test_a_user_error_shows_its_traceback_only_with_debug(capsys, question_file):
    with pytest.raises(UserError, match="is a file, not a folder"):
        main(["--debug", "--seeds", str(question_file), "corpus"])


@pytest.fixture()
def unreadable_prompts(prompts_copy, monkeypatch):
    """A copy of prompts/ whose files cannot be read (refused the way the OS would: tests may run as root)."""
    folder = prompts_copy
    real_read_text = Path.read_text

    def read_text(path, *args, **kwargs):
        if path.parent == folder:
            raise PermissionError(13, "Permission denied", str(path))
        return real_read_text(path, *args, **kwargs)

    monkeypatch.setattr(Path, "read_text", read_text)
    return folder


def test_an_unreadable_prompts_folder_is_one_line_naming_the_file(capsys, cache_dir, unreadable_prompts):
    status, out, err = run(capsys, "--cache-dir", cache_dir, "--prompts", str(unreadable_prompts), "ask", "问题")
    line = one_error_line(err)
    assert status == 2 and out == ""
    assert line.startswith(f"qa: error: {unreadable_prompts}{os.sep}") and "Permission denied" in line


@pytest.mark.skipif(os.geteuid() == 0, reason="root reads files whatever their mode")
def test_an_unreadable_prompts_folder_by_mode(capsys, cache_dir, prompts_copy):
    folder = prompts_copy
    folder.chmod(0)
    try:
        status, _, err = run(capsys, "--cache-dir", cache_dir, "--prompts", str(folder), "ask", "问题")
    finally:
        folder.chmod(0o755)
    assert status == 2 and one_error_line(err).startswith(f"qa: error: {folder}")


@pytest.mark.parametrize(
    ("template", "message"),
    [
        ("[line]\n${speaker}：$__import__[${n}]\n", ":2: unknown variable ${__import__} in [line]"),
        ("[line]\n${quote.__class__}[${n}]\n", ":2: malformed placeholder in [line]"),
        ("[line]\n${speaker}：“${quote}”[${n}]\n[line]\n${quote}[${n}]\n", ":3: section [line] appears twice"),
    ],
)
def test_a_broken_template_is_one_line_naming_file_and_line(capsys, cache_dir, prompts_copy, template, message):
    (prompts_copy / "who.en.txt").write_text(template, encoding="utf-8")
    status, out, err = run(capsys, "--cache-dir", cache_dir, "--prompts", str(prompts_copy), "ask", "问题")
    assert status == 2 and out == ""
    assert one_error_line(err).startswith(f"qa: error: {prompts_copy / 'who.en.txt'}{message}")


def test_a_template_error_after_blank_lines_names_the_right_line(prompts_copy):
    from qa.answer.templates import load_templates

    (prompts_copy / "who.zh.txt").write_text("[line]\n\n# a comment\n\n${speaker}：${oops}[${n}]\n", "utf-8")
    with pytest.raises(UserError, match=r"who\.zh\.txt:5: unknown variable"):
        load_templates(prompts_copy)


def qa_subprocess(*argv, stdout=subprocess.PIPE):
    environment = {**os.environ, "PYTHONIOENCODING": "utf-8:strict"}
    command = [sys.executable, "-m", "qa", *argv]
    return subprocess.run(command, stdout=stdout, stderr=subprocess.PIPE, env=environment, cwd=REPO, timeout=30)


@pytest.mark.skipif(not Path("/dev/full").is_char_device(), reason="needs /dev/full (a device that is always full)")
def test_a_full_disk_is_one_line_not_a_traceback(capsys, cache_dir, question_file):
    with open("/dev/full", "w") as full:
        done = qa_subprocess("corpus", stdout=full)
    err = done.stderr.decode("utf-8")
    assert done.returncode == 1
    assert one_error_line(err) == (
        "qa: error: writing the output failed (No space left on device); check the disk and the output file, "
        "then run again"
    )
    status, _, err = run(capsys, "--cache-dir", cache_dir, "batch", str(question_file), "--output", "/dev/full")
    assert status == 1 and one_error_line(err) == (
        "qa: error: /dev/full: No space left on device; write the answers to a file with --output"
    )
    assert Path("/dev/full").is_char_device()


ESCAPED_RECORD = """\
联合国 S/PV.9001
安全理事会\x1b]0;pwned\x07

主席（以英语发言）：我宣布会议开始。

张\x1b[2J三先生（中国）：中方\x1b[31m欢迎这一进展。
"""


@pytest.fixture()
def escaped_seeds(tmp_path):
    folder = tmp_path / "seeds"
    folder.mkdir()
    (folder / "r.txt").write_text(ESCAPED_RECORD, encoding="utf-8")
    return folder


@pytest.mark.parametrize("argv", [["corpus"], ["search", "中方欢迎"]])
def test_escape_sequences_in_a_record_never_reach_the_terminal(capsys, tmp_path, escaped_seeds, argv):
    status, out, _ = run(capsys, "--seeds", str(escaped_seeds), "--cache-dir", str(tmp_path / "cache"), *argv)
    assert status == 0 and ("欢迎" in out or "张三" in out)
    assert not ESCAPES.search(out.replace("\n", ""))


@pytest.mark.parametrize("argv", [["ask", "中方欢迎什么？"], ["batch", "--format", "md", "-"]])
def test_escape_sequences_in_a_record_never_reach_the_terminal_from_answers(
    capsys, tmp_path, escaped_seeds, monkeypatch, argv
):
    import io

    monkeypatch.setattr("sys.stdin", io.StringIO("中方欢迎什么？\n"))
    status, out, _ = run(capsys, "--seeds", str(escaped_seeds), "--cache-dir", str(tmp_path / "cache"), *argv)
    assert status == 0 and "张" in out
    assert not ESCAPES.search(out.replace("\n", ""))


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (None, "{path}: cannot read the question file (No such file or directory)"),
        (b"\xff\xfe{}\n", "{path}: not UTF-8 text (byte 0); save the question file as UTF-8"),
        (b'{"id": "a", "question": "x", "kind": "who"}\n{"id": "b", "kind": "who"}\n', "{path}:2: no 'question' field"),
        (b"{oops\n", "{path}:1: not a question object (Expecting property name"),
    ],
)
def test_a_bad_eval_file_is_one_line_naming_file_and_line(capsys, tmp_path, content, message):
    path = tmp_path / "questions.jsonl"
    if content is not None:
        path.write_bytes(content)
    status, out, err = run(capsys, "eval", str(path))
    assert status == 2 and out == ""
    assert one_error_line(err).startswith("qa: error: " + message.format(path=path))


def test_a_speaker_nobody_in_the_records_matches_is_named(capsys, cache_dir):
    status, out, err = run(capsys, "--cache-dir", cache_dir, "search", "--speaker", "不存在的国家", "集安组织")
    assert status == 2 and out == ""
    assert one_error_line(err) == (
        "qa: error: --speaker '不存在的国家': no such speaker, country or organisation in the records; "
        "speakers include: Dautllari, 中国, 主席, 亚美尼亚, 伊利亚索夫, 伯恩·内森, 俄罗斯联邦, 加纳"
    )
    status, out, _ = run(capsys, "--cache-dir", cache_dir, "search", "--speaker", "挪威", "-k", "1", "集安组织")
    assert status == 0 and "（挪威）" in out


@pytest.mark.skipif(not hasattr(os, "mkfifo") or not os.path.exists("/dev/zero"), reason="needs FIFOs and /dev/zero")
def test_a_pipe_or_a_device_among_the_records_is_skipped_not_waited_on(tmp_path):
    seeds = tmp_path / "seeds"
    seeds.mkdir()
    shutil.copy(REPO / "seeds" / "S_PV.8967.zh.txt", seeds)
    os.mkfifo(seeds / "pipe.txt")  # reading it would wait for a writer forever
    (seeds / "zero.txt").symlink_to("/dev/zero")  # reading it would never end
    done = qa_subprocess("--seeds", str(seeds), "corpus")  # times out (and fails) if it hangs
    assert done.returncode == 0 and done.stdout.decode("utf-8").startswith("S/PV.8967")
    assert done.stderr.decode("utf-8").splitlines() == [
        f"qa: warning: {seeds / name}: skipped: not a regular file (a pipe, socket or device)"
        for name in ("pipe.txt", "zero.txt")
    ]
