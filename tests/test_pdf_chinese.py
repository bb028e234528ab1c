"""Chinese records from PDF, through the same reader as the English ones (qa/records/pdf.py): the bundled record
written by the tests as a PDF with the UN's layout (tests/pdfmaker.py) reads back as the text record does.

Untested: a real Chinese PDF of the UN (none is at hand). This one uses a built-in CID font rather than the
embedded subset fonts of a real record, and a cover written here with the usual lines, not the UN's."""

from __future__ import annotations

import pytest

from qa.records.load import load_corpus
from qa.records.parse import RecordError, parse_pdf
from tests.conftest import BUNDLED_RECORD

pytest.importorskip("reportlab", reason="reportlab (a test dependency) writes the PDFs")

from tests.pdfmaker import Record, write_pdf  # noqa: E402


def record_paragraphs(meeting) -> list[str]:
    """The record's paragraphs as printed: a speech's speaker line before its first paragraph, a language note
    as a paragraph of its own."""
    printed = []
    for speech in meeting.speeches:
        notes = {switch.before_paragraph: switch.text for switch in speech.language_switches}
        for index, paragraph in enumerate(speech.paragraphs):
            if index in notes:
                printed.append(notes[index])
            lead = speech.speaker_line if index == 0 and speech.speaker_line else ""
            printed.append(lead + paragraph.text)
    return printed


@pytest.fixture(scope="module")
def chinese_pdf(tmp_path_factory, bundled_meeting):
    folder = tmp_path_factory.mktemp("zh-pdf")
    record = Record(
        symbol=bundled_meeting.symbol,
        date="16/02/2022",
        title=bundled_meeting.title,
        job="22-25946",
        cover=["联合国 S/PV.8967", "安全理事会", "2022年2月16日星期三上午11时", "纽约", "议程", bundled_meeting.title],
        paragraphs=record_paragraphs(bundled_meeting),
    )
    path = folder / "S_PV.8967.zh.pdf"
    write_pdf(record, path)
    return path


def test_the_pdf_reads_back_as_the_text_record(chinese_pdf, bundled_meeting):
    meeting = parse_pdf(chinese_pdf.read_bytes(), "S_PV.8967.zh.pdf", "S/PV.0")
    assert (meeting.symbol, meeting.date, meeting.title, meeting.language) == (
        "S/PV.8967",
        "2022-02-16",
        bundled_meeting.title,
        "zh",
    )

    def who(m):
        return [(s.speaker, s.affiliation, s.language, s.role) for s in m.speeches]

    assert who(meeting) == who(bundled_meeting)
    assert [p.text for _, p in meeting.paragraphs()] == [p.text for _, p in bundled_meeting.paragraphs()]
    assert (meeting.opened, meeting.closed, meeting.presiding) == (
        bundled_meeting.opened,
        bundled_meeting.closed,
        bundled_meeting.presiding,
    )
    assert meeting.agenda == bundled_meeting.title
    pages = [p.page for _, p in meeting.paragraphs()]
    assert pages[0] == 2 and pages == sorted(pages) and pages[-1] == meeting.pages


def test_a_chinese_pdf_in_the_seeds_folder_is_loaded(chinese_pdf):
    corpus = load_corpus(chinese_pdf.parent)
    assert [m.symbol for m in corpus.meetings] == ["S/PV.8967"]
    assert not corpus.problems


def test_a_pdf_without_speaker_turns_says_so(tmp_path):
    path = tmp_path / "notes.pdf"
    write_pdf(Record("S/PV.1", "01/01/2020", "备忘", "20-00001", ["备忘"], ["这是一份普通的备忘录。"]), path)
    with pytest.raises(RecordError, match="holds no speaker turns"):
        parse_pdf(path.read_bytes(), "notes.pdf", "S/PV.1")


def test_an_encrypted_pdf_is_skipped_with_the_reason(tmp_path, bundled_meeting):
    from reportlab.pdfgen import canvas

    seeds = tmp_path / "seeds"
    seeds.mkdir()
    (seeds / "S_PV.8967.zh.txt").write_bytes(BUNDLED_RECORD.read_bytes())
    pdf = canvas.Canvas(str(seeds / "locked.pdf"), encrypt="secret")
    pdf.drawString(100, 700, "The President: this record needs a password.")
    pdf.showPage()
    pdf.save()
    corpus = load_corpus(seeds)
    assert [m.symbol for m in corpus.meetings] == [bundled_meeting.symbol]
    (problem,) = corpus.problems
    assert problem.path.endswith("locked.pdf")
    assert problem.message == "skipped: is an encrypted PDF (it needs a password); save an unprotected copy"


def test_the_pdfs_paragraphs_know_the_printed_line_of_each_part(chinese_pdf):
    from tests.test_citations import assert_breaks_point_at_printed_lines

    assert assert_breaks_point_at_printed_lines(chinese_pdf.read_bytes()) > 500
