"""`qa batch` with bad inputs and outputs: refused before any work, errors kept in place, resuming exactly.

Already covered in test_batch.py: --output into a missing folder fails before any work
(test_unwritable_output_fails_before_any_work); a malformed JSON line on standard input is that line's error
(test_stdin_json_lines_with_a_malformed_line); duplicate ids fail before any work
(test_duplicate_ids_fail_before_any_work); a batch killed with SIGKILL and resumed equals the uninterrupted
file (test_a_really_killed_batch_resumes_to_the_same_file), and so does one cut mid-entry in each format
(test_resume_after_a_kill_midway_gives_the_same_file).
"""

from __future__ import annotations

import csv
import io
import json
import os
from pathlib import Path

import pytest

from qa.cli import main

LINES = [
    '{"id": "a", "question": "会议几点散会？"}',
    '{"id": "b", "question": 会议几点开始}',
    "{not json at all",
    '{"id": "c", "question": ["列表不是问题"]}',
    '{"id": "d", "question": "中方对阿富汗海外资产持什么立场？"}',
]


@pytest.fixture(scope="module")
def cache_dir(tmp_path_factory):
    return str(tmp_path_factory.mktemp("robust-batch-cache"))


@pytest.fixture()
def questions(tmp_path):
    path = tmp_path / "questions.jsonl"
    path.write_text("\n".join(LINES) + "\n", encoding="utf-8")
    return path


@pytest.fixture()
def no_work(monkeypatch):
    """Fail the test if the batch gets as far as loading templates, records or the index."""
    import qa.commands.batch

    monkeypatch.setattr(qa.commands.batch, "open_answering", lambda args: pytest.fail("work started"))


def batch(capsys, cache_dir, *argv):
    status = main(["--cache-dir", cache_dir, "batch", *argv])
    captured = capsys.readouterr()
    return status, captured.out, captured.err


def test_an_output_that_is_a_folder_fails_before_any_work(capsys, cache_dir, questions, tmp_path, no_work):
    status, out, err = batch(capsys, cache_dir, str(questions), "--output", str(tmp_path))
    assert status == 2 and out == ""
    assert err == f"qa: error: {tmp_path}: is a folder; choose a file for --output\n"


def test_an_output_the_user_may_not_write_fails_before_any_work(
    capsys, cache_dir, questions, tmp_path, no_work, monkeypatch
):
    target = tmp_path / "locked.jsonl"
    target.write_text("a read-only earlier output\n", encoding="utf-8")
    real_open = Path.open

    def refusing_open(path, mode="r", *args, **kwargs):
        if path == target and any(flag in mode for flag in "wa+"):
            raise PermissionError(13, "Permission denied", str(path))  # as for a read-only file (tests run as root)
        return real_open(path, mode, *args, **kwargs)

    monkeypatch.setattr(Path, "open", refusing_open)
    status, _, err = batch(capsys, cache_dir, str(questions), "--output", str(target))
    assert status == 2
    assert err == f"qa: error: {target}: cannot write the output (Permission denied); choose another --output\n"
    assert target.read_text(encoding="utf-8") == "a read-only earlier output\n"
    assert not Path(f"{target}.partial").exists()


@pytest.mark.skipif(os.geteuid() == 0, reason="root writes into read-only folders")
def test_an_output_in_a_read_only_folder_by_mode(capsys, cache_dir, questions, tmp_path, no_work):
    folder = tmp_path / "read-only"
    folder.mkdir(mode=0o555)
    status, _, err = batch(capsys, cache_dir, str(questions), "--output", str(folder / "out.jsonl"))
    assert status == 2 and "cannot write the output (Permission denied)" in err


@pytest.mark.parametrize("fmt", ["jsonl", "csv", "md"])
def test_malformed_lines_are_their_own_errors_and_the_batch_goes_on(capsys, cache_dir, questions, tmp_path, fmt):
    output = tmp_path / f"out.{fmt}"
    status, out, err = batch(capsys, cache_dir, str(questions), "--format", fmt, "--output", str(output))
    assert status == 1 and out == "" and err == 'qa: 3 of 5 question(s) failed; see their "error" field\n'
    expected_errors = {
        "a": "",
        "L2": "line 2: not valid JSON (Expecting value)",  # its id cannot be read either
        "L3": "line 3: not valid JSON (Expecting property name enclosed in double quotes)",
        "c": 'line 4: no "question" text in this JSON object',
        "d": "",
    }
    assert entries(output.read_text(encoding="utf-8-sig"), fmt) == expected_errors


