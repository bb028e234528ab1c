"""Scripted batches: read a question file, answer each question, write the answers as they are done.

Three promises: nothing is lost (each answer is written and flushed as soon as it is done, so a
killed batch keeps every finished answer, and ``--resume`` drops a half-written last entry and goes
on after the last complete one); the same input gives byte-identical output (sorted keys, no
timestamps); one bad question never stops the batch (its error is recorded in its place).
"""

from __future__ import annotations

import csv
import io
import json
import re
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

from qa.errors import UserError

FORMATS = ("jsonl", "csv", "md")
CSV_COLUMNS = ("id", "question", "kind", "abstained", "error", "answer", "sources")
MD_END = "<!-- end of answer {} -->"
"""Closes every Markdown entry, naming its id (JSON-quoted): an entry without it was cut short."""
MD_END_LINE = re.compile(r"^<!-- end of answer (\".*\") -->\n\n", re.MULTILINE)


@dataclass(frozen=True)
class BatchQuestion:
    """One question of a batch file."""

    id: str
    """From the JSON ``id`` field, else ``L<line number>``."""
    question: str
    line: int
    """1-based line in the batch file."""
    error: str | None = None
    """Why the line cannot be asked (malformed JSON, no question field); recorded in its place."""


def read_batch(source: str, text: str) -> list[BatchQuestion]:
    """The questions of a batch file's text: plain lines or JSON Lines (blank and ``#`` lines skipped).

    Duplicate ids are refused before any work, naming them.
    """
    questions = []
    for number, line in enumerate(text.splitlines(), start=1):
        stripped = line.strip().lstrip("\ufeff")
        if not stripped or stripped.startswith("#"):
            continue
        questions.append(parse_json_line(stripped, number) if stripped.startswith("{") else plain(stripped, number))
    duplicates = sorted(qid for qid, count in Counter(q.id for q in questions).items() if count > 1)
    if duplicates:
        raise UserError(f"{source}: duplicate ids {', '.join(duplicates)}; every question needs its own id")
    return questions


def plain(line: str, number: int) -> BatchQuestion:
    return BatchQuestion(f"L{number}", line, number)


def parse_json_line(line: str, number: int) -> BatchQuestion:
    """A JSON Lines entry; other keys are ignored, a malformed line becomes that line's error."""
    try:
        row = json.loads(line)
    except ValueError as error:
        return BatchQuestion(f"L{number}", line, number, f"line {number}: not valid JSON ({error.msg})")
    if not isinstance(row, dict):
        return BatchQuestion(f"L{number}", line, number, f"line {number}: expected a JSON object")
    qid = row.get("id")
    qid = f"L{number}" if qid is None or qid == "" else str(qid)
    question = row.get("question")
    if not isinstance(question, str):
        return BatchQuestion(qid, "", number, f'line {number}: no "question" text in this JSON object')
    return BatchQuestion(qid, question, number)


def read_stdin(stdin) -> str:
    """Standard input decoded as UTF-8 from its bytes, whatever the locale says: a byte that is not UTF-8 is
    refused like one in a file, before any work, instead of failing mid-batch (or with a traceback)."""
    buffer = getattr(stdin, "buffer", None)
    if buffer is None:
        return stdin.read()
    try:
        return buffer.read().decode("utf-8")
    except UnicodeDecodeError as error:
        raise UserError(f"<stdin>: not UTF-8 text ({error.reason} at byte {error.start}); send UTF-8") from None


def read_source(path: str, stdin) -> tuple[str, str]:
    """(name for messages, text) of the batch file; ``-`` is standard input."""
    if path == "-":
        return "<stdin>", read_stdin(stdin)
    try:
        return path, Path(path).read_text(encoding="utf-8")
    except FileNotFoundError:
        raise UserError(f"{path}: no such question file") from None
    except IsADirectoryError:
        raise UserError(f"{path}: is a folder; give a file with one question per line") from None
    except UnicodeDecodeError as error:
        raise UserError(f"{path}: not UTF-8 text ({error.reason} at byte {error.start}); save it as UTF-8") from None
    except OSError as error:
        raise UserError(f"{path}: cannot read ({error.strerror})") from None


def error_object(item: BatchQuestion, message: str) -> dict:
    """The answer object of a question that could not be answered at all."""
    return {
        "id": item.id,
        "question": item.question,
        "kind": None,
        "answer": "",
        "abstained": True,
        "error": message,
        "citations": [],
        "retrieved": [],
    }


def entry(answer: dict, fmt: str) -> str:
    """One answer object in the output format, ending with its line break."""
    if fmt == "jsonl":
        return json.dumps(answer, ensure_ascii=False, sort_keys=True) + "\n"
    if fmt == "csv":
        return csv_row([csv_values(answer)[column] for column in CSV_COLUMNS])
    return markdown(answer)


def header(fmt: str) -> str:
    """What the output starts with (the CSV header row; nothing for the other formats)."""
    return csv_row(list(CSV_COLUMNS)) if fmt == "csv" else ""


