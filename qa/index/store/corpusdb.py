"""The parsed corpus in one SQLite file beside the index, opened lazily: a question reads only what it cites.

``corpus.sqlite`` (written once, to a hidden temporary name renamed into place, then only read) holds a row per
meeting and per speech (their fields as JSON, without the speeches or paragraphs), a row per paragraph (its
text, line, page and line breaks) and the engine's arrays (``qa.index.layout``, and each paragraph's first copy,
``qa.index.copies``) as blobs. ``open_corpus`` gives a ``Corpus`` whose meetings, speeches and paragraphs are
sequences read on first use and kept: opening it reads the arrays and nothing else, whatever the corpus's size.
"""

from __future__ import annotations

import dataclasses
import json
import os
import sqlite3
import threading
from collections.abc import Sequence
from pathlib import Path

import numpy as np

from qa.errors import UserError
from qa.index.layout import Layout, Speaker
from qa.index.store.files import temporary_prefix
from qa.records.jsonform import meeting_from_json, speech_from_json
from qa.records.model import Corpus, LoadProblem, Meeting, Paragraph, Speech

CORPUS_VERSION = 2
"""Bump when the file's tables change (it is part of the snapshot's key)."""
SCHEMA = """
CREATE TABLE meta (name TEXT PRIMARY KEY, value TEXT);
CREATE TABLE meetings (number INTEGER PRIMARY KEY, head TEXT, first_speech INTEGER, speeches INTEGER);
CREATE TABLE speeches (number INTEGER PRIMARY KEY, meeting INTEGER, head TEXT, first_doc INTEGER, paragraphs INTEGER);
CREATE TABLE paragraphs (doc INTEGER PRIMARY KEY, id TEXT, line INTEGER, page INTEGER, text TEXT, breaks TEXT);
CREATE TABLE arrays (name TEXT PRIMARY KEY, dtype TEXT, data BLOB);
CREATE TABLE speakers (
    number INTEGER PRIMARY KEY, speaker TEXT, person TEXT, affiliation TEXT, role TEXT, speaker_line TEXT, label TEXT,
    names TEXT
);
"""
ROWS_AT_ONCE = 20_000
"""Paragraph rows inserted at a time (a meeting's rows at most, so writing never holds a large record twice)."""
ARRAYS = ("speech_of", "meeting_of_speech", "speaker_of_speech", "first_copy")


def write_corpus(path: Path, corpus: Corpus, layout: Layout, first_copy: np.ndarray, key: str) -> None:
    """Write the corpus and its arrays to ``path`` through a hidden temporary file renamed into place (raises
    OSError or sqlite3.Error; the temporary file is removed)."""
    temporary = path.with_name(f"{temporary_prefix('writing')}{path.name}")
    try:
        connection = sqlite3.connect(temporary)
        try:
            fill(connection, corpus, layout, first_copy)
            connection.execute("INSERT INTO meta VALUES ('key', ?)", (key,))
            connection.commit()
        finally:
            connection.close()
        os.replace(temporary, path)
    finally:
        temporary.unlink(missing_ok=True)


def fill(connection: sqlite3.Connection, corpus: Corpus, layout: Layout, first_copy: np.ndarray) -> None:
    connection.execute("PRAGMA journal_mode = OFF")
    connection.execute("PRAGMA synchronous = OFF")
    connection.executescript(SCHEMA)
    problems = [dataclasses.asdict(problem) for problem in corpus.problems]
    connection.executemany(
        "INSERT INTO meta VALUES (?, ?)", [("root", corpus.root), ("problems", json.dumps(problems))]
    )
    speech_number = doc = 0
    for number, meeting in enumerate(corpus.meetings):
        head = dataclasses.asdict(dataclasses.replace(meeting, speeches=()))
        row = (number, json.dumps(head, ensure_ascii=False), speech_number, len(meeting.speeches))
        connection.execute("INSERT INTO meetings VALUES (?, ?, ?, ?)", row)
        speeches, paragraphs = [], []
        for speech in meeting.speeches:
            head = dataclasses.asdict(dataclasses.replace(speech, paragraphs=()))
            speeches.append((speech_number, number, json.dumps(head, ensure_ascii=False), doc, len(speech.paragraphs)))
            for paragraph in speech.paragraphs:
                breaks = json.dumps(paragraph.breaks) if paragraph.breaks else ""
                paragraphs.append((doc, paragraph.id, paragraph.line, paragraph.page, paragraph.text, breaks))
                doc += 1
            speech_number += 1
            if len(paragraphs) >= ROWS_AT_ONCE:  # a 200 MB record is one meeting: its rows go in parts
                connection.executemany("INSERT INTO paragraphs VALUES (?, ?, ?, ?, ?, ?)", paragraphs)
                paragraphs.clear()
        connection.executemany("INSERT INTO speeches VALUES (?, ?, ?, ?, ?)", speeches)
        connection.executemany("INSERT INTO paragraphs VALUES (?, ?, ?, ?, ?, ?)", paragraphs)
    speakers = [
        (number, *dataclasses.astuple(speaker)[:-1], json.dumps(speaker.names, ensure_ascii=False))
        for number, speaker in enumerate(layout.speakers)
    ]
    connection.executemany("INSERT INTO speakers VALUES (?, ?, ?, ?, ?, ?, ?, ?)", speakers)
    arrays = {
        "speech_of": layout.speech_of,
        "meeting_of_speech": layout.meeting_of_speech,
        "speaker_of_speech": layout.speaker_of_speech,
        "first_copy": first_copy,
    }
    rows = [(name, array.dtype.str, np.ascontiguousarray(array).tobytes()) for name, array in arrays.items()]
    connection.executemany("INSERT INTO arrays VALUES (?, ?, ?)", rows)


