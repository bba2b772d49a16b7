"""Is a font file a face Broadsheet can embed: a TrueType/OpenType file or collection whose header
holds the face asked for, with TrueType (glyf) or CFF outlines, within the size bound. Checked
before HarfBuzz opens it, which would silently give an empty face for a damaged file."""
from __future__ import annotations

import math
import struct
from pathlib import Path

from ..util.errors import FontError

EMBEDDABLE_OUTLINES = ("glyf", "CFF ")


def check_face(path: Path, index: int) -> None:
    """FontError (with a hint) unless face `index` of `path` can be measured and embedded."""
    faces = _face_count(path)
    if not 0 <= index < faces:
        raise FontError(f"font file {path} has no face {index}",
                        hint=f"it has {faces} face(s), numbered from 0" if faces else None)
    _check_table_directory(path, index)
    from .harfbuzz import face_data

    tables = face_data(path, index).tables
    outlines = next((tag for tag in ("glyf", "CFF ", "CFF2") if tag in tables), None)
    if outlines is None:
        raise FontError(f"font {path}#{index} has no outlines (no glyf, CFF or CFF2 table)", _DAMAGED)
    if outlines not in EMBEDDABLE_OUTLINES:
        raise FontError(f"font {path}#{index} has {outlines.strip()!r} outlines, which Broadsheet "
                        "cannot embed", hint="use a TrueType (glyf) or CFF OpenType face")
    if not {"cmap", "head", "hmtx", "maxp"} <= tables:
        missing = ", ".join(sorted({"cmap", "head", "hmtx", "maxp"} - tables))
        raise FontError(f"cannot read font file {path} (face {index}): it has no {missing} table",
                        _DAMAGED)


MAX_FONT_BYTES = 256 * 2**20  # the largest CJK collections (all weights, all regions) are ~150 MB


SFNT_TAGS = (b"\x00\x01\x00\x00", b"OTTO", b"true", b"ttcf")


_DAMAGED = "the file is damaged or not a font; use another copy or another face"


def _face_count(path: Path) -> int:
    """Faces in a font file: numFonts of a collection, else 1. A file that is not a font, or a
    collection whose header is cut short or lists no faces, is a FontError that says so; so is a
    file over MAX_FONT_BYTES (the PDF writer reads a TrueType file whole)."""
    try:
        size = path.stat().st_size
        if size > MAX_FONT_BYTES:
            raise FontError(f"font file {path} is {math.ceil(size / 2**20):,} MB; a font file may be "
                            f"at most {MAX_FONT_BYTES // 2**20} MB", "a whole CJK collection is about 30 MB")
        with open(path, "rb") as f:
            header = f.read(12)
            if header[:4] != b"ttcf":
                if header[:4] not in SFNT_TAGS:
                    raise FontError(f"font file {path} is not a TrueType or OpenType font "
                                    f"(it starts with {header[:4]!r})", _DAMAGED)
                return 1
            if len(header) < 12:
                raise FontError(f"font collection {path} is cut short: its {len(header)}-byte "
                                "header should have 12 bytes", _DAMAGED)
            faces = struct.unpack(">I", header[8:12])[0]
            if faces == 0:
                raise FontError(f"font collection {path} lists no faces", _DAMAGED)
            offsets = f.read(4 * faces)
    except OSError as e:
        raise FontError(f"cannot read font file {path}: {e.strerror}") from None
    if len(offsets) < 4 * faces:
        raise FontError(f"font collection {path} is cut short: its header lists {faces} face(s) "
                        f"but holds {len(offsets) // 4} face offset(s)", _DAMAGED)
    return faces


def _check_table_directory(path: Path, index: int) -> None:
    """Every table the face's directory lists lies inside the file: HarfBuzz reads a table cut off
    by a truncated download as empty, and the face would measure every character as missing."""
    try:
        size = path.stat().st_size
        with open(path, "rb") as f:
            start = 0
            if f.read(4) == b"ttcf":
                f.seek(12 + 4 * index)
                start = struct.unpack(">I", f.read(4))[0]
            f.seek(start + 4)
            count = struct.unpack(">H", f.read(2))[0]
            f.seek(start + 12)
            records = f.read(16 * count)
    except (OSError, struct.error):
        raise FontError(f"cannot read font file {path} (face {index}): its table directory is cut "
                        "short", _DAMAGED) from None
    if len(records) < 16 * count:
        raise FontError(f"cannot read font file {path} (face {index}): its table directory is cut "
                        "short", _DAMAGED)
    for k in range(count):
        tag, _, offset, length = struct.unpack(">4sIII", records[16 * k:16 * k + 16])
        if offset + length > size:
            name = tag.decode("latin-1").strip()
            raise FontError(f"cannot read font file {path} (face {index}): its {name!r} table ends "
                            f"at byte {offset + length:,}, past the end of the file ({size:,} bytes)",
                            _DAMAGED)
