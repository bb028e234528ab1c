"""Line breaking for Chinese text in a narrow terminal, as typesetters do it.

Textual folds a run of Chinese at whatever cell the width ends on, so at 80×24 a
citation marker split as "[1" / "]", lines began with "。" and "6 800吨" broke
after the 6. Here text is cut into pieces that must stay together (a marker, a
number with its group separators, a Latin word such as S/PV.8967, a file path or a link, a closing mark
with what it closes, an opening mark with what it opens) and lines are filled
greedily with whole pieces; only a piece wider than the line is folded. The
widgets pre-break their content at their width with ``break_content``, so
Textual's own folding never has to cut a line.
"""

from __future__ import annotations

import re

from rich.cells import cell_len
from textual.content import Content

_MARKER = re.compile(r"\[\d+\]")
_ATOM = re.compile(
    r"\[\d+\]"  # a citation marker
    r"|\d+(?:(?:[\u2000-\u200a\u202f\u00a0] ?| (?=\d{3}(?!\d))|[,.:/\-])\d+)*"  # 6 800, 1,000.5, 2022-02-16
    r"|[A-Za-z0-9_.~%+#?=&:/\-]*[/_][A-Za-z0-9_.~%+#?=&:/\-]*[A-Za-z0-9/]"  # a path or link (seeds/S_PV.8967.zh.txt:79)
    r"|[A-Za-z][A-Za-z0-9'’/.\-]*[A-Za-z0-9]|[A-Za-z]"  # a Latin word or symbol (S/PV.8967)
    r"|[^\S\u00a0]+"  # white space, but not the no-break space ("p.\u00a06")
    r"|.",
    re.S,
)
NO_BREAK_BEFORE = set("。，、；：？！）」』”’》〉】〕…—·%,.;:!?)]}％～\u00a0\u30fc")
"""Closing and trailing marks: a line never starts with one (nor with a citation marker)."""
NO_BREAK_AFTER = set("（「『“‘《〈【〔([{\u00a0")
"""Opening marks: a line never ends with one."""


def breaking_space(text: str) -> bool:
    """White space a line may break at (the no-break space is not)."""
    return text.isspace() and "\u00a0" not in text


def pieces(text: str) -> list[str]:
    """``text`` cut where a line may break; the pieces joined give ``text`` back."""
    groups: list[str] = []
    glue_next = False
    for atom in _ATOM.findall(text):
        closing = atom[0] in NO_BREAK_BEFORE or _MARKER.fullmatch(atom)
        if len(groups) > 1 and closing and breaking_space(groups[-1]):  # "S/PV.8967 ·": the mark ends the line
            groups[-2:] = [groups[-2] + groups[-1] + atom]
        elif groups and not breaking_space(atom) and (glue_next or closing):
            groups[-1] += atom
        else:
            groups.append(atom)
        glue_next = atom[-1] in NO_BREAK_AFTER
    return groups


def break_offsets(text: str, width: int) -> list[int]:
    """Character offsets at which to break ``text`` (one line, no newline) so each line fits in ``width`` cells."""
    offsets: list[int] = []
    used = start = 0
    for piece in pieces(text):
        cells = cell_len(piece)
        if breaking_space(piece):
            used += cells  # a space at the end of a line is dropped, so it never forces a break
        elif used + cells <= width:
            used += cells
        else:
            if used and start:
                offsets.append(start)
            used = fold(piece, start, width, offsets)
        start += len(piece)
    return offsets


FOLD_AFTER = set("/._:-?&=")
"""Where a piece wider than the line (a long path or link) is folded, if one of these falls on the line."""


def fold(piece: str, start: int, width: int, offsets: list[int]) -> int:
    """Break ``piece`` (at ``start`` in the text, on a fresh line) into lines of ``width`` cells, after the last
    ``FOLD_AFTER`` mark that fits where there is one (``…/zh/S/`` then ``PV.8967``), else at the width; appends the
    offsets and returns the cells used on the last line."""
    used = line_start = 0
    soft = None
    for index, char in enumerate(piece):
        char_cells = cell_len(char)
        if used + char_cells > width and used:
            cut = soft if soft is not None and soft > line_start else index
            offsets.append(start + cut)
            used = cell_len(piece[cut:index])
            line_start, soft = cut, None
        used += char_cells
        if char in FOLD_AFTER:
            soft = index + 1
    return used


def break_content(content: Content, width: int) -> Content:
    """``content`` with line breaks inserted so no line is wider than ``width`` cells (styles kept)."""
    if width <= 0:
        return content
    lines: list[Content] = []
    for line in content.split("\n", allow_blank=True):
        parts = line.divide(break_offsets(line.plain, width)) if line.cell_length > width else [line]
        last = len(parts) - 1
        lines += [part.rstrip() if n < last else part for n, part in enumerate(parts)]
    return Content("\n").join(lines)