def csv_row(values: list[str]) -> str:
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="\n").writerow(values)
    return buffer.getvalue()


def csv_values(answer: dict) -> dict[str, str]:
    return {
        "id": shown(answer.get("id")),
        "question": shown(answer.get("question")),
        "kind": answer.get("kind") or "",
        "abstained": "true" if answer.get("abstained") else "false",
        "error": shown(answer.get("error")),
        "answer": shown(answer.get("answer")),
        "sources": "\n".join(source_line(c) for c in answer.get("citations") or []),
    }


def shown(value) -> str:
    """Text as a terminal or viewer may show it: record text is data, so an escape sequence or control
    character in it is dropped (line breaks and tabs kept) before it reaches csv, Markdown or a terminal."""
    from qa.text.normalize import strip_controls

    return strip_controls(None if value is None else str(value))


def source_line(citation: dict) -> str:
    """``[1] 张军（中国）, S/PV.8967, 2022-02-16, p. 5, seeds/S_PV.8967.zh.txt:123``."""
    who = citation.get("label") or citation.get("speaker") or "会议记录"
    page = f"p. {citation['page']}" if citation.get("page") is not None else "p. ?"
    place = f"{citation.get('source')}:{citation.get('line')}"
    date = citation.get("date") or "?"
    return shown(f"[{citation.get('n')}] {who}, {citation.get('meeting')}, {date}, {page}, {place}")


def markdown(answer: dict) -> str:
    """A Markdown section: the question as heading, the answer, the sources with their quotes."""
    heading = re.sub(r"\s+", " ", shown(f"{answer.get('id')}: {answer.get('question') or ''}")).strip()
    parts = [f"## {heading}", ""]
    if answer.get("error"):
        parts += [f"**Error:** {shown(answer['error'])}", ""]
    else:
        parts += [line + "  " for line in shown(answer.get("answer")).splitlines()] + [""]
    for citation in answer.get("citations") or []:
        parts += [f"- {source_line(citation)}", f"  > {shown(citation.get('quote'))}"]
    end = MD_END.format(json.dumps(answer.get("id"), ensure_ascii=False))
    return "\n".join(parts).rstrip("\n") + "\n\n" + end + "\n\n"


def completed(text: str, fmt: str) -> tuple[set[str], int]:
    """Ids of the complete entries of an existing output and the length of text they fill.

    Whatever follows the last complete entry (a line cut short when the batch was killed) is to be
    dropped, so a resumed batch ends up byte-identical to an uninterrupted one.
    """
    if fmt == "jsonl":
        return completed_jsonl(text)
    if fmt == "csv":
        return completed_csv(text)
    return completed_markdown(text)


def looks_like(text: str, fmt: str) -> bool:
    """The start of an existing output is one this format writes (so ``--resume`` never cuts a foreign file)."""
    if fmt == "jsonl":
        return text.startswith("{")
    if fmt == "csv":
        first = header(fmt)
        return text.startswith(first) or first.startswith(text)
    return text.startswith("## ")


def completed_jsonl(text: str) -> tuple[set[str], int]:
    ids, end = set(), 0
    for line in text.splitlines(keepends=True):
        if not line.endswith("\n"):
            break
        try:
            ids.add(str(json.loads(line)["id"]))
        except (ValueError, KeyError, TypeError):
            break
        end += len(line)
    return ids, end


def completed_csv(text: str) -> tuple[set[str], int]:
    lines = text.splitlines(keepends=True)
    reader = csv.reader(lines)
    ids, end, consumed = set(), 0, 0
    try:
        for number, row in enumerate(reader):
            record = "".join(lines[consumed : reader.line_num])
            consumed = reader.line_num
            if len(row) != len(CSV_COLUMNS) or not record.endswith("\n"):
                break
            if number > 0:
                ids.add(row[0])
            end += len(record)
    except csv.Error:
        pass
    return ids, end


def completed_markdown(text: str) -> tuple[set[str], int]:
    ids, end = set(), 0
    for match in MD_END_LINE.finditer(text):
        ids.add(str(json.loads(match.group(1))))
        end = match.end()
    return ids, end


def run_batch(questions: list[BatchQuestion], ask, out, fmt: str, done: set[str], progress=None) -> int:
    """Answer every question not in ``done``, writing and flushing each entry in input order.

    ``ask(question, qid) -> dict`` gives the answer object; an exception becomes that question's
    error and the batch goes on. Returns the number of questions that failed.
    """
    failures = 0
    todo = [item for item in questions if item.id not in done]
    for count, item in enumerate(todo, start=1):
        if item.error:
            answer, failures = error_object(item, item.error), failures + 1
        else:
            try:
                answer = ask(item.question, item.id)
            except Exception as error:  # noqa: BLE001 - one failing question must not stop the batch
                answer, failures = error_object(item, f"{type(error).__name__}: {error}"), failures + 1
        out.write(entry(answer, fmt))
        out.flush()
        if progress:
            progress(count, len(todo))
    return failures
