"""The parser on the bundled record and on small records the tests write."""

from __future__ import annotations

import json

import pytest

from qa.cli import main
from qa.errors import UserError
from qa.records.load import load_corpus
from qa.records.pages import join_wrapped
from qa.records.parse import parse_record
from tests.conftest import BUNDLED_RECORD

# The bundled record, speech by speech, as the printed record gives it.
EXPECTED_SPEECHES = [
    (None, None, None),
    ("主席", "俄罗斯联邦", "俄语"),
    ("秘书长", "联合国", "英语"),
    ("主席", "俄罗斯联邦", "俄语"),
    ("扎斯", "集体安全条约组织", "俄语"),
    ("主席", "俄罗斯联邦", "俄语"),
    ("主席", "俄罗斯联邦", "俄语"),
    ("主席", "俄罗斯联邦", "俄语"),
    ("卡里乌基", "联合王国", "英语"),
    ("德里维埃", "法国", "法语"),
    ("阿吉曼", "加纳", "英语"),
    ("德劳伦蒂斯", "美利坚合众国", "英语"),
    ("基博伊诺", "肯尼亚", "英语"),
    ("蒂鲁穆尔蒂", "印度", "英语"),
    ("伯恩·内森", "爱尔兰", "英语"),
    ("小科斯塔", "巴西", "英语"),
    ("张军", "中国", None),
    ("比昂", "加蓬", "法语"),
    ("德拉富恩特·拉米雷斯", "墨西哥", "西班牙语"),
    ("Dautllari", "阿尔巴尼亚", "英语"),
    ("阿布沙哈卜", "阿拉伯联合酋长国", "英语"),
    ("黑梅尔巴克", "挪威", "英语"),
    ("主席", "俄罗斯联邦", "俄语"),
    ("马尔加良", "亚美尼亚", "俄语"),
    ("主席", "俄罗斯联邦", "俄语"),
    ("伊利亚索夫", "哈萨克斯坦", "英语"),
    ("主席", "俄罗斯联邦", "俄语"),
    ("卡西马列娃", "吉尔吉斯斯坦", "英语"),
    ("主席", "俄罗斯联邦", "俄语"),
    ("雷巴科夫", "白俄罗斯", "俄语"),
    ("主席", "俄罗斯联邦", "俄语"),
    ("希克马特", "塔吉克斯坦", "英语"),
    (None, None, None),
]

RECORD = """\
主席（以英语发言）：我宣布会议开始。

张三先生（中国）：第一段第一行
第二行，Security
Council 有 15
个成员。

Jane Smith女士（联合王国）（以英语发言）：We note the
report A/75/982 and 6 800 people.

下午1时散会。
"""


def speech_of(meeting, line):
    return next(speech for speech in meeting.speeches if speech.line == line)


def paragraph_at(meeting, line):
    return next(p for _, p in meeting.paragraphs() if p.line == line)


def test_bundled_record_speech_sequence(bundled_meeting):
    got = [(s.speaker, s.affiliation, s.language) for s in bundled_meeting.speeches]
    assert got == EXPECTED_SPEECHES
    assert [s.procedural for s in bundled_meeting.speeches].count(True) == 2


def test_bundled_record_metadata(bundled_meeting):
    meeting = bundled_meeting
    assert (meeting.symbol, meeting.date, meeting.pages) == ("S/PV.8967", "2022-02-16", 20)
    assert meeting.title == "联合国同集体安全条约组织的合作"
    assert (meeting.opened, meeting.closed) == ("上午11时05分", "下午1时15分")
    assert meeting.source == "seeds/S_PV.8967.zh.txt"
    assert meeting.presiding == "俄罗斯联邦"


def test_wrapped_speaker_line(bundled_meeting):
    mexico = speech_of(bundled_meeting, 1052)
    assert (mexico.speaker, mexico.honorific, mexico.affiliation) == ("德拉富恩特·拉米雷斯", "先生", "墨西哥")
    assert mexico.language == "西班牙语"
    assert mexico.paragraphs[0].text.startswith("我欢迎韦尔希宁副部长来到安理会。")


