"""Scripted batches: read a question file, answer each question, write the answers as they are done.

Three promises: nothing is lost (each answer is written and flushed as soon as it is done, so a
killed batch keeps every finished answer, and ``--resume`` drops a half-written last entry and goes
on after the last complete one); the same input gives byte-identical output (sorted keys, no
timestamps); one bad question never stops the batch (its error is recorded in its place).

An output starts with the settings it was answered with (``qa.commands.batchoutput``): a JSONL line
``{"qa_batch": {...}}`` (no ``id``, so readers of answers skip it: ``is_settings``), a Markdown comment; a CSV
keeps them in a sidecar file and starts with a byte-order mark when written to a file, so Excel reads it as UTF-8.
"""

from __future__ import annotations

import csv
import io
import json
import re
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

from qa.commands.common import json_text
from qa.errors import UserError
from qa.records.citation import citation_text
from qa.text.normalize import strip_controls

FORMATS = ("jsonl", "csv", "md")
CSV_COLUMNS = ("id", "question", "kind", "abstained", "error", "answer", "sources")
MD_END = "<!-- end of answer {} -->"
"""Closes every Markdown entry, naming its id (JSON-quoted): an entry without it was cut short."""
MD_END_LINE = re.compile(r"^<!-- end of answer (\".*\") -->\n\n", re.MULTILINE)
SETTINGS_KEY = "qa_batch"
MD_SETTINGS = re.compile(r"<!-- qa batch settings (\{.*\}) -->\n\n")
BOM = "\ufeff"


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
        if not stripped or stripped.startswith("#") or is_settings_line(stripped):
            continue
        questions.append(parse_json_line(stripped, number) if stripped.startswith("{") else plain(stripped, number))
    duplicates = sorted(qid for qid, count in Counter(q.id for q in questions).items() if count > 1)
    if duplicates:
        raise UserError(f"{source}: duplicate ids {', '.join(duplicates)}; every question needs its own id")
    return questions


def is_settings(row) -> bool:
    """A batch output's settings line (``{"qa_batch": {...}}``), which is not an answer: readers skip it."""
    return isinstance(row, dict) and SETTINGS_KEY in row and "id" not in row


def is_settings_line(line: str) -> bool:
    if not line.startswith('{"' + SETTINGS_KEY):
        return False
    try:
        return is_settings(json.loads(line))
    except ValueError:
        return False


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
        return json_text(answer, sort_keys=True) + "\n"
    if fmt == "csv":
        values = csv_values(answer)
        return csv_row([values[column] for column in CSV_COLUMNS[:-1]], quoted=values["sources"])
    return markdown(answer)


def header(fmt: str, settings: dict | None = None, bom: bool = False) -> str:
    """What the output starts with: the settings line (JSONL, Markdown), or the CSV column names, after a
    byte-order mark when ``bom`` (a file, which Excel then reads as UTF-8, not as the local code page)."""
    if fmt == "csv":
        return (BOM if bom else "") + csv_row(list(CSV_COLUMNS))
    if settings is None:
        return ""
    if fmt == "jsonl":
        return json_text({SETTINGS_KEY: settings}, sort_keys=True) + "\n"
    # ">" escaped: a speaker name holding "-->" must not end the comment
    encoded = json.dumps(settings, ensure_ascii=False, sort_keys=True).replace(">", "\\u003e")
    return f"<!-- qa batch settings {encoded} -->\n\n"


def settings_in(text: str, fmt: str) -> dict | None:
    """The settings an output's first line records (JSONL, Markdown); None when it has none."""
    if fmt == "jsonl":
        first, newline, _ = text.partition("\n")
        try:
            row = json.loads(first) if newline else None
        except ValueError:
            return None
        return row[SETTINGS_KEY] if is_settings(row) and isinstance(row[SETTINGS_KEY], dict) else None
    match = MD_SETTINGS.match(text) if fmt == "md" else None
    return json.loads(match.group(1)) if match else None


def csv_row(values: list[str], quoted: str | None = None) -> str:
    """One CSV row; ``quoted``, when given, is the last cell, always in quotes (the sources: several lines, and
    Excel must not read a cell that starts like a formula or a number as one)."""
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="\n").writerow(values)
    row = buffer.getvalue()
    if quoted is None:
        return row
    return row[:-1] + ',"' + quoted.replace('"', '""') + '"\n'


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

    return strip_controls(None if value is None else str(value))


def source_line(citation: dict) -> str:
    """``[1] 张军（中国）, S/PV.8967, 2022-02-16, p. 5, seeds/S_PV.8967.zh.txt:123, https://undocs.org/zh/S/PV.8967``:
    the number and ``qa.records.citation.citation_text`` of an answer object's citation (or hit)."""
    return shown(f"[{citation.get('n')}] {citation_text(citation)}")


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
        first, text = header(fmt), text.removeprefix(BOM)
        return text.startswith(first) or first.startswith(text)
    return text.startswith(("## ", "<!-- qa batch settings "))


def completed_jsonl(text: str) -> tuple[set[str], int]:
    ids, end = set(), 0
    for number, line in enumerate(text.splitlines(keepends=True)):
        if not line.endswith("\n"):
            break
        try:
            row = json.loads(line)
            if not (number == 0 and is_settings(row)):
                ids.add(str(row["id"]))
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
    settings = MD_SETTINGS.match(text)
    ids, end = set(), settings.end() if settings else 0
    for match in MD_END_LINE.finditer(text):
        ids.add(str(json.loads(match.group(1))))
        end = match.end()
    return ids, end


def run_batch(questions: list[BatchQuestion], ask, write, fmt: str, done: set[str], progress=None) -> int:
    """Answer every question not in ``done``, writing each entry in input order with ``write(text)`` (which
    flushes it).

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
        write(entry(answer, fmt))
        if progress:
            progress(count, len(todo))
    return failures
