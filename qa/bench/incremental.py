"""A build from record files, then the rebuild after one more record (``qa bench --incremental N``).

The synthetic paragraphs (``qa.bench.synthetic``) are written as meeting records of ``PER_RECORD`` paragraphs each,
their speaker lines taken in turn from the bundled record, so the index is opened the way ``qa`` opens it:
every record parsed (or its parse read from the parse cache), then ``qa.index.open.open_engine`` (jieba, the term
cache, the postings, the index saved). Then one more meeting, whose speakers no other record names, is added
and the index opened again on the same cache: only that record should be parsed and tokenized. Each open runs
in a new spawned process, jieba's loading included in both, as a user's next run would.
"""

from __future__ import annotations

import time
from pathlib import Path

from qa.bench import synthetic
from qa.bench.child import in_child
from qa.index.open import open_engine
from qa.paths import user_cache_dir
from qa.records.load import load_corpus

PER_RECORD = 250
"""Paragraphs per synthetic meeting (the bundled one has 261)."""
TURN = 10
"""Paragraphs per speaker turn."""
NEW_SPEAKERS = ("欧阳娜娜女士（图瓦卢）：", "司徒雷登先生（瑙鲁）：")
"""The added meeting's speakers: names that are new dictionary words for the whole corpus."""


def write_record(path: Path, speaker_lines, texts: list[str]) -> None:
    """A meeting: the President opens it, speakers take turns of ``TURN`` paragraphs, the meeting rises."""
    lines = ["主席（以英语发言）：我宣布会议开始。"]
    for start in range(0, len(texts), TURN):
        lines.append(speaker_lines[(start // TURN) % len(speaker_lines)] + texts[start])
        lines.extend(texts[start + 1 : start + TURN])
    lines.append("下午1时散会。")
    path.write_text("\n\n".join(lines) + "\n", encoding="utf-8")


def open_index(seeds: str, cache_dir: str) -> dict:
    """In a child process: parse the records and open (build or rebuild) their index, each timed."""

    started = time.perf_counter()
    corpus = load_corpus(Path(seeds), user_cache_dir(cache_dir))
    parsed = time.perf_counter()
    notices: list[str] = []
    engine = open_engine(corpus, cache_dir=cache_dir, notify=notices.append)
    return {
        "parse_s": parsed - started,
        "index_s": time.perf_counter() - parsed,
        "notice": " ".join(notices),
        "paragraphs": len(engine.postings.paragraph_ids),
        "records": len(corpus.meetings),
    }


def measure_incremental(paragraphs: int, corpus, pool, work: Path) -> dict:
    """Full build of ``paragraphs`` synthetic paragraphs in meeting files, then the rebuild with one added."""

    speaker_lines = [s.speaker_line for _, s in corpus.speeches() if s.speaker_line and s.affiliation]
    seeds, cache_dir = work / "incremental-seeds", work / "incremental-cache"
    seeds.mkdir()
    texts = list(synthetic.paragraphs(pool, paragraphs))
    for number, start in enumerate(range(0, len(texts), PER_RECORD)):
        write_record(seeds / f"S_PV.{10000 + number}.zh.txt", speaker_lines, texts[start : start + PER_RECORD])
    full = in_child(open_index, str(seeds), str(cache_dir), doing="building the index of the synthetic records")
    added_texts = list(synthetic.paragraphs(pool, PER_RECORD, seed=synthetic.SEED + 2))
    write_record(seeds / "S_PV.99999.zh.txt", NEW_SPEAKERS, added_texts)
    added = in_child(open_index, str(seeds), str(cache_dir), doing="rebuilding after one added record")
    return {
        "records": full["records"],
        "paragraphs": full["paragraphs"],
        "full_parse_s": full["parse_s"],
        "full_index_s": full["index_s"],
        "added_parse_s": added["parse_s"],
        "added_index_s": added["index_s"],
        "added_notice": added["notice"],
    }
