"""The faces placed text names (`TextLine.font`, a `Face.key`) as reportlab fonts: registered once per
process, from reportlab's parsed tables cached beside the face's cache entry (a pickle of arrays,
restored in ~0.05 s instead of ~0.2 s of pure-Python parsing per CJK face), the file mapped rather
than read. Also fixes reportlab's ToUnicode CMap for characters beyond the BMP."""
from __future__ import annotations

import contextlib
import glob
import mmap
import pickle
from array import array
from pathlib import Path
from typing import Mapping, Sequence
from weakref import WeakKeyDictionary

import reportlab
from reportlab.pdfbase import pdfmetrics, ttfonts
from reportlab.pdfbase.ttfonts import TTFNameBytes, TTFont, TTFontFace

from ..fonts.entry import PreparedFace, prepared_face
from ..fonts.find import write_bytes_atomic
from ..util.errors import FontError


# Shape of the pickled reportlab state (see _save_reportlab_state); part of its file name.
STATE_VERSION = 2
_REGISTERED: dict[str, str] = {}  # face key -> reportlab font name, this process


def reportlab_name(face_key: str) -> str:
    """The reportlab font name of the face `face_key` (`Face.key`), registering it on first use."""
    name = _REGISTERED.get(face_key)
    if name is None:
        prepared = prepared_face(face_key)
        if prepared is None:
            raise FontError(f"the font cache entry {face_key} is gone or out of date",
                            "render again: the face is prepared anew")
        name = _REGISTERED[face_key] = register_with_reportlab(prepared).fontName
    return name


def state_file(prepared: PreparedFace) -> Path:
    """Where reportlab's parsed tables of the face are cached: by reportlab's version."""
    version = "".join(c for c in reportlab.Version if c.isalnum() or c == ".")
    return Path(f"{prepared.key}.rl{version}-{STATE_VERSION}.pickle")


_reportlab_to_unicode_cmap = ttfonts.makeToUnicodeCMap


def _to_unicode_cmap(fontname: str, subset: Sequence[int]) -> str:
    """reportlab's ToUnicode CMap, with characters beyond the BMP written as UTF-16 (a surrogate
    pair), as the PDF specification requires: reportlab writes the bare code point (`<20BB7>`), so
    copy, search and text extraction turned 𠮷 into two wrong characters."""
    text = _reportlab_to_unicode_cmap(fontname, subset)
    if all(code <= 0xFFFF for code in subset):
        return text
    lines = text.split("\n")
    first = next(i for i, line in enumerate(lines) if line.endswith("beginbfchar")) + 1
    for i, code in enumerate(subset):
        if code > 0xFFFF:
            lines[first + i] = "<%02X> <%s>" % (i, chr(code).encode("utf-16-be").hex().upper())
    return "\n".join(lines)


ttfonts.makeToUnicodeCMap = _to_unicode_cmap  # read by reportlab when it writes each font subset


def register_with_reportlab(prepared: PreparedFace) -> TTFont:
    """Register the face with reportlab once per process and return its TTFont.

    reportlab's registry is process-global and merges fonts by PostScript name, so the registered
    name is the PostScript name, suffixed (`-2`, …) when another file already took it; then the
    in-memory face name is changed too, so the PDF never mixes two files' glyphs."""
    ident = f"{prepared.file}#{prepared.file_index}"
    registered = set(pdfmetrics.getRegisteredFontNames())
    for n in range(1, 1000):
        rl_name = prepared.ps_name if n == 1 else f"{prepared.ps_name}-{n}"
        if rl_name in registered:
            font = pdfmetrics.getFont(rl_name)
            if getattr(font, "_broadsheet_ident", None) == ident:
                return font
            continue
        font = _load_reportlab_font(prepared, rl_name)
        font._broadsheet_ident = ident
        if _face_name_taken(font.face.name):
            font.face.name = TTFNameBytes(rl_name.encode())
        pdfmetrics.registerFont(font)
        return font
    raise FontError(f"too many fonts named {prepared.ps_name!r}")


