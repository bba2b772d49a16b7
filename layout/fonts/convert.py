"""CFF → TrueType conversion of a font face, its outlines drawn in a pool of worker processes.

reportlab embeds TrueType (glyf) outlines only; Noto CJK ships CFF outlines. `convert_cff_face()`
makes a TrueType copy of such a face (fontTools cu2qu, in parallel processes). The copy keeps exactly
the glyphs reachable from the face's cmap (plus GSUB closure, minus the `locl` variants of the other
CJK locales), which cuts ~30% of a Noto CJK face's time and size without losing any character the
source maps, and its names carry a suffix so that it never passes for its source.

The result is returned as the bytes of the font file; fonts.py stores it in the cache (and decides
when to convert). fontTools is imported only inside the functions here: a warm run never needs it.
"""
from __future__ import annotations

import io
import os
import struct
import time
from array import array
from pathlib import Path
from typing import TYPE_CHECKING, Callable, Mapping

from ..util.errors import FontError

if TYPE_CHECKING:  # imported where used: a warm run never needs them
    from concurrent.futures import Executor, ProcessPoolExecutor

# Part of every cache key (fonts.CacheEntry): bump when the converted files, or the sidecar fonts.py
# writes next to them, change shape; old cache entries then stop matching.
CONVERTER_VERSION = 2
# Suffix for the converted copy's family and PostScript names, so it never shares a name with its
# CFF source (reportlab merges fonts by PostScript name).
CONVERTED_NAME_SUFFIX = "TT"
# cu2qu tolerance in font units (1/1000 em for Noto CJK): invisible at any newspaper size.
MAX_CURVE_ERROR = 1.0
# Outline chunks: more than workers (a shorter idle tail) and enough for a smooth progress bar;
# each chunk reopens the face in its worker (~0.1 s), so not many more.
MIN_CHUNKS = 16
# CPU time per kept glyph measured on the development machine, for the time a conversion is
# announced to take: Noto Sans CJK Bold ~0.5 ms (simple outlines), Noto Serif CJK ~1.75 ms (81 s for
# 46,576 glyphs in one worker, fonts/README.md).
SECONDS_PER_GLYPH = (0.0005, 0.00175)

# progress(done glyphs, total glyphs): called after the skeleton (0) and after each outline chunk
Progress = Callable[[int, int], None]


def estimated_seconds(glyphs: int, jobs: int) -> tuple[float, float]:
    """(least, most) seconds converting `glyphs` glyphs takes with `jobs` workers, as measured."""
    return tuple(3.0 + glyphs * per_glyph / max(1, jobs) for per_glyph in SECONDS_PER_GLYPH)


