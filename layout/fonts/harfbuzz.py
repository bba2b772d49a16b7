"""A face as HarfBuzz reads it from its font file: the one source of glyph ids, advances, vertical
metrics and OpenType features (GPOS `halt`, GSUB `vert`) for composition, drawing and embedding.

The file is mapped, not read (`hb.Blob.from_file_path`), and nothing is converted or cached on
disk: opening a 20 MB CJK face takes about a millisecond, so any installed face is ready on first
use. Per-character facts are looked up on demand and remembered per face: a render of the reference
edition asks for ~6,000 characters of a 44,000-character face.

Advances are in 1/1000 em computed as `units * (1000 / upem)` (the units themselves at 1000 units per
em), which is also what the PDF's width arrays hold (press/fontembed.py), so a line is measured
exactly as it is drawn.
"""
from __future__ import annotations

import struct
import threading
from dataclasses import dataclass
from pathlib import Path

import uharfbuzz as hb

# Script/language of the probe shaping that reads `halt` in a face opened for no language: HarfBuzz
# picks the ZHS language system of the hani script when the font has one, else the script's
# default, else DFLT.
HALT_LANGUAGE = "zh-Hans"
# A face opened for a language (a BCP 47 tag HarfBuzz maps to an OpenType language system:
# zh-Hant-TW → ZHT, zh-Hant-HK → ZHH) draws its GSUB `locl` forms for it and probes `halt` in it;
# opened for none (DEFAULT_LANGUAGE, what a zh-Hans paper asks) it draws its cmap's own forms.
DEFAULT_LANGUAGE = ""
NO_BREAK_SPACE, SPACE = 0xA0, 0x20


@dataclass(frozen=True)
class VerticalMetrics:
    ascent: int  # font units: OS/2 sTypoAscender (head yMax without OS/2)
    descent: int  # negative


