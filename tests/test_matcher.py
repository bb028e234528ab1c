"""One automaton for every name: the same mentions a regular expression per name finds, in one scan."""

from qa.answer.questions import analyse, named_speakers, names_in_questions
from qa.records.model import Speech
from qa.text.aliases import mentions
from qa.text.matcher import NameMatcher


def test_every_occurrence_is_found_overlapping_ones_included():
    matcher = NameMatcher(["俄罗斯", "白俄罗斯", "罗斯"])
    found = matcher.occurrences("白俄罗斯和俄罗斯")
    assert (0, 4, "白俄罗斯") in found and (1, 4, "俄罗斯") in found and (5, 8, "俄罗斯") in found
    assert {name for _, _, name in found} == {"俄罗斯", "白俄罗斯", "罗斯"}


def test_latin_names_count_only_as_whole_words_as_mentions_does():
    matcher = NameMatcher(["un", "csto", "集安组织"])
    for text in ("the un fund", "a fund", "csto和集安组织", "uncsto"):
        assert matcher.mentions(text) == {name for name in matcher.names if mentions(text, name)}


def test_an_empty_matcher_finds_nothing():
    assert NameMatcher([]).occurrences("中国") == [] and NameMatcher([]).mentions("中国") == set()


def test_the_table_finds_the_same_speakers_as_a_plain_dict(bundled_corpus):
    speeches = [speech for _, speech in bundled_corpus.speeches()]
    table = names_in_questions(speeches, [("联合王国", "英国", "uk")])
    for question in ("中方对哈萨克斯坦局势持什么立场？", "据英国代表说，托卡耶夫设立了什么？", "秘书长认为什么？"):
        assert named_speakers(question, table) == named_speakers(question, dict(table))


def test_a_question_names_one_speaker_among_many():
    speeches = [Speech(n, f"代表{n}", "先生", None, f"国家{n:04d}", None, False, (), 1) for n in range(2000)]
    names = names_in_questions(speeches)
    assert analyse("国家1234认为什么？", names).named == ("国家1234",)