def test_speaker_turn_at_page_break_without_blank_line(bundled_meeting):
    brazil = speech_of(bundled_meeting, 836)
    assert (brazil.speaker, brazil.affiliation, brazil.language) == ("小科斯塔", "巴西", "英语")
    ireland = bundled_meeting.speeches[brazil.index - 1]
    assert ireland.affiliation == "爱尔兰"
    assert ireland.paragraphs[-1].text.endswith("我们就能够做得更多、做得更好。")
    assert brazil.paragraphs[0].page == 12 and ireland.paragraphs[-1].page == 11


def test_mid_sentence_page_break_is_joined(bundled_meeting):
    joined = paragraph_at(bundled_meeting, 254)
    assert "可用来促进维护国际和平与安全。当然，我们正寻求" in joined.text
    assert joined.page == 4
    new_paragraph = paragraph_at(bundled_meeting, 86)  # the page starts a paragraph after a finished one
    assert new_paragraph.text.startswith("区域和区域间合作是我们对策中的一个要素")
    assert new_paragraph.page == 3


def test_language_switch_is_recorded_not_text(bundled_meeting):
    secretary_general = speech_of(bundled_meeting, 26)
    assert [(s.language, s.line) for s in secretary_general.language_switches] == [("法语", 92)]
    switch = secretary_general.language_switches[0]
    assert secretary_general.paragraphs[switch.before_paragraph].text.startswith("我所讨论的三个领域")
    assert all("以法语发言" not in p.text for p in secretary_general.paragraphs)
    assert secretary_general.person == "古特雷斯"


def test_presidents_national_statement(bundled_meeting):
    national = speech_of(bundled_meeting, 298)
    assert (national.speaker, national.role, national.affiliation) == ("主席", "俄罗斯联邦副外长", "俄罗斯联邦")
    assert national.paragraphs[0].text == "我现在以俄罗斯联邦副外长的身份发言。"
    resumed = bundled_meeting.speeches[national.index + 1]
    assert resumed.role == "安理会主席"
    assert resumed.paragraphs[0].text == "我现在恢复行使安理会主席的职能。"
    assert speech_of(bundled_meeting, 296).paragraphs[0].text == "我感谢扎斯先生的通报。"


def test_page_furniture_removed_and_gives_pages(bundled_meeting):
    texts = [p.text for _, p in bundled_meeting.paragraphs()]
    assert not any("22-25946" in text or "16/02/2022" in text for text in texts)
    assert [f.line for f in bundled_meeting.furniture] == [1087, 1089]
    after_header = paragraph_at(bundled_meeting, 1091)
    assert after_header.text.startswith("最后，我重申墨西哥在安理会的立场。") and after_header.page == 15


def test_procedural_parts(bundled_meeting):
    opening, closing = (s for s in bundled_meeting.speeches if s.procedural)
    assert [p.text for p in opening.paragraphs][1:4] == ["上午11时05分开会。", "通过议程", "议程通过。"]
    assert [p.text for p in closing.paragraphs] == ["下午1时15分散会。"]
    assert closing.speaker is None


def test_paragraph_ids_are_unique_and_stable(bundled_meeting, tmp_path):
    ids = [p.id for _, p in bundled_meeting.paragraphs()]
    assert len(ids) == len(set(ids)) == 251
    assert ids[0] == "S/PV.8967:0:0"
    (tmp_path / "a_first.txt").write_text(RECORD, encoding="utf-8")
    (tmp_path / "S_PV.8967.zh.txt").write_bytes(BUNDLED_RECORD.read_bytes())
    reloaded = load_corpus(tmp_path)
    again = next(m for m in reloaded.meetings if m.symbol == "S/PV.8967")
    assert [p.id for _, p in again.paragraphs()] == ids


def test_small_record_wraps_latin_words_numbers_and_names():
    meeting = parse_record(RECORD, "mem.txt", "S/PV.1")
    chair, china, uk, closing = meeting.speeches
    assert china.paragraphs[0].text == "第一段第一行第二行，Security Council 有 15个成员。"
    assert (uk.speaker, uk.honorific, uk.affiliation, uk.language) == ("Jane Smith", "女士", "联合王国", "英语")
    assert uk.paragraphs[0].text == "We note the report A/75/982 and 6 800 people."
    assert chair.affiliation is None and chair.role == "安理会主席"
    assert closing.procedural and meeting.closed == "下午1时"
    assert meeting.date is None and meeting.pages is None and china.paragraphs[0].page is None


