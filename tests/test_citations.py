"""One citation, everywhere: ``qa ask``, its JSON, the three batch formats, the chat's sources panel, its reader
and its export give the same string (``qa.records.citation``), naming the line of the quoted sentence in a file
that can be opened from where ``qa`` was run."""

from __future__ import annotations

import asyncio
import csv
import io
import json
import re
from pathlib import Path

import pytest

from qa.cli import main
from qa.paths import CHECKOUT_DIR, cited_path
from qa.records.citation import cite, line_at, quote_line
from qa.records.parse import parse_pdf, parse_record
from qa.records.pdf import clean, page_lines, read_pages
from qa.tui.app import make_app
from qa.tui.export import Exchange, exchange_markdown
from qa.tui.render import source_prompt
from qa.tui.screens import ReaderScreen
from qa.tui.widgets import SourceList
from tests.test_chat import SIZE, WHY_QUESTION, ask, latest, until
from tests.test_pdf_records import ENGLISH, needs_records

EXPECTED = "秘书长（联合国）, S/PV.8967, 2022-02-16, p. 3, seeds/S_PV.8967.zh.txt:88, https://undocs.org/zh/S/PV.8967"
"""The first citation of WHY_QUESTION: the quoted sentence starts on line 88, its paragraph on line 86."""
RECORD_LINES = (CHECKOUT_DIR / "seeds" / "S_PV.8967.zh.txt").read_text(encoding="utf-8").splitlines()


@pytest.fixture
def new_app(bundled_corpus, bundled_cache_dir):
    return lambda **options: make_app(corpus=bundled_corpus, cache_dir=bundled_cache_dir, **options)


def run(capsys, *argv) -> str:
    assert main(list(argv)) == 0
    return capsys.readouterr().out


def test_the_quoted_sentence_is_cited_at_its_line_not_the_paragraphs(engine):
    from qa.answer.pipeline import answer

    citation = answer(WHY_QUESTION, engine).citations[0]
    line = citation.fields["line"]
    assert citation.text == EXPECTED and citation.hit.paragraph.line == 86 and line == 88
    assert citation.quote[:6] in RECORD_LINES[line - 1]
    assert citation.quote[:6] not in RECORD_LINES[citation.hit.paragraph.line - 1]


def test_every_line_break_of_the_bundled_record_points_at_its_source_line(bundled_meeting):
    checked = 0
    for _, paragraph in bundled_meeting.paragraphs():
        pairs = paragraph.breaks
        for offset, line in zip(pairs[0::2], pairs[1::2], strict=True):
            printed = RECORD_LINES[line - 1].strip()
            if offset:
                assert printed.startswith(paragraph.text[offset : offset + 6]), (paragraph.id, line)
            else:  # the text starts on this line, after a speaker line that began on an earlier one
                assert paragraph.text[:6] in printed, (paragraph.id, line)
            assert line_at(paragraph, offset) == line
            checked += 1
    assert checked > 1000


def test_ask_json_and_the_three_batch_formats_give_the_same_citation(capsys, bundled_cache_dir, tmp_path):
    cache = ["--cache-dir", str(bundled_cache_dir)]
    assert f"[1] {EXPECTED}\n" in run(capsys, *cache, "ask", WHY_QUESTION)
    cited = json.loads(run(capsys, *cache, "ask", "--json", WHY_QUESTION))["citations"][0]
    assert (cited["citation"], cited["line"], cited["paragraph_line"]) == (EXPECTED, 88, 86)
    assert cited["url"] == "https://undocs.org/zh/S/PV.8967" and cited["source"] == "seeds/S_PV.8967.zh.txt"
    questions = tmp_path / "q.txt"
    questions.write_text(WHY_QUESTION + "\n", encoding="utf-8")
    outputs = {}
    for fmt in ("jsonl", "csv", "md"):
        outputs[fmt] = tmp_path / f"out.{fmt}"
        run(capsys, *cache, "batch", str(questions), "--format", fmt, "--output", str(outputs[fmt]))
    row = json.loads(outputs["jsonl"].read_text(encoding="utf-8").splitlines()[1])
    assert row["citations"][0]["citation"] == EXPECTED
    sources = next(csv.DictReader(io.StringIO(outputs["csv"].read_text(encoding="utf-8-sig"))))["sources"]
    assert sources.splitlines()[0] == f"[1] {EXPECTED}"
    assert f"- [1] {EXPECTED}\n" in outputs["md"].read_text(encoding="utf-8")


