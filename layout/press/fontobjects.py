"""The embedded subsets (fontembed.py) as objects of our PDF document (pdfwriter.py): per face a
Type0 font (Identity-H), its CIDFont with widths, a FontDescriptor with the font program, and a
ToUnicode CMap (for a TrueType face also the CIDToGIDMap from code to subset glyph), linked into
the document's shared font resources under the subset's resource name."""
from __future__ import annotations

import threading
from collections import Counter
from typing import Mapping

from .fontembed import Subset, face_facts, to_unicode_cmap, width_array
from .pdfwriter import OPENTYPE_VERSION, Document, Name, Ref
from ..fonts.harfbuzz import data_of_key
from .vertical import w2_array


def add_fonts(doc: Document, subsets: Mapping[str, Subset],
              ahead: "ProgramsAhead | None" = None) -> None:
    """Add every subset to `doc` and to the /Font dictionary its pages share (their programs
    compressed by `ahead` when given)."""
    if ahead is not None:
        ahead.wait()
    for key, subset in subsets.items():
        doc.fonts[subset.resource] = _type0(doc, key, subset)
        if subset.program_kind == "OpenType":
            doc.version = max(doc.version, OPENTYPE_VERSION)


def _type0(doc: Document, key: str, s: Subset) -> Ref:
    cid_font = _cid_font(doc, key, s)
    cmap = doc.stream(to_unicode_cmap(s.base_font, s.texts))
    encoding = "Identity-V" if s.is_vertical else "Identity-H"
    return doc.add({
        "Type": Name("Font"),
        "Subtype": Name("Type0"),
        "BaseFont": Name(s.base_font + ("-" + encoding if s.program_kind != "TrueType" else "")),
        "Encoding": Name(encoding),
        "DescendantFonts": [cid_font],
        "ToUnicode": cmap,
    })


def _cid_font(doc: Document, key: str, s: Subset) -> Ref:
    default = Counter(w for _, w in s.widths[1:] or s.widths).most_common(1)[0][0]
    font = {
        "Type": Name("Font"),
        "Subtype": Name("CIDFontType2" if s.program_kind == "TrueType" else "CIDFontType0"),
        "BaseFont": Name(s.base_font),
        "CIDSystemInfo": {"Registry": "Adobe", "Ordering": "Identity", "Supplement": 0},
        "FontDescriptor": _descriptor(doc, key, s),
        "DW": _number(default),
        "W": [[_number(w) for w in item] if isinstance(item, list) else item
              for item in width_array(s.widths, default)],
    }
    if s.is_vertical:  # vertical metrics: the default, and the glyphs off it (vmtx, VORG)
        font["DW2"] = [880, -1000]
        if s.vertical:
            font["W2"] = [[_number(v) for v in item] if isinstance(item, list) else item
                          for item in w2_array(s.vertical)]
    if s.program_kind == "TrueType":  # codes are the installed face's glyph ids
        font["CIDToGIDMap"] = doc.stream(s.cid_to_gid)
    return doc.add(font)


def _descriptor(doc: Document, key: str, s: Subset) -> Ref:
    facts = face_facts(data_of_key(key))
    stored = _stored_program(doc, s)
    if s.program_kind == "TrueType":
        file_key, program = "FontFile2", doc.add_stored(stored, {"Length1": len(s.program)})
    else:
        file_key, program = "FontFile3", doc.add_stored(stored, {"Subtype": Name(s.program_kind)})
    return doc.add({
        "Type": Name("FontDescriptor"),
        "FontName": Name(s.base_font),
        "Flags": facts.flags,
        "FontBBox": [_number(v) for v in facts.bbox],
        "ItalicAngle": _number(facts.italic_angle),
        "Ascent": _number(facts.ascent),
        "Descent": _number(facts.descent),
        "CapHeight": _number(facts.cap_height),
        "StemV": 80,  # not in the font; viewers use it only to synthesise a missing face
        file_key: program,
    })


_PROGRAMS: dict[tuple[str, int, bool], bytes] = {}  # recent subsets' compressed programs


class ProgramsAhead:
    """The font programs of a document compressed in a thread while its pages are drawn: zlib
    lets go of the GIL, so on two cores the 200 KB of a CJK subset cost the render nothing."""

    def __init__(self, doc: Document, subsets: Mapping[str, Subset]):
        todo = {}
        for s in subsets.values():
            key = _program_key(doc, s)
            if key not in _PROGRAMS:
                todo[key] = s.program
        self._done: dict[tuple[str, int, bool], bytes] = {}
        self._thread: threading.Thread | None = None
        if todo:
            self._thread = threading.Thread(target=self._compress, args=(doc, todo), daemon=True)
            self._thread.start()

    def _compress(self, doc: Document, todo: dict[tuple[str, int, bool], bytes]) -> None:
        for key, program in todo.items():
            self._done[key] = doc.stored(program)

    def wait(self) -> None:
        """Wait for the thread and keep what it compressed (a program it did not get to, after
        an error there, is compressed when it is added)."""
        if self._thread is not None:
            self._thread.join()
            self._thread = None
            for key, stored in self._done.items():
                _keep(key, stored)


def forget_programs() -> None:
    _PROGRAMS.clear()


def _stored_program(doc: Document, s: Subset) -> bytes:
    """The font program as stored, compressed once for the subset (its name names its glyphs):
    a watch re-render whose faces draw the same characters does not compress 200 KB again."""
    key = _program_key(doc, s)
    stored = _PROGRAMS.get(key)
    if stored is None:
        stored = _keep(key, doc.stored(s.program))
    return stored


def _program_key(doc: Document, s: Subset) -> tuple[str, int, bool]:
    return s.base_font, len(s.program), doc.compress


def _keep(key: tuple[str, int, bool], stored: bytes) -> bytes:
    _PROGRAMS[key] = stored
    if len(_PROGRAMS) > 16:  # a few editions' faces at most
        _PROGRAMS.pop(next(iter(_PROGRAMS)))
    return stored


def _number(v: float) -> int | float:
    return int(v) if float(v).is_integer() else round(v, 3)
