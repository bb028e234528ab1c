"""The parsed corpus and the tokenizer's tables, saved beside the index so an unchanged folder is never re-parsed.

Parsing every record and deriving the tokenizer's aliases and user words costs more than loading the index
(about 80 ms for the one bundled record, minutes for thousands). ``corpus.sqlite`` holds the corpus
(``qa.index.store.corpusdb``: opened lazily, so start-up does not grow with the corpus) and ``snapshot.json``
(JSON only: never code) the tokenizer's tables, both under a *quick key* computed without reading the records:
each record file's path as cited, size, modification and change times and inode; the source of the parser's
modules; the tokenizer's data files and versions; the index settings. Any change to those means a normal open
(parse, then the index cache by content key), after which the snapshot is written again.
"""

from __future__ import annotations

import hashlib
import json
import sqlite3
from pathlib import Path

import numpy as np

from qa.index.store.cache import INDEX_VERSION, PARAGRAPH_IDS
from qa.index.store.corpusdb import CORPUS_VERSION, open_corpus, write_corpus
from qa.index.store.files import write_json
from qa.paths import data_file, display_paths
from qa.records.load import record_files
from qa.records.parse import parser_code_digest
from qa.text.aliases import AliasTable
from qa.text.tokens import TOKENIZER_VERSION, Tokenizer

SNAPSHOT = "snapshot.json"
CORPUS = "corpus.sqlite"
TOKENIZER_DATA = ("stopwords.txt", "glossary.tsv", "synonyms.tsv", "demonyms.tsv")
NAME_CODE = tuple(Path(__file__).parents[2] / "text" / name for name in ("tokens.py", "normalize.py"))


def quick_key(seeds_dir: Path, settings: dict) -> str:
    """A digest of everything the corpus and the index depend on, from file metadata and code, not contents."""
    files = []
    paths = record_files(seeds_dir)
    for path, shown in zip(paths, display_paths(paths), strict=True):
        stat = path.stat()
        files.append([shown, stat.st_size, stat.st_mtime_ns, stat.st_ctime_ns, stat.st_ino])
    versions = [TOKENIZER_VERSION, INDEX_VERSION, CORPUS_VERSION]
    digest = hashlib.sha256(json.dumps([str(seeds_dir), files, settings, versions], sort_keys=True).encode())
    digest.update(parser_code_digest().encode())
    for module in NAME_CODE:  # the speakers' names are saved as these modules cut them
        digest.update(module.read_bytes())
    for name in TOKENIZER_DATA:
        path = data_file(name)
        digest.update(path.read_bytes() if path.is_file() else b"-")
    return digest.hexdigest()


def save_snapshot(folder: Path, key: str, engine) -> None:
    """Write the corpus (``corpus.sqlite``) then ``snapshot.json``, each atomically, into an existing index folder
    (best effort: a failure only costs the next run a parse)."""
    layout, first_copy = engine.layout, np.asarray(engine.copies.first, dtype=np.int32)
    try:
        write_corpus(folder / CORPUS, engine.corpus, layout, first_copy, key)
    except (OSError, sqlite3.Error):
        return
    data = {
        "quick_key": key,
        "index_key": engine.index_key,
        "index_files": index_stamp(folder),
        "tokenizer": tokenizer_tables(engine.tokenizer),
    }
    write_json(folder / SNAPSHOT, data)


def index_stamp(folder: Path) -> list:
    """The index files' names, sizes and modification times: a file rewritten since the snapshot (damaged, or
    another index) sends the next open through the full check of the arrays."""
    stamp = []
    for path in sorted(folder.iterdir()):
        if path.suffix == ".npy" or path.name in ("meta.json", PARAGRAPH_IDS):
            stat = path.stat()
            stamp.append([path.name, stat.st_size, stat.st_mtime_ns])
    return stamp


def load_snapshot(folder: Path, key: str) -> dict | None:
    """The snapshot saved under ``key``, or None when absent, stale or unreadable."""
    try:
        data = json.loads((folder / SNAPSHOT).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    return data if isinstance(data, dict) and data.get("quick_key") == key else None


def snapshot_corpus(folder: Path, saved: dict):
    """The corpus of a snapshot, opened lazily, and whether the index files are those the snapshot saw (raises
    on a damaged or other corpus file)."""
    corpus = open_corpus(folder / CORPUS, saved["quick_key"])
    try:
        same = index_stamp(folder) == saved.get("index_files")
    except OSError:
        same = False
    return corpus, same


def tokenizer_tables(tokenizer) -> dict:
    """What ``qa.index.open.default_tokenizer`` derived from the corpus (stopwords come from their file)."""
    return {
        "user_words": sorted(tokenizer.user_words),
        "aliases": tokenizer.aliases.groups if tokenizer.aliases is not None else None,
        "synonyms": tokenizer.synonyms.groups if tokenizer.synonyms is not None else None,
    }


def tokenizer_from_tables(tables: dict) -> Tokenizer:
    def table(groups):
        return AliasTable(tuple(tuple(group) for group in groups)) if groups is not None else None

    return Tokenizer(tables["user_words"], aliases=table(tables["aliases"]), synonyms=table(tables["synonyms"]))


TOKENIZER_TABLES = "tokenizer.json"


def tokenizer_key(fingerprint: list[str]) -> str:
    """What the derived tokenizer tables depend on: the parsed corpus (its ``qa.index.open.corpus_fingerprint``),
    the data files, the tokenizer version."""
    digest = hashlib.sha256(json.dumps([TOKENIZER_VERSION, fingerprint]).encode())
    for name in TOKENIZER_DATA:
        path = data_file(name)
        digest.update(path.read_bytes() if path.is_file() else b"-")
    return digest.hexdigest()


def cached_tokenizer(folder: Path, key: str):
    """The tokenizer saved in ``folder`` for ``key`` (``tokenizer_key``), or None."""
    try:
        data = json.loads((folder / TOKENIZER_TABLES).read_text(encoding="utf-8"))
        return tokenizer_from_tables(data["tables"]) if data.get("key") == key else None
    except (OSError, ValueError, KeyError, TypeError, AttributeError):
        return None


def save_tokenizer(folder: Path, key: str, tokenizer) -> None:
    """Best effort, atomically: a failure only costs the next run the derivation (tens of ms)."""
    if folder.is_dir():
        write_json(folder / TOKENIZER_TABLES, {"key": key, "tables": tokenizer_tables(tokenizer)})