def _face_name_taken(face_name: bytes) -> bool:
    for name in pdfmetrics.getRegisteredFontNames():
        face = getattr(pdfmetrics.getFont(name), "face", None)
        if getattr(face, "name", None) == face_name:
            return True
    return False


def _load_reportlab_font(prepared: PreparedFace, rl_name: str) -> TTFont:
    """A reportlab TTFont for the face. reportlab parses a 46,000-glyph font in ~0.2 s of pure
    Python; the parsed tables are cached (pickled, keyed by reportlab's version and the file's
    size and mtime) and restored in ~0.05 s. Any mismatch or error falls back to a real parse."""
    font = _restore_reportlab_font(prepared)
    if font is None:
        font = _parse_with_reportlab(prepared, rl_name)
        _save_reportlab_state(prepared, font)
    font.fontName = rl_name
    return font


def _parse_with_reportlab(prepared: PreparedFace, rl_name: str) -> TTFont:
    try:
        font = TTFont(rl_name, str(prepared.file), subfontIndex=prepared.file_index)
    except Exception as e:  # reportlab raises TTFError, struct.error, …
        raise FontError(f"reportlab cannot load {prepared.file}: {e}") from None
    font.face.hmetrics = _font_unit_hmetrics(font.face.hmetrics)
    return font


def _font_unit_hmetrics(hmetrics: Sequence[tuple]) -> list[tuple[int, int]]:
    """reportlab's (advance, lsb) per glyph, all in font units. Its parser gives the glyphs after
    hhea.numberOfHMetrics (which share the last advance) that advance scaled to 1/1000 em, a float
    (DejaVu Sans, 2048 units per em: 1229 → 600.09…), which its subsetter then writes into the
    embedded hmtx as if it were font units. Such entries take the last font-unit advance instead."""
    fixed: list[tuple[int, int]] = []
    last = 0
    for advance, lsb in hmetrics:
        if isinstance(advance, int):
            last = advance
        fixed.append((last, int(lsb)))
    return fixed


def _file_stamp(path: Path) -> tuple[int, int]:
    st = path.stat()
    return st.st_size, st.st_mtime_ns


def _save_reportlab_state(prepared: PreparedFace, font: TTFont | None = None) -> None:
    """Pickle what reportlab's parser computed, in a shape that loads fast: per-glyph tables as
    arrays (no 46,000 small tuples to allocate), and without `glyphToChar`, which only reportlab's
    HarfBuzz shaping reads (rebuilt on restore when uharfbuzz is installed)."""
    if font is None:
        font = _parse_with_reportlab(prepared, prepared.ps_name)
    face = vars(font.face)
    face_state = {k: v for k, v in face.items()
                  if k not in ("_ttf_data", "_pdfScale", "glyphToChar", "hmetrics", "glyphPos")}
    tables = {
        "advances": array("H", (aw for aw, _ in face["hmetrics"])),
        "lsbs": array("H", (lsb for _, lsb in face["hmetrics"])),  # reportlab reads them unsigned
        "glyphPos": array("L", face["glyphPos"]),
    }
    font_state = {k: v for k, v in vars(font).items() if k not in ("face", "state")}
    state = {"stamp": _file_stamp(prepared.file), "font": font_state, "face": face_state, "tables": tables}
    try:
        data = pickle.dumps(state, protocol=pickle.HIGHEST_PROTOCOL)
    except Exception:  # a future reportlab may hold something unpicklable: stay uncached
        return
    target = state_file(prepared)
    write_bytes_atomic(target, data)
    # States of other reportlab or state versions for this face are dead weight now.
    base = target.name.rsplit(".rl", 1)[0]
    for old in target.parent.glob(glob.escape(base) + ".rl*.pickle"):
        if old != target:
            with contextlib.suppress(OSError):
                old.unlink()


