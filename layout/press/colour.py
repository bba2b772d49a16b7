"""Photos for press: RGB/grey images → CMYK JPEGs through the output profile, within an ink limit.

`to_cmyk_jpeg()` (or `convert_to_cmyk()` for the full report) converts a picture once and caches the
result by content: the source's bytes, the profile's bytes, the ink limit and this module's version.

- RGB (and palette/alpha images, flattened onto white) go through littleCMS (Pillow's ImageCms) from
  the image's embedded ICC profile, else sRGB, to the output profile, perceptual intent with black
  point compensation. The total ink (C+M+Y+K, % of one solid) is then *enforced*: where a pixel is
  over the limit its C, M and Y are scaled down together, K kept (the same rule as littleCMS's
  ink-limiting device link). With a user's own profile pass `enforce=False`: the limit is only
  measured and reported.
- Greyscale goes to the black plate only (C = M = Y = 0), through a tone curve read from the
  profile (K that prints the lightness the grey asks for), so grey photos need no registration.
- CMYK sources are passed through untouched (bytes copied when they are an Adobe-style CMYK JPEG,
  else re-encoded) and only measured.

The JPEGs are Adobe-style CMYK (stored inverted, with an APP14 "Adobe" marker), which is what
the PDF writer assumes for an Adobe CMYK JPEG (it writes `/Decode [1 0 1 0 1 0 1 0]`): Ghostscript
and poppler show them with the right colours.
"""
from __future__ import annotations

import hashlib
import json
import math
from dataclasses import asdict, dataclass
from pathlib import Path

from PIL import Image

from ..util.imagefile import ImageFileError, image_size, pillow_errors, regular_file
from .cmyk import JPEG_QUALITY, convert_pixels, scaled_for_print
from .ink import INK_TOLERANCE

VERSION = "1"  # bump when the conversion changes: old cache entries are then ignored
DEFAULT_INK_LIMIT = 240.0  # % total ink for coldset newsprint
MIN_DPI = 200.0  # images below this effective resolution at placed size are reported
PRINT_PPI = 300.0  # photos are scaled down to this at their placed size (newsprint screens ≤ 120 lpi)

MAX_PROFILE_BYTES = 64 * 2**20  # an ICC output profile is a few MB at most (device links ~10 MB)

PROFILE_DIR = Path(__file__).resolve().parent / "profiles"
NEWSPRINT_PROFILE = PROFILE_DIR / "newsprint-tr002-240.icc"  # built by scripts/build_icc_profile.py
# the printing condition: its name in the ICC characterization registry, and in words
NEWSPRINT_CONDITION = "CGATS TR 002"
NEWSPRINT_CONDITION_TEXT = "Coldset offset on newsprint (ANSI CGATS/SNAP TR 002-2007), 240 % TAC"

# A picture or profile press cannot use: the same error the first look at an image file raises
# (util/imagefile.py), so one `except` covers the check before conversion and the conversion.
ColourError = ImageFileError


@dataclass(frozen=True)
class CmykImage:
    path: Path  # the CMYK JPEG to draw
    source_mode: str  # Pillow mode of the source: "RGB", "L", "CMYK", …
    converted: bool  # False when a CMYK source was passed through
    enforced: bool  # the ink limit was enforced (not only measured)
    limit: float  # total ink limit, %
    max_ink: float  # highest C+M+Y+K of any pixel of the written JPEG, %
    over_fraction: float  # share of pixels over limit + INK_TOLERANCE

    @property
    def within_limit(self) -> bool:
        return self.max_ink <= self.limit + INK_TOLERANCE

    def message(self, name: str = "") -> str:
        """One line for a warning when the image is over the limit."""
        what = name or self.path.name
        return (f"{what}: total ink up to {self.max_ink:.0f} % exceeds the {self.limit:.0f} % "
                f"limit ({self.over_fraction:.1%} of the pixels)")


def effective_dpi(pixel_size: tuple[int, int], placed_size_pt: tuple[float, float]) -> float:
    """The resolution an image prints at: pixels per inch of its placed size, the lower axis."""
    (w_px, h_px), (w_pt, h_pt) = pixel_size, placed_size_pt
    if w_pt <= 0 or h_pt <= 0:
        raise ValueError(f"placed size must be positive, got {placed_size_pt}")
    return min(w_px * 72.0 / w_pt, h_px * 72.0 / h_pt)


def check_profile_file(path: Path) -> None:
    """ColourError unless `path` is a regular file of at most MAX_PROFILE_BYTES whose header is a
    CMYK ICC profile's (`acsp` at offset 36). Reads 128 bytes; a pipe or a device is never opened.
    For the spec loader, at `output.profile`."""
    read_profile(Path(path), header_only=True)


def read_profile(path: Path, *, header_only: bool = False) -> bytes:
    """An ICC output profile's bytes, checked (as `check_profile_file`) before it is read whole;
    ColourError otherwise (the caller names `output.profile`)."""
    path = Path(path)
    regular_file(path, "ICC profile", MAX_PROFILE_BYTES)
    try:
        with open(path, "rb") as f:
            header = f.read(128)
            _check_profile(path, header)
            if header_only:
                return header
            data = header + f.read(MAX_PROFILE_BYTES + 1 - len(header))
    except OSError as e:
        raise ColourError(f"{path}: cannot read ICC profile: {e.strerror or e}") from None
    if len(data) > MAX_PROFILE_BYTES:  # it grew while we read it
        raise ColourError(f"{path}: the file is larger than {MAX_PROFILE_BYTES // 2**20} MB; an ICC "
                          f"profile may be at most {MAX_PROFILE_BYTES // 2**20} MB")
    return data


