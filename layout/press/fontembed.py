"""Fonts into the PDF: each face placed text uses becomes one Type0 font with Identity-H encoding,
its glyphs subset by HarfBuzz (hb-subset) from the installed file, whatever the number of glyphs.

CFF faces stay CFF (a CIDFontType0 with the subset's CFF table as FontFile3 /CIDFontType0C, or the
whole subset as /OpenType when its CFF is name-keyed); TrueType faces are a CIDFontType2 with the
subset as FontFile2. The code written in the content stream names a glyph of the installed face,
not of the subset, so it stays put when the subset grows (a `watch` re-render after an edit that
brings a new character keeps every other page's content stream):

- CID-keyed CFF: the glyph's CID, which the subset's charset keeps (no identity charset);
- TrueType: the glyph's id in the installed face, and a CIDToGIDMap to the subset's glyph;
- name-keyed CFF: the glyph's id in the installed face, the subset keeping every glyph id
  (RETAIN_GIDS: a PDF selects the glyphs of such a font by glyph id).

ToUnicode maps every code back to the text it was drawn for, characters beyond the BMP as UTF-16
surrogate pairs.

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

from ..fonts.harfbuzz import VERTICAL_SUFFIX, FaceData, data_of_key

SUBSET_FLAGS = hb.SubsetFlags.NO_LAYOUT_CLOSURE | hb.SubsetFlags.NOTDEF_OUTLINE
# CFF subsets without subroutines: from 50 to 6,000 glyphs of Noto CJK both smaller and made
# faster (the 8-page edition's 755 serif glyphs: 200 → 178 KB compressed, 8.5 → 6 ms).
CFF_FLAGS = SUBSET_FLAGS | hb.SubsetFlags.DESUBROUTINIZE
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
    widths: tuple[tuple[int, float], ...]  # (code, advance) of every glyph, by code, 0 = .notdef
    texts: tuple[tuple[int, str], ...]  # (code, the text drawn with it) by code (ToUnicode)
    cid_to_gid: bytes = b""  # TrueType: the subset's glyph id of each code, 2 bytes big-endian
    is_vertical: bool = False  # the vertical forms (press/vertical.py): Identity-V
    vertical: tuple[tuple[int, float, float, float], ...] = ()  # (code, w1y, vx, vy) off DW2


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
                subset = _LAST.get(ident) or _make(key, data, list(chars))
                made[ident] = subset
                self._subsets[key] = replace(subset, resource=f"BF{n}")
            _LAST = made  # only the last render's: bounded by one edition
        return self._subsets


def _make(key: str, data: FaceData, chars: list[str]) -> Subset:
    """A face's subset, or its vertical forms' (a key marked VERTICAL_SUFFIX)."""
    if key.endswith(VERTICAL_SUFFIX):
        from .vertical import vertical_subset  # it builds on make_subset below
        return vertical_subset(data, chars, "")
    return make_subset(data, chars, "")


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
    if "CFF " in data.tables:  # first the CFF table alone: all a CID-keyed font embeds
        dropped = tuple(tag for tag in data.tables if tag != "CFF ")
        new_of, subset_face = _subset(data, old_gids, CFF_FLAGS, dropped)
        program, kind = _program(subset_face)
        if kind != "CIDFontType0C":  # name-keyed: the whole font, glyph ids are its codes
            new_of, subset_face = _subset(data, old_gids, CFF_FLAGS | hb.SubsetFlags.RETAIN_GIDS)
            program, kind = _program(subset_face)
    else:
        new_of, subset_face = _subset(data, old_gids, SUBSET_FLAGS)
        program, kind = _program(subset_face)
    code_of = _codes(new_of, program, kind)
    codes = sorted(code_of[gid] for gid in {0, *old_gids})
    width_of = {code_of[gid]: round(data.advance(gid), 3) for gid in {0, *old_gids}}
    text_by_code = {code_of[gid]: text for gid, text in text_of.items()}
    glyphs: dict[str, Glyph] = {}
    for ch in chars:
        code = code_of[data.glyph(ord(ch)) or 0]
        glyphs[ch] = Glyph(f"{code:04x}", width_of[code])
    cid_to_gid = _cid_to_gid(new_of) if kind == "TrueType" else b""
    name = _subset_tag(data, old_gids) + "+" + _ps_name(data)
    return Subset(resource, name, glyphs, program, kind,
                  tuple((code, width_of[code]) for code in codes),
                  tuple((code, text_by_code[code]) for code in codes if text_by_code.get(code)),
                  cid_to_gid)


def _subset(data: FaceData, gids: list[int], flags: int,
            dropped: tuple[str, ...] = DROPPED_TABLES) -> tuple[dict[int, int], hb.Face]:
    """hb-subset of the face to `gids`: the old → new glyph ids, and the subset face."""
    plan_input = hb.SubsetInput()
    plan_input.sets(hb.SubsetInputSets.GLYPH_INDEX).update(gids)
    for tag in dropped:
        plan_input.sets(hb.SubsetInputSets.DROP_TABLE_TAG).add(_tag(tag))
    plan_input.flags = flags
    plan = hb.SubsetPlan(data.face, plan_input)
    subset_face = plan.execute()
    return dict(plan.old_to_new_glyph_mapping.items()), subset_face


def _codes(new_of: dict[int, int], program: bytes, kind: str) -> dict[int, int]:
    """The code of each glyph of the installed face in the subset: its CID in a CID-keyed CFF
    (as the subset's charset says), else its glyph id in the installed face."""
    if kind != "CIDFontType0C":
        return {old: old for old in new_of}
    cids = cff_charset(program)
    return {old: cids[new] for old, new in new_of.items()}


def _cid_to_gid(new_of: dict[int, int]) -> bytes:
    """The CIDToGIDMap stream's data: for each code (the installed face's glyph id) up to the
    highest, the subset's glyph id; 0 (.notdef) for the codes not drawn."""
    table = [0] * (max(new_of) + 1)
    for old, new in new_of.items():
        table[old] = new
    return struct.pack(f">{len(table)}H", *table)


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
    return ROS in _top_dict(cff)


ROS, CHARSET, CHAR_STRINGS = 0x0C1E, 15, 17  # Top DICT operators (12 x as 0x0C00 + x)


def cff_charset(cff: bytes) -> list[int]:
    """The SID (name-keyed) or CID (CID-keyed) of each glyph of a CFF font, by glyph id, from its
    charset (formats 0, 1 and 2; .notdef, glyph 0, is 0)."""
    top = _top_dict(cff)
    count = struct.unpack(">H", cff[top[CHAR_STRINGS][0]:][:2])[0]
    pos = top.get(CHARSET, [0])[0]
    if pos <= 2:  # a predefined charset (ISOAdobe, Expert…): only name-keyed fonts have them
        raise ValueError("a CFF font with a predefined charset")
    ids = [0]
    fmt, pos = cff[pos], pos + 1
    if fmt == 0:
        ids += struct.unpack(f">{count - 1}H", cff[pos:pos + 2 * (count - 1)])
    else:
        left_size = 1 if fmt == 1 else 2
        while len(ids) < count:
            first = struct.unpack(">H", cff[pos:pos + 2])[0]
            left = int.from_bytes(cff[pos + 2:pos + 2 + left_size], "big")
            ids += range(first, first + left + 1)
            pos += 2 + left_size
    return ids[:count]


def _top_dict(cff: bytes) -> dict[int, list[float]]:
    """The first font's Top DICT: operator → operands."""
    header_size = cff[2]
    _, pos = _index(cff, header_size)  # Name INDEX
    dicts, _ = _index(cff, pos)  # Top DICT INDEX
    top = dicts[0] if dicts else b""
    out: dict[int, list[float]] = {}
    operands: list[float] = []
    i = 0
    while i < len(top):
        b0 = top[i]
        if b0 <= 21:  # an operator
            op = 0x0C00 + top[i + 1] if b0 == 12 and i + 1 < len(top) else b0
            out[op] = operands
            operands = []
            i += 2 if b0 == 12 else 1
        elif b0 == 28:
            operands.append(struct.unpack(">h", top[i + 1:i + 3])[0])
            i += 3
        elif b0 == 29:
            operands.append(struct.unpack(">i", top[i + 1:i + 5])[0])
            i += 5
        elif b0 == 30:  # real number: nibbles up to 0xf (its value is not needed here)
            i += 1
            while i < len(top) and (top[i] & 0x0F) != 0x0F and (top[i] >> 4) != 0x0F:
                i += 1
            i += 1
            operands.append(0.0)
        elif 32 <= b0 <= 246:
            operands.append(b0 - 139)
            i += 1
        elif 247 <= b0 <= 250:
            operands.append((b0 - 247) * 256 + top[i + 1] + 108)
            i += 2
        elif 251 <= b0 <= 254:
            operands.append(-(b0 - 251) * 256 - top[i + 1] - 108)
            i += 2
        else:  # 22–27, 31, 255: reserved
            i += 1
    return out


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


def width_array(widths: tuple[tuple[int, float], ...], default: float) -> list:
    """The CIDFont /W array from (code, width) by code: runs of consecutive codes whose width is
    not `default`."""
    out: list = []
    run: list[float] = []
    start = last = -2
    for code, w in widths:
        if w == default:
            continue
        if run and code != last + 1:
            out += [start, run]
            run = []
        if not run:
            start = code
        run.append(w)
        last = code
    if run:
        out += [start, run]
    return out


def to_unicode_cmap(name: str, texts: tuple[tuple[int, str], ...]) -> bytes:
    """The ToUnicode CMap: each code (2 bytes) to the UTF-16BE of its text, from (code, text)."""
    entries = [(code, text) for code, text in texts if text]
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
