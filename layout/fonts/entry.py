"""A face's cache entry: `faces/<stem>-<index>-<key>.*` holds the converted copy (CFF faces), the
sidecar (which file to embed, its PostScript name, the `halt` values) and the composition metrics.
`prepare_face` makes it once, under a lock, so concurrent renders never convert the same face twice;
the entry's base path is the face's key (`Face.key`), by which the PDF writer finds what to embed."""
from __future__ import annotations

import contextlib
import glob
import hashlib
import math
import os
import struct
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Callable, Iterator, Mapping

from ..util.errors import FontError
from .convert import CONVERTER_VERSION, Progress, convert_cff_face
from .find import make_dir, outline_format, read_json, write_bytes_atomic, write_json_atomic
from .halt import read_halt
from .metrics import read_metrics, save_metrics

if TYPE_CHECKING:  # imported where used: a warm run does not need it
    from concurrent.futures import Executor


@dataclass(frozen=True)
class PreparedFace:
    """A face whose embeddable file and sidecar facts are in the cache."""

    file: Path  # TrueType file to embed: the cached conversion, or the source itself
    file_index: int
    ps_name: str
    halt: Mapping[int, tuple[float, float]]  # codepoint -> (x placement, x advance), em
    key: str  # the cache entry's base path: the face's id in placed text (`Face.key`)
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

    def load(self) -> PreparedFace | None:
        return prepared_face(str(self.base))

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


def prepared_face(key: str) -> PreparedFace | None:
    """The prepared face whose cache entry is `key` (its base path), None when the entry is
    missing, of another converter version, or its file is gone."""
    base = Path(key)
    data = read_json(base.with_name(base.name + ".json"))
    if not data or data.get("converter") != CONVERTER_VERSION:
        return None
    file = base.parent / data["file"]  # relative for cached copies, else absolute
    if not file.is_file():
        return None
    upem = float(data["units_per_em"])
    halt = {int(cp): (xp / upem, xa / upem) for cp, (xp, xa) in data["halt"].items()}
    return PreparedFace(file, data["file_index"], data["ps_name"], halt, key, data.get("conversion"))


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
    """Make a face ready to embed: convert CFF outlines once, record `halt`, cache the metrics.
    Cheap (no fontTools) when the cache already has it. Concurrent callers wait on a lock
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
        # so the first render measures from the cache already
        save_metrics(entry.base, prepared.file, read_metrics(prepared.file, prepared.file_index))
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
