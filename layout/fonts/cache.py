"""The cache folder's upkeep: a size bound on converted photos, temp files, and the `broadsheet
cache` command.

The cache (`fonts.default_cache_dir()`) holds:
- `images/<key>.{jpg,json}`: photos converted to CMYK (colour.py), keyed by content. Cheap to
  rebuild (a second or two each) and they accumulate with every edition: they are bounded by size,
  least recently used first. Each use touches the entry (its mtime), so mtime is the time of last use
  (atime is not trusted: most file systems are mounted relatime or noatime).
- `fonts-index-*.json` (find.py): the installed faces by name, a few hundred KB, rebuilt when a
  font folder changes. Fonts themselves are never copied: they are embedded from the installed
  files. A `faces/` folder holds TrueType copies an earlier Broadsheet converted; `cache --clean`
  removes it.

The bound (`BROADSHEET_CACHE_MAX`, default 2G) is checked after a render writes a new photo entry:
one scan of the images folder (a directory listing and a stat per file). An entry used within the
last IN_USE_SECONDS is never evicted: it belongs to a render that may still be running. Temp files
(`*.tmp`) older than STALE_TEMP_SECONDS were left by a killed write and are removed.
"""
from __future__ import annotations

import contextlib
import os
import re
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Iterable

from ..util.errors import BroadsheetError

DEFAULT_MAX_BYTES = 2 * 2**30
MAX_ENV = "BROADSHEET_CACHE_MAX"
IN_USE_SECONDS = 15 * 60  # a render finishes within seconds; a long batch touches what it uses
STALE_TEMP_SECONDS = 60 * 60
IMAGES = "images"
FACES = "faces"
_SIZE = re.compile(r"\s*(\d+(?:\.\d+)?)\s*([kKmMgGtT]?)i?[bB]?\s*")
_UNITS = {"": 1, "k": 2**10, "m": 2**20, "g": 2**30, "t": 2**40}


class CacheError(BroadsheetError):
    exit_code = 2


def cache_root() -> Path:
    from .book import default_cache_dir

    return default_cache_dir()


def max_bytes(value: str | None = None) -> int:
    """The bound on converted photos: `BROADSHEET_CACHE_MAX` ("2G", "500M", "800000000"; 0 keeps
    no photos between renders), else DEFAULT_MAX_BYTES."""
    text = os.environ.get(MAX_ENV, "") if value is None else value
    if not text.strip():
        return DEFAULT_MAX_BYTES
    found = _SIZE.fullmatch(text)
    if not found:
        raise CacheError(f"{MAX_ENV}={text!r}: expected a size like 2G, 500M or 800000000 (bytes)")
    return int(float(found[1]) * _UNITS[found[2].lower()])


def touch(*paths: Path) -> None:
    """Mark cache files as used now (least recently used is evicted first)."""
    for path in paths:
        with contextlib.suppress(OSError):
            os.utime(path)


# --------------------------------------------------------------------------------------------------
# Photo entries


@dataclass(frozen=True)
class Entry:
    """One converted photo: its files (.jpg and .json), their total size, its last use."""

    stem: str
    files: tuple[Path, ...]
    size: int
    used: float  # mtime of its newest file


def photo_entries(images: Path) -> list[Entry]:
    """The converted photos in `images`, least recently used first."""
    groups: dict[str, list[tuple[Path, os.stat_result]]] = {}
    try:
        scan = list(os.scandir(images))
    except OSError:
        return []
    for item in scan:
        name = item.name
        if name.startswith(".") or not name.endswith((".jpg", ".json")):
            continue
        with contextlib.suppress(OSError):
            st = item.stat(follow_symlinks=False)
            groups.setdefault(name.rsplit(".", 1)[0], []).append((Path(item.path), st))
    entries = [Entry(stem, tuple(p for p, _ in files), sum(st.st_size for _, st in files),
                     max(st.st_mtime for _, st in files)) for stem, files in groups.items()]
    return sorted(entries, key=lambda e: (e.used, e.stem))


