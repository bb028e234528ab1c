"""Records with a few bad bytes are read, the bytes replaced and their lines named; only a file that is mostly
not text is skipped (a single cut character used to make a whole meeting disappear)."""

from __future__ import annotations

import shutil

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from qa.records.load import load_corpus
from qa.records.parse import RecordError, decode_with_warnings
from tests.conftest import BUNDLED_RECORD

DATA = BUNDLED_RECORD.read_bytes()


def damaged(line: int, bad: bytes) -> bytes:
    """The bundled record with ``bad`` put into the middle of 1-based ``line``."""
    lines = DATA.split(b"\n")
    text = lines[line - 1].decode("utf-8")
    middle = len(text[: len(text) // 2].encode("utf-8"))
    lines[line - 1] = lines[line - 1][:middle] + bad + lines[line - 1][middle:]
    return b"\n".join(lines)


def test_a_surrogate_encoded_in_utf8_is_replaced_and_its_line_named(bundled_meeting, tmp_path):
    seeds = tmp_path / "seeds"
    seeds.mkdir()
    line = bundled_meeting.speeches[3].paragraphs[0].line
    (seeds / BUNDLED_RECORD.name).write_bytes(damaged(line, b"\xed\xa0\x80"))
    corpus = load_corpus(seeds)
    meeting = corpus.meetings[0]
    assert [str(problem) for problem in corpus.problems] == [
        f"{meeting.source}: line {line}: 3 bytes (not UTF-8) replaced with \ufffd"
    ]
    assert len(meeting.speeches) == len(bundled_meeting.speeches)
    assert "\ufffd" in meeting.speeches[3].paragraphs[0].text
    assert (
        meeting.speeches[3].paragraphs[0].text.replace("\ufffd", "") == bundled_meeting.speeches[3].paragraphs[0].text
    )


def test_a_file_cut_inside_a_character_keeps_the_meeting(tmp_path):
    whole = DATA.rstrip(b"\n")
    text, warnings = decode_with_warnings(whole + "中".encode()[:2])
    assert text == whole.decode("utf-8") + "\ufffd"
    last_line = whole.count(b"\n") + 1
    assert warnings == (f"line {last_line}: 2 bytes (not UTF-8) replaced with \ufffd",)


def test_a_gb18030_record_with_a_bad_byte_is_read_as_gb18030():
    original = DATA.decode("utf-8")
    head, tail = original[:3000].encode("gb18030"), original[3000:].encode("gb18030")
    text, warnings = decode_with_warnings(head + b"\xff" + tail)
    assert text.replace("\ufffd", "") == DATA.decode("utf-8") and warnings[0].endswith(
        "(not GB18030) replaced with \ufffd"
    )


def test_a_stray_nul_byte_is_replaced_but_a_binary_file_is_skipped(tmp_path):
    text, warnings = decode_with_warnings(damaged(40, b"\x00"))
    assert "\x00" not in text and warnings == ("line 40: 1 byte (NUL) replaced with \ufffd",)
    with pytest.raises(RecordError, match="binary file"):
        decode_with_warnings(DATA.decode("utf-8").encode("utf-16-le"))  # UTF-16 without its byte-order mark


def test_a_file_that_is_mostly_not_text_is_skipped_with_the_reason(tmp_path):
    seeds = tmp_path / "seeds"
    seeds.mkdir()
    shutil.copy(BUNDLED_RECORD, seeds)
    (seeds / "S_PV.9999.zh.txt").write_bytes(bytes(range(1, 256)) * 40)
    corpus = load_corpus(seeds)
    assert len(corpus.meetings) == 1
    assert [problem.message for problem in corpus.problems] == [
        "skipped: is mostly not text (neither UTF-8 nor GB18030, nor UTF-16 with a byte-order mark); save it as UTF-8"
    ]


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.tuples(st.integers(0, len(DATA) - 1), st.integers(0, 255)), min_size=1, max_size=40))
def test_a_few_damaged_bytes_anywhere_never_lose_the_record(changes):
    data = bytearray(DATA)
    for place, value in changes:
        data[place] = value
    text, warnings = decode_with_warnings(bytes(data))
    assert len(warnings) <= 1 and "\x00" not in text
    assert not any("\udc80" <= char <= "\udcff" for char in text)
    assert abs(len(text) - len(DATA.decode("utf-8"))) <= 3 * len(changes)
