"""`qa batch` end to end: the three formats, standard input, errors recorded in place, resuming."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest

from qa.cli import main
from qa.commands.batchfiles import completed, read_batch
from qa.errors import UserError

QUESTIONS = [
    "安理会这次会议是几点散会的？",
    "中方对阿富汗海外资产持什么立场？",
    "集安组织总部大楼有多少层？",
    "哪个国家提到了伊朗查巴哈港？",
]


@pytest.fixture(scope="session")
def cache_dir(tmp_path_factory):
    return str(tmp_path_factory.mktemp("batch-cache"))


@pytest.fixture()
def question_file(tmp_path):
    path = tmp_path / "questions.txt"
    path.write_text("# questions for the test\n\n" + "\n".join(QUESTIONS) + "\n", encoding="utf-8")
    return path


def answers(text: str) -> list[dict]:
    """The answer objects of a JSONL batch output, after its first line: the settings it was made with."""
    settings, *rows = [json.loads(line) for line in text.splitlines()]
    assert set(settings) == {"qa_batch"} and settings["qa_batch"]["top_k"] > 0
    return rows


def batch(capsys, cache_dir, *argv):
    status = main(["--cache-dir", cache_dir, "batch", *argv])
    captured = capsys.readouterr()
    return status, captured.out, captured.err


def test_read_batch_plain_and_json_lines():
    text = (
        '# c\n第一问\n\n{"id": "q7", "question": "第二问", "kind": "x"}\n{"question": "第三问"}\n{oops\n{"id": "z"}\n'
    )
    items = read_batch("f", text)
    assert [(i.id, i.question, i.line) for i in items[:3]] == [
        ("L2", "第一问", 2),
        ("q7", "第二问", 4),
        ("L5", "第三问", 5),
    ]
    assert items[3].id == "L6" and items[3].error.startswith("line 6: not valid JSON")
    assert (items[4].id, items[4].error) == ("z", 'line 7: no "question" text in this JSON object')


def test_duplicate_ids_are_refused_naming_them():
    with pytest.raises(UserError, match="f: duplicate ids a, b;"):
        read_batch(
            "f",
            '{"id": "a", "question": "1"}\n{"id": "b", "question": "2"}\n{"id": "a", "question": "3"}\n'
            '{"id": "b", "question": "4"}\n',
        )


def test_jsonl_to_stdout_in_input_order(capsys, cache_dir, question_file):
    status, out, err = batch(capsys, cache_dir, str(question_file))
    rows = answers(out)
    assert status == 0 and err == ""
    assert [row["id"] for row in rows] == ["L3", "L4", "L5", "L6"]
    assert [row["question"] for row in rows] == QUESTIONS
    assert rows[0]["answer"].startswith("下午1时15分") and rows[2]["abstained"] is True
    assert rows[3]["citations"][0]["affiliation"] == "印度"
    assert all(len(row["retrieved"]) <= 5 for row in rows)


def test_same_input_gives_byte_identical_output(capsys, cache_dir, question_file, tmp_path):
    outputs = []
    for name in ("one.jsonl", "two.jsonl"):
        assert batch(capsys, cache_dir, str(question_file), "--output", str(tmp_path / name))[0] == 0
        outputs.append((tmp_path / name).read_bytes())
    assert outputs[0] == outputs[1] and outputs[0].count(b"\n") == 5


def test_csv_format(capsys, cache_dir, question_file):
    status, out, _ = batch(capsys, cache_dir, str(question_file), "--format", "csv")
    rows = list(csv.DictReader(io.StringIO(out)))
    assert status == 0 and [row["id"] for row in rows] == ["L3", "L4", "L5", "L6"]
    assert rows[0]["answer"].startswith("下午1时15分") and rows[0]["abstained"] == "false"
    assert (
        rows[0]["sources"]
        == "[1] 会议记录, S/PV.8967, 2022-02-16, p. 20, seeds/S_PV.8967.zh.txt:1584, https://undocs.org/zh/S/PV.8967"
    )
    assert rows[2]["abstained"] == "true"


def test_markdown_format(capsys, cache_dir, question_file):
    status, out, _ = batch(capsys, cache_dir, str(question_file), "--format", "md")
    assert status == 0
    settings, body = out.split(" -->\n\n", 1)
    assert settings.startswith('<!-- qa batch settings {"format": "md", "index_version": ')
    assert body.startswith("## L3: 安理会这次会议是几点散会的？\n\n下午1时15分——会议记录：“下午1时15分散会。”[1]  \n\n")
    cited = "会议记录, S/PV.8967, 2022-02-16, p. 20, seeds/S_PV.8967.zh.txt:1584, https://undocs.org/zh/S/PV.8967"
    assert f"- [1] {cited}\n  > 下午1时15分散会。\n" in out
    assert out.count("<!-- end of answer") == 4


def test_stdin_json_lines_with_a_malformed_line(capsys, cache_dir, monkeypatch):
    lines = [
        '{"id": "a", "question": "会议几点散会？", "extra": 1}',
        "{not json",
        '{"question": "中方对阿富汗海外资产持什么立场？"}',
    ]
    monkeypatch.setattr("sys.stdin", io.StringIO("\n".join(lines) + "\n"))
    status, out, err = batch(capsys, cache_dir, "-")
    rows = answers(out)
    assert [row["id"] for row in rows] == ["a", "L2", "L3"]
    assert rows[1]["error"].startswith("line 2: not valid JSON") and rows[1]["abstained"] is True
    assert rows[2]["citations"][0]["speaker"] == "张军"
    assert status == 1 and "1 of 3 question(s) failed" in err


def test_a_failing_question_is_recorded_and_the_batch_goes_on(capsys, cache_dir, question_file, monkeypatch):
    import qa.commands.batch

    real = qa.commands.batch.answer

    def flaky(question, engine, **options):
        if "立场" in question:
            raise RuntimeError("index exploded")
        return real(question, engine, **options)

    monkeypatch.setattr(qa.commands.batch, "answer", flaky)
    status, out, err = batch(capsys, cache_dir, str(question_file))
    rows = answers(out)
    assert status == 1 and len(rows) == 4
    assert rows[1]["error"] == "RuntimeError: index exploded" and rows[1]["answer"] == ""
    assert rows[3]["error"] is None and rows[3]["citations"]


@pytest.mark.parametrize("fmt", ["jsonl", "csv", "md"])
def test_resume_after_a_kill_midway_gives_the_same_file(capsys, cache_dir, question_file, tmp_path, fmt):
    full = tmp_path / f"full.{fmt}"
    assert batch(capsys, cache_dir, str(question_file), "--format", fmt, "--output", str(full))[0] == 0
    complete = full.read_text(encoding="utf-8")
    done, end = completed(complete, fmt)
    assert done == {"L3", "L4", "L5", "L6"} and end == len(complete)
    # A batch killed while writing its third answer: two whole entries and half of the third.
    second_end = complete.index("L5") if fmt != "jsonl" else complete.index('"id": "L5"')
    second_end = complete.rfind("\n", 0, second_end) + 1
    partial = tmp_path / f"partial.{fmt}"
    partial.write_text(complete[: second_end + 25], encoding="utf-8")
    copy_settings(full, partial, fmt)
    assert completed(partial.read_text(encoding="utf-8"), fmt)[0] == {"L3", "L4"}
    status, _, err = batch(capsys, cache_dir, str(question_file), "--format", fmt, "--output", str(partial), "--resume")
    assert status == 0 and err == f"qa: resuming {partial}: 2 of 4 questions already answered, skipped\n"
    assert partial.read_bytes() == full.read_bytes()


def copy_settings(made: Path, to: Path, fmt: str) -> None:
    """A CSV output's settings are in a sidecar file, which a cut-off copy needs too."""
    if fmt == "csv":
        Path(f"{to}.settings.json").write_bytes(Path(f"{made}.settings.json").read_bytes())