class FaceData:
    """One face of a font file, opened with HarfBuzz. Not a dataclass: it holds C objects and
    caches that grow as characters are asked for; it never changes what it answers."""

    def __init__(self, path: Path, index: int, language: str = DEFAULT_LANGUAGE):
        self.path, self.index, self.language = path, index, language
        self.face = hb.Face(hb.Blob.from_file_path(str(path)), index)
        self.font = hb.Font(self.face)
        self.upem = self.face.upem
        self.glyph_count = self.face.glyph_count
        self._scale = 1.0 if self.upem == 1000 else 1000 / self.upem
        self._glyphs: dict[int, int | None] = {}
        self._advances: dict[int, float] = {}
        self._em: dict[int, float] = {}  # code point → advance in em, what composition asks most
        self._em_of_char: dict[str, float] = {}  # the same by character, for `advances`
        self._present: set[str] = set()  # characters found in the cmap, for `lacking`
        self._halt: dict[int, tuple[float, float] | None] = {}
        self._kern: dict[tuple[int, int], float] = {}
        self._lock = threading.Lock()  # hb.Font is not safe to use from two threads at once

    @property
    def tables(self) -> frozenset[str]:
        return frozenset(self.face.table_tags)

    def table(self, tag: str) -> bytes:
        return bytes(self.face.reference_table(tag).data)

    def glyph(self, code: int) -> int | None:
        """The glyph id of a code point: the face's cmap, then, in a face opened for a language,
        its GSUB `locl` for it (a TC face opened for zh-Hant-HK draws Hong Kong forms: 骨, 說,
        麼, 次); None if the face lacks it. U+00A0 borrows the space's glyph (and the space the no-break space's)
        as every viewer draws it."""
        gid = self._glyphs.get(code, -1)
        if gid == -1:
            gid = self._nominal(code)
            if gid is None and code in (SPACE, NO_BREAK_SPACE):
                gid = self._nominal(SPACE + NO_BREAK_SPACE - code)
            elif gid is not None and self.language and code > 0x2000 and \
                    self.face.has_layout_substitution:
                gid = self._shaped_glyph(code, "ltr") or gid
            self._glyphs[code] = gid
        return gid

    def _buffer(self, code: int, direction: str) -> hb.Buffer:
        """One code point to shape in the face's language (if any), a mark of no script of its
        own (，「) then taken as Han, so that the hani language system's `locl` applies to it."""
        buf = hb.Buffer()
        buf.add_codepoints([code])
        buf.guess_segment_properties()
        if self.language:
            if buf.script in (None, "Zyyy", "Zinh"):
                buf.script = "Hani"
            buf.language = self.language
        buf.direction = direction
        return buf

    def _shaped_glyph(self, code: int, direction: str) -> int | None:
        buf = self._buffer(code, direction)
        with self._lock:
            hb.shape(self.font, buf, {"locl": True})
        infos = buf.glyph_infos
        return infos[0].codepoint if len(infos) == 1 and infos[0].codepoint else None

    def cmap_glyph(self, code: int) -> int | None:
        """The cmap's glyph of a code point alone (before `locl`); None if the face lacks it."""
        return self._nominal(code)

    def _nominal(self, code: int) -> int | None:
        with self._lock:
            gid = self.font.get_nominal_glyph(code)
        return gid if gid is not None and 0 < gid < self.glyph_count else None

    def advance(self, gid: int) -> float:
        """Horizontal advance of a glyph in 1/1000 em."""
        adv = self._advances.get(gid)
        if adv is None:
            with self._lock:
                units = self.font.get_glyph_h_advance(gid)
            adv = self._advances[gid] = units if self._scale == 1.0 else units * self._scale
        return adv

    def em(self, code: int) -> float:
        """Advance of a code point in em (.notdef's for one the face lacks)."""
        em = self._em.get(code)
        if em is None:
            em = self._em[code] = self.advance(self.glyph(code) or 0) / 1000.0
        return em

    def lacking(self, text: str) -> list[str]:
        """The characters of `text` the face has no glyph for, each once, in text order: set
        arithmetic against the characters already found, so a paragraph costs no call per
        character (the glyph check asks of every paragraph of an edition)."""
        unknown = set(text) - self._present
        if not unknown:
            return []
        missing = set()
        for ch in unknown:
            if self.glyph(ord(ch)) is None:
                missing.add(ch)
            else:
                self._present.add(ch)
        return [ch for ch in dict.fromkeys(text) if ch in missing] if missing else []

    def advances(self, text: str) -> list[float]:
        """The advance of each character of `text` in em, in one pass (what prepare asks for a
        whole paragraph; per character through `em` it was a tenth of composition)."""
        known = self._em_of_char
        try:
            return [known[ch] for ch in text]
        except KeyError:
            for ch in text:
                if ch not in known:
                    known[ch] = self.em(ord(ch))
            return [known[ch] for ch in text]

    def halt(self, code: int) -> tuple[float, float] | None:
        """The GPOS `halt` adjustment of a character as (x placement, x advance) in em, None
        where the font has none: the difference between shaping it with and without `halt`."""
        found = self._halt.get(code, ())
        if found == ():
            found = self._halt[code] = self._shaped_halt(code)
        return found  # type: ignore[return-value]

    def kern(self, left: int, right: int) -> float:
        """The kerning between two characters in em (GPOS `kern`, or a `kern` table): the pair
        shaped with the feature minus without it; 0 where the face has no glyph for either."""
        pair = (left, right)
        found = self._kern.get(pair)
        if found is None:
            found = 0.0
            if self.glyph(left) is not None and self.glyph(right) is not None:
                kerned = self._pair_advance(pair, True)
                if kerned is not None:
                    found = (kerned - self._pair_advance(pair, False)) / self.upem
            self._kern[pair] = found
        return found

    def _pair_advance(self, pair: tuple[int, int], kern: bool) -> int | None:
        buf = hb.Buffer()
        buf.add_codepoints(list(pair))
        buf.guess_segment_properties()
        with self._lock:
            hb.shape(self.font, buf, {"kern": kern, "liga": False, "clig": False})
        if len(buf.glyph_positions) != 2:  # a ligature or a decomposition: do not kern it
            return None
        return sum(p.x_advance for p in buf.glyph_positions)

    def vertical_halt(self, code: int) -> tuple[float, float] | None:
        """The GPOS `vhal` adjustment of a character in vertical text as (y placement, y advance)
        in em, None where the font has none (HarfBuzz's y grows upwards: a negative advance)."""
        return self._shaped_halt(code, vertical=True)

    def _shaped_halt(self, code: int, vertical: bool = False) -> tuple[float, float] | None:
        if self.glyph(code) is None or not self.face.has_layout_positioning:
            return None
        feature = "vhal" if vertical else "halt"
        plain, halted = self._shape(code, {}, vertical), self._shape(code, {feature: True}, vertical)
        if plain is None or halted is None or plain == halted:
            return None
        return ((halted[0] - plain[0]) / self.upem, (halted[1] - plain[1]) / self.upem)

    def _shape(self, code: int, features: dict[str, bool],
               vertical: bool = False) -> tuple[int, int] | None:
        """(offset, advance) along the line of one shaped character, in font units."""
        buf = hb.Buffer()
        buf.add_codepoints([code])
        buf.guess_segment_properties()
        buf.language = self.language or HALT_LANGUAGE
        if vertical:
            buf.direction = "ttb"
        with self._lock:
            hb.shape(self.font, buf, features)
        if len(buf.glyph_positions) != 1:
            return None
        pos = buf.glyph_positions[0]
        return (pos.y_offset, pos.y_advance) if vertical else (pos.x_offset, pos.x_advance)

    def vertical_metrics(self) -> VerticalMetrics:
        if "OS/2" in self.tables:
            os2 = self.table("OS/2")
            if len(os2) >= 72:
                ascent, descent = struct.unpack(">hh", os2[68:72])
                return VerticalMetrics(ascent, descent)
        head = self.table("head")
        y_min, y_max = struct.unpack(">h2xh", head[38:44])
        return VerticalMetrics(y_max, y_min)

    def postscript_name(self) -> str | None:
        with self._lock:
            name = self.face.get_name(hb.OTNameIdPredefined.POSTSCRIPT_NAME)
        return name or None

    def vertical_glyph(self, code: int) -> int | None:
        """The glyph a character takes in vertical text (GSUB `vert`/`vrt2` and `locl`, as
        HarfBuzz applies them to a top-to-bottom run in the face's language), None if the face
        lacks the character."""
        if self.glyph(code) is None:
            return None
        return self._shaped_glyph(code, "ttb") or self.glyph(code)


    def vertical_advance(self, gid: int) -> float:
        """The vertical advance of a glyph in 1/1000 em (vmtx; the em box where the face has
        none), positive downwards."""
        if "vmtx" not in self.tables:
            return 1000.0
        with self._lock:
            units = self.font.get_glyph_v_advance(gid)
        return abs(units) * self._scale if units else 1000.0

    def vertical_origin(self, gid: int) -> tuple[float, float]:
        """The vertical origin of a glyph from its horizontal origin, in 1/1000 em (VORG or the
        ascender, x at half the advance): the PDF's W2 position vector."""
        if "vmtx" not in self.tables:  # the em box: its top at the typographic ascender
            return self.advance(gid) / 2, self.vertical_metrics().ascent * self._scale
        with self._lock:
            x, y = self.font.get_glyph_v_origin(gid)
        return x * self._scale, y * self._scale


