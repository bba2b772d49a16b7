"""Fonts into the PDF: each face placed text uses becomes one Type0 font with Identity-H encoding,
its glyphs subset by HarfBuzz (hb-subset) from the installed file, whatever the number of glyphs.

CFF faces stay CFF (a CIDFontType0 with the subset's CFF table as FontFile3 /CIDFontType0C, or the
whole subset as /OpenType when its CFF is name-keyed); TrueType faces are a CIDFontType2 with the
subset as FontFile2. The subset keeps only the glyphs drawn, renumbered 1…n in the order they were
first used, and with `CFF_IDENTITY_CHARSET` its CIDs are those glyph numbers, so the code written
in the content stream is the subset's glyph id for both kinds. ToUnicode maps every code back to
the text it was drawn for, characters beyond the BMP as UTF-16 surrogate pairs.

Subsetting needs the whole set of glyphs first: `DocumentFonts.collect()` runs over every page's
text before anything is drawn, then `code()` answers for each character.
"""
from __future__ import annotations

import hashlib
import string
import struct
from dataclasses import dataclass, replace
from typing import Iterable, Mapping

import uharfbuzz as hb

from ..fonts.harfbuzz import FaceData, data_of_key

SUBSET_FLAGS = (hb.SubsetFlags.CFF_IDENTITY_CHARSET | hb.SubsetFlags.NO_LAYOUT_CLOSURE
                | hb.SubsetFlags.NOTDEF_OUTLINE)
# Only what a PDF font program needs; shaping tables and names are dead weight in the file.
DROPPED_TABLES = ("GSUB", "GPOS", "GDEF", "BASE", "JSTF", "MATH", "VORG", "vhea", "vmtx", "DSIG",
                  "name", "post", "kern", "morx", "feat", "meta", "STAT", "hdmx", "LTSH", "VDMX")
FIXED_PITCH, SYMBOLIC = 1, 4  # FontDescriptor flags


@dataclass(frozen=True)
class Glyph:
    """A character as drawn: its code in the content stream (2 bytes, hex) and its advance in
    1/1000 em exactly as the width array gives it."""

    hex: str
    width: float


@dataclass(frozen=True)
class Subset:
    """One face's embedded font: its resource name, what each drawn character is, and the bytes of
    the font program."""

    resource: str  # e.g. "BF1": the name in the page's /Font resources
    base_font: str  # "ABCDEF+NotoSerifCJKsc-Regular"
    glyphs: Mapping[str, Glyph]
    program: bytes
    program_kind: str  # "CIDFontType0C", "OpenType" or "TrueType"
    widths: tuple[float, ...]  # by code, 0 = .notdef
    texts: tuple[str, ...]  # by code: the text drawn with it (ToUnicode)


class DocumentFonts:
    """The faces of one document and the characters drawn in each."""

    def __init__(self) -> None:
        self._used: dict[str, dict[str, None]] = {}  # face key → characters, first use first
        self._subsets: dict[str, Subset] = {}

    def collect(self, face: str, text: Iterable[str]) -> None:
        self._used.setdefault(face, {}).update(dict.fromkeys(text))  # insertion order: first use

    def subsets(self) -> dict[str, Subset]:
        """Every collected face subset (once; later calls return the same). A subset depends on
        the set of characters only, so the previous render's (a `watch` loop's) is reused when
        its face drew the same characters."""
        global _LAST
        if not self._subsets:
            made: dict[tuple, Subset] = {}
            for n, (key, chars) in enumerate(self._used.items(), start=1):
                data = data_of_key(key)
                ident = (key, id(data), frozenset(chars))
                subset = _LAST.get(ident) or make_subset(data, list(chars), "")
                made[ident] = subset
                self._subsets[key] = replace(subset, resource=f"BF{n}")
            _LAST = made  # only the last render's: bounded by one edition
        return self._subsets


_LAST: dict[tuple, Subset] = {}  # (face key, opened face, characters) → its subset, last render


def forget_previous_subsets() -> None:
    global _LAST
    _LAST = {}


def make_subset(data: FaceData, chars: list[str], resource: str) -> Subset:
    """Subset the face to the glyphs of `chars` (a character the face lacks is .notdef)."""
    old_gids: list[int] = []
    text_of: dict[int, str] = {}
    for ch in sorted(chars):  # a glyph drawn for two characters maps back to the lower one
        gid = data.glyph(ord(ch)) or 0
        if gid not in text_of:
            old_gids.append(gid)
            text_of[gid] = ch
    plan_input = hb.SubsetInput()
    plan_input.sets(hb.SubsetInputSets.GLYPH_INDEX).update(old_gids)
    for tag in DROPPED_TABLES:
        plan_input.sets(hb.SubsetInputSets.DROP_TABLE_TAG).add(_tag(tag))
    plan_input.flags = SUBSET_FLAGS
    plan = hb.SubsetPlan(data.face, plan_input)
    subset_face = plan.execute()
    new_of = dict(plan.old_to_new_glyph_mapping.items())
    count = max(new_of.values()) + 1
    widths = [0.0] * count
    texts = [""] * count
    glyphs: dict[str, Glyph] = {}
    for gid in [0, *old_gids]:
        new = new_of.get(gid, 0)
        widths[new] = round(data.advance(gid), 3)
        texts[new] = text_of.get(gid, "")
    for ch in chars:
        new = new_of.get(data.glyph(ord(ch)) or 0, 0)
        glyphs[ch] = Glyph(f"{new:04x}", widths[new])
    program, kind = _program(subset_face)
    name = _subset_tag(data, old_gids) + "+" + _ps_name(data)
    return Subset(resource, name, glyphs, program, kind, tuple(widths), tuple(texts))