def test_resume_needs_an_output_file(capsys, cache_dir, question_file):
    status, _, err = batch(capsys, cache_dir, str(question_file), "--resume")
    assert status == 2 and err == "qa: error: --resume needs --output PATH (the file to continue)\n"


def test_unwritable_output_fails_before_any_work(capsys, cache_dir, question_file, tmp_path, monkeypatch):
    import qa.commands.batch

    monkeypatch.setattr(qa.commands.batch, "open_answering", lambda args: pytest.fail("work started"))
    target = tmp_path / "missing-folder" / "out.jsonl"
    status, _, err = batch(capsys, cache_dir, str(question_file), "--output", str(target))
    assert status == 2 and err.startswith(f"qa: error: {target}: cannot write the output")


def test_duplicate_ids_fail_before_any_work(capsys, cache_dir, tmp_path):
    path = tmp_path / "dup.jsonl"
    path.write_text('{"id": "x", "question": "一"}\n{"id": "x", "question": "二"}\n', encoding="utf-8")
    status, out, err = batch(capsys, cache_dir, str(path), "--output", str(tmp_path / "out.jsonl"))
    assert status == 2 and out == "" and "duplicate ids x" in err
    assert not (tmp_path / "out.jsonl").exists()


def test_missing_question_file(capsys, cache_dir, tmp_path):
    status, _, err = batch(capsys, cache_dir, str(tmp_path / "nope.txt"))
    assert status == 2 and err == f"qa: error: {tmp_path / 'nope.txt'}: no such question file\n"


