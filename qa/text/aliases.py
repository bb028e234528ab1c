"""Other names of the same thing: 集体安全条约组织 = 集安组织 = CSTO.

Two sources, merged into one ``AliasTable``:
- the corpus itself: records introduce a short name once as "全称（简称）" and then use only the short
  one, so a question with either name must find both (``corpus_pairs``);
- the editable glossary shipped in qa/text/data/glossary.tsv (``中文名<TAB>alias|alias``), for the English
  names and common Chinese short forms that users type but records never define (CSTO, 英国, 阿联酋).

Questions are expanded, paragraphs are not: a question naming one member gains the others as whole terms.
"""

from __future__ import annotations

import functools
import hashlib
import re
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from qa.errors import UserError
from qa.paths import data_file
from qa.text.normalize import normalize
from qa.text.tokens import is_cjk

_PAIR = re.compile(r"([\u4e00-\u9fff]{2,30})\(([\u4e00-\u9fff]{2,12})\)")


@dataclass(frozen=True)
class AliasTable:
    """Groups of names that mean the same thing; the first of each group is the canonical (Chinese) form."""

    groups: tuple[tuple[str, ...], ...]
    """Normalised names, canonical first."""

    def digest(self) -> str:
        text = "\n".join("|".join(group) for group in self.groups)
        return hashlib.sha256(text.encode()).hexdigest()[:16]

    def chinese_names(self) -> set[str]:
        """Every Chinese name in the table: the tokenizer keeps them whole."""
        return {name for group in self.groups for name in group if is_cjk(name)}

    def mentioned_groups(self, normalized_question: str) -> list[tuple[str, ...]]:
        """The groups the question names (by any member), as (the names it used, then the other Chinese names).

        A name inside a longer mentioned name of another group does not count (俄罗斯 in 白俄罗斯).
        """
        latin = {match.group() for match in self.latin_pattern.finditer(normalized_question)} if self.latin else set()
        said = latin | {name for name in self.chinese if name in normalized_question}
        found = [(group, [name for name in group if name in said]) for group in self.groups if said.intersection(group)]
        used = {name for _, names in found for name in names}
        groups = []
        for group, names in found:
            own = [
                name
                for name in names
                if not any(name in other and name != other and other not in group for other in used)
            ]
            if own:
                groups.append(tuple(dict.fromkeys([*own, *(name for name in group if is_cjk(name))])))
        return groups

    def with_latin_names(self, group: tuple[str, ...], as_indexed) -> tuple[str, ...]:
        """A named group with its one-word Latin names as the index holds them (``as_indexed``: 也门 → yemen), so
        that a Chinese question finds an English record; names of several words are left out, as their words
        (united, states) name much else."""
        latin = [
            as_indexed(name)
            for name in (normalize(name) for name in self.group_of(group[0]))
            if not is_cjk(name) and " " not in name and "-" not in name
        ]
        return tuple(dict.fromkeys([*group, *latin]))

    def group_of(self, name: str) -> tuple[str, ...]:
        """The group ``name`` belongs to, or just ``name``."""
        return self.group_by_name.get(name, (name,))

    @functools.cached_property
    def group_by_name(self) -> dict[str, tuple[str, ...]]:
        return {name: group for group in reversed(self.groups) for name in group}

    @functools.cached_property
    def chinese(self) -> tuple[str, ...]:
        return tuple(name for name in self.group_by_name if is_cjk(name))

    @functools.cached_property
    def latin(self) -> tuple[str, ...]:
        return tuple(sorted((name for name in self.group_by_name if not is_cjk(name)), key=len, reverse=True))

    @functools.cached_property
    def latin_pattern(self) -> re.Pattern:
        """All Latin names as whole words, longest first (so "united states" wins over "states")."""
        return re.compile(rf"(?<![a-z0-9])(?:{'|'.join(map(re.escape, self.latin))})(?![a-z0-9])")


def mentions(text: str, name: str) -> bool:
    """Chinese names match as substrings; Latin names only as whole words (so "un" is not found in "fund")."""
    if is_cjk(name):
        return name in text
    return re.search(rf"(?<![a-z0-9]){re.escape(name)}(?![a-z0-9])", text) is not None


def full_name_for(preceding: str, short: str) -> str | None:
    """The shortest tail of ``preceding`` that starts with the short name's first character and contains the
    short name's characters in order (集体安全条约组织 for 集安组织); None when there is none."""
    for start in range(len(preceding) - len(short), -1, -1):
        candidate = preceding[start:]
        if candidate[0] == short[0] and is_subsequence(short, candidate):
            return candidate
    return None


def is_subsequence(short: str, full: str) -> bool:
    characters = iter(full)
    return all(character in characters for character in short)


