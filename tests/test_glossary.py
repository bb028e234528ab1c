"""The shipped glossary keeps its format, so every alias leads to exactly one canonical Chinese name.

A tiny parser lives here on purpose: the test checks the file as a user edits it, independently of the real loader.
"""

from __future__ import annotations

import re

import pytest

from qa.paths import data_file

CJK = re.compile(r"[\u4e00-\u9fff]")
LATIN = re.compile(r"[A-Za-z]")
WORD_EDGES = re.compile(r"^\w.*\w$|^\w$")
# English words (and aliases) that a case-insensitive whole-word match would fire on in ordinary questions.
RISKY_LATIN = {"us", "who", "car", "can", "am", "is", "it", "as", "in", "on", "or", "an", "at", "to", "no", "so", "las"}


def parse(text: str) -> list[tuple[str, str, list[str]]]:
    """(section, canonical, aliases) per entry; sections come from '# section: <name>' comments."""
    entries, section = [], ""
    for number, line in enumerate(text.splitlines(), 1):
        if line.startswith("# section:"):
            section = line.split(":", 1)[1].strip()
        if not line.strip() or line.startswith("#"):
            continue
        assert line.count("\t") == 1, f"line {number} must have exactly one TAB: {line!r}"
        canonical, aliases = line.split("\t")
        entries.append((section, canonical, aliases.split("|")))
    return entries


@pytest.fixture(scope="module")
def entries():
    return parse(data_file("glossary.tsv").read_text(encoding="utf-8"))


def test_every_entry_has_a_chinese_canonical_name_and_a_latin_alias(entries):
    for _, canonical, aliases in entries:
        assert canonical == canonical.strip() and CJK.search(canonical), canonical
        assert all(alias and alias == alias.strip() for alias in aliases), canonical
        assert any(LATIN.search(alias) for alias in aliases), f"{canonical} has no English alias"


def test_each_name_leads_to_exactly_one_entry(entries):
    canonicals = [canonical for _, canonical, _ in entries]
    assert len(canonicals) == len(set(canonicals))
    aliases = [alias.casefold() for _, _, names in entries for alias in names]
    repeated = {alias for alias in aliases if aliases.count(alias) > 1}
    assert not repeated
    assert not set(aliases) & {canonical.casefold() for canonical in canonicals}


def test_latin_aliases_are_whole_words_and_not_ordinary_english(entries):
    for _, canonical, aliases in entries:
        for alias in filter(LATIN.search, aliases):
            assert WORD_EDGES.match(alias), f"{canonical}: {alias!r} cannot match as a whole word"
            assert alias.casefold() not in RISKY_LATIN, f"{canonical}: {alias!r} is an ordinary English word"


def test_all_193_member_states_are_listed(entries):
    states = {canonical: aliases for section, canonical, aliases in entries if section == "member-states"}
    assert len(states) == 193
    assert {"Russian Federation", "Russia", "俄罗斯"} <= set(states["俄罗斯联邦"])
    assert "United Kingdom" in states["大不列颠及北爱尔兰联合王国"]


def test_every_affiliation_in_the_bundled_record_is_known(entries, bundled_corpus):
    known = {name for _, canonical, aliases in entries for name in (canonical, *aliases)}
    affiliations = {speech.affiliation for _, speech in bundled_corpus.speeches() if speech.affiliation}
    assert affiliations and affiliations <= known
