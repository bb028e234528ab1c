"""qa bench at its smallest: the code path runs end to end and the report has its shape (never a time)."""

from __future__ import annotations

import json
from collections import Counter

import numpy as np
import pytest

from qa.bench import peers, synthetic, zipf
from qa.bench.report import markdown
from qa.bench.run import machine, percentile
from qa.cli import main

REFERENCE_KEYS = {"rank_bm25_p50_ms", "scoring_p50_ms", "speedup"}
SIZE_KEYS = {"paragraphs", "build_s", "builder_peak_mb", "worker_peak_mb", "postings", "terms", "index_mb",
             "tokens_per_s", "load_s", "query_p50_ms", "query_p95_ms"} | REFERENCE_KEYS  # fmt: skip


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


def test_zipf_corpus_is_deterministic_with_a_long_tail():
    first = list(zipf.paragraphs(2_000, [5, 40, 80]))
    assert first[:700] == list(zipf.paragraphs(700, [5, 40, 80]))
    assert first != list(zipf.paragraphs(2_000, [5, 40, 80], seed=1))
    assert {len(terms) for terms in first} == {5, 40, 80}
    counts = Counter(term for terms in first for term in terms)
    assert len(counts) > 10_000  # a long tail of rare terms
    assert counts["z0"] > 50 * counts.get("z1000", 1)  # and a head of common ones
    queries = zipf.queries(50, [2, 4])
    assert queries == zipf.queries(50, [2, 4]) and all(1 <= len(set(q)) == len(q) <= 4 for q in queries)


def test_agreement_allows_ties_at_the_kth_place():
    scores = np.array([5.0, 4.0] + [1.0] * 12)
    qa_docs = list(range(10))
    assert peers.agreement(scores, qa_docs, [0, 1, 12, 13], scores[[0, 1, 12, 13]] * (1 + 1e-8)) == (
        4,
        pytest.approx(1e-8),
    )
    assert peers.agreement(scores, qa_docs[:2], [0, 5], np.array([5.0, 1.0]))[0] == 1


def test_peers_side_by_side_runs_with_whatever_is_installed(tmp_path):
    documents = list(zipf.paragraphs(300, [10, 30]))
    section = peers.side_by_side(documents, zipf.queries(20, [2, 3]), 1, tmp_path, "numpy")  # numba: 14 s to compile
    names = [row["engine"] for row in section["rows"]]
    assert names[0] == "qa, NumPy" and len(names) + len(section["missing"]) - ("qa, compiled" in names) == 3
    compiled_rows = [row for row in section["rows"] if row["engine"] == "qa, compiled"]
    assert all(row["overlap_at_10"] == 1.0 and row["largest_score_gap"] == 0.0 for row in compiled_rows)
    assert all(row["overlap_at_10"] >= 0.8 and row["p50_ms"] <= row["p95_ms"] for row in section["rows"])
    bm25s = [row for row in section["rows"] if row["engine"].startswith("bm25s")]
    assert all(row["largest_score_gap"] < 1e-5 and row["overlap_at_10"] == 1.0 for row in bm25s)  # exact, float32
    report = {"machine": machine(), "settings": {"repeat": 1, "build_repeat": 1, "questions": 20, "seed": 1}}
    report["peers"] = {"sentences": [], "zipf": [{**section, "distinct_terms": 5}]}
    text = markdown(report)
    assert "the Zipf corpus: 300 paragraphs" in text and "| qa, NumPy |" in text and "overlap@10 with qa" in text


def test_bench_peers_runs_both_corpora(tmp_path, capsys, monkeypatch):
    monkeypatch.setattr(peers, "available_peers", lambda backend=None: ([], ["bm25s", "tantivy"]))  # qa alone: fast
    output = tmp_path / "peers.md"
    assert main(["bench", "--peers", "--sizes", "300", "--repeat", "1", "--output", str(output)]) == 0
    report = json.loads(output.with_suffix(".json").read_text(encoding="utf-8"))
    (sentences,), (zipf_section,) = report["peers"]["sentences"], report["peers"]["zipf"]
    assert sentences["paragraphs"] == zipf_section["paragraphs"] == 300 and sentences["tokens_per_s"] > 0
    assert zipf_section["distinct_terms"] > 2 * sentences["distinct_terms"] > 0
    assert sentences["missing"] == ["bm25s", "tantivy"]
    assert [row["engine"] for row in zipf_section["rows"]][0] == "qa, NumPy"
    assert "not installed: bm25s, tantivy" in capsys.readouterr().out
