"""The corpus model: meetings → speeches → paragraphs.

Everything downstream (index, answers, chat) cites these objects, so they carry
exactly what a citation needs: who spoke, for whom, where in which file.
They are frozen so that a parsed corpus can be shared between threads.
"""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class Paragraph:
    id: str
    """Stable id ``<symbol>:<speech index>:<paragraph index>``, e.g. ``S/PV.8967:3:2``."""
    line: int
    """1-based line of the source file where the paragraph starts."""
    page: int | None
    """Page of the printed record where the paragraph starts, when the record says."""
    text: str
    """The paragraph with hard wraps joined and page furniture removed."""
    breaks: tuple[int, ...] = ()
    """Where the source lines after the first start, as flat pairs (offset in ``text``, 1-based source line): a
    citation names the line of the quoted sentence, not only the paragraph's first (``qa.records.citation``). A
    pair with offset 0 moves the text's first line past a speaker line printed alone. Empty: not known."""


@dataclass(frozen=True)
class LanguageSwitch:
    """A note such as "（以法语发言）" inside a speech: the speaker changed language."""

    line: int
    """1-based source line of the note."""
    before_paragraph: int
    """Index of the paragraph the new language starts with."""
    language: str
    """The language as printed (法语)."""
    text: str = ""
    """The note as printed."""


@dataclass(frozen=True)
class Speech:
    index: int
    """Position in the meeting, counting procedural parts too (0-based)."""
    speaker: str | None
    """Name as printed without honorific, or the title (主席, 秘书长); None for procedural parts."""
    honorific: str | None
    """先生, 女士 or 夫人 as printed."""
    role: str | None
    """The capacity the speaker spoke in when the record says (安理会主席, 秘书长, 俄罗斯联邦副外长)."""
    affiliation: str | None
    """Country or organisation as printed, or as the record establishes for titled speakers."""
    language: str | None
    """Language spoken as printed (俄语); None when none is printed (the speaker spoke Chinese)."""
    procedural: bool
    """True for the record's own notes: opening, adoption of the agenda, adjournment."""
    paragraphs: tuple[Paragraph, ...]
    line: int
    """1-based source line where the speech (its speaker line) starts."""
    speaker_line: str = ""
    """The speaker line as printed ("张军先生（中国）："), empty when the speech has none."""
    person: str | None = None
    """The person's name when the speaker is printed by title only (古特雷斯 for 秘书长)."""
    language_switches: tuple[LanguageSwitch, ...] = ()

    @property
    def label(self) -> str:
        """How a citation names the speaker: "张军（中国）", "秘书长（联合国）", "会议记录" ("The record" for an
        English record's notes), "Zhang Jun (China)"."""
        if self.speaker is None:
            return "The record" if self.paragraphs and _mostly_latin(self.paragraphs[0].text) else "会议记录"
        if self.affiliation and self.affiliation != self.speaker:
            if not any(_is_cjk(char) for char in self.speaker + self.affiliation):
                return f"{self.speaker} ({self.affiliation})"
            return f"{self.speaker}（{self.affiliation}）"
        return self.speaker


def _is_cjk(char: str) -> bool:
    """A Chinese character or full-width mark: a label with one uses full-width brackets, as the records do."""
    return "\u3000" <= char <= "\u9fff" or "\uff00" <= char <= "\uffef"


def _mostly_latin(text: str) -> bool:
    """An English record's note ("The meeting was called to order at 10.05 a.m.") is cited in English."""
    return sum(char.isascii() and char.isalpha() for char in text) * 2 > len(text)


@dataclass(frozen=True)
class Furniture:
    """A page header or footer removed from the text ("22-25946  15/20")."""

    line: int
    text: str


@dataclass(frozen=True)
class Vote:
    """A vote the record prints ("A vote was taken by show of hands. In favour: … Against: … Abstaining: …")."""

    line: int
    """Source line of "In favour:"."""
    page: int | None
    subject: str
    """What was put to the vote, as the President said it ("the draft resolution contained in document S/2020/24")."""
    in_favour: tuple[str, ...]
    against: tuple[str, ...]
    abstaining: tuple[str, ...]
    outcome: str
    """The result the President announced ("has been adopted as resolution 2504 (2020)", "has not been adopted")."""


@dataclass(frozen=True)
class Meeting:
    symbol: str
    """Document symbol, e.g. ``S/PV.8967``."""
    date: str | None
    """ISO date of the meeting (from the page headers), when present."""
    title: str
    """The agenda item the meeting considered."""
    source: str
    """Path of the record file, relative to the repository root when it lies inside it (``qa.paths.display_path``,
    a stable cache key); citations show it as openable from the working folder (``qa.paths.cited_path``)."""
    speeches: tuple[Speech, ...]
    opened: str | None = None
    """Opening time as printed in the record's procedural note (上午11时05分)."""
    closed: str | None = None
    """Closing time as printed (下午1时15分)."""
    presiding: str | None = None
    """The Council member holding the presidency, as the record establishes it (俄罗斯联邦)."""
    pages: int | None = None
    """Number of pages of the printed record, from its footers."""
    furniture: tuple[Furniture, ...] = ()
    sha256: str = ""
    """Digest of the file's bytes: the index cache is keyed by it."""
    warnings: tuple[str, ...] = ()
    """What the parser could read only in part ("line 12: damaged speaker line …")."""
    language: str = "zh"
    """The record's language: "zh" or "en" (which tokenizer and templates suit it)."""
    agenda: str = ""
    """The agenda as the cover of a PDF prints it."""
    members: tuple[tuple[str, str], ...] = ()
    """(member, representative) as the cover of a PDF lists them, the President's first."""
    votes: tuple[Vote, ...] = ()

    def paragraphs(self):
        """Every paragraph with its speech, in record order."""
        for speech in self.speeches:
            for paragraph in speech.paragraphs:
                yield speech, paragraph


@dataclass(frozen=True)
class LoadProblem:
    """A record file that was skipped or only partly read, and why."""

    path: str
    message: str

    def __str__(self) -> str:
        return f"{self.path}: {self.message}"


@dataclass(frozen=True)
class Corpus:
    meetings: tuple[Meeting, ...]
    problems: tuple[LoadProblem, ...] = field(default=())
    root: str = ""
    """The folder the records were read from."""

    def speeches(self):
        for meeting in self.meetings:
            for speech in meeting.speeches:
                yield meeting, speech

    def paragraphs(self):
        """Every (meeting, speech, paragraph), in corpus order."""
        for meeting in self.meetings:
            for speech in meeting.speeches:
                for paragraph in speech.paragraphs:
                    yield meeting, speech, paragraph
