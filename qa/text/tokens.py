"""Text → index terms: one normalisation and one segmentation for paragraphs and questions alike.

The pipeline for a text: ``normalize`` (NFKC width folding, Latin lower case, "6 800" → "6800") →
document symbols pulled out whole (第2616(2021)号决议, a/75/982) → jieba with a user dictionary derived
from the corpus → search-style sub-words of long words (集体安全条约组织 also yields 集体, 安全, 条约,
组织, 安全条约…) so a paraphrase that names only part of a compound still matches → stopwords and
question words dropped. Questions go through the same steps plus alias expansion (``qa.text.aliases``).

jieba is imported and its 350k-word dictionary loaded lazily, once per process, in ``base_jieba``;
a corpus's user words go into a copy of that dictionary (``segmenter``), so different corpora in one
process never see each other's words and nothing happens at import time.
"""

from __future__ import annotations

import functools
import hashlib
import math
import re
import unicodedata
from collections.abc import Iterable
from pathlib import Path

import Stemmer

from qa.paths import data_file
from qa.text.normalize import normalize

TOKENIZER_VERSION = 12
"""Bump when segmentation changes: it is part of the index cache key."""

_SYMBOL = re.compile(
    r"第\d+\(\d{4}\)号(?:决议)?"  # resolutions: 第2616(2021)号决议
    r"|第\d+条"  # articles and rules: 第37条
    r"|(?:上午|下午|中午|晚上)?\d{1,2}时(?:\d{1,2}分)?"  # clock times: 下午1时15分 (else "15分散会" → 分散)
    r"|(?<![a-z0-9])[a-z]{1,3}/(?:[a-z0-9.\-]+/)*[a-z0-9.\-]*[0-9][a-z0-9.\-]*"  # symbols: a/75/982, s/pv.8967
)
_SYMBOL_NUMBER = re.compile(r"\d{2,}")
_HAN = "\u3400-\u9fff\uf900-\ufaff\U00020000-\U0003134f"
"""Han characters, the rare ones of the extensions (𠀀, Extension B and later) and compatibility ideographs too."""
_CJK = re.compile(f"[{_HAN}]")
_RARE_HAN = re.compile("[\uf900-\ufaff\U00020000-\U0003134f]")
"""Characters jieba does not know as Han: it cuts them one by one, so one alone is a term (not noise)."""
_RUN = re.compile(f"[{_HAN}]+|[a-z0-9][a-z0-9.+#&%_\\-]*")
_WORDLIKE = re.compile(r"[\w]", re.UNICODE)
MEMO_LIMIT = 1_000_000
"""Words whose terms a tokenizer remembers (a few hundred MB at most; a corpus has far fewer distinct words)."""


_LATIN_WORD = re.compile(r"[a-z]{3,}")
_ACCENTED = re.compile("[\u00c0-\u024f]")
"""Latin letters of Latin-1 Supplement and Latin Extended-A/B (é, ñ, ü, ç): folded to their base letter."""


def fold_accents(text: str) -> str:
    """Latin letters without their accents, one character for one (Nariño → narino, Auväärt → auvaart): the
    records print names with accents that questions typed in English often leave out, and the tokenizer would
    otherwise cut a word at its accented letter (nari, o). Letters without a base letter (ß, ø) stay."""
    return text if text.isascii() else _ACCENTED.sub(_base_letter, text)


def _base_letter(match: re.Match) -> str:
    base = unicodedata.normalize("NFD", match.group())[0]
    return base if base.isascii() and base.isalpha() else match.group()


@functools.cache
def _english_stemmer():
    return Stemmer.Stemmer("english")


def latin_stem(word: str) -> str:
    """A Latin word of three letters or more as its English Snowball stem (voted, votes → vote); anything else as
    it is. English records are all Latin words; a Chinese record's Latin words are names and acronyms (CSTO, C5),
    which the stemmer leaves alone or folds the same way in the question and the paragraph, so one tokenizer
    serves both languages: jieba for Han runs, stemming for Latin ones."""
    return _english_stemmer().stemWord(word) if _LATIN_WORD.fullmatch(word) else word


def is_cjk(text: str) -> bool:
    return bool(_CJK.search(text))


def read_word_list(path: Path) -> frozenset[str]:
    """Words of a list file: whitespace separated, ``#`` starts a comment line; normalised."""
    words: set[str] = set()
    for line in path.read_text(encoding="utf-8").splitlines():
        if not line.strip().startswith("#"):
            words.update(normalize(word) for word in line.split())
    return frozenset(words)


