"""`qa batch --output`: the previous file survives a failed run, settings are recorded and a resume with other
settings is refused, the CSV opens in Excel, and JSON output escapes record text's control characters."""

from __future__ import annotations

import csv
import io
import json
import os
from pathlib import Path

import pytest

from qa.cli import main
from qa.commands.batchfiles import read_batch
from qa.commands.common import json_text
from qa.commands.metrics import load_questions

QUESTIONS = ["安理会这次会议是几点散会的？", "中方对阿富汗海外资产持什么立场？", "集安组织总部大楼有多少层？"]


@pytest.fixture(scope="module")
def cache_dir(tmp_path_factory):
    return str(tmp_path_factory.mktemp("batch-output-cache"))


@pytest.fixture()
def questions(tmp_path):
    path = tmp_path / "questions.txt"
    path.write_text("\n".join(QUESTIONS) + "\n", encoding="utf-8")
    return path


def batch(capsys, cache_dir, *argv):
    status = main(["--cache-dir", cache_dir, "batch", *argv])
    captured = capsys.readouterr()
    return status, captured.out, captured.err


def test_a_full_disk_keeps_the_previous_output_and_names_the_cause(capsys, cache_dir, tmp_path, small_disk):
    many = tmp_path / "many.txt"
    many.write_text("\n".join(QUESTIONS * 40) + "\n", encoding="utf-8")  # about 400 KB of answers
    output = small_disk / "answers.jsonl"
    output.write_text("the previous answers\n", encoding="utf-8")
    status, _, err = batch(capsys, cache_dir, str(many), "--output", str(output))
    assert status == 1 and err.count("\n") == 1
    assert err.startswith(f"qa: error: {output}.partial: No space left on device; {output} is unchanged")
    assert err.endswith("then run again with --resume\n")
    assert output.read_text(encoding="utf-8") == "the previous answers\n"
    partial = Path(f"{output}.partial").read_bytes().decode("utf-8", "replace")  # the disk may cut a character
    assert partial.startswith('{"qa_batch": ') and partial.count("\n") > 2  # the answers done so far are kept


@pytest.mark.parametrize("fmt", ["jsonl", "csv", "md"])
def test_a_resume_with_other_settings_is_refused_naming_them(capsys, cache_dir, questions, tmp_path, fmt):
    output = tmp_path / f"answers.{fmt}"
    assert batch(capsys, cache_dir, str(questions), "--format", fmt, "--output", str(output), "--top-k", "5")[0] == 0
    before = output.read_bytes()
    status, _, err = batch(
        capsys, cache_dir, str(questions), "--format", fmt, "--output", str(output), "--resume", "--top-k", "10"
    )
    assert status == 2 and output.read_bytes() == before
    assert err == (
        f"qa: error: {output}: answered with other settings (--top-k 5 there, 10 now); "
        "resume with the same, or give another --output\n"
    )


def test_a_resume_with_other_templates_is_refused(capsys, cache_dir, questions, tmp_path):
    import shutil

    from qa.paths import default_prompts_dir

    prompts = tmp_path / "prompts"
    shutil.copytree(default_prompts_dir(), prompts)
    output = tmp_path / "answers.jsonl"
    assert batch(capsys, cache_dir, str(questions), "--output", str(output))[0] == 0
    decline = prompts / "decline.zh.txt"
    decline.write_text(decline.read_text(encoding="utf-8").replace("记录中", "记录里"), encoding="utf-8")
    status, _, err = main_with_prompts(capsys, cache_dir, prompts, str(questions), "--output", str(output), "--resume")
    assert status == 2 and "the templates (--prompts) " in err


def main_with_prompts(capsys, cache_dir, prompts, *argv):
    status = main(["--cache-dir", cache_dir, "--prompts", str(prompts), "batch", *argv])
    captured = capsys.readouterr()
    return status, captured.out, captured.err


def test_an_output_of_an_older_qa_is_not_resumed(capsys, cache_dir, questions, tmp_path):
    output = tmp_path / "old.jsonl"
    old = '{"id": "L1", "answer": "x", "question": "q"}\n'
    output.write_text(old, encoding="utf-8")
    status, _, err = batch(capsys, cache_dir, str(questions), "--output", str(output), "--resume")
    assert status == 2 and "does not record the settings it was answered with" in err
    assert output.read_text(encoding="utf-8") == old


def test_readers_of_a_batch_output_skip_its_settings_line(capsys, cache_dir, tmp_path):
    answers = tmp_path / "answers.jsonl"
    source = tmp_path / "questions.jsonl"
    rows = [{"id": f"q{n}", "question": text, "kind": "factoid"} for n, text in enumerate(QUESTIONS)]
    source.write_text("".join(json.dumps(row, ensure_ascii=False) + "\n" for row in rows), encoding="utf-8")
    assert batch(capsys, cache_dir, str(source), "--output", str(answers))[0] == 0
    text = answers.read_text(encoding="utf-8")
    assert [item.id for item in read_batch("answers", text)] == ["q0", "q1", "q2"]
    assert all(item.error is None for item in read_batch("answers", text))
    assert [question.id for question in load_questions(answers)] == ["q0", "q1", "q2"]


