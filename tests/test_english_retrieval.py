"""Retrieval of English questions over the four real English records (../shared/records/en): a country or title
named in a question that asks *who* said something is its topic, not its speaker."""

from __future__ import annotations

from tests.conftest import needs_english_records


def named_speakers(engine, question: str) -> set[str]:
    terms = engine.query_terms(question)
    return {engine.speeches[n].speaker for n in engine.speaker_names.named(question, terms)}


@needs_english_records
def test_who_questions_take_a_named_country_as_their_topic(english):
    assert "Ja’afari" in named_speakers(english, "What did Syria say about the crossings?")
    assert "Ja’afari" in named_speakers(english, "Who spoke for Syria?")  # names its speaker
    assert named_speakers(english, "Who criticised the Syrian authorities?") == set()
    assert named_speakers(english, "Which delegation mentioned the Syrian authorities?") == set()
    assert named_speakers(english, "Which official briefed the Council on Yemen's economy?") == set()
    assert "The President" in named_speakers(english, "Who did the President thank in January?")


@needs_english_records
def test_who_said_finds_the_speaker_rather_than_the_country_named(english):
    hits = english.search("Who said the mechanism works on a simple notification to the Syrian authorities?", k=3)
    assert hits[0].speech.affiliation == "Belgium"
    assert "simple notification to the Syrian authorities" in hits[0].paragraph.text


@needs_english_records
def test_who_questions_search_without_the_named_country_as_a_term(english):
    def searched(question: str) -> set[str]:
        ids, _ = english.concept_ids(question)
        numbers = {number for concept in ids for number in concept}
        return {term for term, number in english.term_numbers.items() if number in numbers}

    assert "syrian" not in searched("Who criticised the Syrian authorities for blocking aid convoys?")
    assert "syrian" in searched("What did Syria say about the aid convoys?")
    assert "syrian" in searched("Who spoke for Syria at the meeting on aid convoys?")
    assert "syrian" in searched("Who mentioned Syria?")  # nothing else asked: the name stays


@needs_english_records
def test_a_country_adjective_names_the_speeches_of_that_country(english):
    assert {"Roscoe", "Pierce"} <= named_speakers(english, "What did the British delegation say about the Sahel?")
    assert "Syihab" in named_speakers(english, "What did the Indonesian delegation say about Hodeidah?")
    assert named_speakers(english, "Who praised the British delegation for its work on Hodeidah?") == set()


def test_accents_are_folded_one_letter_for_one():
    from qa.text.tokens import fold_accents

    assert fold_accents("nariño, auväärt, côte d’ivoire, bojayá") == "narino, auvaart, cote d’ivoire, bojaya"
    assert fold_accents("集安组织 straße ø") == "集安组织 straße ø"  # no base letter: unchanged


@needs_english_records
def test_a_name_typed_without_its_accents_finds_the_record(english):
    hits = english.search("Narino art workshop", k=3)
    assert any("Nariño" in hit.paragraph.text and "art workshop" in hit.paragraph.text for hit in hits)


@needs_english_records
def test_a_speaker_named_without_accents_is_that_speaker(english):
    from qa.answer.pipeline import answer

    assert "Jürgenson" in named_speakers(english, "What did Jurgenson say about the mechanism?")
    got = answer("What did Auvaart say about climate change in West Africa?", english)
    assert not got.abstained and got.citations[0].hit.speech.speaker == "Auväärt"


def test_an_after_inside_a_reported_claim_is_no_order_question():
    from qa.answer.order import order_question

    assert order_question("Who said the talks could resume two weeks after the ceasefire?") is None
    assert order_question("Who warned of violence after the elections?") is None
    assert order_question("Who spoke after the representative of Belgium?").direction == "after"
    assert order_question("Which delegation took the floor before France?").direction == "before"


@needs_english_records
def test_a_percentage_finds_the_records_per_cent(english):
    hits = english.search("What percentage of medicines went through Al-Yarubiyah?", k=1)
    assert "per cent of medicines" in hits[0].paragraph.text