def test_each_answer_is_written_before_the_next_is_composed(capsys, cache_dir, question_file, tmp_path, monkeypatch):
    import qa.commands.batch

    real, output, seen = qa.commands.batch.answer, tmp_path / "stream.jsonl", []
    partial = tmp_path / "stream.jsonl.partial"

    def watching(question, engine, **options):
        seen.append((output.exists(), partial.read_text(encoding="utf-8").count("\n")))
        return real(question, engine, **options)

    monkeypatch.setattr(qa.commands.batch, "answer", watching)
    assert batch(capsys, cache_dir, str(question_file), "--output", str(output))[0] == 0
    assert seen == [(False, 1), (False, 2), (False, 3), (False, 4)]  # the settings line, then each answer
    assert not partial.exists() and output.read_text(encoding="utf-8").count("\n") == 5


def test_progress_bar_only_on_a_terminal(capsys, cache_dir, question_file, monkeypatch):
    class Terminal(io.StringIO):
        def isatty(self):
            return True

    terminal = Terminal()
    monkeypatch.setattr("sys.stderr", terminal)
    assert batch(capsys, cache_dir, str(question_file), "--output", str(question_file.with_suffix(".out")))[0] == 0
    shown = terminal.getvalue()
    assert "4/4" in shown and " q/s" in shown and "0:00:00" in shown  # done, the rate, the time left
    _, _, err = batch(capsys, cache_dir, str(question_file))
    assert err == ""


def test_resume_refuses_to_cut_a_file_of_another_format(capsys, cache_dir, question_file, tmp_path):
    output = tmp_path / "answers.jsonl"
    output.write_text('{"id": "L3", "answer": "x"}\n', encoding="utf-8")
    status, _, err = batch(
        capsys, cache_dir, str(question_file), "--format", "csv", "--output", str(output), "--resume"
    )
    assert status == 2 and "not a csv batch output" in err
    assert output.read_text(encoding="utf-8") == '{"id": "L3", "answer": "x"}\n'


def test_a_really_killed_batch_resumes_to_the_same_file(capsys, cache_dir, tmp_path):
    import os
    import signal
    import subprocess
    import sys
    import time

    questions = tmp_path / "many.txt"
    questions.write_text("\n".join(QUESTIONS * 30) + "\n", encoding="utf-8")
    expected = tmp_path / "expected.jsonl"
    assert batch(capsys, cache_dir, str(questions), "--output", str(expected))[0] == 0
    output = tmp_path / "killed.jsonl"
    output.write_text("the previous output, kept until the new one is complete\n", encoding="utf-8")
    partial = tmp_path / "killed.jsonl.partial"
    command = [sys.executable, "-m", "qa", "--cache-dir", cache_dir, "batch", str(questions), "--output", str(output)]
    process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline and process.poll() is None:
        if partial.exists() and partial.stat().st_size > 20_000:
            os.kill(process.pid, signal.SIGKILL)
            break
        time.sleep(0.005)
    process.wait()
    assert 0 < partial.stat().st_size < expected.stat().st_size, "the batch was not stopped midway"
    assert output.read_text(encoding="utf-8").startswith("the previous output")
    assert batch(capsys, cache_dir, str(questions), "--output", str(output), "--resume")[0] == 0
    assert output.read_bytes() == expected.read_bytes() and not partial.exists()