def _restore_reportlab_font(prepared: PreparedFace) -> TTFont | None:
    try:
        cached = state_file(prepared)
        state = pickle.loads(cached.read_bytes())
        if tuple(state["stamp"]) != _file_stamp(prepared.file):
            return None
        face = TTFontFace.__new__(TTFontFace)
        face.__dict__.update(state["face"])
        tables = state["tables"]
        # reportlab only indexes these (subsetting): views over the arrays, not 46,000 tuples.
        face.hmetrics = _HMetrics(tables["advances"], tables["lsbs"])
        face.glyphPos = tables["glyphPos"]
        face.glyphToChar = _glyph_to_char(face.charToGlyph) if ttfonts.uharfbuzz else {}
        # Map only our cache's files: they are replaced by rename, never rewritten in place, so a
        # long-running watch can never see a mapped font change under it.
        mappable = prepared.file.parent == cached.parent
        face._ttf_data = _font_bytes(prepared.file, read=bool(ttfonts.uharfbuzz) or not mappable)
        face.get_table = _TableReader(face)
        # The unpicklable scale function reportlab sets up in extractInfo, rebuilt the same way.
        scale = 1000 / face.unitsPerEm
        face._pdfScale = (lambda x: x) if face.unitsPerEm == 1000 else (lambda x: x * scale)
        font = TTFont.__new__(TTFont)
        font.__dict__.update(state["font"])
        font.face, font.state = face, WeakKeyDictionary()
        return font
    except Exception:  # missing, stale or foreign cache: parse the font instead
        return None


class _HMetrics(Sequence):
    """reportlab's `hmetrics` list, (advance, lsb) per glyph, as a view over two arrays."""

    def __init__(self, advances: array, lsbs: array):
        self._advances, self._lsbs = advances, lsbs

    def __len__(self) -> int:
        return len(self._advances)

    def __getitem__(self, glyph):  # type: ignore[override]
        if isinstance(glyph, slice):
            return list(zip(self._advances[glyph], self._lsbs[glyph]))
        return self._advances[glyph], self._lsbs[glyph]


class _TableReader:
    """`face.get_table` without copying `glyf`: reportlab's subsetter takes the whole table (20 MB
    for a CJK face) once per 256-glyph subset only to slice a few glyphs out of it."""

    def __init__(self, face: TTFontFace):
        self._face = face

    def __call__(self, tag: str):
        pos, length = self._face.get_table_pos(tag)
        if tag == "glyf":
            return _Window(self._face._ttf_data, pos)
        return self._face._ttf_data[pos:pos + length]


class _Window:
    """Slices of `data` offset by `start`: a table's bytes read only where they are asked for."""

    def __init__(self, data, start: int):
        self._data, self._start = data, start

    def __getitem__(self, part: slice) -> bytes:
        if not isinstance(part, slice) or part.step not in (None, 1) or part.start is None \
                or part.stop is None or part.start < 0 or part.stop < 0:
            raise TypeError("only [start:stop] slices of a font table are supported")
        return bytes(self._data[self._start + part.start:self._start + part.stop])


def _font_bytes(path: Path, read: bool):
    """The font file for reportlab's subsetter, which only slices it: mapped, so a render touches
    the pages of the glyphs it embeds rather than reading 20 MB per face; or `read` into memory
    (HarfBuzz shaping needs real bytes, and a file outside our cache may be rewritten in place)."""
    if not read:
        try:
            with open(path, "rb") as f:
                return mmap.mmap(f.fileno(), 0, access=mmap.ACCESS_READ)
        except (OSError, ValueError):  # an empty file, a file system without mmap
            pass
    return path.read_bytes()


def _glyph_to_char(char_to_glyph: Mapping[int, int]) -> dict[int, list[int]]:
    result: dict[int, list[int]] = {}
    for char, glyph in char_to_glyph.items():
        result.setdefault(glyph, []).append(char)
    return result