def corpus_pairs(texts: Iterable[str]) -> list[tuple[str, str]]:
    """(full name, short name) for every "全称（简称）" the texts define."""
    pairs: list[tuple[str, str]] = []
    for text in texts:
        normalized = normalize(text)
        if "(" not in normalized:  # most paragraphs define nothing: the slow pattern is not even tried on them
            continue
        for match in _PAIR.finditer(normalized):
            full = full_name_for(match.group(1), match.group(2))
            if full and len(full) > len(match.group(2)):
                pairs.append((full, match.group(2)))
    return list(dict.fromkeys(pairs))


def read_glossary(path: Path) -> list[tuple[str, ...]]:
    """Groups from a glossary file: ``中文名<TAB>alias1|alias2``; blank lines and ``#`` comments skipped."""
    return [group for _, group in glossary_entries(path)]


SECTION = "# section:"


def glossary_entries(path: Path) -> list[tuple[str, tuple[str, ...]]]:
    """(section, group) for every entry of a glossary file; the section is the last ``# section: NAME`` above."""
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except (OSError, UnicodeDecodeError) as error:
        raise UserError(f"{path}: cannot read the glossary ({error}); fix or remove the file") from error
    entries, section = [], ""
    for number, line in enumerate(lines, start=1):
        if line.startswith(SECTION):
            section = line[len(SECTION) :].strip()
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        canonical, _, rest = line.partition("\t")
        if not rest.strip():
            raise UserError(f"{path}:{number}: expected '中文名<TAB>alias|alias', got {line.strip()!r}")
        names = [normalize(canonical).strip()] + [normalize(name).strip() for name in rest.split("|")]
        entries.append((section, tuple(dict.fromkeys(name for name in names if name))))
    return entries


@functools.cache
def role_names() -> frozenset[str]:
    """Every name of the shipped glossary's ``roles`` section (大使, 秘书长, Ambassador): titles, which a question
    may use for a speaker the record prints by name (so a record that never prints one still answers it), and
    which are no places."""
    path = data_file("glossary.tsv")
    if not path.is_file():
        return frozenset()
    return frozenset(name for section, group in glossary_entries(path) if section == "roles" for name in group)


def merge_groups(groups: Iterable[Iterable[str]]) -> tuple[tuple[str, ...], ...]:
    """Groups sharing a name become one group (the first group's canonical name stays first)."""
    merged: list[list[str]] = []
    for group in groups:
        names = list(dict.fromkeys(group))
        overlapping = [existing for existing in merged if set(existing) & set(names)]
        for existing in overlapping:
            merged.remove(existing)
        combined = [name for existing in overlapping for name in existing] + names
        merged.append(list(dict.fromkeys(combined)))
    return tuple(tuple(group) for group in merged)


def party_names(affiliations: Iterable[str], taken: set[str]) -> list[tuple[str, str]]:
    """(affiliation, "<first character>方") for affiliations whose first character no other one shares:
    Chinese speeches call a delegation 哈方, 中方, 俄方; an ambiguous 阿方 (阿富汗? 阿尔巴尼亚?) is left out."""
    names = sorted({normalize(name) for name in affiliations if name and is_cjk(name) and len(name) > 1})
    by_initial: dict[str, list[str]] = {}
    for name in names:
        by_initial.setdefault(name[0], []).append(name)
    return [
        (group[0], f"{initial}方")
        for initial, group in by_initial.items()
        if len(group) == 1 and f"{initial}方" not in taken
    ]


def build_aliases(texts: Iterable[str], affiliations: Iterable[str] = (), glossary: Path | None = None) -> AliasTable:
    """The glossary (default: the shipped one, when present, with the country adjectives of ``demonyms.tsv``:
    "the British delegation" names the United Kingdom as "the French representative" names France), the
    corpus's own pairs, and 某方 names of the corpus's affiliations."""
    path = glossary if glossary is not None else data_file("glossary.tsv")
    adjectives = data_file("demonyms.tsv") if glossary is None else None
    groups = [*(read_glossary(path) if path.is_file() else []), *corpus_pairs(texts)]
    groups += read_glossary(adjectives) if adjectives is not None and adjectives.is_file() else []
    taken = {name for group in groups for name in group}
    return AliasTable(merge_groups([*groups, *party_names(affiliations, taken)]))


def build_synonyms(path: Path | None = None) -> AliasTable | None:
    """The shipped thesaurus (qa/text/data/synonyms.tsv): the records' words for what questions say."""
    path = path if path is not None else data_file("synonyms.tsv")
    return AliasTable(tuple(read_glossary(path))) if path.is_file() else None
