"""The question history: kept across sessions, and never a reason for the chat to fail."""

from __future__ import annotations

import json
import os

import pytest

from qa.tui.history import HISTORY_FILE, QuestionHistory, Recall, default_history_path, parse_history


def test_questions_survive_a_new_session(tmp_path):
    path = tmp_path / HISTORY_FILE
    first = QuestionHistory(path)
    first.add("张军说了什么？")
    first.add('带"引号"和\n换行的问题')
    first.add("张军说了什么？")
    assert QuestionHistory(path).entries == ["张军说了什么？", '带"引号"和\n换行的问题', "张军说了什么？"]


def test_the_same_question_twice_in_a_row_is_kept_once(tmp_path):
    history = QuestionHistory(tmp_path / HISTORY_FILE)
    history.add("同一个问题")
    history.add("  同一个问题  ")
    assert history.entries == ["同一个问题"]
    assert len((tmp_path / HISTORY_FILE).read_text("utf-8").splitlines()) == 1


def test_damaged_lines_are_skipped_and_reported(tmp_path):
    path = tmp_path / HISTORY_FILE
    path.write_bytes(b'"first"\n{not json\n\xff\xfe garbage\n42\n"second"\n')
    history = QuestionHistory(path)
    assert history.entries == ["first", "second"]
    assert "skipped 3 damaged line(s)" in history.problem
    history.add("third")
    assert QuestionHistory(path).entries == ["first", "second", "third"]


@pytest.mark.skipif(os.name == "nt" or os.geteuid() == 0, reason="needs POSIX permissions as a normal user")
def test_an_unwritable_folder_keeps_the_history_in_memory(tmp_path):
    folder = tmp_path / "locked"
    folder.mkdir()
    folder.chmod(0o500)
    try:
        history = QuestionHistory(folder / "sub" / HISTORY_FILE)
        history.add("一个问题")
        history.add("另一个问题")
    finally:
        folder.chmod(0o700)
    assert history.entries == ["一个问题", "另一个问题"]
    assert "kept for this session only" in history.problem


def test_a_folder_in_place_of_the_file_is_reported_not_raised(tmp_path):
    path = tmp_path / HISTORY_FILE
    path.mkdir()
    history = QuestionHistory(path)
    history.add("问题")
    assert history.entries == ["问题"]
    assert str(path) in history.problem


def test_the_file_is_compacted_to_the_limit(tmp_path):
    path = tmp_path / HISTORY_FILE
    history = QuestionHistory(path, limit=3)
    for number in range(8):
        history.add(f"问题{number}")
    assert history.entries == ["问题5", "问题6", "问题7"]
    assert QuestionHistory(path, limit=3).entries == ["问题5", "问题6", "问题7"]
    assert len(path.read_text("utf-8").splitlines()) <= 6


def test_default_path_is_in_the_user_data_folder(tmp_path, monkeypatch):
    monkeypatch.setenv("QA_DATA_DIR", str(tmp_path))
    assert default_history_path() == tmp_path / HISTORY_FILE


def test_parse_history_keeps_only_non_empty_strings():
    text = "\n".join(json.dumps(value) for value in ["a", "", "  ", ["list"], None, "b"])
    assert parse_history(text) == (["a", "b"], 4)


def test_recall_walks_back_and_returns_to_the_draft():
    recall = Recall(["一", "二", "三"])
    assert recall.newer() is None
    assert [recall.older("草稿"), recall.older("三"), recall.older("二"), recall.older("一")] == [
        "三",
        "二",
        "一",
        None,
    ]
    assert [recall.newer(), recall.newer(), recall.newer(), recall.newer()] == ["二", "三", "草稿", None]


def test_recall_of_an_empty_history_changes_nothing():
    recall = Recall([])
    assert recall.older("typed") is None
    assert recall.newer() is None
