"""Font faces for the pipeline: the `Face`/`FontBook` API, each face's cache entry, reportlab registration.

A spec names a face by its full name ("Noto Serif CJK SC") or by a file path. `FontBook.face()` turns
that into a `Face`: the TrueType file reportlab embeds, the name it is registered under, and the
metrics composition needs (advances, ascent/descent, the GPOS `halt` half-width adjustments).

The work is split over three modules:
- fontfind.py: name → (font file, face index), through project manifests and an index of the
  installed faces;
- fontconvert.py: CFF → TrueType conversion (reportlab embeds glyf outlines only; Noto CJK ships
  CFF), in parallel worker processes;
- here: the cache entry of each face (converted copy, `halt` sidecar, reportlab's parsed tables),
  registration with reportlab, and the `Face`/`FontBook` API.

Everything slow is done once and cached: the scan of the system font folders (names index), the
conversion, the `halt` table (JSON sidecar) and reportlab's parsed font tables (a pickle), so a warm
run never parses a big font with fontTools (never imports it) or with reportlab's pure-Python parser.

Cache layout (`default_cache_dir()`): `fonts-index-<folders>.json` (installed faces by name) and
`faces/<stem>-<index>-<key>.{ttf,json,rl*.pickle,lock}`; the key covers the source file's path,
size, mtime, face index and `CONVERTER_VERSION`, so a changed font file is simply a cache miss.
"""
from __future__ import annotations

import contextlib
import glob
import hashlib
import math
import mmap
import os
import pickle
import struct
import sys
import time
from array import array
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import TYPE_CHECKING, Callable, Iterator, Mapping, Sequence
from weakref import WeakKeyDictionary

import reportlab
from reportlab.pdfbase import pdfmetrics, ttfonts
from reportlab.pdfbase.ttfonts import TTFNameBytes, TTFont, TTFontFace

from ..util.errors import FontError
from .convert import (CONVERTER_VERSION, Progress, convert_cff_face, default_jobs,
                          estimated_seconds, worker_pool)
from .find import (FontFinder, make_dir, outline_format, read_json, write_bytes_atomic,
                       write_json_atomic)

if TYPE_CHECKING:  # imported where used: a warm run does not need it
    from concurrent.futures import Executor

# Shape of the pickled reportlab state (see _save_reportlab_state); part of its file name.
STATE_VERSION = 2
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
                try:
                    base = self._load(name_or_path, source, index)
                except (FontError, KeyboardInterrupt, MemoryError):
                    raise
                except Exception as e:  # fontTools/reportlab on a damaged file: TTLibError, struct.error…
                    raise FontError(f"cannot read font file {source}: {type(e).__name__}: {e}",
                                    "the file is damaged or not a font reportlab can embed; "
                                    "use another copy or another face") from None
                self._prepared[(source, index)] = base
            face = self._faces[name_or_path] = replace(base, name=name_or_path)
        return face

    def _load(self, name: str, source: Path, index: int) -> Face:
        bar = ConversionProgress(name, self.cache_dir, self.jobs, self.progress)
        prepared = prepare_face(source, index, self.cache_dir, jobs=self.jobs, on_convert=bar.start,
                                on_progress=bar.update)
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


