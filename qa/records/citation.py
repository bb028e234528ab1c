"""One citation, everywhere: the text that names where a quoted sentence is, built here for every front end.

``qa ask``, ``qa search``, the batch files (JSON Lines, CSV, Markdown), the chat's sources panel, its reader and
its Markdown export all show the same string, so a reader can check a quote with whichever they have at hand::

    张军（中国）, S/PV.8967, 2022-02-16, p. 13, seeds/S_PV.8967.zh.txt:935, https://undocs.org/zh/S/PV.8967

speaker (affiliation), symbol, date, page, ``file:line`` of the quoted sentence (the file as the user can open it
from the working folder) and, when the symbol is a Security Council record's, its page on the UN's documents site
in the record's language. ``citation_fields`` gives the parts (the JSON objects carry them), ``citation_text``
joins them; it lives with the records because the index's ``Hit.to_json`` needs it too.
"""

from __future__ import annotations

import re
from collections.abc import Mapping

from qa.paths import cited_path
from qa.records.model import Meeting, Paragraph, Speech

UN_SYMBOL = re.compile(r"S/PV\.\d+(?:/Resumption\d*)?")
"""The symbols the UN's documents site resolves (a renamed test record's symbol is not one)."""
QUOTE_JOINER = " … "
"""How an answer joins the sentences it quotes from one paragraph (``qa.answer.render``)."""
PROBE = 12
"""Characters of a quote looked for when the whole quote is not found verbatim (clauses of one sentence)."""


def record_url(meeting: Meeting) -> str | None:
    """The record's page on the UN's documents site, in its language (``https://undocs.org/zh/S/PV.8967``)."""
    if not UN_SYMBOL.fullmatch(meeting.symbol):
        return None
    return f"https://undocs.org/{'en' if meeting.language == 'en' else 'zh'}/{meeting.symbol}"


def line_at(paragraph: Paragraph, offset: int) -> int:
    """The source line holding character ``offset`` of the paragraph's text (its first line without a map)."""
    line = paragraph.line
    pairs = paragraph.breaks
    for index in range(0, len(pairs) - 1, 2):
        if pairs[index] > offset:
            break
        line = pairs[index + 1]
    return line


def quote_line(paragraph: Paragraph, quote: str | None) -> int:
    """The source line where ``quote`` (its first sentence) starts in the paragraph; the paragraph's own start
    line (or that of its text, past a speaker line printed alone) when there is no quote or it is not found."""
    first = (quote or "").split(QUOTE_JOINER)[0].strip().strip("…")  # a cut mark is not the record's text
    offset = paragraph.text.find(first) if first else -1
    if offset < 0 and len(first) > PROBE:
        offset = paragraph.text.find(first[:PROBE])
    return line_at(paragraph, max(offset, 0))


def citation_fields(meeting: Meeting, speech: Speech, paragraph: Paragraph, quote: str | None = None) -> dict:
    """The parts of a citation, named as the JSON objects name them (``label``, ``meeting``, ``date``, ``page``,
    ``source``, ``line``, ``url``)."""
    return {
        "label": speech.label,
        "meeting": meeting.symbol,
        "date": meeting.date,
        "page": paragraph.page,
        "source": cited_path(meeting.source),
        "line": quote_line(paragraph, quote),
        "url": record_url(meeting),
    }


def citation_text(fields: Mapping) -> str:
    """The one citation string, from ``citation_fields`` or a JSON object holding them (a batch's answers):
    unknown date and page are "?", so every citation has the same parts in the same places."""
    page = fields.get("page")
    parts = [
        fields.get("label") or fields.get("speaker") or "会议记录",
        fields.get("meeting") or "?",
        fields.get("date") or "?",
        f"p. {page}" if page is not None else "p. ?",
        f"{fields.get('source')}:{fields.get('line')}",
    ]
    if fields.get("url"):
        parts.append(fields["url"])
    return ", ".join(str(part) for part in parts)


def cite(meeting: Meeting, speech: Speech, paragraph: Paragraph, quote: str | None = None) -> str:
    """``citation_text`` of a paragraph (and the sentence quoted from it)."""
    return citation_text(citation_fields(meeting, speech, paragraph, quote))
