"""Records as the UN publishes them: the four real English PDFs beside the repository (../shared/records/en), read
through qa/records/pdf.py and qa/records/english.py, scored by the project's own check (../shared/eval)."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from qa.commands.corpus import corpus_json
from qa.records.load import load_corpus
from qa.records.pdf import join_lines
from tests.conftest import REPO

SHARED = REPO.parent / "shared"
ENGLISH = SHARED / "records" / "en"
CHECK = SHARED / "eval" / "en_records.py"

needs_records = pytest.mark.skipif(
    not (ENGLISH / "speeches.json").exists() or not CHECK.exists(),
    reason="the English records and their check live in ../shared beside the clone (as in CI); not present here",
)


@pytest.fixture(scope="module")
def english_corpus():
    return load_corpus(ENGLISH)


def meeting(corpus, symbol: str):
    return next(m for m in corpus.meetings if m.symbol == symbol)


@needs_records
def test_en_records_check_passes_on_every_record(english_corpus, tmp_path):
    """The project's own check: ≥ 95% of each record's speaker turns, in order, with speaker and country."""
    corpus_file = tmp_path / "CORPUS.json"
    corpus_file.write_text(json.dumps(corpus_json(english_corpus), ensure_ascii=False), encoding="utf-8")
    result = subprocess.run(
        [sys.executable, str(CHECK), str(ENGLISH / "speeches.json"), str(corpus_file)],
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "not read" not in result.stdout
    assert result.stdout.count("date 2020-01-") == 4


@needs_records
def test_symbol_date_pages_and_times_come_from_the_furniture(english_corpus):
    m = meeting(english_corpus, "S/PV.8704")
    assert (m.date, m.pages, m.language) == ("2020-01-16", 19, "en")
    assert (m.opened, m.closed) == ("10.05 a.m.", "11.45 a.m.")
    assert m.title == "The situation in the Middle East"
    texts = [p.text for _, p in m.paragraphs()]
    # the header, the footer ("2/19 20-01174") and the bar code are gone from the text, kept as furniture
    assert not any("20-01174" in text or "16/01/2020" in text for text in texts)
    assert any(f.text.startswith("2/19") for f in m.furniture)
    pages = [p.page for _, p in m.paragraphs()]
    assert pages == sorted(pages) and pages[0] == 2 and pages[-1] == 19


@needs_records
def test_two_columns_read_in_order_and_paragraphs_kept(english_corpus):
    """Griffiths' briefing begins in the left column of page 2 and goes on in the right one: his second paragraph
    is its own paragraph, and the sentence cut by the column break is one sentence."""
    m = meeting(english_corpus, "S/PV.8704")
    griffiths = next(s for s in m.speeches if s.speaker == "Griffiths")
    assert griffiths.paragraphs[0].text.startswith("Since I last spoke to the Council (see S/PV.8672)")
    assert griffiths.paragraphs[1].text.startswith("Most importantly, at this time of crisis")
    joined = " ".join(p.text for p in griffiths.paragraphs)
    assert "I know first-hand that there are daily detailed negotiations" in joined
    assert "Secretary-General" in " ".join(p.text for _, p in m.paragraphs())
    assert "SecretaryGeneral" not in " ".join(p.text for _, p in m.paragraphs())


@needs_records
def test_speaker_lines_languages_and_the_presidents_national_statement(english_corpus):
    m = meeting(english_corpus, "S/PV.8700")
    nebenzia = next(s for s in m.speeches if s.speaker == "Nebenzia")
    assert (nebenzia.honorific, nebenzia.affiliation, nebenzia.language) == ("Mr.", "Russian Federation", "Russian")
    # "(spoke in English)" alone inside his speech is a language switch, not a paragraph
    assert [switch.language for switch in nebenzia.language_switches] == ["English"]
    zhang = next(s for s in m.speeches if s.speaker == "Zhang Jun")
    assert (zhang.affiliation, zhang.language, zhang.label) == ("China", "Chinese", "Zhang Jun (China)")
    national = [s for s in m.speeches if s.speaker == "The President" and s.role != "President of the Security Council"]
    assert len(national) == 1 and national[0].affiliation == "Viet Nam"
    assert national[0].paragraphs[0].text.startswith("First of all, Viet Nam commends")
    assert m.presiding == "Viet Nam"


@needs_records
def test_briefer_without_country_gets_the_capacity_the_record_gives(english_corpus):
    m = meeting(english_corpus, "S/PV.8704")
    griffiths = next(s for s in m.speeches if s.speaker == "Griffiths")
    assert griffiths.affiliation is None
    assert griffiths.role == "Special Envoy of the Secretary-General for Yemen"


@needs_records
def test_cover_gives_president_members_and_agenda(english_corpus):
    m = meeting(english_corpus, "S/PV.8702")
    assert m.members[0] == ("Viet Nam", "Mr. Dang")
    assert len(m.members) == 15
    assert ("China", "Mr. Wu Haitao") in m.members
    assert m.agenda.startswith("Identical letters dated 19 January 2016")
    president = next(s for s in m.speeches if s.speaker == "The President")
    assert president.person == "Dang"


@needs_records
def test_votes_are_data(english_corpus):
    m = meeting(english_corpus, "S/PV.8700")
    amendment, resolution = m.votes
    assert amendment.subject == "the oral amendment proposed by the Russian Federation"
    assert amendment.in_favour == ("China", "Russian Federation", "Viet Nam")
    assert amendment.outcome == "has not been adopted"
    assert resolution.against == ()
    assert "Russian Federation" in resolution.abstaining and len(resolution.in_favour) == 11
    assert resolution.outcome.endswith("as resolution 2504 (2020)")
    assert resolution.page == 3
    # the vote lists are the record's own notes, not anybody's speech
    assert not any("Saint Vincent and the Grenadines, South Africa" in p.text for s, p in m.paragraphs() if s.speaker)


@needs_records
def test_parse_cache_covers_pdfs(tmp_path):
    first = load_corpus(ENGLISH, tmp_path)
    assert list((tmp_path / "parsed").rglob("*.json"))
    again = load_corpus(ENGLISH, tmp_path)
    assert again.meetings == first.meetings


def test_damaged_and_fake_pdfs_are_skipped_with_a_reason(tmp_path, bundled_meeting):
    seeds = tmp_path / "seeds"
    seeds.mkdir()
    (seeds / "S_PV.8967.zh.txt").write_bytes((REPO / "seeds" / "S_PV.8967.zh.txt").read_bytes())
    (seeds / "broken.pdf").write_bytes(b"%PDF-1.7\n1 0 obj << /Type /Catalog >> endobj\n")
    (seeds / "notes.pdf").write_text("not a PDF at all", encoding="utf-8")
    corpus = load_corpus(seeds)
    assert [m.symbol for m in corpus.meetings] == [bundled_meeting.symbol]
    problems = {Path(p.path).name: p.message for p in corpus.problems}
    assert problems["broken.pdf"].startswith("skipped: is not a readable PDF")
    assert problems["notes.pdf"].startswith("skipped: is not a readable PDF")
    assert all("\n" not in message for message in problems.values())


def test_join_lines_spaces_latin_words_but_not_chinese():
    assert join_lines("the Council’s", "provisional") == "the Council’s provisional"
    assert join_lines("Secretary-", "General") == "Secretary-General"
    assert join_lines("根据安理会暂行议事规则第", "37条") == "根据安理会暂行议事规则第37条"
    assert join_lines("2022", "年") == "2022年"


def test_latin_words_are_stemmed_and_english_function_words_dropped():
    from qa.text.tokens import Tokenizer

    tokenizer = Tokenizer()
    assert tokenizer.terms("The United Kingdom voted to abstain in the voting") == [
        "unit",
        "kingdom",
        "vote",
        "abstain",
        "vote",
    ]
    # a Chinese paragraph's Latin acronyms and names stay as they are
    assert "csto" in tokenizer.terms("集安组织（CSTO）") and "dautllari" in tokenizer.terms("Dautllari先生")


@needs_records
def test_an_english_question_finds_its_paragraph_in_the_english_records(english_corpus, tmp_path):
    """ "abstained" in the question, "voted to abstain" in the record: the stems meet."""
    from qa.index.open import open_engine

    engine = open_engine(english_corpus, cache_dir=tmp_path)
    result = ask_english(engine, "Why did the United Kingdom abstain on resolution 2504?")
    hit = result.citations[0].hit
    assert (hit.meeting.symbol, hit.speech.speaker) == ("S/PV.8700", "Pierce")
    hit = engine.search("What did Mr. Griffiths say about the Riyadh agreement?", k=3)[0]
    assert hit.speech.speaker == "Griffiths" and "Riyadh agreement" in hit.paragraph.text


@needs_records
def test_qa_bench_reports_the_pdf_read_times(tmp_path, capsys):
    from qa.cli import main

    output = tmp_path / "report.md"
    arguments = ["bench", "--sizes", "100", "--repeat", "1", "--no-processes", "--record-mb", "0"]
    assert main([*arguments, "--pdfs", str(ENGLISH), "--output", str(output)]) == 0
    rows = json.loads(output.with_suffix(".json").read_text(encoding="utf-8"))["pdfs"]
    assert [(row["file"], row["pages"]) for row in rows] == [
        ("S_PV.8698.en.pdf", 18),
        ("S_PV.8700.en.pdf", 12),
        ("S_PV.8702.en.pdf", 20),
        ("S_PV.8704.en.pdf", 19),
    ]
    assert all(row["read_s"] > 0 and row["paragraphs"] > 100 for row in rows)
    assert "| S_PV.8702.en.pdf | 20 |" in output.read_text(encoding="utf-8")


def test_qa_bench_pdfs_needs_a_folder_of_pdfs(tmp_path, capsys):
    from qa.cli import main

    arguments = ["bench", "--sizes", "100", "--repeat", "1", "--no-processes", "--record-mb", "0"]
    assert main([*arguments, "--pdfs", str(tmp_path)]) != 0
    error = capsys.readouterr().err.strip()
    assert error.startswith("qa: error: --pdfs") and "no .pdf files" in error and "\n" not in error


@pytest.fixture(scope="module")
def english_engine(english_corpus, tmp_path_factory):
    from qa.index.open import open_engine

    return open_engine(english_corpus, cache_dir=tmp_path_factory.mktemp("en-index"))


def ask_english(engine, question: str):
    from qa.answer.pipeline import answer
    from qa.answer.templates import load_templates

    return answer(question, engine, templates=load_templates())


@needs_records
@pytest.mark.parametrize(
    ("question", "side"),
    [
        ("How did China vote on the oral amendment proposed by the Russian Federation?", "In favour: China, Russian"),
        ("Which members abstained in the vote on the draft resolution S/2020/24?", "Abstaining: China, Russian"),
        ("Which countries voted against the Russian amendment?", "Against: Belgium, Dominican Republic"),
    ],
)
def test_how_members_voted_is_answered_from_the_vote_lists(english_engine, question, side):
    result = ask_english(english_engine, question)
    assert not result.abstained
    cited = result.citations[0].hit
    assert cited.paragraph.text.startswith(side) and cited.speech.label == "The record"
    assert cited.meeting.symbol == "S/PV.8700" and cited.paragraph.page == 3


@needs_records
def test_a_vote_question_about_another_resolution_is_not_answered_from_these_lists(english_engine):
    """2505 is not what either vote of S/PV.8700 adopted: its lists do not answer."""
    result = ask_english(english_engine, "How did Germany vote on resolution 2505?")
    assert all(not c.hit.paragraph.text.startswith(("In favour:", "Against:", "Abstaining:")) for c in result.citations)


@needs_records
@pytest.mark.parametrize(
    ("question", "time"),
    [
        ("When was the meeting on Colombia adjourned?", "12.15 p.m."),
        ("When did the meeting on West Africa begin?", "10 a.m."),
    ],
)
def test_when_an_english_meeting_began_or_ended_is_its_note(english_engine, question, time):
    result = ask_english(english_engine, question)
    assert not result.abstained and time in result.key_values
    assert result.citations[0].hit.speech.procedural


@needs_records
def test_an_english_count_is_a_value(english_engine):
    result = ask_english(english_engine, "How many people in north-west Syria depend on the cross-border mechanism?")
    assert not result.abstained and result.key_values[0] == "2.7 million people"
    # Belgium and France both say so, each citing 2.7 million in the north-west
    assert result.citations[0].hit.speech.speaker in ("Pecsteen de Buytswerve", "Gueguen")


@needs_records
def test_a_word_hyphenated_at_a_line_end_neither_splits_the_paragraph_nor_loses_its_hyphen(english_corpus):
    """pdfium gives "Secretary-" and the next printed line as one text line; the paragraph goes on."""
    m = meeting(english_corpus, "S/PV.8702")
    texts = [p.text for _, p in m.paragraphs()]
    assert (
        "In accordance with rule 39 of the Council’s provisional rules of procedure, I invite Mr. Carlos Ruiz "
        "Massieu, Special Representative of the Secretary-General and Head of the United Nations Verification "
        "Mission in Colombia, to participate in this meeting."
    ) in texts
    assert not any(text.startswith("Mission in Colombia") for text in texts)
    rajasingham = next(s for s in meeting(english_corpus, "S/PV.8704").speeches if s.speaker == "Rajasingham")
    assert (
        rajasingham.role
        == "Director, Coordination Division, United Nations Office for the Coordination of Humanitarian Affairs"
    )


@needs_records
def test_a_chinese_question_finds_the_english_record_through_the_glossary(tmp_path):
    """也门 is Yemen in the glossary: over the bundled Chinese record and the English ones together, China's
    position on Yemen is Wu Haitao's statement in S/PV.8704, not a Chinese sentence on Kazakhstan."""
    import shutil

    from qa.index.open import open_engine

    seeds = tmp_path / "seeds"
    seeds.mkdir()
    shutil.copy(REPO / "seeds" / "S_PV.8967.zh.txt", seeds)
    for pdf in ENGLISH.glob("*.pdf"):
        shutil.copy(pdf, seeds)
    engine = open_engine(load_corpus(seeds), cache_dir=tmp_path / "cache")
    result = ask_english(engine, "中方对也门局势持什么立场？")
    assert not result.abstained
    hit = result.citations[0].hit
    assert (hit.meeting.symbol, hit.speech.speaker, hit.speech.affiliation) == ("S/PV.8704", "Wu Haitao", "China")
    # and a Chinese question about the Chinese record still finds it
    result = ask_english(engine, "中国对哈萨克斯坦局势持什么立场？")
    assert result.citations[0].hit.meeting.symbol == "S/PV.8967"