class CorpusStore:
    """Read-only access to ``corpus.sqlite``; meetings and speeches built once, on first use (thread-safe)."""

    def __init__(self, path: Path):
        self.path = path
        uri = f"{path.resolve().as_uri()}?mode=ro&immutable=1"
        self.connection = sqlite3.connect(uri, uri=True, check_same_thread=False)
        self.lock = threading.Lock()
        self.meetings: dict[int, Meeting] = {}
        self.speeches: dict[int, Speech] = {}
        self.arrays = {name: self.array(name) for name in ARRAYS}
        self.speech_count = len(self.arrays["meeting_of_speech"])
        self.paragraph_count = len(self.arrays["speech_of"])
        self.meeting_count = self.last("meetings", "number")
        if (self.last("speeches", "number"), self.last("paragraphs", "doc")) != (
            self.speech_count,
            self.paragraph_count,
        ):
            raise ValueError("the corpus file's rows do not match its arrays")

    def rows(self, sql: str, parameters=()) -> list[tuple]:
        try:
            with self.lock:
                return self.connection.execute(sql, parameters).fetchall()
        except sqlite3.Error as error:
            raise self.damaged(error) from None

    def damaged(self, error: Exception) -> UserError:
        """A file found damaged after it was opened (changed underneath): one line that says what to do."""
        return UserError(f"{self.path}: the corpus cache is damaged ({error}); delete it and run again")

    def last(self, table: str, column: str) -> int:
        """The number of rows of a table numbered from 0 (its last number + 1), read from its key alone."""
        last = self.one(f"SELECT max({column}) FROM {table}")[0]
        return 0 if last is None else last + 1

    def one(self, sql: str, parameters=()) -> tuple:
        found = self.rows(sql, parameters)
        if not found:
            raise ValueError(f"the corpus file lacks a row: {sql} {parameters}")
        return found[0]

    def array(self, name: str) -> np.ndarray:
        dtype, data = self.one("SELECT dtype, data FROM arrays WHERE name = ?", (name,))
        return np.frombuffer(data, dtype=np.dtype(dtype))

    def meta(self, name: str) -> str:
        return self.one("SELECT value FROM meta WHERE name = ?", (name,))[0]

    def layout(self) -> Layout:
        rows = self.rows(
            "SELECT speaker, person, affiliation, role, speaker_line, label, names FROM speakers ORDER BY number"
        )
        speakers = [Speaker(*row[:-1], names=tuple(json.loads(row[-1]))) for row in rows]
        speeches = LazySequence(self.speech, range(self.speech_count))
        arrays = self.arrays
        return Layout(arrays["speech_of"], arrays["meeting_of_speech"], arrays["speaker_of_speech"], speakers, speeches)

    def meeting(self, number: int) -> Meeting:
        found = self.meetings.get(number)
        if found is None:
            head, first, count = self.one(
                "SELECT head, first_speech, speeches FROM meetings WHERE number = ?", (number,)
            )
            speeches = LazySequence(self.speech, range(first, first + count), lambda: self.read_speeches(first, count))
            found = dataclasses.replace(meeting_from_json({**json.loads(head), "speeches": ()}), speeches=speeches)
            found = self.meetings.setdefault(number, found)
        return found

    def speech(self, number: int) -> Speech:
        found = self.speeches.get(number)
        if found is None:
            row = self.one("SELECT head, first_doc, paragraphs FROM speeches WHERE number = ?", (number,))
            found = self.speeches.setdefault(number, self.speech_of_row(*row))
        return found

    def speech_of_row(self, head: str, first: int, count: int) -> Speech:
        paragraphs = Paragraphs(self, first, count)
        return dataclasses.replace(speech_from_json({**json.loads(head), "paragraphs": ()}), paragraphs=paragraphs)

    def read_speeches(self, first: int, count: int) -> None:
        """Speeches ``first`` to ``first + count - 1`` read in one query (a meeting's, when they are gone through)."""
        if all(number in self.speeches for number in range(first, first + count)):
            return
        rows = self.rows(
            "SELECT number, head, first_doc, paragraphs FROM speeches WHERE number >= ? AND number < ?",
            (first, first + count),
        )
        for number, *row in rows:
            if number not in self.speeches:
                self.speeches.setdefault(number, self.speech_of_row(*row))

    def paragraphs(self, first: int, count: int) -> tuple[Paragraph, ...]:
        rows = self.rows(
            "SELECT id, line, page, text, breaks FROM paragraphs WHERE doc >= ? AND doc < ? ORDER BY doc",
            (first, first + count),
        )
        if len(rows) != count:
            raise self.damaged(ValueError(f"paragraphs {first}–{first + count - 1} missing"))
        return tuple(
            Paragraph(key, line, page, text, tuple(json.loads(breaks)) if breaks else ())
            for key, line, page, text, breaks in rows
        )

    def texts(self, characters: str):
        """(document number, text) of the paragraphs holding every one of ``characters``, in corpus order."""
        chosen = sorted(set(characters))
        where = " AND ".join("instr(text, ?) > 0" for _ in chosen) or "1"
        with self.lock:
            cursor = self.connection.execute(f"SELECT doc, text FROM paragraphs WHERE {where} ORDER BY doc", chosen)
        while True:
            with self.lock:
                found = cursor.fetchmany(1000)
            if not found:
                return
            yield from found


