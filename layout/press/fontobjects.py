"""The embedded subsets (fontembed.py) as objects of reportlab's PDF document: per face a Type0 font
(Identity-H), its CIDFont with widths, a FontDescriptor with the font program, and a ToUnicode CMap,
linked into the document's font resources under the subset's resource name."""
from __future__ import annotations

from collections import Counter
from typing import Mapping

from reportlab.pdfbase import pdfdoc
from reportlab.pdfbase.pdfdoc import PDFArray, PDFDictionary, PDFName, PDFStream, PDFString

from .fontembed import Subset, face_facts, to_unicode_cmap, width_array
from ..fonts.harfbuzz import data_of_key


def add_fonts(doc: pdfdoc.PDFDocument, subsets: Mapping[str, Subset]) -> None:
    """Add every subset to `doc` and to the /Font dictionary its pages share."""
    fonts = doc.idToObject["BasicFonts"].dict
    for key, subset in subsets.items():
        fonts[subset.resource] = doc.Reference(_type0(doc, key, subset), f"Font:{subset.resource}")


def _stream(doc: pdfdoc.PDFDocument, content: bytes, extra: dict | None = None) -> PDFStream:
    stream = PDFStream(PDFDictionary(extra or {}), content)
    stream.filters = [pdfdoc.PDFZCompress] if doc.compression else []
    return stream


def _type0(doc: pdfdoc.PDFDocument, key: str, s: Subset) -> PDFDictionary:
    cid_font = _cid_font(doc, key, s)
    cmap = _stream(doc, to_unicode_cmap(s.base_font, s.texts))
    return PDFDictionary({
        "Type": PDFName("Font"),
        "Subtype": PDFName("Type0"),
        "BaseFont": PDFName(s.base_font + ("-Identity-H" if s.program_kind != "TrueType" else "")),
        "Encoding": PDFName("Identity-H"),
        "DescendantFonts": PDFArray([doc.Reference(cid_font, f"CIDFont:{s.resource}")]),
        "ToUnicode": doc.Reference(cmap, f"ToUnicode:{s.resource}"),
    })


def _cid_font(doc: pdfdoc.PDFDocument, key: str, s: Subset) -> PDFDictionary:
    default = Counter(s.widths[1:] or s.widths).most_common(1)[0][0]
    font = {
        "Type": PDFName("Font"),
        "Subtype": PDFName("CIDFontType2" if s.program_kind == "TrueType" else "CIDFontType0"),
        "BaseFont": PDFName(s.base_font),
        "CIDSystemInfo": PDFDictionary({"Registry": PDFString("Adobe"),
                                        "Ordering": PDFString("Identity"), "Supplement": 0}),
        "FontDescriptor": doc.Reference(_descriptor(doc, key, s), f"FontDescriptor:{s.resource}"),
        "DW": _number(default),
        "W": PDFArray([PDFArray([_number(w) for w in item]) if isinstance(item, list) else item
                       for item in width_array(s.widths, default)]),
    }
    if s.program_kind == "TrueType":
        font["CIDToGIDMap"] = PDFName("Identity")
    return PDFDictionary(font)


def _descriptor(doc: pdfdoc.PDFDocument, key: str, s: Subset) -> PDFDictionary:
    facts = face_facts(data_of_key(key))
    if s.program_kind == "TrueType":
        file_key, program = "FontFile2", _stream(doc, s.program, {"Length1": len(s.program)})
    else:
        file_key, program = "FontFile3", _stream(doc, s.program,
                                                 {"Subtype": PDFName(s.program_kind)})
    return PDFDictionary({
        "Type": PDFName("FontDescriptor"),
        "FontName": PDFName(s.base_font),
        "Flags": facts.flags,
        "FontBBox": PDFArray([_number(v) for v in facts.bbox]),
        "ItalicAngle": _number(facts.italic_angle),
        "Ascent": _number(facts.ascent),
        "Descent": _number(facts.descent),
        "CapHeight": _number(facts.cap_height),
        "StemV": 80,  # not in the font; viewers use it only to synthesise a missing face
        file_key: doc.Reference(program, f"FontProgram:{s.resource}"),
    })


def _number(v: float) -> int | float:
    return int(v) if float(v).is_integer() else round(v, 3)
