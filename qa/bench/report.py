"""The ``qa bench`` report as Markdown (for people and the README) from its JSON object (for machines)."""

from __future__ import annotations

from qa.bench.pdfs import pdf_lines

SIZE_COLUMNS = (
    ("paragraphs", "paragraphs", "{:,}"),
    ("build_s", "build (s)", "{:.1f}"),
    ("tokens_per_s", "tokens per second (build)", "{:,.0f}"),
    ("builder_peak_mb", "peak memory, builder (MB)", "{:.0f}"),
    ("worker_peak_mb", "peak memory, one worker (MB)", "{:.0f}"),
    ("index_mb", "index on disk (MB)", "{:.1f}"),
    ("load_s", "load (s)", "{:.3f}"),
    ("query_p50_ms", "query p50 (ms)", "{:.2f}"),
    ("query_p95_ms", "query p95 (ms)", "{:.2f}"),
    ("rank_bm25_p50_ms", "rank-bm25 get_scores p50 (ms)", "{:.1f}"),
    ("scoring_p50_ms", "ours, same terms, p50 (ms)", "{:.3f}"),
    ("speedup", "speed-up", "{:.0f}x"),
)
SINGLE_FIGURES = (
    ("record", "record_mb", "one large record: size (MB)", "{:.0f}"),
    ("record", "parse_s", "one large record: parse (s)", "{:.1f}"),
    ("record", "parse_peak_mb", "one large record: peak memory while parsing (MB)", "{:.0f}"),
    ("incremental", "records", "meeting files, synthetic: records", "{:,}"),
    ("incremental", "paragraphs", "meeting files, synthetic: paragraphs", "{:,}"),
    ("incremental", "full_parse_s", "meeting files: parse (and cache) every record (s)", "{:.1f}"),
    ("incremental", "full_index_s", "meeting files: build the index, no cache (s)", "{:.1f}"),
    ("incremental", "added_parse_s", "one meeting added: read the records, parse the new one (s)", "{:.1f}"),
    ("incremental", "added_index_s", "one meeting added: rebuild the index (s)", "{:.1f}"),
    ("incremental", "added_notice", "one meeting added: the notice", "{}"),
    ("speakers", "speakers_large", "archive: speakers (copies of the bundled meeting, renamed)", "{:,}"),
    ("speakers", "meetings", "archive: meetings", "{:,}"),
    ("speakers", "paragraphs", "archive: paragraphs", "{:,}"),
    ("speakers", "large_s", "archive: the questions through `answer()` (s)", "{:.2f}"),
    ("speakers", "small_s", "bundled record: the same questions (s)", "{:.2f}"),
    ("speakers", "ratio", "archive / bundled record, same run", "{:.2f}x"),
    ("archive", "paragraphs", "archive in meeting files: paragraphs", "{:,}"),
    ("archive", "meetings", "archive: meetings (ten years)", "{:,}"),
    ("archive", "speakers", "archive: speakers", "{:,}"),
    ("archive", "build_s", "archive: first `qa ask` opening (parse, build, snapshot; s)", "{:.1f}"),
    ("archive", "build_peak_mb", "archive: peak memory of that opening, main process (MB)", "{:.0f}"),
    ("archive", "ask_s", "archive: `qa ask`, nothing changed, process start to exit (s)", "{:.2f}"),
    ("archive", "answer_first_p50_ms", "archive: whole `answer()`, first time, p50 (ms)", "{:.2f}"),
    ("archive", "answer_first_p95_ms", "archive: whole `answer()`, first time, p95 (ms)", "{:.2f}"),
    ("archive", "answer_p50_ms", "archive: whole `answer()`, median of repeats, p50 (ms)", "{:.2f}"),
    ("archive", "answer_p95_ms", "archive: whole `answer()`, median of repeats, p95 (ms)", "{:.2f}"),
    ("archive", "batch_one_qps", "archive: `qa batch --workers 1` (questions/s)", "{:.1f}"),
    ("archive", "batch_workers", "archive: `qa batch --workers N`: N", "{}"),
    ("archive", "batch_workers_qps", "archive: `qa batch --workers N` (questions/s)", "{:.1f}"),
    ("bundled", "search_p50_ms", "bundled record, `Engine.search` p50 (ms)", "{:.2f}"),
    ("bundled", "answer_p50_ms", "bundled record, whole `answer()` p50 (ms)", "{:.2f}"),
    ("processes", "ask_warm_s", "`qa ask`, index cached, process start to exit (s)", "{:.2f}"),
    ("processes", "ask_cold_s", "`qa ask`, no cache (s)", "{:.2f}"),
    ("processes", "search_warm_s", "`qa search`, index cached, process start to exit (s)", "{:.2f}"),
    ("processes", "chat_first_screen_s", "chat, start to first usable screen (s)", "{:.2f}"),
    ("processes", "chat_answer_s", "chat, Enter to answer on screen (s)", "{:.3f}"),
)