class LazySequence(Sequence):
    """Items by number, each built by ``make(number)`` when first asked for (the store keeps it)."""

    def __init__(self, make, numbers, prefetch=None):
        self.make = make
        self.numbers = numbers
        self.prefetch = prefetch
        """Called before the items are gone through (a meeting's speeches: read in one query)."""

    def __iter__(self):
        if self.prefetch is not None:
            self.prefetch()
        return (self.make(number) for number in self.numbers)

    def __len__(self) -> int:
        return len(self.numbers)

    def __getitem__(self, position):
        if isinstance(position, slice):
            return tuple(self.make(number) for number in self.numbers[position])
        return self.make(self.numbers[position])

    def __eq__(self, other) -> bool:
        if isinstance(other, LazySequence):
            return (self.make, self.numbers) == (other.make, other.numbers)
        if not isinstance(other, tuple) or len(self) != len(other):
            return False
        return all(a == b for a, b in zip(self, other, strict=True))

    def __hash__(self) -> int:
        return hash(tuple(self.numbers) if isinstance(self.numbers, list) else self.numbers)


class Paragraphs(Sequence):
    """A speech's paragraphs, read together the first time one is asked for."""

    def __init__(self, store: CorpusStore, first: int, count: int):
        self.store, self.first, self.count = store, first, count
        self.loaded: tuple[Paragraph, ...] | None = None

    def items(self) -> tuple[Paragraph, ...]:
        if self.loaded is None:
            self.loaded = self.store.paragraphs(self.first, self.count)
        return self.loaded

    def __len__(self) -> int:
        return self.count

    def __getitem__(self, position):
        return self.items()[position]

    def __iter__(self):
        return iter(self.items())

    def __eq__(self, other) -> bool:
        if isinstance(other, Paragraphs):
            return (self.store, self.first, self.count) == (other.store, other.first, other.count)
        return isinstance(other, tuple) and self.items() == other

    def __hash__(self) -> int:
        return hash((self.first, self.count))


class Entries(Sequence):
    """(meeting, speech, paragraph) by document number, read when asked for."""

    def __init__(self, store: CorpusStore, bounds: np.ndarray):
        self.store = store
        self.bounds = bounds

    def __len__(self) -> int:
        return self.store.paragraph_count

    def __getitem__(self, doc):
        if isinstance(doc, slice):
            return [self[d] for d in range(*doc.indices(len(self)))]
        doc = int(doc) + (len(self) if doc < 0 else 0)
        number = int(self.store.arrays["speech_of"][doc])
        speech = self.store.speech(number)
        meeting = self.store.meeting(int(self.store.arrays["meeting_of_speech"][number]))
        return meeting, speech, speech.paragraphs[doc - int(self.bounds[number])]

    def __iter__(self):
        for number in range(self.store.meeting_count):
            meeting = self.store.meeting(number)
            for speech in meeting.speeches:
                for paragraph in speech.paragraphs:
                    yield meeting, speech, paragraph


def open_corpus(path: Path, key: str) -> Corpus:
    """The corpus saved at ``path`` under ``key``, its meetings read on first use (raises sqlite3.Error,
    ValueError, KeyError, TypeError on a damaged, foreign or other key's file)."""
    store = CorpusStore(path)
    if store.meta("key") != key:
        raise ValueError("the corpus file was saved for other records")
    problems = tuple(LoadProblem(**problem) for problem in json.loads(store.meta("problems")))
    meetings = LazySequence(store.meeting, range(store.meeting_count))
    meetings.store = store
    return Corpus(meetings=meetings, problems=problems, root=store.meta("root"))