def default_jobs() -> int:
    """Worker processes for a conversion: the CPUs this process may use."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # not Linux
        return max(1, os.cpu_count() or 1)


def worker_pool(jobs: int) -> ProcessPoolExecutor:
    """A pool of `jobs` conversion worker processes. "spawn": never fork a process that may hold
    threads or open files we do not know of."""
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor

    return ProcessPoolExecutor(jobs, mp_context=multiprocessing.get_context("spawn"))


def convert_cff_face(
    source: Path,
    index: int,
    *,
    jobs: int | None = None,
    executor: Executor | None = None,
    progress: Progress | None = None,
) -> tuple[bytes, dict]:
    """A TrueType (glyf) copy of a CFF face: the font file's bytes, and timings and sizes.
    Outlines are drawn by `executor` if given, else by a pool of `jobs` processes of its own.

    1. Skeleton: the face with an empty glyf table, subset by fontTools to the glyphs reachable
       from its cmap (+ GSUB closure without `locl`, whose targets are other locales' forms). Doing
       this before drawing saves ~30% of the work; subsetting the CFF itself would cost more than it
       saves (the subsetter interprets every charstring).
    2. Outlines: cubic → quadratic (cu2qu) in worker processes, each returning compiled glyphs.
    3. Assembly: metrics/bounds from the compiled glyphs, new names, post format 3, serialization.
    """
    started = time.perf_counter()
    font = _skeleton(source, index)
    names = font.getGlyphOrder()
    skeleton_done = time.perf_counter()
    if progress:
        progress(0, len(names))
    compiled = _compile_outlines(source, index, names, jobs or default_jobs(), executor, progress)
    outlines_done = time.perf_counter()
    _assemble(font, dict(zip(names, compiled)))
    _rename_converted(font)
    buffer = io.BytesIO()
    font.save(buffer)
    data = buffer.getvalue()
    return data, {
        "glyphs": len(names),
        "skeleton_s": round(skeleton_done - started, 2),
        "outlines_s": round(outlines_done - skeleton_done, 2),
        "assemble_s": round(time.perf_counter() - outlines_done, 2),
        "total_s": round(time.perf_counter() - started, 2),
        "bytes": len(data),
    }


def _skeleton(source: Path, index: int):
    """The face without CFF: empty glyf, subset to the glyphs we keep (names unchanged)."""
    from fontTools import subset
    from fontTools.ttLib import TTFont as FTFont, newTable
    from fontTools.ttLib.tables._g_l_y_f import Glyph

    font = FTFont(str(source), fontNumber=index, recalcBBoxes=False, recalcTimestamp=False)
    mapped = _mapped_sequences(font)
    # Variation selectors must be requested too, or the subsetter drops the format 14 subtable.
    unicodes = {cp for seq in mapped for cp in seq}
    features = {record.FeatureTag for tag in ("GSUB", "GPOS") if tag in font and font[tag].table.FeatureList
                for record in font[tag].table.FeatureList.FeatureRecord}
    order = font.getGlyphOrder()
    for tag in ("CFF ", "VORG"):  # VORG is CFF-only: TrueType derives vertical origins from vmtx
        if tag in font:
            del font[tag]
    glyf = newTable("glyf")
    glyf.glyphOrder, glyf.glyphs = order, {name: Glyph() for name in order}
    font["glyf"], font["loca"] = glyf, newTable("loca")
    font.sfntVersion = "\x00\x01\x00\x00"

    options = subset.Options()
    options.layout_features = sorted(features - {"locl"})
    options.layout_scripts = ["*"]
    options.name_IDs = options.name_languages = ["*"]
    options.name_legacy = options.legacy_cmap = options.symbol_cmap = True
    options.legacy_kern = options.passthrough_tables = True
    options.drop_tables = []
    options.notdef_glyph = options.notdef_outline = True
    options.prune_unicode_ranges = False
    options.recalc_bounds = options.recalc_timestamp = False
    subsetter = subset.Subsetter(options)
    subsetter.populate(unicodes=unicodes)
    subsetter.subset(font)
    lost = mapped - _mapped_sequences(font)
    if lost:  # cannot happen with these options; never ship a copy that silently drops characters
        raise FontError(f"converting {source}#{index} would lose {len(lost)} characters")
    return font


def _mapped_sequences(font) -> set[tuple[int, ...]]:
    """Everything the cmap maps: (codepoint,) and (codepoint, variation selector) sequences."""
    mapped: set[tuple[int, ...]] = set()
    for table in font["cmap"].tables:
        if table.format == 14:
            mapped.update((cp, selector) for selector, pairs in table.uvsDict.items() for cp, _ in pairs)
        elif table.isUnicode():
            mapped.update((cp,) for cp in table.cmap)
    return mapped


def _compile_outlines(source: Path, index: int, names: list[str], jobs: int,
                      executor: Executor | None, progress: Progress | None = None) -> list[bytes]:
    """Compiled glyf data for `names`, drawn from the CFF source, in parallel when jobs > 1.
    Chunks interleave glyph ids so every worker gets a similar mix of simple and complex glyphs."""
    chunks = 1 if jobs == 1 and progress is None else max(4 * jobs, MIN_CHUNKS)
    parts = [names[i::chunks] for i in range(chunks)]
    args = [(str(source), index, part, MAX_CURVE_ERROR) for part in parts]
    if executor is not None:
        results = _run_chunks(executor, args, len(names), progress)
    elif jobs == 1:
        results = []
        for a in args:
            results.append(_outline_chunk(a))
            if progress:
                progress(sum(len(r) for r in results), len(names))
    else:
        with worker_pool(jobs) as pool:
            results = _run_chunks(pool, args, len(names), progress)
    compiled: list[bytes] = [b""] * len(names)
    for i, result in enumerate(results):
        compiled[i::chunks] = result
    return compiled


def _run_chunks(executor: Executor, args: list, total: int,
                progress: Progress | None) -> list[list[bytes]]:
    """The chunks' results in order, reporting progress as each one finishes."""
    from concurrent.futures import as_completed

    futures = [executor.submit(_outline_chunk, a) for a in args]
    done = 0
    for future in as_completed(futures):
        done += len(future.result())
        if progress:
            progress(done, total)
    return [f.result() for f in futures]


def _outline_chunk(args: tuple[str, int, list[str], float]) -> list[bytes]:
    """Worker: draw each glyph from the CFF face and return it as compiled TrueType glyph data."""
    from fontTools.ttLib import TTFont as FTFont

    source, index, names, max_err = args
    font = FTFont(source, fontNumber=index, lazy=True)
    glyphs = font.getGlyphSet()
    out = []
    for name in names:
        pen = _quadratic_pen(glyphs, max_err)
        glyphs[name].draw(pen)
        out.append(pen.glyph().compile(None, recalcBBoxes=True))
    return out


def _make_quadratic_pen_class():
    """Defined lazily: its base class lives in fontTools, which warm runs never import.
    Long because it is the body of the class it defines; each of the class's methods is short."""
    from fontTools.cu2qu import curve_to_quadratic
    from fontTools.pens.basePen import DecomposingPen
    from fontTools.ttLib.tables import ttProgram
    from fontTools.ttLib.tables._g_l_y_f import Glyph, GlyphCoordinates

    class QuadraticGlyphPen(DecomposingPen):
        """Collects one CFF glyph as TrueType quadratic contours, reversed to TrueType's clockwise
        direction. Does what Cu2QuPen + ReverseContourPen + TTGlyphPen do, at half the cost
        (matters over 46,000 glyphs)."""

        skipMissingComponents = False

        def __init__(self, glyph_set, max_err: float):
            super().__init__(glyph_set)
            self.max_err = max_err
            self.points: list[tuple[float, float]] = []
            self.flags: list[int] = []  # 1 = on-curve
            self.ends: list[int] = []
            self.start = 0
            self.current = (0.0, 0.0)

        def moveTo(self, pt):
            self.points.append(pt)
            self.flags.append(1)
            self.current = pt

        def lineTo(self, pt):
            self.moveTo(pt)

        def curveTo(self, *pts):
            if len(pts) != 3:  # CFF charstrings emit single cubic segments
                raise ValueError(f"unexpected curve with {len(pts)} points")
            quad = curve_to_quadratic((self.current, *pts), self.max_err)
            self.points.extend(quad[1:])
            self.flags.extend([0] * (len(quad) - 2) + [1])
            self.current = pts[-1]

        def qCurveTo(self, *pts):
            self.points.extend(pts)
            self.flags.extend([0] * (len(pts) - 1) + [1])
            self.current = pts[-1]

        def closePath(self):
            pts, flags, s = self.points, self.flags, self.start
            if len(pts) - s > 1 and pts[-1] == pts[s]:  # closing point repeats the start
                pts.pop()
                flags.pop()
            if len(pts) - s < 2:  # an anchor or a degenerate contour: drop it
                del pts[s:], flags[s:]
                return
            # Same start point, remaining points in reverse order: same outline, other direction.
            pts[s + 1:] = pts[:s:-1]
            flags[s + 1:] = flags[:s:-1]
            self.ends.append(len(pts) - 1)
            self.start = len(pts)

        endPath = closePath

        def glyph(self) -> Glyph:
            glyph = Glyph()
            if not self.ends:
                glyph.numberOfContours = 0
                return glyph
            glyph.coordinates = GlyphCoordinates(self.points)
            glyph.coordinates.toInt()
            glyph.flags = array("B", self.flags)
            glyph.endPtsOfContours = self.ends
            glyph.numberOfContours = len(self.ends)
            glyph.program = ttProgram.Program()
            glyph.program.fromBytecode(b"")
            return glyph

    return QuadraticGlyphPen


_pen_class = None


def _quadratic_pen(glyph_set, max_err: float):
    """A QuadraticGlyphPen (the class is made on first use, once per worker process)."""
    global _pen_class
    if _pen_class is None:
        _pen_class = _make_quadratic_pen_class()
    return _pen_class(glyph_set, max_err)


def _assemble(font, compiled: Mapping[str, bytes]) -> None:
    """Install compiled glyphs and fix the tables that depend on outlines. Glyphs stay compiled
    (saved as is, recalcBBoxes off), so bounds come from their headers, not from re-parsing."""
    from fontTools.ttLib.tables._g_l_y_f import Glyph

    glyf, hmtx = font["glyf"], font["hmtx"].metrics
    bounds = []  # (advance, xMin, yMin, xMax, yMax) of non-empty glyphs
    max_points = max_contours = 0
    for name, data in compiled.items():
        glyf.glyphs[name] = Glyph(data)
        advance, _ = hmtx[name]
        if not data:
            hmtx[name] = (advance, 0)
            continue
        contours, x_min, y_min, x_max, y_max = struct.unpack(">5h", data[:10])
        points = struct.unpack(">H", data[10 + 2 * (contours - 1):12 + 2 * (contours - 1)])[0] + 1
        max_points, max_contours = max(max_points, points), max(max_contours, contours)
        hmtx[name] = (advance, x_min)  # TrueType wants lsb == xMin
        bounds.append((advance, x_min, y_min, x_max, y_max))

    head = font["head"]
    head.xMin = min(b[1] for b in bounds)
    head.yMin = min(b[2] for b in bounds)
    head.xMax = max(b[3] for b in bounds)
    head.yMax = max(b[4] for b in bounds)
    head.glyphDataFormat = 0
    hhea = font["hhea"]
    hhea.advanceWidthMax = max(advance for advance, _ in hmtx.values())
    hhea.minLeftSideBearing = min(b[1] for b in bounds)
    hhea.minRightSideBearing = min(b[0] - b[3] for b in bounds)
    hhea.xMaxExtent = max(b[3] for b in bounds)

    maxp = font["maxp"]
    maxp.tableVersion = 0x00010000
    maxp.maxPoints, maxp.maxContours = max_points, max_contours
    maxp.maxZones = 1
    for attr in ("maxCompositePoints", "maxCompositeContours", "maxTwilightPoints", "maxStorage",
                 "maxFunctionDefs", "maxInstructionDefs", "maxStackElements", "maxSizeOfInstructions",
                 "maxComponentElements", "maxComponentDepth"):
        setattr(maxp, attr, 0)

    post = font["post"]
    post.formatType = 3.0  # no glyph names: CID names carry nothing and cost ~0.5 MB
    post.extraNames, post.mapping = [], {}
    font.recalcBBoxes = False  # bounds are final; recomputing them would decompile every glyph


def _rename_converted(font) -> None:
    """Suffix family, full, unique and PostScript names: the copy must never pass for its source."""
    table = font["name"]
    suffix = CONVERTED_NAME_SUFFIX
    families = {r.toUnicode() for r in table.names if r.nameID in (1, 16)}
    ps_names = {r.toUnicode() for r in table.names if r.nameID == 6}
    for record in table.names:
        text = record.toUnicode()
        if record.nameID in (1, 16):
            new = f"{text} {suffix}"
        elif record.nameID == 4:
            family = max((f for f in families if text.startswith(f)), key=len, default=None)
            new = f"{family} {suffix}{text[len(family):]}" if family else f"{text} {suffix}"
        elif record.nameID == 6:
            new = _ps_with_suffix(text, suffix)
        elif record.nameID == 3:
            new = text
            for ps in ps_names:
                new = new.replace(ps, _ps_with_suffix(ps, suffix))
            new = new if new != text else f"{text};{suffix}"
        else:
            continue
        record.string = new


def _ps_with_suffix(ps: str, suffix: str) -> str:
    """NotoSerifCJKsc-Regular -> NotoSerifCJKscTT-Regular."""
    family, dash, style = ps.partition("-")
    return f"{family}{suffix}{dash}{style}"