def entries(text: str, fmt: str) -> dict[str, str]:
    """id -> error ("" when answered) of every entry of a batch output, in order."""
    if fmt == "jsonl":
        settings, *rows = [json.loads(line) for line in text.splitlines()]
        assert set(settings) == {"qa_batch"}
        found = {row["id"]: row["error"] or "" for row in rows}
        assert all(row["citations"] for row in rows if not row["error"]), "the good questions were answered"
        return found
    if fmt == "csv":
        return {row["id"]: row["error"] for row in csv.DictReader(io.StringIO(text))}
    found = {}
    for block in text.split("<!-- end of answer ")[:-1]:
        heading = block[block.index("## ") + 3 :].split("\n", 1)[0]
        qid = heading.split(":", 1)[0]
        error = block.split("**Error:** ", 1)[1].split("\n", 1)[0] if "**Error:** " in block else ""
        found[qid] = error
    return found


def test_duplicate_ids_are_all_named_before_any_work(capsys, cache_dir, tmp_path, no_work):
    path = tmp_path / "dup.jsonl"
    lines = [
        '{"id": "x", "question": "一"}',
        "第二个问题",  # gets the id L2
        '{"id": "L2", "question": "三"}',
        '{"id": "x", "question": "四"}',
        '{"id": 7, "question": "五"}',
        '{"id": "7", "question": "六"}',
    ]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    output = tmp_path / "out.jsonl"
    output.write_text('{"id": "old"}\n', encoding="utf-8")
    status, out, err = batch(capsys, cache_dir, str(path), "--output", str(output), "--resume")
    assert status == 2 and out == ""
    assert err == f"qa: error: {path}: duplicate ids 7, L2, x; every question needs its own id\n"
    assert output.read_text(encoding="utf-8") == '{"id": "old"}\n', "the output was touched"


def test_resuming_a_finished_batch_asks_nothing_and_changes_nothing(
    capsys, cache_dir, questions, tmp_path, monkeypatch
):
    import qa.commands.batch

    output = tmp_path / "out.md"
    batch(capsys, cache_dir, str(questions), "--format", "md", "--output", str(output))
    finished = output.read_bytes()
    monkeypatch.setattr(
        qa.commands.batch, "answer", lambda *args, **kwargs: pytest.fail("a finished question was asked")
    )
    status, _, _ = batch(capsys, cache_dir, str(questions), "--format", "md", "--output", str(output), "--resume")
    assert status == 0 and output.read_bytes() == finished


@pytest.mark.parametrize("fmt", ["jsonl", "md"])
def test_an_output_cut_inside_a_character_resumes_to_the_same_file(capsys, cache_dir, questions, tmp_path, fmt):
    full = tmp_path / f"full.{fmt}"
    batch(capsys, cache_dir, str(questions), "--format", fmt, "--output", str(full))
    data = full.read_bytes()
    cut = len(data) * 2 // 3
    while data[cut] & 0xC0 != 0x80:  # move onto a continuation byte: the middle of a character
        cut += 1
    partial = tmp_path / f"partial.{fmt}"
    partial.write_bytes(data[:cut])
    status, _, err = batch(capsys, cache_dir, str(questions), "--format", fmt, "--output", str(partial), "--resume")
    assert "not UTF-8" not in err
    assert partial.read_bytes() == data


def test_standard_input_that_is_not_utf8_is_refused_like_a_file(capsys, cache_dir, tmp_path, monkeypatch):
    raw = io.BytesIO("会议几点散会？\n".encode() + b"\xff\xfe\n")
    monkeypatch.setattr("sys.stdin", io.TextIOWrapper(raw, encoding="utf-8", errors="surrogateescape"))
    try:
        status, _, err = batch(capsys, cache_dir, "-", "--output", str(tmp_path / "out.jsonl"))
    except UnicodeError as error:
        pytest.fail(f"a traceback: {error!r}")
    assert status == 2 and err.startswith("qa: error: <stdin>: not UTF-8 text")


@pytest.mark.parametrize("fmt", ["jsonl", "csv"])
def test_an_output_that_is_a_device_or_a_pipe_is_written_not_replaced(capsys, cache_dir, tmp_path, fmt):
    """``--output /dev/null`` (or a named pipe) is written as it is: moving ``FILE.partial`` over it would turn the
    device into a plain file for every program on the machine."""
    questions = tmp_path / "one.txt"
    questions.write_text("会议几点散会？\n", encoding="utf-8")
    pipe = tmp_path / "answers.pipe"
    os.mkfifo(pipe)
    reader = os.open(pipe, os.O_RDONLY | os.O_NONBLOCK)  # a reader on the other end, so the batch can open it
    try:
        status, _, err = batch(capsys, cache_dir, str(questions), "--format", fmt, "--output", str(pipe))
        received = os.read(reader, 1 << 20).decode("utf-8-sig")
    finally:
        os.close(reader)
    assert status == 0, err
    assert pipe.is_fifo() and not Path(f"{pipe}.partial").exists() and not Path(f"{pipe}.settings.json").exists()
    assert "散会" in received
    if Path("/dev/null").is_char_device():
        assert batch(capsys, cache_dir, str(questions), "--format", fmt, "--output", "/dev/null")[0] == 0
        assert Path("/dev/null").is_char_device()
        assert not Path("/dev/null.partial").exists() and not Path("/dev/null.settings.json").exists()
