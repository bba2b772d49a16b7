"""Font faces for the pipeline: the `Face`/`FontBook` API.

A spec names a face by its full name ("Noto Serif CJK SC") or by a file path. `FontBook.face()` turns
that into a `Face`: the font file the PDF embeds, the key placed text names it by, and the metrics
composition needs (advances, ascent/descent, the GPOS `halt` half-width adjustments).

The work is split over these modules:
- find.py: name → (font file, face index), through project manifests and an index of the
  installed faces (the one thing cached on disk: scanning the font folders takes seconds);
- check.py: is the file a usable face (collection header, outlines, size bound);
- harfbuzz.py: the face opened with HarfBuzz, the one source of glyphs, advances and features;
- here: the `Face`/`FontBook` API.

Nothing is converted: CFF faces are embedded as CFF, TrueType as TrueType (press/fontembed.py), so
any installed face renders on its first use. Only press/ knows the PDF library."""
from __future__ import annotations

import os
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Sequence

from ..util.errors import FontError
from .check import check_face
from .find import FontFinder
from .harfbuzz import DEFAULT_LANGUAGE, FaceData, face_data, face_key


def default_cache_dir() -> Path:
    """`$BROADSHEET_CACHE`, else `$XDG_CACHE_HOME/broadsheet`, else `~/.cache/broadsheet`."""
    if os.environ.get("BROADSHEET_CACHE"):
        return Path(os.environ["BROADSHEET_CACHE"]).expanduser()
    if os.environ.get("XDG_CACHE_HOME"):
        return Path(os.environ["XDG_CACHE_HOME"]).expanduser() / "broadsheet"
    return Path("~/.cache/broadsheet").expanduser()


@dataclass(frozen=True)
class Face:
    """One font face, ready to measure text; placed text names it by `key`, which the PDF writer
    resolves to the file it embeds."""

    name: str  # the name or path as the spec gave it
    key: str  # the face's file and index (harfbuzz.face_key): one per face, whatever its name
    path: Path  # the font file the PDF embeds: the installed file itself
    ascent: float  # em, from OS/2 typo metrics (the ideographic em box for CJK faces)
    descent: float  # em, negative
    index: int = 0  # face index inside `path` (collections)
    source: Path | None = None  # the file as found (`path` is its real path)
    stamp: tuple[int, int] = (0, 0)  # the file's size and mtime: with `key`, the face's identity
    _data: FaceData | None = field(default=None, repr=False, compare=False)

    def has(self, ch: str) -> bool:
        """The face's cmap covers `ch` (as the PDF shows it: U+00A0 borrows the space)."""
        return self._data is not None and self._data.glyph(ord(ch)) is not None

    def advance(self, ch: str) -> float:
        """Advance width of `ch` in em. A character the face lacks measures as the .notdef glyph,
        which is what the PDF shows; check `has()` first."""
        return self._data.em(ord(ch)) if self._data is not None else 0.0

    def lacking(self, text: str) -> list[str]:
        """The characters of `text` the face lacks (`not has`), each once, in text order."""
        if self._data is None:
            return list(dict.fromkeys(text))
        return self._data.lacking(text)

    def advances(self, text: str) -> list[float]:
        """`advance` of every character of `text`, in one call."""
        return self._data.advances(text) if self._data is not None else [0.0] * len(text)

    def kern(self, left: str, right: str) -> float:
        """Kerning between two adjacent characters in em (negative: closer), from the face's
        GPOS `kern` feature as HarfBuzz applies it. Composition kerns Latin letter pairs only."""
        return self._data.kern(ord(left), ord(right)) if self._data is not None else 0.0

    def halt(self, ch: str) -> tuple[float, float] | None:
        """GPOS `halt` adjustment of `ch` as (x placement, x advance) in em, None if the font has
        none. Noto CJK: `，。` → (0, -0.5): the mark sits in the left half; `“（` → (-0.5, -0.5)."""
        return self._data.halt(ord(ch)) if self._data is not None else None


class FontBook:
    """Resolves face names and opens and measures faces; memoised per book.

    Pass one book through the pipeline; it is never a global. `search_dirs` replaces the system
    font folders (tests); project font folders and their manifests are always consulted first.
    """

    def __init__(self, search_dirs: Sequence[Path] | None = None, cache_dir: Path | None = None):
        self.cache_dir = Path(cache_dir) if cache_dir is not None else default_cache_dir()
        self.finder = FontFinder(search_dirs, self.cache_dir)
        self._faces: dict[tuple[str, str], Face] = {}
        # one per file + face + language, whatever its name
        self._opened: dict[tuple[Path, int, str], Face] = {}

    def face(self, name_or_path: str, language: str = DEFAULT_LANGUAGE) -> Face:
        """The face a spec names, opened for `language` (the paper's locale: its `locl` forms).
        Raises FontError (with a hint) when it cannot be found or used."""
        face = self._faces.get((name_or_path, language))
        if face is None:
            source, index = self.finder.find(name_or_path)
            base = self._opened.get((source, index, language))
            if base is None:
                base = self._opened[(source, index, language)] = open_face(source, index,
                                                                           language)
            face = self._faces[(name_or_path, language)] = replace(base, name=name_or_path)
        return face


def open_face(source: Path, index: int, language: str = DEFAULT_LANGUAGE) -> Face:
    """The face `index` of the font file `source`, checked and opened with HarfBuzz for
    `language`."""
    real = Path(os.path.realpath(source))
    try:
        st = real.stat()
    except OSError as e:
        raise FontError(f"cannot read font file {source}: {e.strerror}") from None
    check_face(real, index)
    try:
        data = face_data(real, index, language)
        vertical = data.vertical_metrics()
    except Exception as e:  # HarfBuzz or struct on a damaged file
        raise FontError(f"cannot read font file {source} (face {index}): {type(e).__name__}: {e}",
                        "the file is damaged or not a font; use another copy or another face") from None
    scale = 1.0 / data.upem
    return Face(name=str(source), key=face_key(real, index, language), path=real,
                ascent=vertical.ascent * scale, descent=vertical.descent * scale, index=index,
                source=source, stamp=(st.st_size, st.st_mtime_ns), _data=data)


def find_font(name: str, search_dirs: Sequence[Path] | None = None,
              cache_dir: Path | None = None) -> tuple[Path, int]:
    """(file, face index) for a face name or font path; FontError with a hint if none matches."""
    return FontFinder(search_dirs, cache_dir or default_cache_dir()).find(name)
