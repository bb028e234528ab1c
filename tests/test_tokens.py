"""Tokenizer: normalisation, the corpus dictionary, symbols, sub-words, stopwords, aliases, jieba-free queries."""

from __future__ import annotations

import re
import unicodedata

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from qa.errors import UserError
from qa.text.aliases import AliasTable, build_aliases, corpus_pairs, full_name_for, party_names, read_glossary
from qa.text.normalize import normalize
from qa.text.tokens import Tokenizer, Vocabulary, corpus_user_words, segmenter, speaker_names


@pytest.fixture(scope="module")
def plain():
    return Tokenizer()


@pytest.fixture(scope="module")
def record_tokenizer(bundled_corpus):
    texts = [paragraph.text for _, _, paragraph in bundled_corpus.paragraphs()]
    aliases = build_aliases(texts, [speech.affiliation for _, speech in bundled_corpus.speeches()])
    return Tokenizer(user_words=corpus_user_words(bundled_corpus, aliases), aliases=aliases)


def test_normalize_folds_width_case_and_digit_groups():
    assert normalize("ＣＳＴＯ（集安组织）有６ 800人") == "csto(集安组织)有6800人"
    assert normalize("3\u2009800名维和人员") == "3800名维和人员"
    assert normalize("2021 年 12 月") == "2021 年 12 月"


def test_queries_and_paragraphs_get_the_same_terms_whatever_the_width(plain):
    assert plain.terms("ＣＳＴＯ部队６ 800人") == plain.terms("csto部队6800人")


def test_plain_jieba_splits_the_short_name_the_corpus_dictionary_keeps_it(plain, record_tokenizer):
    sentence = "集安组织在哈萨克斯坦的维和行动"
    assert "集安组织" not in plain.words(sentence)
    assert "集安组织" in record_tokenizer.words(sentence)


def test_corpus_words_do_not_break_ordinary_segmentation(plain, record_tokenizer):
    sentence = "国际社会需要认识到中亚国家对阿富汗事态发展的关切"
    assert record_tokenizer.words(sentence) == plain.words(sentence)


def test_speaker_names_and_affiliations_become_dictionary_words(bundled_corpus):
    words = corpus_user_words(bundled_corpus)
    assert {"扎斯", "集体安全条约组织", "阿拉伯联合酋长国", "古特雷斯"} <= words
    speech = next(speech for _, speech in bundled_corpus.speeches() if speech.person)
    assert speech.person in speaker_names(speech)


def test_symbols_stay_whole_and_keep_their_numbers(plain):
    terms = plain.terms("根据第2616（2021）号决议和A/75/982号文件，第37条")
    assert "第2616(2021)号决议" in terms and "2616" in terms
    assert "a/75/982" in terms
    assert "第37条" in terms and "37" in terms


def test_clock_times_stay_whole_so_the_next_word_survives():
    terms = Tokenizer(user_words={"散会"}).terms("下午1时15分散会。")
    assert "下午1时15分" in terms and "散会" in terms and "分散" not in terms


def test_long_words_also_index_their_dictionary_sub_words(record_tokenizer):
    terms = record_tokenizer.terms("集体安全条约组织")
    assert terms[-1] == "集体安全条约组织"
    assert {"集体", "安全", "条约", "组织"} <= set(terms)


def test_stopwords_and_question_words_never_count(plain):
    terms = plain.query_terms("请问集安组织的秘书长是谁？他说了什么吗？")
    assert not {"请问", "谁", "什么", "吗", "的", "是"} & set(terms)
    assert "秘书长" in terms


def test_corpus_pairs_find_full_and_short_names():
    text = "我欢迎有这个机会就联合国同集体安全条约组织（集安组织）的合作问题发言。（以俄语发言）"
    assert corpus_pairs([text]) == [("集体安全条约组织", "集安组织")]
    assert full_name_for("联合国中亚区域预防外交中心", "中亚中心") == "中亚区域预防外交中心"


def test_glossary_aliases_expand_english_questions(tmp_path):
    glossary = tmp_path / "glossary.tsv"
    glossary.write_text("# comment\n\n集体安全条约组织\tCSTO|Collective Security Treaty Organization\n", "utf-8")
    aliases = build_aliases(["集体安全条约组织（集安组织）"], glossary=glossary)
    concepts = Tokenizer(aliases=aliases).query_concepts("What did the CSTO say?")
    assert ("csto", "集体安全条约组织", "集安组织") in concepts
    assert Tokenizer(aliases=aliases).query_concepts("what about the fund?") == [("fund",)]


