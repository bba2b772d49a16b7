"""The cache folder's upkeep: a size bound on converted photos, stale locks and temp files, and the
`broadsheet cache` command.

The cache (`fonts.default_cache_dir()`) holds two kinds of things:
- `images/<key>.{jpg,json}`: photos converted to CMYK (colour.py), keyed by content. Cheap to
  rebuild (a second or two each) and they accumulate with every edition: they are bounded by size,
  least recently used first. Each use touches the entry (its mtime), so mtime is the time of last use
  (atime is not trusted: most file systems are mounted relatime or noatime).
- `faces/…` and `fonts-index-*.json` (fonts.py, fontfind.py): converted font faces, costly to
  rebuild (a minute or more each) and bounded by the faces installed (a face's older versions are
  deleted when it is rebuilt). They are never evicted by size; `cache --clean` removes entries whose
  source font is gone.

The bound (`BROADSHEET_CACHE_MAX`, default 2G) is checked after a render writes a new photo entry:
one scan of the images folder (a directory listing and a stat per file). An entry used within the
last IN_USE_SECONDS is never evicted: it belongs to a render that may still be running.

Locks (`faces/*.lock`) are held with flock by the process converting a face and removed when it is
done; a lock file no process holds (its converter was killed) is stale and removed, and so are
temp files (`*.tmp`) older than STALE_TEMP_SECONDS, left by a killed write.
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
        remove_stale_locks(images.parent)


def _remove(paths: Iterable[Path]) -> None:
    for path in paths:
        with contextlib.suppress(FileNotFoundError):
            path.unlink()


# --------------------------------------------------------------------------------------------------
# Stale locks and temp files


def lock_is_stale(path: Path) -> bool:
    """No process holds the lock (its converter finished or was killed): try it without waiting."""
    try:
        import fcntl
    except ImportError:
        return False
    try:
        with open(path, "rb") as f:
            try:
                fcntl.flock(f, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except OSError:
                return False  # held: a conversion is running
            fcntl.flock(f, fcntl.LOCK_UN)
            return True
    except OSError:
        return False


def remove_stale_locks(root: Path) -> list[Path]:
    removed = []
    for lock in sorted((root / FACES).glob("*.lock")):
        if lock_is_stale(lock):
            _remove([lock])
            removed.append(lock)
    return removed


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


def orphan_faces(root: Path) -> list[Path]:
    """Font cache files whose source font is gone (uninstalled, moved): every file of the entry."""
    from .find import read_json

    faces = root / FACES
    found: list[Path] = []
    for sidecar in sorted(faces.glob("*.json")):
        data = read_json(sidecar)
        if not data or Path(data.get("source", "")).is_file():
            continue
        base = sidecar.name[: -len(".json")]
        found.extend(p for p in faces.iterdir() if p.name.startswith(base + "."))
    return found


# --------------------------------------------------------------------------------------------------
# `broadsheet cache`


@dataclass(frozen=True)
class Usage:
    photos: int
    photo_bytes: int
    face_bytes: int
    other_bytes: int
    stale_locks: int


def usage(root: Path) -> Usage:
    entries = photo_entries(root / IMAGES)
    face_bytes = _folder_bytes(root / FACES)
    total = _folder_bytes(root)
    photo_bytes = sum(e.size for e in entries)
    locks = sum(1 for lock in (root / FACES).glob("*.lock") if lock_is_stale(lock))
    return Usage(len(entries), photo_bytes, face_bytes, max(0, total - photo_bytes - face_bytes), locks)


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
    """Remove every photo not in use, stale locks and temp files, and font entries whose source
    is gone. (files removed, bytes freed)."""
    removed: list[Path] = []
    freed = 0
    for entry in bound(root / IMAGES, 0, now=now):
        removed.extend(entry.files)
        freed += entry.size
    stale = remove_stale_locks(root)
    for folder in (root, root / IMAGES, root / FACES):
        stale += remove_stale_temps(folder, now=now)
    for path in orphan_faces(root):
        with contextlib.suppress(OSError):
            freed += path.stat().st_size
            path.unlink()
            stale.append(path)
    return removed + stale, freed
