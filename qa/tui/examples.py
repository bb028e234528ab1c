"""Example questions for the help screen, built from whatever corpus is loaded.

A new user learns what can be asked from the records in front of them: the
speakers and countries present and the topics they talked about most. Nothing
here is tied to one record.
"""

from __future__ import annotations

import itertools
import re
from collections import Counter
from collections.abc import Callable, Iterable

from qa.records.model import Corpus

_CHINESE_WORD = re.compile(r"[\u3400-\u9fff]+")
"""Topics are words of the (Chinese) records, not numbers or the English aliases a term function may add."""
TOPIC_MIN_CHARS = 3
"""Shorter terms are mostly verbs and function words (欢迎, 开展); topics are longer (恐怖主义, 维持和平)."""
TOPIC_SPEECHES = 2_000
"""Speeches the topics are counted over (the first ones): an archive's 100,000 would be read and cut whole."""
TOPIC_SHARE_MAX = 0.6
"""Terms used in more than this share of speeches say nothing about one topic (安理会, 秘书长)."""


def speaker_labels(corpus: Corpus, limit: int = 8) -> list[str]:
    """The substantive speakers with most paragraphs, as citations label them."""
    paragraphs: Counter[str] = Counter()
    for _, speech in corpus.speeches():
        if not speech.procedural and speech.speaker:
            paragraphs[speech.label] += len(speech.paragraphs)
    return [label for label, _ in paragraphs.most_common(limit)]


def affiliations(corpus: Corpus) -> list[str]:
    """Countries and organisations that spoke, in order of first appearance."""
    seen = dict.fromkeys(speech.affiliation for _, speech in corpus.speeches() if speech.affiliation)
    return list(seen)


def frequent_topics(corpus: Corpus, terms: Callable[[str], Iterable[str]], limit: int = 6) -> list[str]:
    """Terms found in the most speeches, leaving out those nearly every speech uses."""
    speeches = list(itertools.islice((s for _, s in corpus.speeches() if not s.procedural), TOPIC_SPEECHES))
    names = {name for speech in speeches for name in (speech.speaker, speech.person, speech.role, speech.affiliation)}
    names.discard(None)
    spread: Counter[str] = Counter()
    for speech in speeches:
        words = {term for paragraph in speech.paragraphs for term in terms(paragraph.text)}
        spread.update(word for word in words if len(word) >= TOPIC_MIN_CHARS and _CHINESE_WORD.fullmatch(word))
    ceiling = max(2, int(len(speeches) * TOPIC_SHARE_MAX))
    by_spread = sorted(spread.items(), key=lambda item: (-item[1], item[0]))  # ties: stable across runs
    ranked = [word for word, count in by_spread if 2 <= count <= ceiling and not _names(word, names)]
    return _without_parts(ranked)[:limit]


def _names(word: str, names: set[str]) -> bool:
    """True when ``word`` is (part of) a speaker's name, title or country: a who, not a what."""
    return any(word in name or name in word for name in names)


def _without_parts(words: list[str]) -> list[str]:
    """Drop a word when a higher-ranked word contains it or is contained in it (集体, 集体安全)."""
    kept: list[str] = []
    for word in words:
        if not any(word in other or other in word for other in kept):
            kept.append(word)
    return kept


def example_questions(corpus: Corpus, topics: list[str], limit: int = 6) -> list[str]:
    """Questions of the kinds the composer answers, naming this corpus's speakers, countries and topics."""
    places = [name for name in affiliations(corpus) if name != "联合国"]
    speakers = [label.split("（")[0] for label in speaker_labels(corpus) if not label.startswith("主席")]
    examples = ["会议几点开始？"]
    if places:
        examples.append(f"{places[0]}代表在会上强调了什么？")
    if topics:
        examples.append(f"哪些国家谈到了{topics[0]}？")
    if speakers and len(topics) > 1:
        examples.append(f"{speakers[0]}对{topics[1]}说了什么？")
    if len(places) > 1:
        examples.append(f"{places[-1]}的代表提出了哪些建议？")
    if len(topics) > 2:
        examples.append(f"谁呼吁加强{topics[2]}方面的合作？")
    return examples[:limit]
