"""Font faces for the pipeline: the `Face`/`FontBook` API.

A spec names a face by its full name ("Noto Serif CJK SC") or by a file path. `FontBook.face()` turns
that into a `Face`: the TrueType file the PDF embeds, the key placed text names it by, and the
metrics composition needs (advances, ascent/descent, the GPOS `halt` half-width adjustments).

The work is split over these modules:
- find.py: name → (font file, face index), through project manifests and an index of the
  installed faces;
- convert.py: CFF → TrueType conversion (the PDF writer embeds glyf outlines only; Noto CJK ships
  CFF), in parallel worker processes; progress.py: what the conversion says meanwhile;
- entry.py: each face's cache entry (converted copy, `halt` sidecar from halt.py, metrics from
  metrics.py), made once under a lock;
- here: the `Face`/`FontBook` API, and preparing several faces at once.

Everything slow is done once and cached: the scan of the system font folders (names index), the
conversion, the `halt` table (JSON sidecar) and the metrics (arrays), so a warm run never parses a
font with fontTools (never imports it). Only press/ knows the PDF library (press/fontreg.py).

Cache layout (`default_cache_dir()`): `fonts-index-<folders>.json` (installed faces by name) and
`faces/<stem>-<index>-<key>.*`; the key covers the source file's path, size, mtime, face index and
`CONVERTER_VERSION`, so a changed font file is simply a cache miss."""
from __future__ import annotations

import os
import time
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import TYPE_CHECKING, Callable, Mapping, Sequence

from ..util.errors import FontError
from .convert import default_jobs, worker_pool
from .entry import prepare_face
from .find import FontFinder
from .metrics import load_metrics
from .progress import ConversionProgress, note_to_stderr

if TYPE_CHECKING:  # imported where used: a warm run does not need it
    from concurrent.futures import Executor


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
    key: str  # the face's cache entry (its base path): one per file + face, whatever its name
    path: Path  # the TrueType file the PDF embeds (a cached conversion for CFF faces)
    ascent: float  # em, from OS/2 typo metrics (the ideographic em box for CJK faces)
    descent: float  # em, negative
    index: int = 0  # face index inside `path` (TrueType collections)
    source: Path | None = None  # the installed file the face came from
    # advances read from the font file (codepoint -> 1/1000 em, fonts/metrics.py), shared, never copied.
    _widths: Mapping[int, float] = field(default_factory=dict, repr=False, compare=False)
    _missing_width: float = field(default=0.0, repr=False, compare=False)  # .notdef, 1/1000 em
    _halt: Mapping[int, tuple[float, float]] = field(default_factory=dict, repr=False, compare=False)

    def has(self, ch: str) -> bool:
        """The face's cmap covers `ch` (as the PDF writer sees it: U+00A0 borrows the space)."""
        return ord(ch) in self._widths

    def advance(self, ch: str) -> float:
        """Advance width of `ch` in em. A character the face lacks measures as the .notdef glyph,
        which is what the PDF shows; check `has()` first."""
        return self._widths.get(ord(ch), self._missing_width) / 1000.0

    def halt(self, ch: str) -> tuple[float, float] | None:
        """GPOS `halt` adjustment of `ch` as (x placement, x advance) in em, None if the font has
        none. Noto CJK: `，。` → (0, -0.5): the mark sits in the left half; `“（` → (-0.5, -0.5)."""
        return self._halt.get(ord(ch))


class FontBook:
    """Resolves face names and prepares (converts, caches) and measures faces; memoised per book.

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
        self.progress = progress or note_to_stderr
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
                except Exception as e:  # fontTools on a damaged file: TTLibError, struct.error…
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
        metrics = load_metrics(Path(prepared.key), prepared.file, prepared.file_index)
        return Face(
            name=name,
            key=prepared.key,
            path=prepared.file,
            ascent=metrics.ascent / 1000.0,
            descent=metrics.descent / 1000.0,
            index=prepared.file_index,
            source=source,
            _widths=metrics.lookup(),
            _missing_width=float(metrics.missing or 0),
            _halt=prepared.halt,
        )


def find_font(name: str, search_dirs: Sequence[Path] | None = None,
              cache_dir: Path | None = None) -> tuple[Path, int]:
    """(file, face index) for a face name or font path; FontError with a hint if none matches."""
    return FontFinder(search_dirs, cache_dir or default_cache_dir()).find(name)


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