@functools.cache
def default_stopwords() -> frozenset[str]:
    """The shipped stopword and question-word list (qa/text/data/stopwords.txt)."""
    return read_word_list(data_file("stopwords.txt"))


@functools.cache
def base_jieba():
    """jieba's default dictionary, loaded once per process; its start-up chatter silenced here, not at import."""
    import logging

    import jieba

    logging.getLogger("jieba").setLevel(logging.WARNING)
    tokenizer = jieba.Tokenizer()
    tokenizer.initialize()
    return tokenizer


@functools.lru_cache(maxsize=4)
def segmenter(user_words: frozenset[str]):
    """A jieba tokenizer whose dictionary is the default one plus ``user_words``; ``added_words`` names those
    it actually added (the others jieba already knew, or they are single characters).

    Each word gets the frequency ``suggest_freq`` computes (jieba's own ``add_word`` default): just enough
    to beat the product of its parts, so it stays whole without pulling characters away from ordinary
    neighbouring words, which large fixed frequencies do (fxsjy/jieba#946, #593). Unlike ``add_word``, the
    dictionary's ``total`` stays the default one's and words go in shortest first, so a word's frequency
    depends only on the user words inside it: a text's segmentation then depends only on the user words it
    contains, which is what lets ``qa.index.store.terms`` keep one record's terms while other records change.
    """
    import jieba

    base = base_jieba()
    tokenizer = jieba.Tokenizer()
    tokenizer.FREQ = dict(base.FREQ)
    tokenizer.total = base.total
    tokenizer.initialized = True
    added = []
    for word in sorted(user_words, key=lambda word: (len(word), word)):
        if len(word) > 1 and tokenizer.FREQ.get(word, 0) == 0:
            tokenizer.FREQ[word] = tokenizer.suggest_freq(word, tune=False)
            for end in range(1, len(word)):
                tokenizer.FREQ.setdefault(word[:end], 0)  # jieba's prefix entries: its DAG scan needs them
            added.append(word)
    tokenizer.added_words = frozenset(added)
    return tokenizer


def sub_words(word: str, dictionary: dict[str, int]) -> list[str]:
    """Dictionary words inside a long word (2 chars up to one less than the word), then the word itself."""
    if len(word) <= 2 or not is_cjk(word):
        return [word]
    parts = [
        word[start : start + size]
        for size in range(2, len(word))
        for start in range(len(word) - size + 1)
        if dictionary.get(word[start : start + size], 0) > 0
    ]
    return [*parts, word]


def split_symbols(text: str) -> list[tuple[str, bool]]:
    """``text`` as pieces, each flagged True when it is a document or resolution symbol to keep whole."""
    pieces, position = [], 0
    for match in _SYMBOL.finditer(text):
        pieces.append((text[position : match.start()], False))
        pieces.append((match.group(), True))
        position = match.end()
    pieces.append((text[position:], False))
    return [(piece, symbol) for piece, symbol in pieces if piece]


def symbol_terms(symbol: str) -> list[str]:
    """A symbol whole, plus its numbers of two digits or more, so "2616号决议" still finds 第2616(2021)号决议."""
    return [symbol, *_SYMBOL_NUMBER.findall(symbol)]


