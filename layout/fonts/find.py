"""Finding font faces by name: a spec's face name or font path → (font file, face index).

Lookup order (`FontFinder.find`): the `manifest.yaml` of each project font folder
(`$BROADSHEET_FONTS`, then the project's `fonts/`), then the installed faces (project folders first,
then the system font folders) by full, PostScript or family + style name, then a file path
(`path#N` for face N of a collection). Names match case-insensitively and regardless of repeated
spaces.

Scanning the font folders opens every font file with fontTools (seconds), so the names index is kept
in the cache (`fonts-index-<folders>.json`) and reused while no folder changed; a warm lookup never
imports fontTools. The small cache-file helpers at the end (atomic writes) serve fonts.py too.
"""
from __future__ import annotations

import contextlib
import hashlib
import json
import os
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Iterable, Iterator, Mapping, Sequence

from ..util.errors import FontError

PROJECT_FONT_DIR = Path(__file__).resolve().parents[2] / "fonts"
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


def project_font_dirs() -> list[Path]:
    """Folders of fonts that travel with the project: `$BROADSHEET_FONTS` (os.pathsep-separated)
    first, then the project's own `fonts/`. Each may hold a `manifest.yaml`."""
    extra = [Path(p).expanduser() for p in os.environ.get("BROADSHEET_FONTS", "").split(os.pathsep) if p]
    return [*extra, PROJECT_FONT_DIR]


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
        if _looks_like_path(name):  # a file the spec names: say where it was looked for
            path = Path(name)
            if path.exists():
                raise FontError(f"font file {name!r} is not a regular file",
                                "name a .ttf, .otf or .ttc file, or a face by its full name")
            raise FontError(f"no font file {name!r}", f"looked for {path}")
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


def _looks_like_path(name: str) -> bool:
    return "/" in name or name.lower().endswith((".ttf", ".otf", ".ttc"))


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


# --------------------------------------------------------------------------------------------------
# The index of installed faces


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
        cached = read_json(index_file)
        old_files: dict[str, dict] = {}
        if cached and cached.get("version") == INDEX_VERSION and cached.get("dirs") == [str(d) for d in dirs]:
            index = cls(dirs, cached["folders"], cached["files"], fresh=False)
            if not rescan and index._folders_unchanged():
                return index
            old_files = cached["files"]
        index = cls.scan(dirs, old_files)
        with contextlib.suppress(FontError):  # a read-only cache only costs a rescan next time
            write_json_atomic(index_file, {"version": INDEX_VERSION, "dirs": [str(d) for d in dirs],
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
    full = table.getDebugName(4) or (exact[0] if exact else path.name)
    return FaceRecord(str(path), index, full, outline_format(font) or "none", names, exact_count)


def outline_format(font) -> str | None:
    """The table holding a fontTools font's outlines: "glyf" (TrueType), "CFF " or "CFF2"; None
    when it has none."""
    return next((tag for tag in ("glyf", "CFF ", "CFF2") if tag in font), None)


# --------------------------------------------------------------------------------------------------
# Cache files (the names index here, the face entries in fonts.py)


def read_json(path: Path) -> dict | None:
    try:
        with open(path, encoding="utf-8") as f:
            return json.load(f)
    except (OSError, ValueError):
        return None


def write_json_atomic(path: Path, data: object) -> None:
    write_bytes_atomic(path, json.dumps(data, ensure_ascii=False, separators=(",", ":")).encode())


def write_bytes_atomic(path: Path, data: bytes) -> None:
    """Readers never see a half-written cache file: write a temp file, then rename over."""
    make_dir(path.parent)
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


def make_dir(path: Path) -> None:
    try:
        path.mkdir(parents=True, exist_ok=True)
    except OSError as e:
        raise FontError(f"cannot create the font cache {path}: {e.strerror}",
                        hint="set BROADSHEET_CACHE to a writable folder") from None
