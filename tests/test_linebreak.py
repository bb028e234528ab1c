"""Line breaking of Chinese text for the chat's narrow panels (``qa.tui.linebreak``)."""

from __future__ import annotations

from rich.cells import cell_len
from textual.content import Content

from qa.tui.linebreak import break_content, break_offsets, pieces

ANSWER = (
    "主席（俄罗斯联邦）：“两年前，集安组织成员国外交部长签署了一份公开呼吁书，呼吁其来自北约各国的同事加强互信，"
    "开展合作。”[1] 共运送了6\u2009800吨物资，见 S/PV.8967。"
)


def lines_at(text: str, width: int) -> list[str]:
    return break_content(Content(text), width).plain.split("\n")


def test_pieces_give_the_text_back_and_keep_what_belongs_together():
    assert "".join(pieces(ANSWER)) == ANSWER
    assert "作。”[1]" in pieces(ANSWER)
    assert "6\u2009800" in pieces(ANSWER) and "S/PV.8967。" in pieces(ANSWER)
    assert "（俄" in pieces(ANSWER)
    assert pieces("S/PV.8967 · p.\u00a03") == ["S/PV.8967 ·", " ", "p.\u00a03"]
    assert "6\u2004 800" in pieces("鸦片产量增加了6\u2004 800吨")  # as the bundled record prints it


def test_at_every_width_no_line_is_too_wide_starts_with_a_closing_mark_or_splits_a_marker():
    for width in range(12, 60):
        lines = lines_at(ANSWER, width)
        assert "".join(lines).replace(" ", "") == ANSWER.replace(" ", "")
        for line in lines:
            assert cell_len(line) <= width, (width, line)
            assert line and line[0] not in "。，”：）", (width, line)
            assert not line.endswith(("（", "“", "[", "[1")), (width, line)
        assert all("6\u2009800" in line for line in lines if "800" in line)


def test_a_piece_wider_than_the_line_is_folded_and_short_lines_are_left_alone():
    assert break_offsets("abcdefghijkl", 5) == [5, 10]
    assert break_offsets("https://undocs.org/zh/S/PV.8967", 26) == [24]  # after a mark where one fits: …/S/ PV.8967
    assert lines_at("会议11时05分开会。", 40) == ["会议11时05分开会。"]
    assert lines_at("第一行\n第二行", 40) == ["第一行", "第二行"]
    assert break_content(Content("任何文字"), 0).plain == "任何文字"


def test_a_source_line_keeps_its_separators_and_page_numbers_at_every_width():
    source = "[1] 秘书长（联合国） · S/PV.8967 · 2022-02-16 · p.\u00a03"
    for width in range(12, 50):
        lines = lines_at(source, width)
        assert all(cell_len(line) <= width for line in lines), (width, lines)
        assert not [line for line in lines if line.startswith(("·", " ")) or line.endswith("p.")], (width, lines)
        assert any("2022-02-16" in line for line in lines), (width, lines)


def test_a_file_path_and_a_link_stay_whole_on_a_line_wide_enough():
    source = "[1] 主席（俄罗斯联邦）, S/PV.8967, 2022-02-16, p.\u00a06, seeds/S_PV.8967.zh.txt:404, https://undocs.org/zh/S/PV.8967"
    assert "seeds/S_PV.8967.zh.txt:404," in pieces(source) and "https://undocs.org/zh/S/PV.8967" in pieces(source)
    for width in range(31, 60):
        lines = lines_at(source, width)
        assert any("seeds/S_PV.8967.zh.txt:404" in line for line in lines), (width, lines)
        assert any("https://undocs.org/zh/S/PV.8967" in line for line in lines), (width, lines)
    narrow = lines_at(source, 20)  # a piece wider than the line is still folded, never overflows
    assert all(cell_len(line) <= 20 for line in narrow) and "".join(narrow).count("undocs") == 1
