"""The two corpora of ``qa bench --peers`` as token lists, and the side-by-side run over both at each size.

- *sentences*: ``qa.bench.synthetic``'s paragraphs (the bundled record's sentences recombined), tokenized by qa's
  tokenizer on every core (``qa.index.workers``), timed and counted in tokens per second; the questions are the
  development set's and generated ones, cut into terms by qa's query path against the built index's vocabulary
  (aliases and synonyms flattened to their terms, as the peers know no concepts).
- *zipf*: ``qa.bench.zipf``'s token lists (several hundred thousand distinct terms), as long as the bundled
  record's paragraphs in terms, with queries as long as the same questions in concepts (cut by jieba).
"""

from __future__ import annotations

import json
import sys
import time
from pathlib import Path

from qa.bench import peers, synthetic, zipf
from qa.index.engine import query_vocabulary
from qa.index.workers import token_lists


def tokenized(tokenizer, texts, size: int, workers: int | None) -> tuple[list[list[str]], dict]:
    """Token lists of ``texts`` (terms interned: one object per distinct term, so a million paragraphs fit in
    well under a gigabyte) and how fast the tokenizer ran."""
    tokenizer.terms("")  # jieba's dictionary loaded before the clock starts, as for `qa` at start-up
    started = time.perf_counter()
    intern = sys.intern
    items = ((text, "", 0) for text in texts)
    documents = [list(map(intern, terms)) for terms in token_lists(tokenizer, items, workers, size)]
    seconds = time.perf_counter() - started
    tokens = sum(map(len, documents))
    return documents, {"tokenize_s": seconds, "tokens": tokens, "tokens_per_s": tokens / seconds if seconds else 0.0}


def question_terms(tokenizer, questions: list[str]):
    """A function of the built qa engine: each question's terms as qa's query path cuts them, deduplicated."""

    def cut(qa_engine) -> list[list[str]]:
        vocabulary = query_vocabulary(qa_engine.postings)
        known = qa_engine.numbers
        cut_questions = []
        for question in questions:
            terms = [t for concept in tokenizer.query_concepts(question, vocabulary) for t in concept if t in known]
            if terms:
                cut_questions.append(list(dict.fromkeys(terms)))
        return cut_questions

    return cut


def record_lengths(tokenizer, texts: list[str]) -> list[int]:
    """The bundled paragraphs' lengths in terms (what the Zipf paragraphs copy)."""
    return [len(tokenizer.terms(text)) for text in texts]


def question_lengths(tokenizer, questions: list[str]) -> list[int]:
    """How many concepts (words, or a name with its aliases) each question has, as qa's query path cuts it (with
    jieba: no index needed); a Zipf query has one term per concept, having no synonyms."""
    return [len(tokenizer.query_concepts(question)) for question in questions]


def measure_peers(sizes, tokenizer, texts: list[str], questions: list[str], work: Path, settings, progress) -> dict:
    """Both corpora side by side at each size, the Zipf corpus first (no tokenizing: its figures come soon); each
    section is also handed to ``progress`` as JSON as soon as it is measured, so a long run keeps what it did."""
    pool = synthetic.SentencePool.from_texts(texts)
    lengths = record_lengths(tokenizer, texts)
    query_lengths = question_lengths(tokenizer, questions)
    report = {"sentences": [], "zipf": [], "zipf_vocabulary": zipf.VOCABULARY, "zipf_exponent": zipf.EXPONENT}
    for size in sizes:
        progress(f"qa bench --peers: {size:,} paragraphs of the Zipf corpus, side by side")
        documents = list(zipf.paragraphs(size, lengths))
        row = peers.side_by_side(documents, zipf.queries(len(questions), query_lengths), settings.repeat, work)
        report["zipf"].append({**row, "distinct_terms": distinct(documents)})
        progress(json.dumps(report["zipf"][-1]))
        del documents
        progress(f"qa bench --peers: {size:,} paragraphs of the sentence corpus, tokenizing")
        documents, speed = tokenized(tokenizer, synthetic.paragraphs(pool, size), size, settings.workers)
        progress(f"qa bench --peers: {size:,} paragraphs of the sentence corpus, side by side")
        row = peers.side_by_side(documents, question_terms(tokenizer, questions), settings.repeat, work)
        report["sentences"].append({**row, **speed, "distinct_terms": distinct(documents)})
        progress(json.dumps(report["sentences"][-1]))
        del documents
    return report


def distinct(documents: list[list[str]]) -> int:
    seen: set[str] = set()
    for terms in documents:
        seen.update(terms)
    return len(seen)