def _tag(tag: str) -> int:
    return struct.unpack(">I", tag.ljust(4).encode("ascii"))[0]


def _program(face: hb.Face) -> tuple[bytes, str]:
    tags = set(face.table_tags)
    if "CFF " in tags:
        cff = bytes(face.reference_table("CFF ").data)
        if is_cid_keyed(cff):
            return cff, "CIDFontType0C"
        return bytes(face.blob.data), "OpenType"
    return bytes(face.blob.data), "TrueType"


def is_cid_keyed(cff: bytes) -> bool:
    """Whether a CFF font's Top DICT has the ROS operator (12 30): a CIDFont, whose glyphs a PDF
    CIDFontType0C selects by CID."""
    header_size = cff[2]
    _, pos = _index(cff, header_size)  # Name INDEX
    dicts, _ = _index(cff, pos)  # Top DICT INDEX
    top = dicts[0] if dicts else b""
    i = 0
    while i < len(top):
        b0 = top[i]
        if b0 == 12:
            if i + 1 < len(top) and top[i + 1] == 30:
                return True
            i += 2
        elif b0 <= 21:
            i += 1
        elif b0 == 28:
            i += 3
        elif b0 == 29:
            i += 5
        elif b0 == 30:  # real number: nibbles up to 0xf
            i += 1
            while i < len(top) and (top[i] & 0x0F) != 0x0F and (top[i] >> 4) != 0x0F:
                i += 1
            i += 1
        elif b0 >= 247 and b0 <= 254:
            i += 2
        else:
            i += 1
    return False


def _index(data: bytes, pos: int) -> tuple[list[bytes], int]:
    """The items of a CFF INDEX at `pos`, and the position after it."""
    count = struct.unpack(">H", data[pos:pos + 2])[0]
    if count == 0:
        return [], pos + 2
    size = data[pos + 2]
    offsets = [int.from_bytes(data[pos + 3 + k * size: pos + 3 + (k + 1) * size], "big")
               for k in range(count + 1)]
    base = pos + 2 + (count + 1) * size
    items = [data[base + offsets[k]: base + offsets[k + 1]] for k in range(count)]
    return items, base + offsets[-1]


def _ps_name(data: FaceData) -> str:
    allowed = set(string.ascii_letters + string.digits + "-_.")
    name = data.postscript_name() or data.path.stem
    return "".join(c for c in name if c in allowed) or "Font"


def _subset_tag(data: FaceData, gids: list[int]) -> str:
    """Six capital letters from the face and its glyphs: the same subset gets the same tag."""
    digest = hashlib.sha256(f"{data.path}#{data.index}:{sorted(gids)}".encode()).digest()
    return "".join(chr(ord("A") + b % 26) for b in digest[:6])


# --- the PDF objects ----------------------------------------------------------------------------


@dataclass(frozen=True)
class FaceFacts:
    """What the FontDescriptor says of a face, in 1/1000 em."""

    bbox: tuple[float, float, float, float]
    ascent: float
    descent: float
    cap_height: float
    italic_angle: float
    flags: int


def face_facts(data: FaceData) -> FaceFacts:
    scale = 1000 / data.upem
    head = data.table("head")
    x_min, y_min, x_max, y_max = struct.unpack(">hhhh", head[36:44])
    vertical = data.vertical_metrics()
    cap = vertical.ascent
    tables = data.tables
    if "OS/2" in tables:
        os2 = data.table("OS/2")
        if len(os2) >= 90 and struct.unpack(">H", os2[0:2])[0] >= 2:
            cap = struct.unpack(">h", os2[88:90])[0] or cap
    angle, flags = 0.0, SYMBOLIC  # symbolic: glyphs outside the standard Latin set
    post = data.table("post") if "post" in tables else b""
    if len(post) >= 16:
        angle = struct.unpack(">i", post[4:8])[0] / 65536
        if struct.unpack(">I", post[12:16])[0]:
            flags |= FIXED_PITCH
    return FaceFacts((x_min * scale, y_min * scale, x_max * scale, y_max * scale),
                     vertical.ascent * scale, vertical.descent * scale, cap * scale, angle, flags)


def width_array(widths: tuple[float, ...], default: float) -> list:
    """The CIDFont /W array: runs of consecutive codes whose width is not `default`."""
    out: list = []
    run: list[float] = []
    start = 0
    for code, w in enumerate(widths):
        if w != default:
            if not run:
                start = code
            run.append(w)
            continue
        if run:
            out += [start, run]
            run = []
    if run:
        out += [start, run]
    return out


def to_unicode_cmap(name: str, texts: tuple[str, ...]) -> bytes:
    """The ToUnicode CMap: each code (2 bytes) to the UTF-16BE of its text."""
    entries = [(code, text) for code, text in enumerate(texts) if text]
    lines = ["/CIDInit /ProcSet findresource begin", "12 dict begin", "begincmap",
             "/CIDSystemInfo << /Registry (Adobe) /Ordering (UCS) /Supplement 0 >> def",
             f"/CMapName /{name}-UCS def", "/CMapType 2 def",
             "1 begincodespacerange", "<0000> <FFFF>", "endcodespacerange"]
    for k in range(0, len(entries), 100):
        block = entries[k:k + 100]
        lines.append(f"{len(block)} beginbfchar")
        lines += [f"<{code:04X}> <{text.encode('utf-16-be').hex().upper()}>" for code, text in block]
        lines.append("endbfchar")
    lines += ["endcmap", "CMapName currentdict /CMap defineresource pop", "end", "end"]
    return "\n".join(lines).encode("ascii")
