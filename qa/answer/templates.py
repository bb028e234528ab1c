"""Answer templates: plain files a user can edit, checked before anything is substituted.

A template file is ``prompts/<kind>.<lang>.txt`` (kind: factoid, who, stance, list, decline; lang: zh, en).
It holds named sections, each introduced by a line ``[section]``; the lines after it, up to the next
section, are the section's text (lines starting with ``#`` are comments, blank lines are dropped).
Placeholders are ``string.Template``'s ``${name}``; ``$$`` is a literal dollar. ``str.format`` is never
used on these files: its ``{0.__class__}`` syntax reaches Python objects, ``string.Template`` cannot.
Every problem (missing file or section, unknown or malformed placeholder, a cited line without ``${n}``)
is a ``UserError`` naming the file and line, raised when the templates are loaded, not mid-answer.
"""

from __future__ import annotations

import re
import string
from dataclasses import dataclass
from pathlib import Path

from qa.errors import UserError
from qa.paths import default_prompts_dir

LANGUAGES = ("zh", "en")
LINE_VARIABLES = frozenset(
    {"speaker", "name", "affiliation", "quote", "value", "n", "index", "meeting", "date", "page"}
)
SECTIONS: dict[str, dict[str, frozenset[str]]] = {
    # kind -> section -> variables the section may use; sections of cited lines must use ${n}.
    "factoid": {"line": LINE_VARIABLES, "value_line": LINE_VARIABLES},
    "who": {
        "line": LINE_VARIABLES,
        "count_all": frozenset({"count", "shown", "topic"}),
        "count_first": frozenset({"count", "shown", "topic"}),
    },
    "stance": {"line": LINE_VARIABLES},
    "list": {"item": LINE_VARIABLES},
    "decline": {
        "not_found": frozenset({"question"}),
        "unmatched": frozenset({"question", "terms"}),
        "blank": frozenset(),
        "truncated": frozenset({"limit"}),
        "no_vote": frozenset(),
    },
}
"""Every template file, its sections, and the variables each section may use."""
OPTIONAL_SECTIONS = frozenset({"count_all", "count_first", "no_vote"})
"""Sections a template folder copied before they existed may lack: ``Templates.render`` then falls back to
``FALLBACKS`` (the shipped wording)."""
FALLBACKS = {
    ("who", "zh", "count_all"): "${count} 位发言者谈到${topic}：",
    ("who", "zh", "count_first"): "${count} 位发言者谈到${topic}，下面列出前 ${shown} 位：",
    ("who", "en", "count_all"): "${count} speakers mentioned ${topic}:",
    ("who", "en", "count_first"): "${count} speakers mentioned ${topic}; the first ${shown}:",
    ("decline", "zh", "no_vote"): "记录中没有本次会议进行表决或通过决议、主席声明的记载。下列程序性记录可供参考。",
    ("decline", "en", "no_vote"): "The record notes no vote and nothing adopted at this meeting (no resolution, no"
    " presidential statement). The procedural notes below may help.",
}
CITED_SECTIONS = frozenset({"line", "value_line", "item"})
"""Sections that render a cited sentence: their text must end the sentence with the ``${n}`` marker."""
SECTION_LINE = re.compile(r"^\[([a-z_]+)\]\s*$")


@dataclass(frozen=True)
class Section:
    """One checked template: its text and where it came from (for error messages)."""

    template: string.Template
    path: Path
    line: int
    """1-based line of the section's first text line."""

    def render(self, **values: object) -> str:
        return self.template.substitute({name: str(value) for name, value in values.items()})


@dataclass(frozen=True)
class Templates:
    """Every section of every template file, by (kind, language, section)."""

    sections: dict[tuple[str, str, str], Section]
    folder: Path
    """The folder the templates were read from."""

    def render(self, kind: str, language: str, section: str, **values: object) -> str:
        key = (kind, language, section)
        if key not in self.sections and key in FALLBACKS:
            return string.Template(FALLBACKS[key]).substitute({name: str(value) for name, value in values.items()})
        return self.sections[key].render(**values)


def load_templates(folder: Path | None = None) -> Templates:
    """All templates from ``folder`` (default: the shipped ``prompts/``), checked; UserError on any problem."""

    folder = Path(folder) if folder is not None else default_prompts_dir()
    if not folder.is_dir():
        raise UserError(f"{folder}: no such template folder; give --prompts DIR with the files of prompts/README.md")
    sections: dict[tuple[str, str, str], Section] = {}
    for kind, allowed in SECTIONS.items():
        for language in LANGUAGES:
            path = folder / f"{kind}.{language}.txt"
            for name, section in read_template_file(path, allowed).items():
                sections[(kind, language, name)] = section
    return Templates(sections, folder)


def read_template_file(path: Path, allowed: dict[str, frozenset[str]]) -> dict[str, Section]:
    """The sections of one file, each checked against the variables it may use."""
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise UserError(f"{path}: template file missing; copy it from the shipped prompts/ folder") from None
    except (OSError, UnicodeDecodeError) as error:
        raise UserError(f"{path}: cannot read the template ({error}); it must be UTF-8 text") from error
    raw = split_sections(path, text)
    for name in allowed:
        if name not in raw and name not in OPTIONAL_SECTIONS:
            raise UserError(f"{path}: section [{name}] is missing (sections: {', '.join(allowed)})")
    return {name: check_section(path, name, body, line, allowed.get(name)) for name, (body, line) in raw.items()}


def split_sections(path: Path, text: str) -> dict[str, tuple[str, int]]:
    """``{section: (text, first line)}``, the text with an empty line for each blank or comment line (so an
    offset in it gives the file's line); text before the first ``[section]`` line is an error."""
    sections: dict[str, tuple[list[str], int]] = {}
    current: str | None = None
    for number, line in enumerate(text.splitlines(), start=1):
        header = SECTION_LINE.match(line.strip())
        if header:
            current = header.group(1)
            if current in sections:
                raise UserError(f"{path}:{number}: section [{current}] appears twice")
            sections[current] = ([], number + 1)
        elif line.strip() and not line.lstrip().startswith("#"):
            if current is None:
                raise UserError(f"{path}:{number}: text before the first [section] line; start with e.g. [line]")
            sections[current][0].append(line.strip())
        elif current is not None:
            sections[current][0].append("")  # a blank or comment line: kept empty so errors name the right line
    return {name: ("\n".join(lines), start) for name, (lines, start) in sections.items()}


def check_section(path: Path, name: str, body: str, line: int, allowed: frozenset[str] | None) -> Section:
    """A section whose placeholders are all well formed and known; cited sections must use ``${n}``."""
    if allowed is None:
        raise UserError(f"{path}:{line - 1}: unknown section [{name}]")
    if not body.strip():
        raise UserError(f"{path}:{line - 1}: section [{name}] is empty")
    template = string.Template("\n".join(text for text in body.split("\n") if text))
    for match in template.pattern.finditer(body):
        variable = match.group("named") or match.group("braced")
        where = f"{path}:{line + body.count(chr(10), 0, match.start())}"
        if match.group("invalid") is not None:
            raise UserError(f"{where}: malformed placeholder in [{name}]; write ${{name}}, or $$ for a dollar sign")
        if variable is not None and variable not in allowed:
            known = ", ".join(sorted(allowed)) or "none"
            raise UserError(f"{where}: unknown variable ${{{variable}}} in [{name}] (known: {known})")
    if name in CITED_SECTIONS and "n" not in template.get_identifiers():
        raise UserError(f"{path}:{line}: section [{name}] must end its sentence with the citation marker [${{n}}]")
    return Section(template, path, line)