@needs_records
def test_a_place_of_several_words_is_held_by_an_english_record(english_engine):
    """ "Burkina Faso" is two index terms, not one: the record mentions it, so the question is answered."""
    result = ask_english(english_engine, "What did Mr. Chambas say about Burkina Faso?")
    assert not result.abstained
    assert result.citations[0].hit.speech.speaker == "Chambas"
    assert "Burkina Faso" in result.text


def test_a_number_with_a_thousands_comma_is_not_cut():
    from qa.answer.sentences import split_clauses

    assert split_clauses("with more than 4,000 deaths, and 770 in 2016") == [
        "with more than 4,000 deaths,",
        " and 770 in 2016",
    ]


@needs_records
def test_who_spoke_after_a_briefer_skips_the_president(english_engine):
    """The English President is the chair as 主席 is: after Mr. Griffiths comes Mr. Rajasingham, not the President
    thanking him; and "Mr." ends no sentence."""
    result = ask_english(english_engine, "Who spoke after Mr. Griffiths?")
    assert result.citations[0].hit.speech.speaker == "Rajasingham"
    from qa.answer.sentences import split_sentences

    assert [s.text for s in split_sentences("I thank Mr. Griffiths for his briefing. I now give the floor.")] == [
        "I thank Mr. Griffiths for his briefing.",
        "I now give the floor.",
    ]