def test_latin_aliases_match_whole_words_only():
    table = AliasTable((("联合国", "un"),))
    assert table.mentioned_groups("what does the un do") == [("un", "联合国")]
    assert table.mentioned_groups("the fund and unity") == []


def test_a_name_inside_a_longer_name_is_not_a_mention():
    table = AliasTable((("俄罗斯联邦", "俄罗斯"), ("白俄罗斯", "belarus")))
    assert table.mentioned_groups("白俄罗斯怎么说") == [("白俄罗斯",)]


def test_broken_glossary_line_names_file_and_line(tmp_path):
    glossary = tmp_path / "glossary.tsv"
    glossary.write_text("中国\tChina\n美国没有制表符\n", "utf-8")
    with pytest.raises(UserError, match=r"glossary.tsv:2"):
        read_glossary(glossary)


def test_party_names_only_when_unambiguous():
    assert party_names(["哈萨克斯坦", "阿富汗", "阿尔巴尼亚", "中国"], taken={"中方"}) == [("哈萨克斯坦", "哈方")]


def test_vocabulary_segmentation_matches_jieba_on_known_words(record_tokenizer):
    jieba_dictionary = segmenter(record_tokenizer.user_words)
    sentence = "集安组织代表去年到哪个联合国维和特派团做了实地考察"
    words = [word for word in jieba_dictionary.cut(sentence, HMM=False)]
    singles = {word: count for word, count in jieba_dictionary.FREQ.items() if len(word) == 1 and count > 0}
    known = {word: jieba_dictionary.FREQ[word] for word in words}
    vocabulary = Vocabulary([*known, *singles], [*known.values(), *singles.values()], jieba_dictionary.total)
    assert vocabulary.segment(sentence) == words


NEW_NAMES = {"阿卜杜拉希德", "集体安全条约组织秘书处特别代表", "纳扎尔巴耶娃", "安全理事会特派团团长"}
"""Speaker names and affiliations another record could bring; none occurs in the bundled record."""


def test_a_records_terms_do_not_change_when_another_record_brings_new_names(bundled_corpus, record_tokenizer):
    texts = [paragraph.text for _, _, paragraph in bundled_corpus.paragraphs()]
    assert not any(name in normalize(text) for name in NEW_NAMES for text in texts)
    grown = Tokenizer(user_words=record_tokenizer.user_words | NEW_NAMES, aliases=record_tokenizer.aliases)
    assert segmenter(grown.user_words).added_words > segmenter(record_tokenizer.user_words).added_words
    assert segmenter(grown.user_words).total == segmenter(record_tokenizer.user_words).total
    assert [grown.terms(text) for text in texts] == [record_tokenizer.terms(text) for text in texts]


def test_a_new_name_changes_only_the_texts_that_contain_it(record_tokenizer):
    grown = Tokenizer(user_words=record_tokenizer.user_words | NEW_NAMES)
    sentence = "纳扎尔巴耶娃女士说，集体安全条约组织秘书处特别代表已经抵达。"
    assert {"纳扎尔巴耶娃", "集体安全条约组织秘书处特别代表"} <= set(grown.words(sentence))
    assert "纳扎尔巴耶娃" not in record_tokenizer.words(sentence)


TRICKY_CHARACTERS = (
    "Ａａ１（），：；！？\u3000\u2004\u00a0\u202f\u0301\u0308e6 800集安組織\uf900\U00020000ﬁ①Ⅻ가\u1100\u1161Σς"
)
"""Full width forms and spaces (the fast path), what only NFKC handles (accents that compose with the letter
before them, ligatures, circled numbers, compatibility ideographs, Hangul jamo), digits and final sigma."""


@given(st.text(alphabet=st.sampled_from(TRICKY_CHARACTERS) | st.characters(), max_size=40))
@settings(max_examples=400, deadline=None)
def test_normalize_gives_what_nfkc_lower_case_and_digit_joining_give(text):
    reference = re.sub(r"(?<=\d) (?=\d{3}(?!\d))", "", unicodedata.normalize("NFKC", text).lower())
    assert normalize(text) == reference