def cell(value, form: str) -> str:
    return "–" if value is None else form.format(value)


PEER_COLUMNS = (
    ("engine", "engine", "{}"),
    ("p50_ms", "p50 (ms)", "{:.2f}"),
    ("p95_ms", "p95 (ms)", "{:.2f}"),
    ("build_s", "build from tokens (s)", "{:.1f}"),
    ("save_s", "save (s)", "{:.1f}"),
    ("peak_added_mb", "build peak above tokens (MB)", "{:,.0f}"),
    ("index_mb", "index on disk (MB)", "{:,.1f}"),
    ("overlap_at_10", "overlap@10 with qa", "{:.3f}"),
    ("largest_score_gap", "largest score gap", "{:.1e}"),
)
CORPORA = (
    ("sentences", "the sentence corpus (the record's sentences recombined)"),
    ("zipf", "the Zipf corpus"),
)


def machine_line(report: dict) -> str:
    machine, settings = report["machine"], report["settings"]
    return (
        f"Machine: {machine['cores']} cores, {machine['memory_gb']} GB, {machine['processor']}, "
        f"{machine['system']}, Python {machine['python']}. Medians of {settings['repeat']} runs "
        f"({settings['build_repeat']} per build); {settings['questions']} questions, seed {settings['seed']}."
    )


def peers_markdown(report: dict) -> str:
    """One table per corpus and size: qa, then each peer, on the same token lists and queries."""
    peers = report["peers"]
    lines = [machine_line(report)]
    for key, title in CORPORA:
        for section in peers[key]:
            lines += ["", f"{title}: {section['paragraphs']:,} paragraphs, {section['tokens']:,} tokens, "
                      f"{section['distinct_terms']:,} distinct terms, {section['queries']} queries"]  # fmt: skip
            if "tokens_per_s" in section:
                lines[-1] += f"; tokenized in {section['tokenize_s']:.1f} s ({section['tokens_per_s']:,.0f} tokens/s)"
            if section["missing"]:
                lines[-1] += f"; not installed: {', '.join(section['missing'])}"
            lines += ["", "| " + " | ".join(t for _, t, _ in PEER_COLUMNS) + " |", "|" + " --- |" * len(PEER_COLUMNS)]
            for row in section["rows"]:
                lines.append("| " + " | ".join(cell(row.get(k), form) for k, _, form in PEER_COLUMNS) + " |")
    return "\n".join(lines) + "\n"


def markdown(report: dict) -> str:
    """Machine line, the per-size table, then the single figures (medians of the runs the settings name)."""
    if "peers" in report:
        return peers_markdown(report)
    lines = [
        machine_line(report),
        "",
        "| " + " | ".join(title for _, title, _ in SIZE_COLUMNS) + " |",
        "|" + " --- |" * len(SIZE_COLUMNS),
    ]
    for row in report["sizes"]:
        lines.append("| " + " | ".join(cell(row.get(key), form) for key, _, form in SIZE_COLUMNS) + " |")
    lines += ["", "| measure | median |", "| --- | --- |"]
    for section, key, title, form in SINGLE_FIGURES:
        value = report.get(section, {}).get(key)
        if value is not None:
            lines.append(f"| {title} | {cell(value, form)} |")
    if report.get("pdfs"):
        lines += pdf_lines(report["pdfs"])
    return "\n".join(lines) + "\n"