class Tokenizer:
    """Index terms for paragraphs (``terms``) and questions (``query_terms``), injected into the index.

    ``user_words``: words jieba must keep whole (from ``corpus_user_words``). ``stopwords``: never terms.
    ``aliases``: an ``qa.text.aliases.AliasTable`` that adds the other names of anything a question names.
    ``synonyms``: an ``AliasTable`` of words the records use for what questions say (散会 for 结束).
    """

    def __init__(
        self,
        user_words: Iterable[str] = (),
        stopwords: frozenset[str] | None = None,
        aliases=None,
        synonyms=None,
    ):
        self.user_words = frozenset(normalize(word) for word in user_words if word)
        self.stopwords = default_stopwords() if stopwords is None else stopwords
        self.aliases = aliases
        self.synonyms = synonyms
        self.expansions: dict[str, tuple[str, ...]] = {}
        """Word → its terms (``terms``), remembered up to ``MEMO_LIMIT`` words."""
        self.term_flags: dict[str, bool] = {}
        """Word → whether it is a term (``is_term``), remembered up to ``MEMO_LIMIT`` words."""

    def settings(self) -> dict:
        """What the segmentation depends on, for the index cache key."""

        def digest(words: Iterable[str]) -> str:
            return hashlib.sha256("\n".join(sorted(words)).encode()).hexdigest()[:16]

        return {
            "tokenizer_version": TOKENIZER_VERSION,
            "user_words": digest(self.user_words),
            "stopwords": digest(self.stopwords),
            "aliases": self.aliases.digest() if self.aliases else None,
            "synonyms": self.synonyms.digest() if self.synonyms else None,
        }

    def record_settings(self) -> dict:
        """What a paragraph's terms depend on besides its own text and the user words it contains
        (``qa.index.store.terms``): not the aliases, which a paragraph's terms use only as user words, and which
        the corpus defines ("全称（简称）"), so that a record that defines one leaves the others' terms alone."""
        settings = self.settings()
        return {name: settings[name] for name in ("tokenizer_version", "stopwords", "synonyms")}

    def query_dictionary(self) -> set[str]:
        """Words a question may use beyond the index's terms: stopwords, alias and synonym names, and every
        single character jieba knows (their frequencies decide where a question's words split)."""
        dictionary = segmenter(self.user_words).FREQ
        words = set(self.stopwords) | {word for word, count in dictionary.items() if len(word) == 1 and count > 0}
        for table in (self.aliases, self.synonyms):
            words |= table.chinese_names() if table is not None else set()
        return words

    def words(self, text: str, stem: bool = True) -> list[str]:
        """jieba's words of a text (symbols whole), normalised, stopwords dropped, Latin words stemmed, repeats
        kept."""
        jieba_tokenizer = segmenter(self.user_words)
        words: list[str] = []
        for piece, symbol in split_symbols(fold_accents(normalize(text))):
            words.extend(symbol_terms(piece) if symbol else jieba_tokenizer.cut(piece, HMM=True))
        return [latin_stem(word) if stem else word for word in words if self.is_term(word)]

    def terms(self, text: str) -> list[str]:
        """A paragraph's terms: its words plus the dictionary words inside long ones (search style).

        A word's terms are remembered (``expansions``): a corpus repeats its words endlessly, and finding the
        sub-words and checking each term cost about a fifth of tokenizing."""
        found: list[str] = []
        for word in self.words(text):
            expansion = self.expansions.get(word)
            if expansion is None:
                dictionary = segmenter(self.user_words).FREQ
                expansion = tuple(term for term in sub_words(word, dictionary) if self.is_term(term))
                if len(self.expansions) < MEMO_LIMIT:
                    self.expansions[word] = expansion
            found.extend(expansion)
        return found

    def is_term(self, word: str) -> bool:
        known = self.term_flags.get(word)
        if known is None:
            known = bool(_WORDLIKE.search(word)) and word not in self.stopwords and not word.isspace()
            if len(self.term_flags) < MEMO_LIMIT:
                self.term_flags[word] = known
        return known

    def vocabulary_words(self, text: str, vocabulary, stem: bool = True) -> list[str]:
        """Words of a question cut by longest match against the index's vocabulary, no jieba needed.

        Terms outside the vocabulary cannot score anyway, so a cached index answers a question without
        loading jieba's 350k-word dictionary (about 1 s). Stopwords dropped, as in ``words``.
        """
        words: list[str] = []
        for piece, symbol in split_symbols(fold_accents(normalize(text))):
            if symbol:
                words.extend(symbol_terms(piece))
                continue
            for run in _RUN.findall(piece):
                words.extend(vocabulary.segment(run) if is_cjk(run) else latin_parts(run, vocabulary))
        return [latin_stem(word) if stem else word for word in words if self.is_term(word)]

    def query_concepts(self, question: str, vocabulary=None) -> list[tuple[str, ...]]:
        """The question as concepts: each a tuple of terms that mean the same (a name and its aliases, a word
        and its synonyms); the index scores a concept by its best term, so 中国 = 中方 counts once.

        With the index's ``vocabulary``, a word the index knows stays one term, and only a word it does not
        know is replaced by the indexed words inside it (无所作为 → 作为): splitting every long word would
        count one name (哈萨克斯坦 → 哈萨, 萨克, 克斯…) several times over the rest of the question. A Latin word
        is looked up as asked (the glossary knows "meeting", not "meet") and also stands for its stem, which is
        what the index holds.
        """
        if isinstance(vocabulary, Vocabulary):
            found = self.vocabulary_words(question, vocabulary, stem=False)
        else:
            found = self.words(question, stem=False)
        groups = self.aliases.mentioned_groups(normalize(question)) if self.aliases is not None else []
        groups = [self.aliases.with_latin_names(group, latin_stem) for group in groups]
        named = {name for group in groups for name in group}
        concepts = [group for group in groups]
        for word in found:
            if word in named or (len(word) == 1 and is_cjk(word) and not _RARE_HAN.match(word)):
                continue
            parts = known_parts(word, vocabulary) if vocabulary is not None else [word]
            for part in parts:
                synonyms = self.synonyms.group_of(part) if self.synonyms is not None else (part,)
                concepts.append(tuple(dict.fromkeys([part, latin_stem(part), *synonyms])))
        kept = [tuple(term for term in concept if self.is_term(term)) for concept in concepts]
        return list(dict.fromkeys(concept for concept in kept if concept))

    def query_terms(self, question: str, vocabulary=None) -> list[str]:
        """Distinct terms of a question: its words, their aliases and synonyms."""
        return list(dict.fromkeys(term for concept in self.query_concepts(question, vocabulary) for term in concept))


