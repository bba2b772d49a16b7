"""专名号 and 书名号 (clreq: proper-noun and book-title marks) as plan items: a straight or wavy line
under the characters of a horizontal line, left of those of a vertical one, one line per run of
marked characters — broken at punctuation (《》、 and the like are never marked) and at the line's
end, so a mark never runs across a pause or into the next run."""
from __future__ import annotations

import unicodedata
from typing import Sequence

from .plan import Ink, MarkLine

WIDTH = 0.05  # em of the marked text: the line's weight
WAVE = 0.06  # em: a wave's amplitude (crest to axis)
PERIOD = 0.33  # em: the length of one wave, three to a character
OFFSET = 0.1  # em: from the character's em box to the mark's axis (plus the amplitude when wavy)
INSET = 0.06  # em: each end drawn this far in from the run's edge, so adjacent runs stay apart


def marked(ch: str) -> bool:
    """Characters that carry the mark: not punctuation, spaces or other blanks."""
    return not ch.isspace() and unicodedata.category(ch)[0] not in "PZC"


def spans(cells: Sequence[tuple[str, float, float]]) -> list[tuple[float, float]]:
    """(start, end) of each run of marked cells (a cell: its character, start and end along the
    line), in order; an unmarked cell ends a run."""
    out: list[tuple[float, float]] = []
    open_ = False
    for ch, a, b in cells:
        if not marked(ch):
            open_ = False
        elif open_:
            out[-1] = (out[-1][0], b)
        else:
            out.append((a, b))
            open_ = True
    return out


def horizontal_marks(cells: Sequence[tuple[str, float, float]], em_bottom: float, size: float,
                     kind: str, color: Ink) -> list[MarkLine]:
    """The marks under characters whose em boxes end at `em_bottom` (y, down the page); cells'
    positions are x on the page."""
    wave = WAVE * size if kind == "wave" else 0.0
    y = round(em_bottom + OFFSET * size + wave, 3)
    return [_mark(a + INSET * size, y, b - INSET * size, y, size, wave, color)
            for a, b in spans(cells)]


def vertical_marks(cells: Sequence[tuple[str, float, float]], em_left: float, size: float,
                   kind: str, color: Ink) -> list[MarkLine]:
    """The marks left of characters whose em boxes start at `em_left` (x); cells' positions are
    y on the page, down."""
    wave = WAVE * size if kind == "wave" else 0.0
    x = round(em_left - OFFSET * size - wave, 3)
    return [_mark(x, a + INSET * size, x, b - INSET * size, size, wave, color)
            for a, b in spans(cells)]


def _mark(x1: float, y1: float, x2: float, y2: float, size: float, wave: float,
          color: Ink) -> MarkLine:
    return MarkLine(round(x1, 3), round(y1, 3), round(x2, 3), round(y2, 3),
                    round(WIDTH * size, 3), round(wave, 3),
                    round(PERIOD * size, 3) if wave else 0.0, color)