def test_csv_has_a_byte_order_mark_and_quoted_sources(capsys, cache_dir, questions, tmp_path):
    output = tmp_path / "answers.csv"
    assert batch(capsys, cache_dir, str(questions), "--format", "csv", "--output", str(output))[0] == 0
    data = output.read_bytes()
    assert data.startswith(b"\xef\xbb\xbfid,question,kind,abstained,error,answer,sources\n")
    rows = list(csv.DictReader(io.StringIO(data.decode("utf-8-sig"))))
    assert [row["id"] for row in rows] == ["L1", "L2", "L3"]
    assert rows[2]["abstained"] == "true" and rows[2]["sources"] == ""
    lines = data.decode("utf-8-sig").splitlines()
    assert lines[-1].endswith(',""'), "an empty sources cell is quoted too"
    sidecar = json.loads(Path(f"{output}.settings.json").read_text(encoding="utf-8"))
    assert sidecar["qa_batch"]["format"] == "csv" and sidecar["qa_batch"]["top_k"] == 5
    _, out, _ = batch(capsys, cache_dir, str(questions), "--format", "csv")
    assert out.startswith("id,question"), "standard output gets no byte-order mark"


def test_a_kill_before_any_answer_leaves_a_resumable_partial(capsys, cache_dir, questions, tmp_path, monkeypatch):
    import qa.commands.batch

    output = tmp_path / "answers.md"

    def interrupted(*args, **kwargs):
        raise KeyboardInterrupt

    monkeypatch.setattr(qa.commands.batch, "answer", interrupted)
    status, _, err = batch(capsys, cache_dir, str(questions), "--format", "md", "--output", str(output))
    assert status == 130 and f"the answers so far are in {output}.partial; --resume continues" in err
    assert not output.exists()
    monkeypatch.undo()
    status, _, err = batch(capsys, cache_dir, str(questions), "--format", "md", "--output", str(output), "--resume")
    assert status == 0 and err == f"qa: resuming {output}.partial: 0 of 3 questions already answered, skipped\n"
    assert output.read_text(encoding="utf-8").count("<!-- end of answer") == 3
    assert not Path(f"{output}.partial").exists()


def test_json_text_escapes_controls_and_bidi_overrides_and_decodes_the_same():
    value = {"text": "甲\x9b31m乙\u202e丙\x7f丁\u2028戊\n", "名": "中国"}
    text = json_text(value, sort_keys=True)
    assert "\\u009b" in text and "\\u202e" in text and "\\u007f" in text and "\\u2028" in text
    assert not any(char in text for char in "\x9b\u202e\x7f\u2028")
    assert "中国" in text and json.loads(text) == value


def test_search_json_escapes_record_text(capsys, tmp_path):
    seeds = tmp_path / "seeds"
    seeds.mkdir()
    bundled = Path(__file__).resolve().parents[1] / "seeds" / "S_PV.8967.zh.txt"
    text = bundled.read_text(encoding="utf-8").replace("查巴哈港", "查巴哈\x9b2J\u202e港", 1)
    (seeds / "S_PV.8967.zh.txt").write_text(text, encoding="utf-8")
    status = main(["--seeds", str(seeds), "--cache-dir", str(tmp_path / "cache"), "search", "查巴哈港", "--json"])
    out = capsys.readouterr().out
    assert status == 0 and "\\u009b2J\\u202e" in out and "\x9b" not in out and "\u202e" not in out
    assert any("查巴哈\x9b2J\u202e港" in hit["text"] for hit in json.loads(out))


def test_an_output_through_a_link_replaces_the_file_and_keeps_the_link(capsys, cache_dir, questions, tmp_path):
    real = tmp_path / "real.jsonl"
    real.write_text("old\n", encoding="utf-8")
    link = tmp_path / "link.jsonl"
    link.symlink_to(real)
    assert batch(capsys, cache_dir, str(questions), "--output", str(link))[0] == 0
    assert link.is_symlink() and real.read_text(encoding="utf-8").count("\n") == 4


def test_an_output_that_is_a_pipe_is_written_as_it_is(capsys, cache_dir, questions, tmp_path):
    import threading

    pipe = tmp_path / "answers.pipe"
    os.mkfifo(pipe)
    received: list[bytes] = []
    reader = threading.Thread(target=lambda: received.append(pipe.read_bytes()))
    reader.start()
    status, _, err = batch(capsys, cache_dir, str(questions), "--output", str(pipe))
    reader.join(timeout=30)
    assert status == 0 and err == "" and received[0].count(b"\n") == 4
    assert pipe.is_fifo() and not Path(f"{pipe}.partial").exists()


def test_a_resume_with_nothing_to_resume_answers_all_quietly(capsys, cache_dir, questions, tmp_path):
    output = tmp_path / "new.jsonl"
    status, _, err = batch(capsys, cache_dir, str(questions), "--output", str(output), "--resume")
    assert status == 0 and err == "" and output.read_text(encoding="utf-8").count("\n") == 4