def test_stdin_is_read_as_utf8_bytes_whatever_the_locale(capsys, cache_dir, monkeypatch, tmp_path):
    """A Latin-1 text layer would garble the questions; a byte that is not UTF-8 is refused before any work."""
    good = io.BytesIO("会议几点散会？\n".encode())
    monkeypatch.setattr("sys.stdin", io.TextIOWrapper(good, encoding="latin-1"))
    status, out, _ = batch(capsys, cache_dir, "-")
    assert status == 0 and answers(out)[0]["question"] == "会议几点散会？"
    bad = io.BytesIO(b"\xff\xfe\n")
    monkeypatch.setattr("sys.stdin", io.TextIOWrapper(bad, encoding="utf-8"))
    status, out, err = batch(capsys, cache_dir, "-", "--output", str(tmp_path / "out.jsonl"))
    assert status == 2 and out == ""
    assert err == "qa: error: <stdin>: not UTF-8 text (invalid start byte at byte 0); send UTF-8\n"


@pytest.mark.parametrize("fmt", ["jsonl", "csv", "md"])
def test_resume_after_a_cut_inside_a_character(capsys, cache_dir, question_file, tmp_path, fmt):
    full = tmp_path / f"full.{fmt}"
    assert batch(capsys, cache_dir, str(question_file), "--format", fmt, "--output", str(full))[0] == 0
    data = full.read_bytes()
    cut = len(data) // 2
    while data[cut] & 0xC0 != 0x80:  # the middle of a multi-byte character
        cut += 1
    partial = tmp_path / f"partial.{fmt}"
    partial.write_bytes(data[:cut])
    copy_settings(full, partial, fmt)
    status, _, err = batch(capsys, cache_dir, str(question_file), "--format", fmt, "--output", str(partial), "--resume")
    assert status == 0 and err.startswith(f"qa: resuming {partial}: ")
    assert partial.read_bytes() == data


def test_record_text_reaches_csv_and_markdown_without_escape_sequences():
    from qa.commands.batchfiles import csv_values, markdown

    citation = {"n": 1, "speaker": "张\x1b[2J三", "meeting": "S/PV.1", "page": 2, "source": "a.txt", "line": 3}
    answer = {"id": "q1", "question": "问\x1b]0;x\x07题", "answer": "答\x1b[31m案[1]", "citations": [citation]}
    answer["citations"][0]["quote"] = "引\x07文"
    text = markdown(answer) + "".join(csv_values(answer).values())
    assert "\x1b" not in text and "\x07" not in text
    assert "## q1: 问题" in text and "答案[1]" in text and "[1] 张三, S/PV.1" in text and "> 引文" in text


def test_workers_answer_as_one_process_does(tmp_path, seeds):
    """``--workers 2`` over enough questions for the pool: the same file, byte for byte, as one process."""
    from qa.commands.batchpool import POOL_FROM

    questions = tmp_path / "questions.txt"
    dev_file = Path(__file__).parent / "data" / "dev.jsonl"
    dev = [json.loads(line)["question"] for line in dev_file.read_text(encoding="utf-8").splitlines() if line.strip()]
    questions.write_text("\n".join((dev * 2)[:POOL_FROM]) + "\n", encoding="utf-8")
    outputs = []
    for workers in ("1", "2"):
        target = tmp_path / f"answers-{workers}.jsonl"
        common = ["--seeds", str(seeds), "--cache-dir", str(tmp_path / "cache")]
        assert main([*common, "batch", str(questions), "--workers", workers, "--output", str(target)]) == 0
        outputs.append(target.read_bytes())
    assert outputs[0] == outputs[1] and outputs[0].count(b"\n") == POOL_FROM + 1