class Vocabulary:
    """The index's terms with their jieba frequencies: enough to cut a question the way jieba would, without
    loading jieba's 350k-word dictionary (about 1 s): words outside the index cannot score anyway."""

    def __init__(self, terms, frequencies, total: int):
        self.frequency = dict(zip(terms, frequencies, strict=True))
        """Word -> its jieba frequency (ints: the callers convert, so a 100k-word dictionary loads in 30 ms)."""
        self.log_total = math.log(max(int(total), 2))
        unknown = [word for word, frequency in self.frequency.items() if frequency <= 0 and len(word) > 1]
        for word in unknown:
            self.frequency[word] = self.joining_frequency(word)

    def joining_frequency(self, word: str) -> int:
        """For an index word jieba found by its HMM (not in its dictionary): just enough to beat its characters
        apart, as ``jieba.suggest_freq`` would give."""
        log_parts = sum(math.log(self.frequency.get(character) or 1) - self.log_total for character in word)
        return int(math.exp(log_parts + self.log_total)) + 1

    def __contains__(self, term: str) -> bool:
        return term in self.frequency

    def segment(self, run: str, longest: int = 16) -> list[str]:
        """jieba's rule on its DAG: the split into known words (else single characters) with the highest
        product of word probabilities, by dynamic programming from the end (jieba ``Tokenizer.calc``)."""
        best: list[tuple[float, int]] = [(0.0, 0)] * (len(run) + 1)
        for start in range(len(run) - 1, -1, -1):
            options = []
            for end in range(start + 1, min(len(run), start + longest) + 1):
                word = run[start:end]
                if end == start + 1 or word in self.frequency:
                    weight = math.log(self.frequency.get(word) or 1) - self.log_total
                    options.append((weight + best[end][0], end))
            best[start] = max(options)
        words, position = [], 0
        while position < len(run):
            words.append(run[position : best[position][1]])
            position = best[position][1]
        return words


def latin_parts(run: str, vocabulary) -> list[str]:
    """A Latin or digit run as the index holds it: whole when it does, else its letters-and-digits pieces, as
    jieba cuts paragraphs (c5+1 → c5, 1)."""
    return [run] if run in vocabulary else re.findall(r"[a-z0-9]+", run) or [run]


def known_parts(word: str, vocabulary) -> list[str]:
    """``word`` when the vocabulary has it, else the vocabulary's words of two or more characters inside it."""
    if word in vocabulary or len(word) <= 2 or not is_cjk(word):
        return [word]
    return [
        word[start : start + size]
        for size in range(len(word) - 1, 1, -1)
        for start in range(len(word) - size + 1)
        if word[start : start + size] in vocabulary
    ]


def name_parts(name: str) -> list[str]:
    """A printed name and its parts: 斯坦尼斯拉夫·扎斯 → itself, 斯坦尼斯拉夫, 扎斯 (the dot splits jieba anyway)."""
    normalized = normalize(name).strip()
    parts = [part for part in re.split(r"[·・•\s]+", normalized) if part]
    return list(dict.fromkeys([normalized, *parts]))


def speaker_names(speech) -> list[str]:
    """Every name a question may use for a speech's speaker: name, person, affiliation, role, as printed."""
    return list(_names_of(speech.speaker, speech.person, speech.affiliation, speech.role))


@functools.lru_cache(maxsize=65536)
def _names_of(*values: str | None) -> tuple[str, ...]:
    """Remembered per speaker: a corpus of every meeting has a few thousand speakers over 100,000s of speeches."""
    return tuple(dict.fromkeys(name for value in values if value for name in name_parts(value)))


def corpus_user_words(corpus, aliases=None) -> set[str]:
    """Words jieba must keep whole for this corpus: speaker names and affiliations, alias names."""
    words = {name for _, speech in corpus.speeches() for name in speaker_names(speech)}
    if aliases is not None:
        words |= aliases.chinese_names()
    return {word for word in words if len(word) > 1 and is_cjk(word)}
