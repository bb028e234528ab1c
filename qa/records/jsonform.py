"""The corpus model as JSON and back, for the caches that keep parsed records (``qa.index.store.snapshot``,
``qa.records.parsecache``).

JSON only, never pickle: a cache file is data, and one of another shape raises (KeyError, TypeError) instead of
running anything. ``dataclasses.asdict`` writes every field, so a field added to the model is saved without a
change here; reading it back needs a change only for a new nested or tuple field.
"""

from __future__ import annotations

import dataclasses

from qa.records.model import Corpus, Furniture, LanguageSwitch, LoadProblem, Meeting, Paragraph, Speech, Vote


def corpus_json(corpus: Corpus) -> dict:
    return dataclasses.asdict(corpus)


def meeting_json(meeting: Meeting) -> dict:
    return dataclasses.asdict(meeting)


def speech_from_json(item: dict) -> Speech:
    fields = {name: value for name, value in item.items() if name not in ("paragraphs", "language_switches")}
    return Speech(
        **fields,
        paragraphs=tuple(Paragraph(**{**part, "breaks": tuple(part["breaks"])}) for part in item["paragraphs"]),
        language_switches=tuple(LanguageSwitch(**switch) for switch in item["language_switches"]),
    )


def meeting_from_json(item: dict) -> Meeting:
    """The ``Meeting`` ``meeting_json`` saved (raises KeyError/TypeError on a dictionary of another shape)."""
    nested = ("speeches", "furniture", "warnings", "members", "votes")
    fields = {name: value for name, value in item.items() if name not in nested}
    return Meeting(
        **fields,
        speeches=tuple(speech_from_json(part) for part in item["speeches"]),
        furniture=tuple(Furniture(**part) for part in item["furniture"]),
        warnings=tuple(item["warnings"]),
        members=tuple((str(member), str(name)) for member, name in item.get("members", ())),
        votes=tuple(_vote(part) for part in item.get("votes", ())),
    )


def _vote(item: dict) -> Vote:
    sides = ("in_favour", "against", "abstaining")
    return Vote(**{name: tuple(value) if name in sides else value for name, value in item.items()})


def corpus_from_json(data: dict) -> Corpus:
    """The ``Corpus`` ``corpus_json`` saved (raises KeyError/TypeError on a file of another shape)."""
    return Corpus(
        meetings=tuple(meeting_from_json(item) for item in data["meetings"]),
        problems=tuple(LoadProblem(**problem) for problem in data["problems"]),
        root=data["root"],
    )