class ConversionProgress:
    """What a first use of a CFF face says while it is converted (a minute or more): one line on
    what is happening and how long it will take, then a progress bar redrawn in place on a terminal
    (stderr), or a plain line at each quarter otherwise (logs, CI). `note` prints a whole line; the
    bar is drawn only when `note` is the default, stderr printer and stderr is a terminal."""

    WIDTH = 30

    def __init__(self, name: str, cache_dir: Path, jobs: int,
                 note: Callable[[str], None] = _note_to_stderr, terminal: bool | None = None):
        self.name, self.cache_dir, self.jobs, self.note = name, cache_dir, jobs, note
        self.terminal = (note is _note_to_stderr and sys.stderr.isatty()) if terminal is None else terminal
        self.started = self.drawing = 0.0
        self.quarter = -1
        self.announced = False

    def start(self) -> None:
        self.started = time.monotonic()

    def update(self, done: int, total: int) -> None:
        now = time.monotonic()
        if not self.announced:  # after the skeleton: the glyph count gives the estimate
            self.announced, self.drawing = True, now
            least, most = estimated_seconds(total, self.jobs)
            self.note(f"broadsheet: converting {self.name} to TrueType once ({total} glyphs, about "
                      f"{_duration(least, most)} with {self.jobs} worker(s); cached in "
                      f"{self.cache_dir})")
        fraction = done / total if total else 1.0
        elapsed = now - self.started
        # the time left from the drawing's own pace, once it has one
        left = (now - self.drawing) * (1 - fraction) / fraction if fraction > 0 else None
        if self.terminal:
            filled = round(self.WIDTH * fraction)
            end = "\n" if done >= total else ""
            to_go = f", about {_duration(left)} left" if left is not None and done < total else ""
            sys.stderr.write(f"\r  [{'#' * filled}{'-' * (self.WIDTH - filled)}] {fraction:4.0%} "
                             f"{_duration(elapsed)}{to_go}   {end}")
            sys.stderr.flush()
        elif int(fraction * 4) > self.quarter:
            self.quarter = int(fraction * 4)
            self.note(f"broadsheet: {self.name}: {fraction:.0%} of the glyphs converted "
                      f"({_duration(elapsed)})")


def _duration(seconds: float, most: float | None = None) -> str:
    """"12 s", "1.5 min"; with `most`, a range: "15–45 s", "1–3 min"."""
    if most is None or round(most) <= round(seconds):
        return f"{max(1, round(seconds))} s" if seconds < 90 else f"{seconds / 60:.1f} min"
    if most < 90:
        return f"{max(1, round(seconds))}–{max(1, round(most))} s"
    return f"{max(1, round(seconds / 60))}–{max(1, math.ceil(most / 60))} min"


def find_font(name: str, search_dirs: Sequence[Path] | None = None,
              cache_dir: Path | None = None) -> tuple[Path, int]:
    """(file, face index) for a face name or font path; FontError with a hint if none matches."""
    return FontFinder(search_dirs, cache_dir or default_cache_dir()).find(name)


# --------------------------------------------------------------------------------------------------
# Preparing a face: its cache entry (converted copy, `halt` sidecar, reportlab state)


@dataclass(frozen=True)
class PreparedFace:
    """A face whose embeddable file and sidecar facts are in the cache."""

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
        data = read_json(self.sidecar)
        if not data or data.get("converter") != CONVERTER_VERSION:
            return None
        file = self.sidecar.parent / data["file"]  # relative for cached copies, else absolute
        if not file.is_file():
            return None
        upem = float(data["units_per_em"])
        halt = {int(cp): (xp / upem, xa / upem) for cp, (xp, xa) in data["halt"].items()}
        return PreparedFace(file, data["file_index"], data["ps_name"], halt, self.state,
                            data.get("conversion"))

    def remove_stale_siblings(self) -> None:
        """Delete the cache files of earlier versions of this source face (same path and face,
        another size/mtime/converter version), so updates do not pile up 20 MB copies."""
        prefix = self.base.name.rsplit("-", 1)[0] + "-"
        for sidecar in self.base.parent.glob(glob.escape(prefix) + "*.json"):
            data = read_json(sidecar)
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
    on_progress: Progress | None = None,
) -> PreparedFace:
    """Make a face ready to embed: convert CFF outlines once, record `halt`, cache reportlab's
    parse. Cheap (no fontTools) when the cache already has it. Concurrent callers wait on a lock
    instead of converting twice."""
    entry = CacheEntry.for_source(source, index, cache_dir)
    prepared = entry.load()
    if prepared is not None:
        return prepared
    make_dir(entry.base.parent)
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
            data, conversion = convert_cff_face(entry.source, index, jobs=jobs, executor=executor,
                                                progress=on_progress)
            write_bytes_atomic(entry.ttf, data)
            file, file_index, stored = entry.ttf, 0, entry.ttf.name
        else:
            raise FontError(f"font {source}#{index} has {outlines.strip()!r} outlines, which Broadsheet "
                            "cannot embed", hint="use a TrueType (glyf) or CFF OpenType face")
        _write_sidecar(entry, file, file_index, stored, conversion)
        entry.remove_stale_siblings()
        from .cache import remove_stale_locks  # those of conversions that were killed

        remove_stale_locks(cache_dir)
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
        raise FontError(f"cannot read font file {path} (face {index}): "
                        f"{str(e) or type(e).__name__}", _DAMAGED) from None
    outlines = outline_format(font)
    if outlines is None:
        raise FontError(f"font {path}#{index} has no outlines (no glyf, CFF or CFF2 table)", _DAMAGED)
    return outlines


