"""Identical paragraphs across meetings: one hit, which lists the other meetings that hold it.

An archive holds the same paragraph more than once (a record filed twice, a statement read again at another
meeting): ranked one by one, forty copies of the best paragraph fill the top ten and crowd out the passage that
answers. ``Copies`` knows, per paragraph, the first paragraph with the same speaker and the same text; ``collapse``
folds a ranking's copies from other meetings into the best-ranked one, keeping each copy citable.
"""

from __future__ import annotations

import numpy as np


class Copies:
    """For each paragraph (by document number), the first paragraph of the corpus with the same speaker and text."""

    def __init__(self, entries, meetings=None):
        """``entries``: the corpus's (meeting, speech, paragraph); ``meetings``: each one's meeting number (default:
        told apart by the meeting's file)."""
        labels = [speech.label for _, speech, _ in entries]
        texts = [paragraph.text for _, _, paragraph in entries]
        keys = np.fromiter(map(hash, zip(labels, texts, strict=True)), dtype=np.int64, count=len(texts))
        _, first, inverse = np.unique(keys, return_index=True, return_inverse=True)
        self.first = first[inverse.reshape(-1)] if len(texts) else np.zeros(0, dtype=np.int64)
        for doc in np.flatnonzero(self.first != np.arange(len(texts))).tolist():  # a hash shared by other words
            if (labels[doc], texts[doc]) != (labels[self.first[doc]], texts[self.first[doc]]):
                self.first[doc] = doc
        self.meeting_of = meetings if meetings is not None else [meeting.source for meeting, _, _ in entries]
        self.any = bool((self.first != np.arange(len(texts))).any())
        """The corpus holds at least one paragraph twice (in a numpy pass: 1,000,000 paragraphs in about 0.5 s)."""

    @classmethod
    def from_first(cls, first: np.ndarray, meetings) -> Copies:
        """The copies as saved (``first`` as ``Copies(...).first`` found them), without the paragraphs' texts."""
        copies = cls.__new__(cls)
        copies.first = first
        copies.meeting_of = meetings
        copies.any = bool((first != np.arange(len(first))).any())
        return copies

    def collapse(self, docs: list[int], k: int) -> list[tuple[int, list[int]]]:
        """The first ``k`` of ``docs`` (best first) that are no copy, from another meeting, of a better one; each
        with its copies among ``docs``, best first. A copy from the same meeting stays a hit of its own."""
        kept: list[tuple[int, list[int]]] = []
        group_of: dict[int, int] = {}
        for doc in docs:
            key = int(self.first[doc])
            at = group_of.get(key)
            if at is not None:
                head, copies = kept[at]
                meetings = {self.meeting_of[d] for d in (head, *copies)}
                if self.meeting_of[doc] not in meetings:
                    copies.append(doc)
                    continue
            if len(kept) < k:
                group_of.setdefault(key, len(kept))
                kept.append((doc, []))
        return kept