def bound(images: Path, limit: int | None = None, *, now: float | None = None,
          keep: Iterable[Path] = ()) -> list[Entry]:
    """Evict least recently used photos until they take at most `limit` bytes; entries used within
    IN_USE_SECONDS, and those holding a file in `keep`, stay. Returns what was removed."""
    limit = max_bytes() if limit is None else limit
    now = time.time() if now is None else now
    keep = {Path(p) for p in keep}
    entries = photo_entries(images)
    total = sum(e.size for e in entries)
    removed = []
    for entry in entries:
        if total <= limit:
            break
        if now - entry.used < IN_USE_SECONDS or keep.intersection(entry.files):
            continue
        _remove(entry.files)
        total -= entry.size
        removed.append(entry)
    return removed


def entry_written(images: Path, newest: Path) -> None:
    """After a new photo entry: keep the cache within its bound and clear what killed processes
    left. Cheap (one listing of the folder); never fails a render."""
    try:
        limit = max_bytes()
    except CacheError:  # a bad BROADSHEET_CACHE_MAX: `broadsheet cache` says so; a render goes on
        limit = DEFAULT_MAX_BYTES
    with contextlib.suppress(OSError):
        bound(images, limit, keep=(newest,))
        remove_stale_temps(images)


def _remove(paths: Iterable[Path]) -> None:
    for path in paths:
        with contextlib.suppress(FileNotFoundError):
            path.unlink()


# --------------------------------------------------------------------------------------------------
# Stale locks and temp files


def remove_stale_temps(folder: Path, *, now: float | None = None) -> list[Path]:
    """Temp files (`*.tmp`) of atomic writes, older than STALE_TEMP_SECONDS: a killed process's."""
    now = time.time() if now is None else now
    removed = []
    for tmp in sorted(folder.glob("*.tmp")):
        with contextlib.suppress(OSError):
            if now - tmp.stat().st_mtime > STALE_TEMP_SECONDS:
                tmp.unlink()
                removed.append(tmp)
    return removed


# --------------------------------------------------------------------------------------------------
# `broadsheet cache`


@dataclass(frozen=True)
class Usage:
    photos: int
    photo_bytes: int
    old_face_bytes: int  # faces/: TrueType copies an earlier Broadsheet converted; dead weight now
    other_bytes: int


def usage(root: Path) -> Usage:
    entries = photo_entries(root / IMAGES)
    face_bytes = _folder_bytes(root / FACES)
    total = _folder_bytes(root)
    photo_bytes = sum(e.size for e in entries)
    return Usage(len(entries), photo_bytes, face_bytes, max(0, total - photo_bytes - face_bytes))


def _folder_bytes(folder: Path) -> int:
    total = 0
    for dirpath, _, names in os.walk(folder):
        for name in names:
            with contextlib.suppress(OSError):
                total += os.lstat(os.path.join(dirpath, name)).st_size
    return total


def megabytes(n: int) -> str:
    return f"{n / 2**20:,.1f} MB"


def clean(root: Path, *, now: float | None = None) -> tuple[list[Path], int]:
    """Remove every photo not in use, temp files, and the font copies an earlier Broadsheet made
    (`faces/`: fonts are embedded from the installed files now). (files removed, bytes freed)."""
    removed: list[Path] = []
    freed = 0
    for entry in bound(root / IMAGES, 0, now=now):
        removed.extend(entry.files)
        freed += entry.size
    for folder in (root, root / IMAGES):
        removed += remove_stale_temps(folder, now=now)
    old_faces = root / FACES
    if old_faces.is_dir():
        for path in sorted(old_faces.iterdir()):
            with contextlib.suppress(OSError):
                freed += path.stat().st_size
                path.unlink()
                removed.append(path)
        with contextlib.suppress(OSError):
            old_faces.rmdir()
    return removed, freed
