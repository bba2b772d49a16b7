"""Font faces: find them by name, make them embeddable by reportlab, and measure them.

A spec names a face by its full name ("Noto Serif CJK SC") or by a file path. `FontBook.face()` turns
that into a `Face`: the TrueType file reportlab embeds, the name it is registered under, and the
metrics composition needs (advances, ascent/descent, the GPOS `halt` half-width adjustments).

Why the machinery:
- reportlab embeds TrueType (glyf) outlines only; Noto CJK ships CFF outlines. A CFF face is
  converted once (fontTools cu2qu, in parallel processes) to a TrueType copy in the user cache.
  The copy keeps exactly the glyphs reachable from the face's cmap (plus GSUB closure, minus the
  `locl` variants of the other CJK locales), which cuts ~30% of a Noto CJK face's time and size
  without losing any character the source maps.
- Everything slow is done once and cached: the scan of the system font folders (names index), the
  conversion, the `halt` table (JSON sidecar) and reportlab's parsed font tables (a pickle), so a
  warm run never parses a big font with fontTools or with reportlab's pure-Python parser.

Cache layout (`default_cache_dir()`): `fonts-index-<folders>.json` (installed faces by name) and
`faces/<stem>-<index>-<key>.{ttf,json,rl*.pickle,lock}`; the key covers the source file's path,
size, mtime, face index and `CONVERTER_VERSION`, so a changed font file is simply a cache miss.
"""
from __future__ import annotations

import contextlib
import glob
import hashlib
import io
import json
import os
import pickle
import struct
import sys
import tempfile
import time
from array import array
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import TYPE_CHECKING, Callable, Iterable, Iterator, Mapping, Sequence
from weakref import WeakKeyDictionary

import reportlab
from reportlab.pdfbase import pdfmetrics, ttfonts
from reportlab.pdfbase.ttfonts import TTFNameBytes, TTFont, TTFontFace

from .errors import FontError

if TYPE_CHECKING:  # imported where used: a warm run needs neither, and they cost ~15 ms
    from concurrent.futures import Executor

# Bump when the converted files or the sidecar change shape: old cache entries then stop matching.
CONVERTER_VERSION = 2
# Suffix for the converted copy's family and PostScript names, so it never shares a name with its
# CFF source (reportlab merges fonts by PostScript name).
CONVERTED_NAME_SUFFIX = "TT"
# Shape of the pickled reportlab state (see _save_reportlab_state); part of its file name.
STATE_VERSION = 2
# cu2qu tolerance in font units (1/1000 em for Noto CJK): invisible at any newspaper size.
MAX_CURVE_ERROR = 1.0

PROJECT_FONT_DIR = Path(__file__).resolve().parent.parent / "fonts"
MANIFEST_NAME = "manifest.yaml"
SYSTEM_FONT_DIRS = (
    Path("/usr/share/fonts"),
    Path("/usr/local/share/fonts"),
    Path("~/.local/share/fonts"),
    Path("~/.fonts"),
)
FONT_SUFFIXES = frozenset({".ttf", ".otf", ".ttc", ".otc"})
INDEX_VERSION = 1
# Subfamily names under which a bare family name also finds the face ("LXGW WenKai").
REGULAR_STYLES = frozenset({"regular", "book", "normal", "roman"})
# GPOS features whose positioning the sidecar records: half-width CJK punctuation.
HALT_FEATURE = "halt"
# Script/language systems whose `halt` lookups we prefer (simplified Chinese first).
HALT_LANGSYS_PREFERENCE = (("hani", "ZHS "), ("hani", None), ("DFLT", None))


def default_cache_dir() -> Path:
    """`$BROADSHEET_CACHE`, else `$XDG_CACHE_HOME/broadsheet`, else `~/.cache/broadsheet`."""
    if os.environ.get("BROADSHEET_CACHE"):
        return Path(os.environ["BROADSHEET_CACHE"]).expanduser()
    if os.environ.get("XDG_CACHE_HOME"):
        return Path(os.environ["XDG_CACHE_HOME"]).expanduser() / "broadsheet"
    return Path("~/.cache/broadsheet").expanduser()


def project_font_dirs() -> list[Path]:
    """Folders of fonts that travel with the project: `$BROADSHEET_FONTS` (os.pathsep-separated)
    first, then the project's own `fonts/`. Each may hold a `manifest.yaml`."""
    extra = [Path(p).expanduser() for p in os.environ.get("BROADSHEET_FONTS", "").split(os.pathsep) if p]
    return [*extra, PROJECT_FONT_DIR]


