"""Odd record files: the parser keeps what it can, says what it skipped, never raises, loses nothing."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from qa.records.load import load_corpus
from qa.records.model import Meeting
from qa.records.parse import RecordError, decode_record, parse_record

GOOD = "主席（以英语发言）：我宣布会议开始。\n\n张三先生（中国）：中方欢迎。\n"


def pieces_in_order(meeting: Meeting) -> str:
    """Every place a character can end up, in record order, as one string without white space."""
    placed: list[tuple[int, int, str]] = [(f.line, 0, f.text) for f in meeting.furniture]
    for speech in meeting.speeches:
        placed.append((speech.line, 1, speech.speaker_line))
        placed += [(s.line, 2, s.text) for s in speech.language_switches]
        placed += [(p.line, 3, p.text) for p in speech.paragraphs]
    placed.sort(key=lambda item: (item[0], item[1]))
    return "".join("".join(text.split()) for _, _, text in placed)


def non_space(text: str) -> str:
    return "".join(text.split())


def test_damaged_speaker_lines_are_salvaged_and_reported(tmp_path):
    record = (
        GOOD + "\n李四先生（法国（以法语发言）法国支持。\n\n"  # a bracket and the colon lost
        "先生（英国）（以英语发言）：名字丢了。\n\n"  # the name lost
        "王五女士（德国）：德国同意。\n"
    )
    (tmp_path / "r.txt").write_text(record, encoding="utf-8")
    corpus = load_corpus(tmp_path)
    speeches = corpus.meetings[0].speeches
    got = [(s.speaker, s.affiliation, s.language, [p.text for p in s.paragraphs]) for s in speeches[2:]]
    assert got == [
        ("李四", "法国", "法语", ["法国支持。"]),
        ("未具名发言者", "英国", "英语", ["名字丢了。"]),
        ("王五", "德国", None, ["德国同意。"]),
    ]
    messages = [str(problem) for problem in corpus.problems]
    assert len(messages) == 2
    assert messages[0].endswith("line 5: damaged speaker line '李四先生（法国（以法语发言）', read as 李四（法国）")
    assert "line 7: damaged speaker line" in messages[1]


def test_link_to_missing_target_folder_named_txt_and_unreadable_file(tmp_path, monkeypatch):
    (tmp_path / "good.txt").write_text(GOOD, encoding="utf-8")
    (tmp_path / "dangling.txt").symlink_to(tmp_path / "nowhere.txt")
    (tmp_path / "x.txt").mkdir()
    (tmp_path / "locked.txt").write_text(GOOD, encoding="utf-8")
    real_read_bytes = Path.read_bytes

    def read_bytes(path):
        if path.name == "locked.txt":  # root can read any file, so refuse the way the OS would
            raise PermissionError(13, "Permission denied")
        return real_read_bytes(path)

    monkeypatch.setattr(Path, "read_bytes", read_bytes)
    corpus = load_corpus(tmp_path)
    assert [m.source.rsplit("/", 1)[-1] for m in corpus.meetings] == ["good.txt"]
    reasons = {p.path.rsplit("/", 1)[-1]: p.message for p in corpus.problems}
    assert "does not exist" in reasons["dangling.txt"]
    assert "a folder" in reasons["x.txt"]
    assert "permission denied" in reasons["locked.txt"]


@pytest.mark.skipif(os.geteuid() == 0, reason="root reads files whatever their mode")
def test_unreadable_file_by_mode(tmp_path):
    (tmp_path / "good.txt").write_text(GOOD, encoding="utf-8")
    locked = tmp_path / "locked.txt"
    locked.write_text(GOOD, encoding="utf-8")
    locked.chmod(0)
    corpus = load_corpus(tmp_path)
    assert [p.path.rsplit("/", 1)[-1] for p in corpus.problems] == ["locked.txt"]


def test_seeds_path_that_is_a_file(tmp_path):
    from qa.errors import UserError

    (tmp_path / "a.txt").write_text(GOOD, encoding="utf-8")
    with pytest.raises(UserError, match="is a file, not a folder"):
        load_corpus(tmp_path / "a.txt")


def test_undecodable_bytes_are_refused_with_a_reason():
    with pytest.raises(RecordError, match="is mostly not text"):
        decode_record(b"\x81\x30\x81")  # a truncated GB18030 sequence, invalid UTF-8 too: all of it bad
    with pytest.raises(RecordError, match="UTF-16"):
        decode_record(b"\xff\xfe\x00\xd8")  # a lone surrogate after the byte-order mark


record_alphabet = st.sampled_from(
    list("张三李四先生女士夫人主席秘书长（）()：:，。！？；以英语发言 \u3000\tAb1/9-")
    + ["\n", "\n\n", " 续", "22-25946  15/20", "16/02/2022 标题 S/PV.8967", "上午11时05分开会。", "（以法语发言）"]
)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(record_alphabet, max_size=60).map("".join))
def test_parser_never_raises_and_loses_nothing(text):
    try:
        meeting = parse_record(text, "h.txt", "S/PV.1")
    except RecordError:
        return  # no speaker turns: refused with a reason, nothing to place
    assert pieces_in_order(meeting) == non_space(text)


@settings(max_examples=100, deadline=None)
@given(st.text(max_size=300))
def test_parser_never_raises_on_any_text(text):
    try:
        meeting = parse_record(text, "h.txt", "S/PV.1")
    except RecordError:
        return
    assert pieces_in_order(meeting) == non_space(text.lstrip("\ufeff"))


def test_bundled_record_loses_nothing(bundled_meeting):
    record = Path(__file__).resolve().parent.parent / "seeds" / "S_PV.8967.zh.txt"
    assert pieces_in_order(bundled_meeting) == non_space(record.read_text(encoding="utf-8"))