def test_two_meetings_gb18030_empty_and_binary_files(tmp_path):
    (tmp_path / "a.txt").write_text(RECORD, encoding="utf-8")
    (tmp_path / "b.txt").write_bytes(RECORD.replace("张三", "李四").encode("gb18030"))
    (tmp_path / "c.txt").write_bytes(b"")
    (tmp_path / "d.txt").write_bytes(b"\x00\x01\x02binary\xff")
    (tmp_path / "e.txt").write_text("没有发言者的普通文本。\n", encoding="utf-8")
    corpus = load_corpus(tmp_path)
    assert [m.source.rsplit("/", 1)[-1] for m in corpus.meetings] == ["a.txt", "b.txt"]
    assert corpus.meetings[1].speeches[1].speaker == "李四"
    assert [m.symbol for m in corpus.meetings] == ["a", "b"]
    reasons = {p.path.rsplit("/", 1)[-1]: p.message for p in corpus.problems}
    assert set(reasons) == {"c.txt", "d.txt", "e.txt"}
    assert "no speaker turns" in reasons["c.txt"] and "binary" in reasons["d.txt"]


def test_utf8_bom_and_utf16_records(tmp_path):
    (tmp_path / "bom.txt").write_bytes(RECORD.encode("utf-8-sig"))
    (tmp_path / "u16.txt").write_bytes(RECORD.replace("张三", "王五").encode("utf-16"))
    corpus = load_corpus(tmp_path)
    assert [m.speeches[1].speaker for m in corpus.meetings] == ["张三", "王五"]


def test_no_records_is_one_clear_error(tmp_path):
    with pytest.raises(UserError, match="no usable records in .*add a UN verbatim record"):
        load_corpus(tmp_path)
    with pytest.raises(UserError, match="does not exist"):
        load_corpus(tmp_path / "missing")


def test_join_wrapped_keeps_space_only_between_latin_words_or_numbers():
    assert join_wrapped(["第", "37条"]) == "第37条"
    assert join_wrapped(["United", "Nations"]) == "United Nations"
    assert join_wrapped(["A/75/", "982"]) == "A/75/982"


def test_corpus_json_shape(capsys):
    assert main(["corpus", "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    meeting = data["meetings"][0]
    assert {"symbol", "date", "title", "source", "speeches"} <= set(meeting)
    zass = meeting["speeches"][4]
    assert {k: zass[k] for k in ("index", "speaker", "honorific", "affiliation", "language", "procedural")} == {
        "index": 4,
        "speaker": "扎斯",
        "honorific": "先生",
        "affiliation": "集体安全条约组织",
        "language": "俄语",
        "procedural": False,
    }
    paragraph = zass["paragraphs"][0]
    assert set(paragraph) == {"id", "line", "page", "text", "breaks"}
    assert paragraph["id"] == "S/PV.8967:4:0" and paragraph["line"] == 123 and paragraph["page"] == 3


def test_corpus_summary_and_missing_seeds(capsys, tmp_path):
    assert main(["corpus"]) == 0
    out = capsys.readouterr().out
    assert out.splitlines()[0].startswith("S/PV.8967  2022-02-16  联合国同集体安全条约组织的合作")
    assert "   16  张军（中国）  汉语  11 ¶" in out
    assert main(["corpus", "--seeds", str(tmp_path / "nowhere")]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and err.startswith("qa: error: seeds folder") and "nowhere" in err


def test_blank_line_inside_a_sentence_does_not_split_the_paragraph(bundled_meeting):
    # Line 465 fills the line and stops at "还是"; after a blank line, 468 goes on "与其有关联的恐怖组织".
    paragraph = paragraph_at(bundled_meeting, 465)
    assert "无论是达伊沙、基地组织还是与其有关联的恐怖组织" in paragraph.text
    # A short last line ends its paragraph even without a full stop: the agenda titles stay apart.
    titles = [p.text for p in bundled_meeting.speeches[0].paragraphs]
    assert titles[-2:] == ["联合国与区域和次区域组织在维护国际和平与安全方面的合作", "联合国同集体安全条约组织的合作"]