MAX_FONT_BYTES = 256 * 2**20  # the largest CJK collections (all weights, all regions) are ~150 MB
SFNT_TAGS = (b"\x00\x01\x00\x00", b"OTTO", b"true", b"ttcf")
_DAMAGED = "the file is damaged or not a font; use another copy or another face"


def _face_count(path: Path) -> int:
    """Faces in a font file: numFonts of a collection, else 1. A file that is not a font, or a
    collection whose header is cut short or lists no faces, is a FontError that says so; so is a
    file over MAX_FONT_BYTES (reportlab reads a TrueType file whole)."""
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


def _write_sidecar(entry: CacheEntry, file: Path, file_index: int, stored: str,
                   conversion: Mapping | None) -> None:
    from fontTools.ttLib import TTFont as FTFont

    font = FTFont(str(file), fontNumber=file_index, lazy=True)
    halt = read_halt(font)
    write_json_atomic(entry.sidecar, {
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


@contextlib.contextmanager
def _file_lock(path: Path) -> Iterator[None]:
    """An exclusive advisory lock, so two processes never convert the same face at once. The lock
    file holds the owner's pid (for people looking) and is removed when the lock is released; one
    left by a killed process is held by nobody, and cache.py removes it. A lock taken on a file
    another process has just removed is dropped and taken again on the new one."""
    try:
        import fcntl
    except ImportError:  # not POSIX: at worst two processes do the same work
        yield
        return
    while True:
        f = open(path, "a+b")
        fcntl.flock(f, fcntl.LOCK_EX)
        try:
            same = os.fstat(f.fileno()).st_ino == os.stat(path).st_ino
        except FileNotFoundError:
            same = False
        if same:
            break
        f.close()
    try:
        f.truncate(0)
        f.write(f"{os.getpid()}\n".encode())
        f.flush()
        yield
    finally:
        with contextlib.suppress(OSError):
            path.unlink()
        fcntl.flock(f, fcntl.LOCK_UN)
        f.close()


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
# reportlab registration

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
    write_bytes_atomic(prepared.state_file, data)
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
        # reportlab only indexes these (subsetting): views over the arrays, not 46,000 tuples.
        face.hmetrics = _HMetrics(tables["advances"], tables["lsbs"])
        face.glyphPos = tables["glyphPos"]
        face.glyphToChar = _glyph_to_char(face.charToGlyph) if ttfonts.uharfbuzz else {}
        # Map only our cache's files: they are replaced by rename, never rewritten in place, so a
        # long-running watch can never see a mapped font change under it.
        mappable = prepared.file.parent == prepared.state_file.parent
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
    from concurrent.futures import ThreadPoolExecutor

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

    with worker_pool(jobs) as pool, ThreadPoolExecutor(max(1, len(targets))) as threads:
        return list(threads.map(lambda t: prepare(t, pool), targets))