_OPEN: dict[tuple[str, int, str], tuple[tuple[int, int, int], FaceData]] = {}
_OPEN_LOCK = threading.Lock()


def face_data(path: Path, index: int, language: str = DEFAULT_LANGUAGE) -> FaceData:
    """The face, opened once per process and language (a render and the PDF writer share it) and
    again when the file changed (a font updated while `watch` runs: the old file stays mapped
    otherwise)."""
    key = (str(path), index, language)
    try:
        st = path.stat()
        stamp = (st.st_ino, st.st_size, st.st_mtime_ns)
    except OSError:
        stamp = (0, 0, 0)
    found = _OPEN.get(key)
    if found is None or found[0] != stamp:
        with _OPEN_LOCK:
            found = _OPEN.get(key)
            if found is None or found[0] != stamp:
                found = _OPEN[key] = (stamp, FaceData(path, index, language))
    return found[1]


def face_key(path: Path, index: int, language: str = DEFAULT_LANGUAGE) -> str:
    """How placed text names a face (`TextLine.font`, `Face.key`): its real file and index, and
    the language it is opened for, if any (`…#3@zh-Hant-HK`)."""
    return f"{path}#{index}" + ("" if language == DEFAULT_LANGUAGE else f"@{language}")


VERTICAL_SUFFIX = "|V"  # a face key so marked names the face's vertical forms (Identity-V)


def data_of_key(key: str) -> FaceData:
    """The opened face a `face_key` names (or its vertical forms, `VERTICAL_SUFFIX`)."""
    path, _, index = key.removesuffix(VERTICAL_SUFFIX).rpartition("#")
    index, _, language = index.partition("@")
    return face_data(Path(path), int(index), language or DEFAULT_LANGUAGE)
