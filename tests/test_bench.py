"""qa bench at its smallest: the code path runs end to end and the report has its shape (never a time)."""

from __future__ import annotations

import json

import pytest

from qa.bench import synthetic
from qa.bench.run import percentile
from qa.cli import main

REFERENCE_KEYS = {"rank_bm25_p50_ms", "scoring_p50_ms", "speedup"}
SIZE_KEYS = {"paragraphs", "build_s", "builder_peak_mb", "worker_peak_mb", "postings", "terms", "index_mb",
             "load_s", "query_p50_ms", "query_p95_ms"} | REFERENCE_KEYS  # fmt: skip


@pytest.fixture(scope="module")
def pool(bundled_corpus):
    return synthetic.SentencePool.from_texts([p.text for _, _, p in bundled_corpus.paragraphs()])


def test_synthetic_corpus_is_deterministic_and_made_of_the_records_sentences(pool):
    first = list(synthetic.paragraphs(pool, 300))
    assert first == list(synthetic.paragraphs(pool, 300))
    assert first[:100] == list(synthetic.paragraphs(pool, 100))
    assert first != list(synthetic.paragraphs(pool, 300, seed=1))
    sentences = set(pool.sentences)
    assert all(any(text.startswith(sentence) for sentence in sentences) for text in first)
    lengths = sorted(len(text) for text in first)
    assert lengths[len(lengths) // 2] >= sorted(pool.lengths)[len(pool.lengths) // 4]


def test_generated_questions_are_spans_of_the_records_sentences(pool):
    questions = synthetic.questions(pool, 50)
    assert questions == synthetic.questions(pool, 50)
    assert all(q.endswith("吗？") and any(q[:-2] in sentence for sentence in pool.sentences) for q in questions)


def test_percentile_is_nearest_rank():
    values = [float(n) for n in range(1, 101)]
    assert percentile(values, 0.5) == 50.0
    assert percentile(values, 0.95) == 95.0
    assert percentile([3.0], 0.95) == 3.0


def test_bench_smallest_size_writes_markdown_and_json(tmp_path, capsys):
    output = tmp_path / "report.md"
    arguments = ["bench", "--sizes", "2000", "--repeat", "1", "--no-processes", "--record-mb", "1"]
    arguments += ["--incremental", "500"]
    assert main([*arguments, "--output", str(output)]) == 0
    report = json.loads(output.with_suffix(".json").read_text(encoding="utf-8"))
    assert report["settings"]["sizes"] == [2000] and report["settings"]["questions"] > 100
    (row,) = report["sizes"]
    assert set(row) == SIZE_KEYS
    assert row["paragraphs"] == 2000 and row["postings"] > 2000 and row["terms"] > 500
    assert row["query_p50_ms"] <= row["query_p95_ms"]
    assert set(report["bundled"]) == {"search_p50_ms", "answer_p50_ms"}
    assert "processes" not in report
    record = report["record"]
    assert set(record) == {"record_mb", "parse_s", "parse_peak_mb", "paragraphs"}
    assert 1 <= record["record_mb"] < 1.2 and record["paragraphs"] > 2 * 251  # several copies of the record
    incremental = report["incremental"]
    assert incremental["records"] == 2 and incremental["paragraphs"] == 504  # and a chair's and a closing line each
    assert incremental["added_notice"].endswith(": 1 of 3 records re-tokenized")
    text = output.read_text(encoding="utf-8")
    assert text == capsys.readouterr().out
    assert "| 2,000 |" in text and "query p95 (ms)" in text and "whole `answer()`" in text
    assert "one large record: peak memory while parsing (MB)" in text


@pytest.mark.parametrize("sizes", ["", "10,x", "50"])
def test_bad_sizes_are_one_line_errors(sizes, capsys):
    with pytest.raises(SystemExit) as exit_info:
        main(["bench", "--sizes", sizes])
    assert exit_info.value.code == 2
    assert "--sizes" in capsys.readouterr().err


def test_output_must_be_markdown(tmp_path, capsys):
    assert main(["bench", "--sizes", "100", "--output", str(tmp_path / "report.txt")]) == 2
    assert "name a Markdown file" in capsys.readouterr().err


def test_fault_trials_damage_records_reproducibly_and_the_parser_survives_them():
    import random

    from qa.bench import faults
    from tests.conftest import BUNDLED_RECORD

    data = BUNDLED_RECORD.read_bytes()
    damaged = [faults.damage(data, random.Random(seed)) for seed in range(12)]
    assert damaged == [faults.damage(data, random.Random(seed)) for seed in range(12)]
    assert all(version != data for version in damaged)
    assert faults.fuzzed(data, 40, random.Random(18)) == []
    table = faults.markdown({"build killed": faults.tally([None, "skipped", "hang"])})
    assert "| build killed | 3 | 1 | 1 | hang |" in table


def test_the_speaker_archive_is_copies_with_new_speakers_and_symbols(bundled_corpus, tmp_path):
    from qa.bench.speakers import archive, measure_speakers, speaker_count

    big = archive(bundled_corpus, 50)
    assert speaker_count(big) >= 50 and len(big.meetings) == 3
    assert len({meeting.symbol for meeting in big.meetings}) == 3 and len({m.date for m in big.meetings}) == 3
    ids = [paragraph.id for _, _, paragraph in big.paragraphs()]
    assert len(set(ids)) == len(ids)
    figures = measure_speakers(bundled_corpus, 50, ["中国认为什么？", "会议几点开始？"], tmp_path, repeat=1)
    assert figures["speakers_large"] >= 50 and figures["questions"] == 2 and figures["ratio"] > 0