def test_the_chat_panel_reader_and_export_give_the_same_citation(new_app):
    async def scenario():
        app = new_app()
        async with app.run_test(size=SIZE) as pilot:
            await ask(pilot, WHY_QUESTION)
            entry = app.query_one(SourceList).entries[0]
            panel = source_prompt(entry).plain.replace("\u00a0", " ")
            app.open_reader(entry)
            await until(pilot, lambda: isinstance(app.screen, ReaderScreen))
            await pilot.pause()
            title = str(app.screen.query_one("#reader-title").render())
            await pilot.press("n")  # the next paragraph is cited at its own first line
            following = str(app.screen.query_one("#reader-title").render())
            return panel, title, following, exchange_markdown(Exchange(WHY_QUESTION, latest(app).answer))

    panel, title, following, markdown = asyncio.run(scenario())
    assert panel.startswith(f"[1] {EXPECTED}\n")
    assert title.endswith(f"\n{EXPECTED}")
    assert EXPECTED not in following and "seeds/S_PV.8967.zh.txt:" in following
    assert f"- [1] {EXPECTED} — “" in markdown


def test_from_another_folder_the_cited_file_exists(capsys, bundled_cache_dir, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    out = run(capsys, "--cache-dir", str(bundled_cache_dir), "ask", WHY_QUESTION)
    path, line = re.search(r"^\[1\] .*?, (\S+):(\d+), https://", out, flags=re.MULTILINE).groups()
    assert Path(path).is_absolute() and Path(path).is_file()
    assert Path(path).read_text(encoding="utf-8").splitlines()[int(line) - 1] == RECORD_LINES[87]


def test_a_file_under_the_working_folder_is_named_relative_to_it(tmp_path, monkeypatch):
    record = tmp_path / "records" / "a.txt"
    record.parent.mkdir()
    record.write_text("x", encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    assert cited_path("records/a.txt") == "records/a.txt"
    monkeypatch.chdir(record.parent)
    assert cited_path(str(record)) == "a.txt"
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    monkeypatch.chdir(elsewhere)
    assert cited_path(str(record)) == record.as_posix()


def test_an_english_record_links_to_the_english_document_and_cites_the_sentences_line():
    text = (
        "The President: The meeting is called to order.\n\n"
        "Mr. Zhang Jun (China): China supports the draft. It\nwill vote in favour today.\n"
    )
    meeting = parse_record(text, "records/S_PV.8700.en.txt", "S/PV.8700")
    speech = next(speech for speech in meeting.speeches if speech.speaker == "Zhang Jun")
    paragraph = speech.paragraphs[0]
    assert quote_line(paragraph, "It will vote in favour today.") == 3
    assert quote_line(paragraph, "will vote in favour today.") == 4
    assert quote_line(paragraph, "…will vote in favour…") == 4  # a cut mark is not the record's text
    cited = cite(meeting, speech, paragraph, "will vote in favour today.")
    assert cited.endswith("records/S_PV.8700.en.txt:4, https://undocs.org/en/S/PV.8700")
    assert cited.startswith("Zhang Jun (China), S/PV.8700, ?, p. ?, ")


def printed_lines(data: bytes) -> dict[int, str]:
    """A PDF's lines by the number a citation gives them: every line with text, in reading order, counted from
    the cover on (as ``qa.records.pdf.pdf_layout`` counts them)."""
    lines, number = {}, 0
    for index, page in enumerate(read_pages(data)):
        for line in page_lines(page, index):
            if clean(line.text).strip():
                number += 1
                lines[number] = clean(line.text).strip()
    return lines


def assert_breaks_point_at_printed_lines(data: bytes) -> int:
    """Every line break a PDF's paragraphs keep names the printed line that text starts; returns how many."""
    meeting, printed, checked = parse_pdf(data, "r.pdf", "S/PV.0"), printed_lines(data), 0
    for _, paragraph in meeting.paragraphs():
        pairs = paragraph.breaks
        for offset, line in zip(pairs[0::2], pairs[1::2], strict=True):
            if offset:
                assert printed[line].startswith(paragraph.text[offset : offset + 8]), (paragraph.id, line)
                checked += 1
    return checked


@needs_records
def test_an_english_pdfs_citations_name_the_printed_line_of_the_sentence():
    for path in sorted(ENGLISH.glob("*.pdf")):
        assert assert_breaks_point_at_printed_lines(path.read_bytes()) > 500, path.name