def to_cmyk_jpeg(src: Path, profile: Path, ink_limit: float, cache_dir: Path, *,
                 enforce: bool = True, size: tuple[int, int] | None = None) -> Path:
    """The cached CMYK JPEG of `src` for `profile` (see the module docstring); the path to draw."""
    return convert_to_cmyk(src, profile, ink_limit, cache_dir, enforce=enforce, size=size).path


def print_size(placed_pt: tuple[float, float], ppi: float = PRINT_PPI) -> tuple[int, int]:
    """Pixels a picture placed at `placed_pt` (w, h in pt) needs to print at `ppi`."""
    return max(1, math.ceil(placed_pt[0] / 72 * ppi)), max(1, math.ceil(placed_pt[1] / 72 * ppi))


def convert_to_cmyk(src: Path, profile: Path, ink_limit: float, cache_dir: Path, *,
                    enforce: bool = True, size: tuple[int, int] | None = None) -> CmykImage:
    """As `to_cmyk_jpeg`, with the ink report (measured on the written JPEG). With `size` (the
    pixels the placed picture needs, `print_size`), a larger photo is scaled down to it first: a
    48-megapixel camera original then converts in a fraction of the time and memory, and the PDF
    carries no pixels the press cannot print."""
    src, profile, cache_dir = Path(src), Path(profile), Path(cache_dir)
    image_size(src)  # regular file, size, header and pixel limits, before anything is read whole
    prof_bytes = read_profile(profile)
    key = hashlib.sha256()
    settings = f"{ink_limit:.3f}|{enforce}|{JPEG_QUALITY}|{size}".encode()
    # By content only (never the file's path or time), so the cached file's name is the same on
    # every machine: the same picture in two folders is one entry.
    for digest in (_sha256(VERSION.encode()), _file_sha256(src), _sha256(prof_bytes),
                   _sha256(settings)):
        key.update(digest)
    stem = key.hexdigest()[:32]
    jpeg, meta = cache_dir / f"{stem}.jpg", cache_dir / f"{stem}.json"
    cached = _cached(jpeg, meta)
    if cached is not None:
        return cached
    with pillow_errors(src, "cannot convert to CMYK: "):
        mode, data, max_ink, over = _convert_file(src, size, prof_bytes, ink_limit, enforce)
    result = CmykImage(jpeg, mode, mode != "CMYK", enforce and mode != "CMYK", float(ink_limit),
                       max_ink, over)
    cache_dir.mkdir(parents=True, exist_ok=True)
    record = asdict(result)
    del record["path"]
    _write_atomically(meta, json.dumps(record, sort_keys=True).encode())
    _write_atomically(jpeg, data)
    from ..fonts import cache# bound the cache now that it holds something new

    cache.entry_written(cache_dir, jpeg)
    return result


def _sha256(data: bytes) -> bytes:
    return hashlib.sha256(data).digest()


def _file_sha256(path: Path) -> bytes:
    """sha256 of a file read in blocks: never the whole picture in memory only to hash it."""
    digest = hashlib.sha256()
    try:
        with open(path, "rb") as f:
            for block in iter(lambda: f.read(1 << 20), b""):
                digest.update(block)
    except OSError as e:
        raise ColourError(f"{path}: cannot read image: {e.strerror or e}", path) from None
    return digest.digest()


def _cached(jpeg: Path, meta: Path) -> CmykImage | None:
    """A cache entry, marked as used just now (the cache evicts the least recently used)."""
    if not (jpeg.is_file() and meta.is_file()):
        return None
    try:
        d = json.loads(meta.read_text())
        d["path"] = jpeg
        result = CmykImage(**d)
    except (OSError, ValueError, TypeError):
        return None  # a damaged entry: build it again
    from ..fonts import cache

    cache.touch(jpeg, meta)
    return result


def _convert_file(src: Path, size: tuple[int, int] | None, prof_bytes: bytes, limit: float,
                  enforce: bool) -> tuple[str, bytes, float, float]:
    """(source mode, JPEG bytes, max ink, share over) for the picture in `src`. The full-size
    decode is closed as soon as a scaled copy exists, so it does not stay in memory."""
    im = Image.open(src)
    try:
        mode = im.mode
        scaled = scaled_for_print(im, size)
        if scaled is not im:
            im.close()
        data, max_ink, over = convert_pixels(scaled, src, prof_bytes, limit, enforce)
        scaled.close()
    finally:
        im.close()
    return mode, data, max_ink, over


# --- conversion --------------------------------------------------------------------------------


def _check_profile(path: Path, header: bytes) -> None:
    if len(header) < 128 or header[36:40] != b"acsp":
        raise ColourError(f"{path}: not an ICC profile (no 'acsp' signature in its header)")
    if header[16:20] != b"CMYK":
        raise ColourError(f"{path}: the output profile must be CMYK, this one is "
                          f"{header[16:20].decode('latin-1').strip()}")


def _write_atomically(target: Path, data: bytes) -> None:
    from ..util.atomic import write_atomically  # the project's one atomic writer

    write_atomically(data, target)
