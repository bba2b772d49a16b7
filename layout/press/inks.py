"""The inks each page prints with: the process plates (C, M, Y, K) its painted colours use and its
spot inks by name — what the plant needs to know (a page in black only, or in four colours, or
with a spot red). Read from the PDF by the preflight's content walker, counting a colour when
something is painted in it (text, fills, strokes, images), forms and patterns included."""
from __future__ import annotations

from pathlib import Path

import pikepdf
from pikepdf import Array

from .contentwalk import ContentWalker, GraphicsState
from .findings import Tally
from .printrules import PrintRules

PROCESS = ("C", "M", "Y", "K")
_COLORANT = {"/Cyan": "C", "/Magenta": "M", "/Yellow": "Y", "/Black": "K"}


class _InkRules(PrintRules):
    """The print rules, also noting each ink painted (per page)."""

    def __init__(self) -> None:
        super().__init__(Tally(), min_dpi=0.0, ink_limit=None)
        self.inks: dict[int, set[str]] = {}

    def _note(self, page: int, kind: str, values: tuple, space) -> None:
        found = self.inks.setdefault(page, set())
        found.update(colour_inks(kind, values, space))

    def text_shown(self, page: int, where: str, s: GraphicsState) -> None:
        self._note(page, s.fill_cs, s.fill, s.fill_cs_obj)

    def filled(self, page: int, where: str, s: GraphicsState) -> None:
        self._note(page, s.fill_cs, s.fill, s.fill_cs_obj)

    def stroked(self, page: int, where: str, s: GraphicsState) -> None:
        self._note(page, s.stroke_cs, s.stroke, s.stroke_cs_obj)

    def image(self, page: int, name, xo, resources, s: GraphicsState) -> None:
        if xo.get("/ImageMask"):
            self._note(page, s.fill_cs, s.fill, s.fill_cs_obj)
            return
        space = xo.get("/ColorSpace")
        kind = self.colour_space(page, "image", space, resources) if space is not None else "other"
        self._note(page, kind, (1.0, 1.0, 1.0, 1.0) if kind == "cmyk" else (0.0,), space)


def colour_inks(kind: str, values: tuple, space) -> set[str]:
    """The inks a colour lays down: CMYK components above 0, gray below white, a spot's name."""
    if kind == "cmyk" and len(values) == 4:
        if isinstance(space, Array) and str(space[0]) in ("/Separation", "/DeviceN"):
            return _colorants(space, values)
        return {ink for ink, v in zip(PROCESS, values) if v > 1e-4}
    if kind == "gray":
        return {"K"} if values and values[0] < 1 - 1e-4 else set()
    if kind == "spot" and isinstance(space, Array) and len(space) > 1:
        if values and all(v <= 1e-4 for v in values):
            return set()
        return _colorants(space, values)
    if kind in ("rgb", "lab"):
        return {"RGB"}
    return set()


def _colorants(space: Array, values: tuple) -> set[str]:
    names = [space[1]] if str(space[0]) == "/Separation" else list(space[1])
    found = set()
    for colorant in names:
        label = str(colorant)
        if label in ("/All",):
            found.update(PROCESS)
        elif label != "/None":
            found.add(_COLORANT.get(label, label[1:]))
    return found


def inks_per_page(path: Path | str) -> dict[int, tuple[str, ...]]:
    """Page number → its inks: process plates in C, M, Y, K order, then spot inks by name."""
    rules = _InkRules()
    walker = ContentWalker(rules, rules.tally)
    with pikepdf.open(path) as pdf:
        count = len(pdf.pages)
        for number, page in enumerate(pdf.pages, start=1):
            walker.walk_page(number, page)
    out = {}
    for number in range(1, count + 1):
        inks = rules.inks.get(number, set())
        out[number] = tuple(i for i in PROCESS if i in inks) + tuple(sorted(inks - set(PROCESS)))
    return out


def ink_report(path: Path | str, inks: dict[int, tuple[str, ...]]) -> str:
    """`FILE: page 1 inks: C M Y K + PANTONE 485 C (5 plates)` per page."""
    lines = []
    for number, found in inks.items():
        process = [i for i in found if i in PROCESS]
        spots = [i for i in found if i not in PROCESS]
        text = " ".join(process) or "none"
        if spots:
            text += " + " + ", ".join(spots)
        plates = len(found)
        lines.append(f"{path}: page {number} inks: {text} ({plates} plate{'' if plates == 1 else 's'})")
    return "\n".join(lines)