def default_jobs() -> int:
    """Worker processes for a conversion: the CPUs this process may use."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # not Linux
        return max(1, os.cpu_count() or 1)


# --------------------------------------------------------------------------------------------------
# Face: what later stages use


@dataclass(frozen=True)
class Face:
    """One font face, ready to measure text and to draw it with reportlab (under `rl_name`)."""

    name: str  # the name or path as the spec gave it
    rl_name: str  # registered with reportlab's pdfmetrics; unique per file + face
    path: Path  # the TrueType file reportlab embeds (a cached conversion for CFF faces)
    ascent: float  # em, from OS/2 typo metrics (the ideographic em box for CJK faces)
    descent: float  # em, negative
    index: int = 0  # face index inside `path` (TrueType collections)
    source: Path | None = None  # the installed file the face came from
    # reportlab's parsed advance table (codepoint -> 1/1000 em), shared, never copied.
    _widths: Mapping[int, float] = field(default_factory=dict, repr=False, compare=False)
    _missing_width: float = field(default=0.0, repr=False, compare=False)  # .notdef, 1/1000 em
    _halt: Mapping[int, tuple[float, float]] = field(default_factory=dict, repr=False, compare=False)

    def has(self, ch: str) -> bool:
        """The face's cmap covers `ch` (as reportlab sees it: U+00A0 borrows the space)."""
        return ord(ch) in self._widths

    def advance(self, ch: str) -> float:
        """Advance width of `ch` in em. A character the face lacks measures as the .notdef glyph,
        which is what reportlab would draw; check `has()` first."""
        return self._widths.get(ord(ch), self._missing_width) / 1000.0

    def halt(self, ch: str) -> tuple[float, float] | None:
        """GPOS `halt` adjustment of `ch` as (x placement, x advance) in em, None if the font has
        none. Noto CJK: `，。` → (0, -0.5): the mark sits in the left half; `“（` → (-0.5, -0.5)."""
        return self._halt.get(ord(ch))


# --------------------------------------------------------------------------------------------------
# FontBook: the stage's entry point


class FontBook:
    """Resolves face names, prepares (converts, caches) and registers faces; memoised per book.

    Pass one book through the pipeline; it is never a global. `search_dirs` replaces the system
    font folders (tests); project font folders and their manifests are always consulted first.
    """

    def __init__(
        self,
        search_dirs: Sequence[Path] | None = None,
        cache_dir: Path | None = None,
        *,
        jobs: int | None = None,
        progress: Callable[[str], None] | None = None,
    ):
        self.cache_dir = Path(cache_dir) if cache_dir is not None else default_cache_dir()
        self.finder = FontFinder(search_dirs, self.cache_dir)
        self.jobs = jobs or default_jobs()
        self.progress = progress or _note_to_stderr
        self._faces: dict[str, Face] = {}
        self._prepared: dict[tuple[Path, int], Face] = {}  # one per file + face, whatever its name

    def face(self, name_or_path: str) -> Face:
        """The face a spec names. Raises FontError (with a hint) when it cannot be found or used."""
        face = self._faces.get(name_or_path)
        if face is None:
            source, index = self.finder.find(name_or_path)
            base = self._prepared.get((source, index))
            if base is None:
                base = self._prepared[(source, index)] = self._load(name_or_path, source, index)
            face = self._faces[name_or_path] = replace(base, name=name_or_path)
        return face

    def _load(self, name: str, source: Path, index: int) -> Face:
        def announce() -> None:
            self.progress(
                f"broadsheet: converting font {name!r} to TrueType outlines (one time, about a "
                f"minute; cached in {self.cache_dir})"
            )

        prepared = prepare_face(source, index, self.cache_dir, jobs=self.jobs, on_convert=announce)
        font = register_with_reportlab(prepared)
        return Face(
            name=name,
            rl_name=font.fontName,
            path=prepared.file,
            ascent=font.face.ascent / 1000.0,
            descent=font.face.descent / 1000.0,
            index=prepared.file_index,
            source=source,
            _widths=font.face.charWidths,
            _missing_width=float(font.face.defaultWidth or 0),
            _halt=prepared.halt,
        )


