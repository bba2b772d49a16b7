"""What composition measures a face by, read from its font file with fontTools (cmap, hmtx, head,
OS/2) and cached as arrays beside the face's cache entry, so a warm run never imports fontTools.

The numbers are the PDF writer's: advances in 1/1000 em scaled from font units as `x * (1000 /
unitsPerEm)` (the font-unit integer itself at 1000 units per em), the cmap subtable chosen by the
same rule, U+00A0 sharing the space's advance. So a line is measured exactly as it is drawn
(tests/unit/test_fonts.py compares every character of the reference faces).
"""
from __future__ import annotations

import contextlib
import glob
import pickle
from array import array
from bisect import bisect_left
from dataclasses import dataclass
from pathlib import Path
from typing import Iterator, Mapping

from .find import write_bytes_atomic

METRICS_VERSION = 1  # shape of the cached arrays; part of the file name


@dataclass(frozen=True)
class Metrics:
    """A face's horizontal metrics, all in 1/1000 em."""

    ascent: float  # OS/2 typo ascender (head yMax without OS/2)
    descent: float  # negative
    missing: float  # advance of glyph 0 (.notdef): what a character the face lacks measures
    codepoints: array  # 'L': every character the chosen cmap maps to an existing glyph
    widths: array  # per codepoint: 'H' (font units = 1/1000 em) or 'd' (scaled)

    def table(self) -> dict[int, float]:
        """Codepoint → advance, every character at once (for tests and tools)."""
        return dict(zip(self.codepoints, self.widths))

    def lookup(self) -> AdvanceTable:
        """Codepoint → advance, the lookup composition uses."""
        return AdvanceTable(self.codepoints, self.widths)


class AdvanceTable(Mapping):
    """Codepoint → advance (1/1000 em) over the sorted arrays, by bisection, remembering what it
    was asked: a render of the reference edition asks for ~6,000 characters of three faces, while
    a dict of every character would cost ~5 ms per CJK face to build, more than all the lookups."""

    __slots__ = ("_codes", "_widths", "_seen")

    def __init__(self, codes: array, widths: array):
        self._codes, self._widths = codes, widths
        self._seen: dict[int, float | None] = {}

    def get(self, code: int, default=None):  # type: ignore[override]
        found = self._seen.get(code, _UNSEEN)
        if found is _UNSEEN:
            i = bisect_left(self._codes, code)
            hit = i < len(self._codes) and self._codes[i] == code
            found = self._seen[code] = self._widths[i] if hit else None
        return default if found is None else found

    def __contains__(self, code: object) -> bool:
        return isinstance(code, int) and self.get(code) is not None

    def __getitem__(self, code: int) -> float:
        found = self.get(code)
        if found is None:
            raise KeyError(code)
        return found

    def __iter__(self) -> Iterator[int]:
        return iter(self._codes)

    def __len__(self) -> int:
        return len(self._codes)


_UNSEEN = object()


def read_metrics(file: Path, index: int) -> Metrics:
    """The metrics of face `index` of `file`, parsed with fontTools (slow: a cache miss only)."""
    from fontTools.ttLib import TTFont as FTFont

    font = FTFont(str(file), fontNumber=index, lazy=True)
    upem = font["head"].unitsPerEm
    scale = _scale(upem)
    order = font.getGlyphOrder()
    advances = [font["hmtx"].metrics[name][0] for name in order]  # font units, by glyph id
    by_code: dict[int, float] = {}
    for code, glyph in _cmap(font, len(order)).items():
        by_code[code] = scale(advances[glyph])
    _share_space(by_code)
    ascent, descent = _vertical(font)
    codes = array("L", sorted(by_code))
    kind = "H" if upem == 1000 else "d"
    return Metrics(scale(ascent), scale(descent), scale(advances[0]) if advances else 0,
                   codes, array(kind, (by_code[c] for c in codes)))


def _scale(upem: int):
    """Font units → 1/1000 em, the very float operation the PDF writer's parser does."""
    if upem == 1000:
        return lambda x: x
    mult = 1000 / upem
    return lambda x: x * mult


def _cmap(font, glyph_count: int) -> dict[int, int]:
    """Codepoint → glyph id from the cmap subtable the PDF writer reads: the last Windows (3, *),
    Mac Roman (1, 1) or Unicode (0, not 5) record, else a Mac (1, 0) one; mappings to glyphs the
    font does not have are left out (they have no advance)."""
    chosen, rank = None, 0
    for sub in font["cmap"].tables:
        p, e = sub.platformID, sub.platEncID
        if p == 3 or (p == 1 and e == 1) or (p == 0 and e != 5):
            chosen, rank = sub, 1
        elif p == 1 and e == 0 and rank != 1:
            chosen, rank = sub, 2
    if chosen is None:
        return {}
    ids = font.getReverseGlyphMap()
    mapped = ((code, ids.get(name)) for code, name in chosen.cmap.items())
    return {code: glyph for code, glyph in mapped if glyph is not None and glyph < glyph_count}


def _share_space(by_code: dict[int, float]) -> None:
    """U+00A0 takes the space's advance (or the space the no-break space's), as drawn."""
    if 0x20 in by_code:
        by_code[0xA0] = by_code[0x20]
    elif 0xA0 in by_code:
        by_code[0x20] = by_code[0xA0]


def _vertical(font) -> tuple[int, int]:
    if "OS/2" in font:
        os2 = font["OS/2"]
        return os2.sTypoAscender, os2.sTypoDescender
    head = font["head"]
    return head.yMax, head.yMin


# --- the cache ------------------------------------------------------------------------------------


def metrics_file(entry_base: Path) -> Path:
    return entry_base.with_name(f"{entry_base.name}.metrics{METRICS_VERSION}.pickle")


def _stamp(path: Path) -> tuple[int, int]:
    st = path.stat()
    return st.st_size, st.st_mtime_ns


def load_metrics(entry_base: Path, file: Path, index: int) -> Metrics:
    """The cached metrics of the face, else read with fontTools and cached (arrays only: restored
    in a few milliseconds even for 46,000 glyphs)."""
    cached = _restore(metrics_file(entry_base), file)
    if cached is not None:
        return cached
    metrics = read_metrics(file, index)
    save_metrics(entry_base, file, metrics)
    return metrics


def save_metrics(entry_base: Path, file: Path, metrics: Metrics) -> None:
    target = metrics_file(entry_base)
    state = {"stamp": _stamp(file), "ascent": metrics.ascent, "descent": metrics.descent,
             "missing": metrics.missing, "codepoints": metrics.codepoints, "widths": metrics.widths}
    write_bytes_atomic(target, pickle.dumps(state, protocol=pickle.HIGHEST_PROTOCOL))
    for old in target.parent.glob(glob.escape(entry_base.name) + ".metrics*.pickle"):
        if old != target:  # another METRICS_VERSION's: dead weight now
            with contextlib.suppress(OSError):
                old.unlink()


def _restore(path: Path, file: Path) -> Metrics | None:
    try:
        state: Mapping = pickle.loads(path.read_bytes())
        if tuple(state["stamp"]) != _stamp(file):
            return None
        return Metrics(state["ascent"], state["descent"], state["missing"], state["codepoints"],
                       state["widths"])
    except Exception:  # missing, stale or foreign: read the font again
        return None