def _note_to_stderr(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


def find_font(name: str, search_dirs: Sequence[Path] | None = None,
              cache_dir: Path | None = None) -> tuple[Path, int]:
    """(file, face index) for a face name or font path; FontError with a hint if none matches."""
    return FontFinder(search_dirs, cache_dir or default_cache_dir()).find(name)


# --------------------------------------------------------------------------------------------------
# Finding faces by name


def normalize_name(name: str) -> str:
    """Face names match case-insensitively and regardless of repeated spaces."""
    return " ".join(name.split()).casefold()


class FontFinder:
    """Name → (file, face index): project manifests, then installed faces, then a file path."""

    def __init__(self, search_dirs: Sequence[Path] | None, cache_dir: Path):
        self.project_dirs = project_font_dirs()
        dirs = SYSTEM_FONT_DIRS if search_dirs is None else search_dirs
        self.search_dirs = [Path(d).expanduser() for d in dirs]
        self.cache_dir = cache_dir
        self._manifest: dict[str, tuple[Path, int]] | None = None
        self._manifest_names: list[str] = []
        self._index: FaceIndex | None = None

    def find(self, name: str) -> tuple[Path, int]:
        key = normalize_name(name)
        manifest = self.manifest()
        if key in manifest:
            return manifest[key]
        found = self.index().lookup(key)
        if (found is None or not self.index().is_current(found[0])) and not self.index().fresh:
            # The cached index may predate a font copied over an old file (folder mtime unchanged):
            # rescan (cheap: unchanged files are not reopened) before answering.
            self._index = self._load_index(rescan=True)
            found = self._index.lookup(key)
        if found is not None:
            return found
        as_path = _font_path(name)
        if as_path is not None:
            return as_path
        raise FontError(f"font {name!r} not found", hint=self._hint(name))

    def manifest(self) -> dict[str, tuple[Path, int]]:
        if self._manifest is None:
            self._manifest = {}
            for folder in reversed(self.project_dirs):  # earlier folders win
                for name, target in read_manifest(folder).items():
                    self._manifest[normalize_name(name)] = target
                    self._manifest_names.append(name)
        return self._manifest

    def index(self) -> FaceIndex:
        if self._index is None:
            self._index = self._load_index()
        return self._index

    def _load_index(self, rescan: bool = False) -> FaceIndex:
        # Project folders are scanned too (first), so a font dropped there answers to its name.
        dirs = [d for d in self.project_dirs if d.is_dir()] + self.search_dirs
        key = hashlib.sha256("\0".join(map(str, dirs)).encode()).hexdigest()[:8]
        return FaceIndex.load(dirs, self.cache_dir / f"fonts-index-{key}.json", rescan=rescan)

    def _hint(self, name: str) -> str:
        import difflib

        names = sorted(set(self.index().display_names()) | set(self._manifest_names))
        by_key = {normalize_name(n): n for n in names}
        close = difflib.get_close_matches(normalize_name(name), list(by_key), n=3, cutoff=0.5)
        folders = ", ".join(str(d) for d in self.index().dirs) or "no font folders"
        if close:
            suggestions = ", ".join(repr(by_key[c]) for c in close)
            return f"did you mean {suggestions}? (searched {folders})"
        return (f"searched the project manifest and {len(names)} faces in {folders}; "
                "`fc-list : fullname` lists the installed ones")


def _font_path(text: str) -> tuple[Path, int] | None:
    """An existing font file, optionally `path#N` for face N of a collection."""
    base, sep, tail = text.rpartition("#")
    if sep and tail.isdigit():
        path, index = Path(base).expanduser(), int(tail)
    else:
        path, index = Path(text).expanduser(), 0
    return (path.resolve(), index) if path.is_file() else None


def read_manifest(folder: Path) -> dict[str, tuple[Path, int]]:
    """`manifest.yaml` in a project font folder: face full name → file in that folder (`#N` for a
    face of a collection), so a renamed subset still answers to its face's name."""
    result: dict[str, tuple[Path, int]] = {}
    manifest = folder / MANIFEST_NAME
    for name, target in _load_yaml_mapping(manifest).items():
        found = _font_path(str(folder / str(target)))
        if found is None:
            raise FontError(f"{manifest}: {name}: font file {target!r} not found in {folder}")
        result[str(name)] = found
    return result


def _load_yaml_mapping(path: Path) -> dict:
    if not path.is_file():
        return {}
    import yaml  # only when a manifest exists

    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except yaml.YAMLError as e:
        raise FontError(f"{path}: not valid YAML: {e}") from None
    if data is None:
        return {}
    if not isinstance(data, dict):
        raise FontError(f"{path}: expected a mapping of face name -> font file")
    return data


@dataclass
class FaceRecord:
    """One face of an installed file, as the names index stores it."""

    path: str
    index: int
    full_name: str  # for messages
    outlines: str  # "glyf", "CFF " or another tag (unsupported)
    names: list[str]  # normalized names the face answers to; exact full/PostScript names first
    exact: int  # names[:exact] are full or PostScript names, the rest family + style


class FaceIndex:
    """Installed faces by name. Scanning opens every font file (seconds), so the result is kept in
    the cache and reused while no folder's mtime changed (adding/removing a file changes it);
    a rescan re-reads only files whose size or mtime changed."""

    def __init__(self, dirs: list[Path], folders: dict[str, int], files: dict[str, dict], fresh: bool):
        self.dirs = dirs
        self.folders = folders  # every folder walked -> mtime_ns
        self.files = files  # path -> {"size", "mtime_ns", "faces": [FaceRecord as dict]}
        self.fresh = fresh  # scanned by this process just now
        self._by_name: dict[str, tuple[Path, int]] | None = None

    @classmethod
    def load(cls, dirs: list[Path], index_file: Path, rescan: bool = False) -> FaceIndex:
        cached = _read_json(index_file)
        old_files: dict[str, dict] = {}
        if cached and cached.get("version") == INDEX_VERSION and cached.get("dirs") == [str(d) for d in dirs]:
            index = cls(dirs, cached["folders"], cached["files"], fresh=False)
            if not rescan and index._folders_unchanged():
                return index
            old_files = cached["files"]
        index = cls.scan(dirs, old_files)
        with contextlib.suppress(FontError):  # a read-only cache only costs a rescan next time
            _write_json_atomic(index_file, {"version": INDEX_VERSION, "dirs": [str(d) for d in dirs],
                                            "folders": index.folders, "files": index.files})
        return index

    @classmethod
    def scan(cls, dirs: list[Path], old_files: Mapping[str, dict]) -> FaceIndex:
        folders: dict[str, int] = {}
        files: dict[str, dict] = {}
        for path in _walk_font_files(dirs, folders):
            st = path.stat()
            old = old_files.get(str(path))
            if old and old["size"] == st.st_size and old["mtime_ns"] == st.st_mtime_ns:
                files[str(path)] = old
                continue
            faces = [vars(record) for record in _read_face_records(path)]
            files[str(path)] = {"size": st.st_size, "mtime_ns": st.st_mtime_ns, "faces": faces}
        return cls(dirs, folders, files, fresh=True)

    def _folders_unchanged(self) -> bool:
        for folder, mtime in self.folders.items():
            try:
                if os.stat(folder).st_mtime_ns != mtime:
                    return False
            except OSError:
                return False
        # A search folder that did not exist at scan time may exist now.
        return all(str(d) in self.folders or not d.is_dir() for d in self.dirs)

    def is_current(self, path: Path) -> bool:
        """The file is as it was when indexed (files outside the index count as current)."""
        entry = self.files.get(str(path))
        if entry is None:
            return True
        try:
            st = path.stat()
        except OSError:
            return False
        return (entry["size"], entry["mtime_ns"]) == (st.st_size, st.st_mtime_ns)

    def records(self) -> Iterator[FaceRecord]:
        for entry in self.files.values():
            for face in entry["faces"]:
                yield FaceRecord(**face)

    def lookup(self, key: str) -> tuple[Path, int] | None:
        if self._by_name is None:
            self._by_name = self._build_name_map()
        return self._by_name.get(key)

    def _build_name_map(self) -> dict[str, tuple[Path, int]]:
        """Each name → its best face: earlier folder, then exact (full/PostScript) name over
        family + style, then a face that needs no conversion, then path order."""
        ranked: dict[str, tuple[tuple, tuple[Path, int]]] = {}
        for record in self.records():
            folder_rank = next((i for i, d in enumerate(self.dirs)
                                if record.path.startswith(str(d) + os.sep)), len(self.dirs))
            for position, name in enumerate(record.names):
                rank = (folder_rank, position >= record.exact, record.outlines != "glyf",
                        record.path, record.index)
                if name not in ranked or rank < ranked[name][0]:
                    ranked[name] = (rank, (Path(record.path), record.index))
        return {name: target for name, (_, target) in ranked.items()}

    def display_names(self) -> list[str]:
        return [record.full_name for record in self.records()]


def _walk_font_files(dirs: Iterable[Path], folders: dict[str, int]) -> Iterator[Path]:
    """Font files under `dirs` (following links, each real folder once), recording folder mtimes."""
    seen: set[str] = set()
    for top in dirs:
        if not top.is_dir():
            continue
        for root, subdirs, filenames in os.walk(top, followlinks=True):
            real = os.path.realpath(root)
            if real in seen:
                subdirs[:] = []
                continue
            seen.add(real)
            folders[root] = os.stat(root).st_mtime_ns
            subdirs.sort()
            for filename in sorted(filenames):
                if Path(filename).suffix.lower() in FONT_SUFFIXES:
                    yield Path(root) / filename


def _read_face_records(path: Path) -> list[FaceRecord]:
    """Names of every face in a font file; an unreadable file contributes nothing."""
    from fontTools.ttLib import TTCollection, TTFont as FTFont

    try:
        with open(path, "rb") as f:
            is_collection = f.read(4) == b"ttcf"
        fonts = TTCollection(str(path), lazy=True).fonts if is_collection else [FTFont(str(path), lazy=True)]
        return [_face_record(path, i, font) for i, font in enumerate(fonts)]
    except Exception:  # a broken or exotic file must not stop the scan of the others
        return []


def _face_record(path: Path, index: int, font) -> FaceRecord:
    table = font["name"]

    def strings(name_id: int) -> list[str]:
        found = []
        for record in table.names:
            if record.nameID == name_id:
                with contextlib.suppress(UnicodeDecodeError):
                    text = record.toUnicode().strip()
                    if text and text not in found:
                        found.append(text)
        return found

    exact = strings(4) + strings(6)
    families = strings(16) or strings(1)
    styles = strings(17) or strings(2)
    combined = [f"{family} {style}" for family in families for style in styles]
    combined += [family for family in families if any(s.casefold() in REGULAR_STYLES for s in styles)]
    names = list(dict.fromkeys(normalize_name(n) for n in exact))
    exact_count = len(names)
    names += [n for n in dict.fromkeys(normalize_name(n) for n in combined) if n not in names]
    outlines = next((tag for tag in ("glyf", "CFF ", "CFF2") if tag in font), "none")
    full = table.getDebugName(4) or (exact[0] if exact else path.name)
    return FaceRecord(str(path), index, full, outlines, names, exact_count)


# --------------------------------------------------------------------------------------------------
# Preparing a face: conversion, sidecar, cache


@dataclass(frozen=True)
class PreparedFace:
    """A face whose embeddable file and sidecar facts are in the cache."""

    source: Path
    source_index: int
    file: Path  # TrueType file to embed: the cached conversion, or the source itself
    file_index: int
    ps_name: str
    halt: Mapping[int, tuple[float, float]]  # codepoint -> (x placement, x advance), em
    state_file: Path  # reportlab's parsed tables (see register_with_reportlab)
    conversion: Mapping | None = None  # timings of the conversion, when one was made


@dataclass(frozen=True)
class CacheEntry:
    """File names in the cache for one source face."""

    source: Path
    index: int
    base: Path  # faces/<stem>-<index>-<key>, without suffix

    @classmethod
    def for_source(cls, source: Path, index: int, cache_dir: Path) -> CacheEntry:
        real = Path(os.path.realpath(source))
        try:
            st = real.stat()
        except OSError as e:
            raise FontError(f"cannot read font file {source}: {e.strerror}") from None
        ident = f"{CONVERTER_VERSION}\0{real}\0{st.st_size}\0{st.st_mtime_ns}\0{index}"
        key = hashlib.sha256(ident.encode()).hexdigest()[:12]
        return cls(real, index, cache_dir / "faces" / f"{real.stem}-{index}-{key}")

    @property
    def ttf(self) -> Path:
        return self.base.with_name(self.base.name + ".ttf")

    @property
    def sidecar(self) -> Path:
        return self.base.with_name(self.base.name + ".json")

    @property
    def lock(self) -> Path:
        return self.base.with_name(self.base.name + ".lock")

    @property
    def state(self) -> Path:
        version = "".join(c for c in reportlab.Version if c.isalnum() or c == ".")
        return self.base.with_name(f"{self.base.name}.rl{version}-{STATE_VERSION}.pickle")

    def load(self) -> PreparedFace | None:
        data = _read_json(self.sidecar)
        if not data or data.get("converter") != CONVERTER_VERSION:
            return None
        file = self.sidecar.parent / data["file"]  # relative for cached copies, else absolute
        if not file.is_file():
            return None
        upem = float(data["units_per_em"])
        halt = {int(cp): (xp / upem, xa / upem) for cp, (xp, xa) in data["halt"].items()}
        return PreparedFace(self.source, self.index, file, data["file_index"], data["ps_name"], halt,
                            self.state, data.get("conversion"))

    def remove_stale_siblings(self) -> None:
        """Delete the cache files of earlier versions of this source face (same path and face,
        another size/mtime/converter version), so updates do not pile up 20 MB copies."""
        prefix = self.base.name.rsplit("-", 1)[0] + "-"
        for sidecar in self.base.parent.glob(glob.escape(prefix) + "*.json"):
            data = _read_json(sidecar)
            if (sidecar == self.sidecar or not data or data.get("source") != str(self.source)
                    or data.get("source_index") != self.index):
                continue
            stale_base = sidecar.name[: -len(".json")]
            for path in sidecar.parent.glob(glob.escape(stale_base) + ".*"):
                with contextlib.suppress(OSError):
                    path.unlink()


def prepare_face(
    source: Path,
    index: int,
    cache_dir: Path,
    *,
    jobs: int | None = None,
    executor: Executor | None = None,
    on_convert: Callable[[], None] | None = None,
) -> PreparedFace:
    """Make a face ready to embed: convert CFF outlines once, record `halt`, cache reportlab's
    parse. Cheap (no fontTools) when the cache already has it. Concurrent callers wait on a lock
    instead of converting twice."""
    entry = CacheEntry.for_source(source, index, cache_dir)
    prepared = entry.load()
    if prepared is not None:
        return prepared
    _make_dir(entry.base.parent)
    with _file_lock(entry.lock):
        prepared = entry.load()
        if prepared is not None:
            return prepared
        outlines = _outline_kind(entry.source, index)
        conversion = None
        if outlines == "glyf":
            file, file_index, stored = entry.source, index, str(entry.source)
        elif outlines == "CFF ":
            if on_convert:
                on_convert()
            conversion = convert_cff_face(entry.source, index, entry.ttf, jobs=jobs, executor=executor)
            file, file_index, stored = entry.ttf, 0, entry.ttf.name
        else:
            raise FontError(f"font {source}#{index} has {outlines.strip()!r} outlines, which Broadsheet "
                            "cannot embed", hint="use a TrueType (glyf) or CFF OpenType face")
        _write_sidecar(entry, file, file_index, stored, conversion)
        entry.remove_stale_siblings()
        prepared = entry.load()
        assert prepared is not None
        _save_reportlab_state(prepared)  # so the first render is already a warm one
        return prepared


def _outline_kind(path: Path, index: int) -> str:
    from fontTools.ttLib import TTFont as FTFont

    faces = _face_count(path)
    if not 0 <= index < faces:  # fontTools and reportlab would silently use face 0 of a plain file
        raise FontError(f"font file {path} has no face {index}",
                        hint=f"it has {faces} face(s), numbered from 0" if faces else None)
    try:
        font = FTFont(str(path), fontNumber=index, lazy=True)
    except Exception as e:
        raise FontError(f"cannot read font file {path} (face {index}): {e}") from None
    return next((tag for tag in ("glyf", "CFF ", "CFF2") if tag in font), "no outlines")


def _face_count(path: Path) -> int:
    """Faces in a font file: numFonts of a collection, else 1."""
    try:
        with open(path, "rb") as f:
            header = f.read(12)
    except OSError as e:
        raise FontError(f"cannot read font file {path}: {e.strerror}") from None
    if header[:4] == b"ttcf" and len(header) == 12:
        return struct.unpack(">I", header[8:12])[0]
    return 1


def _write_sidecar(entry: CacheEntry, file: Path, file_index: int, stored: str,
                   conversion: Mapping | None) -> None:
    from fontTools.ttLib import TTFont as FTFont

    font = FTFont(str(file), fontNumber=file_index, lazy=True)
    halt = read_halt(font)
    _write_json_atomic(entry.sidecar, {
        "converter": CONVERTER_VERSION,
        "source": str(entry.source),
        "source_index": entry.index,
        "file": stored,
        "file_index": file_index,
        "ps_name": font["name"].getDebugName(6) or entry.source.stem,
        "units_per_em": font["head"].unitsPerEm,
        "halt": {str(cp): list(v) for cp, v in sorted(halt.items())},
        "conversion": conversion,
    })


# --------------------------------------------------------------------------------------------------
# GPOS `halt`


def read_halt(font) -> dict[int, tuple[int, int]]:
    """Codepoint → (x placement, x advance) in font units from the GPOS `halt` feature (single
    adjustment lookups, formats 1 and 2, also behind extension lookups). Empty without GPOS."""
    gpos = font["GPOS"].table if "GPOS" in font else None
    if gpos is None or gpos.FeatureList is None or gpos.LookupList is None:
        return {}
    by_glyph: dict[str, tuple[int, int]] = {}
    for lookup_index in _halt_lookups(gpos):
        lookup = gpos.LookupList.Lookup[lookup_index]
        done: set[str] = set()  # within a lookup, the first subtable that covers a glyph applies
        for subtable in _single_pos_subtables(lookup):
            for glyph, value in _single_adjustments(subtable):
                if glyph in done or value is None:
                    continue
                done.add(glyph)
                xp, xa = by_glyph.get(glyph, (0, 0))  # lookups add up
                by_glyph[glyph] = (xp + getattr(value, "XPlacement", 0), xa + getattr(value, "XAdvance", 0))
    cmap = font.getBestCmap() or {}
    return {cp: by_glyph[g] for cp, g in cmap.items() if g in by_glyph and by_glyph[g] != (0, 0)}


def _halt_lookups(gpos) -> list[int]:
    """Lookups of `halt` under the preferred script/language system, else under any."""
    features = gpos.FeatureList.FeatureRecord
    scripts = {record.ScriptTag: record.Script
               for record in (gpos.ScriptList.ScriptRecord if gpos.ScriptList else [])}
    for script_tag, lang_tag in HALT_LANGSYS_PREFERENCE:
        script = scripts.get(script_tag)
        if script is None:
            continue
        langsys = script.DefaultLangSys if lang_tag is None else next(
            (r.LangSys for r in script.LangSysRecord if r.LangSysTag == lang_tag), None)
        if langsys is None:
            continue
        indices = [i for i in langsys.FeatureIndex if features[i].FeatureTag == HALT_FEATURE]
        if indices:
            return sorted({j for i in indices for j in features[i].Feature.LookupListIndex})
    return sorted({j for r in features if r.FeatureTag == HALT_FEATURE for j in r.Feature.LookupListIndex})


def _single_pos_subtables(lookup) -> list:
    """Single adjustment (type 1) subtables of a lookup, unwrapping extension (type 9) ones."""
    if lookup.LookupType == 9:
        return [st.ExtSubTable for st in lookup.SubTable if st.ExtensionLookupType == 1]
    return list(lookup.SubTable) if lookup.LookupType == 1 else []


def _single_adjustments(subtable) -> Iterator[tuple[str, object]]:
    glyphs = subtable.Coverage.glyphs
    if subtable.Format == 1:
        for glyph in glyphs:
            yield glyph, subtable.Value
    elif subtable.Format == 2:
        yield from zip(glyphs, subtable.Value)


# --------------------------------------------------------------------------------------------------
# CFF → TrueType conversion


def convert_cff_face(
    source: Path,
    index: int,
    dest: Path,
    *,
    jobs: int | None = None,
    executor: Executor | None = None,
) -> dict:
    """Write a TrueType (glyf) copy of a CFF face to `dest`; returns timings and sizes.

    1. Skeleton: the face with an empty glyf table, subset by fontTools to the glyphs reachable
       from its cmap (+ GSUB closure without `locl`, whose targets are other locales' forms). Doing
       this before drawing saves ~30% of the work; subsetting the CFF itself would cost more than it
       saves (the subsetter interprets every charstring).
    2. Outlines: cubic → quadratic (cu2qu) in worker processes, each returning compiled glyphs.
    3. Assembly: metrics/bounds from the compiled glyphs, new names, post format 3, atomic write.
    """
    started = time.perf_counter()
    font = _skeleton(source, index)
    names = font.getGlyphOrder()
    skeleton_done = time.perf_counter()
    compiled = _compile_outlines(source, index, names, jobs or default_jobs(), executor)
    outlines_done = time.perf_counter()
    _assemble(font, dict(zip(names, compiled)))
    _rename_converted(font)
    _save_atomic(font, dest)
    return {
        "glyphs": len(names),
        "skeleton_s": round(skeleton_done - started, 2),
        "outlines_s": round(outlines_done - skeleton_done, 2),
        "assemble_s": round(time.perf_counter() - outlines_done, 2),
        "total_s": round(time.perf_counter() - started, 2),
        "bytes": dest.stat().st_size,
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
                      executor: Executor | None) -> list[bytes]:
    """Compiled glyf data for `names`, drawn from the CFF source, in parallel when jobs > 1.
    Chunks interleave glyph ids so every worker gets a similar mix of simple and complex glyphs."""
    chunks = 1 if jobs == 1 else 4 * jobs  # more chunks than workers: a shorter idle tail
    parts = [names[i::chunks] for i in range(chunks)]
    args = [(str(source), index, part, MAX_CURVE_ERROR) for part in parts]
    if executor is not None:
        results = list(executor.map(_outline_chunk, args))
    elif jobs == 1:
        results = [_outline_chunk(a) for a in args]
    else:
        # "spawn": never fork a process that may hold threads or open files we do not know of.
        import multiprocessing
        from concurrent.futures import ProcessPoolExecutor

        with ProcessPoolExecutor(jobs, mp_context=multiprocessing.get_context("spawn")) as pool:
            results = list(pool.map(_outline_chunk, args))
    compiled: list[bytes] = [b""] * len(names)
    for i, result in enumerate(results):
        compiled[i::chunks] = result
    return compiled


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
    """Defined lazily: its base class lives in fontTools, which warm runs never import."""
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


def _save_atomic(font, dest: Path) -> None:
    buffer = io.BytesIO()
    font.save(buffer)
    _write_bytes_atomic(dest, buffer.getvalue())


# --------------------------------------------------------------------------------------------------
# reportlab registration


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
        return TTFont(rl_name, str(prepared.file), subfontIndex=prepared.file_index)
    except Exception as e:  # reportlab raises TTFError, struct.error, …
        raise FontError(f"reportlab cannot load {prepared.file}: {e}") from None


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
    _write_bytes_atomic(prepared.state_file, data)
    # States of other reportlab or state versions for this face are dead weight now.
    base = prepared.state_file.name.rsplit(".rl", 1)[0]
    for old in prepared.state_file.parent.glob(glob.escape(base) + ".rl*.pickle"):
        if old != prepared.state_file:
            with contextlib.suppress(OSError):
                old.unlink()


def _restore_reportlab_font(prepared: PreparedFace) -> TTFont | None:
    try:
        state = pickle.loads(prepared.state_file.read_bytes())
        if tuple(state["stamp"]) != _file_stamp(prepared.file):
            return None
        face = TTFontFace.__new__(TTFontFace)
        face.__dict__.update(state["face"])
        tables = state["tables"]
        face.hmetrics = list(zip(tables["advances"], tables["lsbs"]))
        face.glyphPos = list(tables["glyphPos"])
        face.glyphToChar = _glyph_to_char(face.charToGlyph) if ttfonts.uharfbuzz else {}
        face._ttf_data = prepared.file.read_bytes()
        # The unpicklable scale function reportlab sets up in extractInfo, rebuilt the same way.
        scale = 1000 / face.unitsPerEm
        face._pdfScale = (lambda x: x) if face.unitsPerEm == 1000 else (lambda x: x * scale)
        font = TTFont.__new__(TTFont)
        font.__dict__.update(state["font"])
        font.face, font.state = face, WeakKeyDictionary()
        return font
    except Exception:  # missing, stale or foreign cache: parse the font instead
        return None


def _glyph_to_char(char_to_glyph: Mapping[int, int]) -> dict[int, list[int]]:
    result: dict[int, list[int]] = {}
    for char, glyph in char_to_glyph.items():
        result.setdefault(glyph, []).append(char)
    return result


# --------------------------------------------------------------------------------------------------
# Preparing several faces at once (scripts/prepare_fonts.py)


@dataclass(frozen=True)
class PrepareResult:
    name: str
    source: Path
    index: int
    file: Path
    seconds: float
    conversion: Mapping | None  # None: nothing converted now (already cached, or TrueType)


def prepare_faces(names: Sequence[str], *, jobs: int | None = None, cache_dir: Path | None = None,
                  search_dirs: Sequence[Path] | None = None) -> list[PrepareResult]:
    """Resolve and prepare several faces; conversions share one pool of `jobs` processes, so two
    big faces keep all cores busy until both are done."""
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor, ThreadPoolExecutor

    cache_dir = cache_dir or default_cache_dir()
    finder = FontFinder(search_dirs, cache_dir)
    targets = [(name, *finder.find(name)) for name in names]  # fail early on an unknown name
    jobs = jobs or default_jobs()

    def prepare(target: tuple[str, Path, int], pool: Executor) -> PrepareResult:
        name, source, index = target
        started = time.perf_counter()
        converted: list[bool] = []
        prepared = prepare_face(source, index, cache_dir, jobs=jobs, executor=pool,
                                on_convert=lambda: converted.append(True))
        return PrepareResult(name, source, index, prepared.file, time.perf_counter() - started,
                             prepared.conversion if converted else None)

    with ProcessPoolExecutor(jobs, mp_context=multiprocessing.get_context("spawn")) as pool, \
            ThreadPoolExecutor(max(1, len(targets))) as threads:
        return list(threads.map(lambda t: prepare(t, pool), targets))


# --------------------------------------------------------------------------------------------------
# Small file helpers


def _read_json(path: Path) -> dict | None:
    try:
        with open(path, encoding="utf-8") as f:
            return json.load(f)
    except (OSError, ValueError):
        return None


def _write_json_atomic(path: Path, data: object) -> None:
    _write_bytes_atomic(path, json.dumps(data, ensure_ascii=False, separators=(",", ":")).encode())


def _write_bytes_atomic(path: Path, data: bytes) -> None:
    """Readers never see a half-written cache file: write a temp file, then rename over."""
    _make_dir(path.parent)
    try:
        fd, tmp = tempfile.mkstemp(prefix=path.name + ".", suffix=".tmp", dir=path.parent)
    except OSError as e:
        raise FontError(f"cannot write the font cache {path.parent}: {e.strerror}",
                        hint="set BROADSHEET_CACHE to a writable folder") from None
    try:
        with os.fdopen(fd, "wb") as f:
            f.write(data)
        os.chmod(tmp, 0o644)  # mkstemp makes 0600; a shared BROADSHEET_CACHE must stay readable
        os.replace(tmp, path)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise


def _make_dir(path: Path) -> None:
    try:
        path.mkdir(parents=True, exist_ok=True)
    except OSError as e:
        raise FontError(f"cannot create the font cache {path}: {e.strerror}",
                        hint="set BROADSHEET_CACHE to a writable folder") from None


@contextlib.contextmanager
def _file_lock(path: Path) -> Iterator[None]:
    """An exclusive advisory lock, so two processes never convert the same face at once."""
    try:
        import fcntl
    except ImportError:  # not POSIX: at worst two processes do the same work
        yield
        return
    with open(path, "a+b") as f:
        fcntl.flock(f, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(f, fcntl.LOCK_UN)
