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
reportlab assumes for every 4-component JPEG (it writes `/Decode [1 0 1 0 1 0 1 0]`): Ghostscript
and poppler show them with the right colours.
"""
from __future__ import annotations

import contextlib
import hashlib
import io
import json
import math
import os
import re
import stat
import struct
import tempfile
import warnings
import zlib
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Iterator

from PIL import Image, ImageCms, ImageMath

VERSION = "1"  # bump when the conversion changes: old cache entries are then ignored
JPEG_QUALITY = 90
INK_TOLERANCE = 2.0  # % over the limit still accepted after JPEG compression (its noise is ~1–3 %)
DEFAULT_INK_LIMIT = 240.0  # % total ink for coldset newsprint
MIN_DPI = 200.0  # images below this effective resolution at placed size are reported
PRINT_PPI = 300.0  # photos are scaled down to this at their placed size (newsprint screens ≤ 120 lpi)
DOWNSAMPLE_ABOVE = 1.5  # ... when they have more than this times the pixels needed, per axis

# Limits on what a render host decodes (docs/spec.md, "Limits"). Together they keep the peak memory
# of converting any accepted picture under ~1 GB: at most two full-size 4-byte-per-pixel copies live
# at once (the conversion works in bands of rows), and libjpeg's 65,500-pixel side limit is never hit.
MAX_IMAGE_SIDE = 30_000  # pixels per side: 2.5 m at 300 ppi, far past any press
MAX_IMAGE_PIXELS = 89_478_485  # Pillow's own decompression-bomb threshold (about 89 megapixels)
MAX_IMAGE_BYTES = 256 * 2**20  # file size: a 100-megapixel camera JPEG is ~50 MB
MAX_PROFILE_BYTES = 64 * 2**20  # an ICC output profile is a few MB at most (device links ~10 MB)
BAND_PIXELS = 2_000_000  # pixels converted per band: bounds the float temporaries (~8 MB each)
OPTIMIZE_UP_TO = 16_000_000  # JPEG Huffman optimization keeps every coefficient in memory: only
                             # for images up to this many pixels (all real newspaper photos)

PROFILE_DIR = Path(__file__).resolve().parent / "profiles"
NEWSPRINT_PROFILE = PROFILE_DIR / "newsprint-tr002-240.icc"  # built by scripts/build_icc_profile.py
# the printing condition: its name in the ICC characterization registry, and in words
NEWSPRINT_CONDITION = "CGATS TR 002"
NEWSPRINT_CONDITION_TEXT = "Coldset offset on newsprint (ANSI CGATS/SNAP TR 002-2007), 240 % TAC"


class ColourError(Exception):
    """An image or profile that cannot be converted (unreadable file, not a CMYK output profile).
    `image` is the picture at fault, None when the profile is."""

    def __init__(self, message: str, image: Path | None = None):
        super().__init__(message)
        self.image = image


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


def image_size(path: Path) -> tuple[int, int]:
    """Pixel size without decoding the image. Raises ColourError (naming the file) for anything a
    render could not use: not a regular file, too large a file, not an image Pillow can read, a
    damaged header, sides or pixels over MAX_IMAGE_SIDE / MAX_IMAGE_PIXELS. Meant for the first
    look at every `images:` file (loader, planner), so these are found at the image's key before
    any work is done; convert_to_cmyk checks it again."""
    path = Path(path)
    _regular_file(path, "image", MAX_IMAGE_BYTES)
    with _pillow_errors(path), warnings.catch_warnings():
        warnings.simplefilter("ignore", Image.DecompressionBombWarning)  # worded below, with sizes
        with Image.open(path) as im:
            size = im.size
    check_image_size(path, size)
    return size


def check_image_size(path: Path, size: tuple[int, int]) -> None:
    """ColourError when a picture's pixel size is over the limits (the message says them)."""
    w, h = size
    if w < 1 or h < 1:
        raise ColourError(f"{path}: the image has no pixels ({w}×{h})", path)
    if max(w, h) > MAX_IMAGE_SIDE:
        raise ColourError(f"{path}: the image is {w}×{h} pixels; its sides may be at most "
                          f"{MAX_IMAGE_SIDE} pixels", path)
    if w * h > MAX_IMAGE_PIXELS:
        raise ColourError(f"{path}: the image is {w}×{h} pixels ({w * h / 1e6:.0f} megapixels); "
                          f"it may have at most {MAX_IMAGE_PIXELS / 1e6:.0f} megapixels", path)


def check_profile_file(path: Path) -> None:
    """ColourError unless `path` is a regular file of at most MAX_PROFILE_BYTES whose header is a
    CMYK ICC profile's (`acsp` at offset 36). Reads 128 bytes; a pipe or a device is never opened.
    For the spec loader, at `output.profile`."""
    read_profile(Path(path), header_only=True)


def read_profile(path: Path, *, header_only: bool = False) -> bytes:
    """An ICC output profile's bytes, checked (as `check_profile_file`) before it is read whole;
    ColourError otherwise (the caller names `output.profile`)."""
    path = Path(path)
    _regular_file(path, "ICC profile", MAX_PROFILE_BYTES)
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


def _regular_file(path: Path, what: str, max_bytes: int) -> os.stat_result:
    """The file's stat, when it is a regular file of at most `max_bytes`; ColourError otherwise.
    A FIFO, a device (/dev/zero) or a folder is refused without being opened, so nothing blocks
    and nothing endless is read."""
    image = path if what == "image" else None
    try:
        st = path.stat()
    except OSError as e:
        raise ColourError(f"{path}: cannot read {what}: {e.strerror or e}", image) from None
    if not stat.S_ISREG(st.st_mode):
        so = "" if image else f", so not an {what}"
        raise ColourError(f"{path}: not a regular file ({_file_kind(st.st_mode)}){so}", image)
    if st.st_size > max_bytes:
        size_mb = math.ceil(st.st_size / 2**20)
        raise ColourError(f"{path}: the file is {size_mb:,} MB; an {what} may be at most "
                          f"{max_bytes // 2**20} MB", image)
    return st


def _file_kind(mode: int) -> str:
    kinds = ((stat.S_ISDIR, "a folder"), (stat.S_ISFIFO, "a pipe"), (stat.S_ISCHR, "a device"),
             (stat.S_ISBLK, "a device"), (stat.S_ISSOCK, "a socket"))
    return next((name for test, name in kinds if test(mode)), "not a file")


# Pillow's own words → what a desk can act on
_PILLOW_REASONS = (
    ("MAX_TEXT_CHUNK", "a compressed chunk unpacks to more than 1 MB: the PNG is damaged or made "
                       "to exhaust memory"),
    ("MAX_TEXT_MEMORY", "its text chunks hold more than 64 MB: the PNG is damaged or made to "
                        "exhaust memory"),
    ("cannot identify image file", "not an image file Pillow can read (JPEG, PNG, TIFF, …)"),
)


@contextlib.contextmanager
def _pillow_errors(path: Path, doing: str = "") -> Iterator[None]:
    """Whatever Pillow raises or warns about while opening or decoding `path` becomes a ColourError
    naming it (`doing` leads the reason): damaged files raise OSError, ValueError, SyntaxError,
    struct.error, EOFError …"""
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # Pillow's advice (palette transparency…): handled here
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            yield
    except ColourError:
        raise
    except (Image.DecompressionBombWarning, Image.DecompressionBombError) as e:
        # Past twice its limit Pillow refuses to open the file at all: its count is all there is
        found = re.search(r"\((\d+) pixels\)", str(e))
        has = f"has {int(found[1]) / 1e6:.0f} megapixels" if found else "has too many pixels"
        raise ColourError(f"{path}: the image {has}; it may have at most "
                          f"{MAX_IMAGE_PIXELS / 1e6:.0f} megapixels", path) from None
    except MemoryError:
        raise ColourError(f"{path}: not enough memory to decode the image", path) from None
    except (OSError, ValueError, SyntaxError, EOFError, IndexError, KeyError, TypeError,
            ImageCms.PyCMSError, struct.error, zlib.error) as e:
        text = str(e) or type(e).__name__
        reason = next((why for key, why in _PILLOW_REASONS if key in text), text)
        if "MAX_TEXT_CHUNK" in text:
            reason = reason.replace("a compressed chunk", _oversized_png_chunk(path))
        raise ColourError(f"{path}: {doing}{reason}", path) from None


_PNG_CHUNKS = {b"zTXt": "compressed text", b"iTXt": "international text",
               b"iCCP": "embedded colour profile"}


def _oversized_png_chunk(path: Path, limit: int = 2**20) -> str:
    """Which chunk of a PNG unpacks past `limit` ("its iCCP chunk (embedded colour profile)"), read
    chunk by chunk up to the image data; "a compressed chunk" when it cannot tell."""
    try:
        with open(path, "rb") as f:
            f.seek(8)
            while True:
                head = f.read(8)
                if len(head) < 8:
                    break
                length, kind = struct.unpack(">I4s", head)
                if kind == b"IDAT":
                    break
                if kind not in _PNG_CHUNKS:
                    f.seek(length + 4, os.SEEK_CUR)
                    continue
                body = f.read(length)
                f.seek(4, os.SEEK_CUR)  # CRC
                unpacker = zlib.decompressobj()
                with contextlib.suppress(zlib.error):
                    unpacker.decompress(_zlib_part(kind, body), limit)
                    if unpacker.unconsumed_tail:
                        return f"its {kind.decode()} chunk ({_PNG_CHUNKS[kind]})"
    except (OSError, struct.error):
        pass
    return "a compressed chunk"


def _zlib_part(kind: bytes, body: bytes) -> bytes:
    """The compressed data of a zTXt/iCCP chunk (name, NUL, method, data) or of an iTXt one
    (keyword, NUL, flag, method, language, NUL, translated keyword, NUL, text)."""
    after_name = body.split(b"\0", 1)[-1]
    if kind != b"iTXt":
        return after_name[1:]
    return after_name[2:].split(b"\0", 2)[-1]


@contextlib.contextmanager
def _captured_stderr() -> Iterator[list[str]]:
    """Collect what C libraries (libjpeg: "Maximum supported image dimension is 65500 pixels")
    print to file descriptor 2 while a call runs, instead of letting it reach the terminal naming
    no file; the caller folds it into its own message. Only around short C calls: another thread
    writing to stderr at that moment would be caught too."""
    found: list[str] = []
    try:
        saved = os.dup(2)
    except OSError:
        yield found
        return
    with tempfile.TemporaryFile() as sink:
        os.dup2(sink.fileno(), 2)
        try:
            yield found
        finally:
            os.dup2(saved, 2)
            os.close(saved)
            sink.seek(0)
            found.extend(sink.read(4096).decode("utf-8", "replace").split("\n"))
            found[:] = [line.strip() for line in found if line.strip()]


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
    with _pillow_errors(src, "cannot convert to CMYK: "):
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
        scaled = _scaled_for_print(im, size)
        if scaled is not im:
            im.close()
        data, max_ink, over = _convert(scaled, src, prof_bytes, limit, enforce)
        scaled.close()
    finally:
        im.close()
    return mode, data, max_ink, over


# --- conversion --------------------------------------------------------------------------------


def _scaled_for_print(im: Image.Image, size: tuple[int, int] | None) -> Image.Image:
    """`im` loaded, scaled down (keeping its proportions) to cover `size` when it is more than
    DOWNSAMPLE_ABOVE times larger; JPEGs are decoded at a reduced scale straight away. A CMYK
    Adobe JPEG, passed through untouched, is not decoded here at all (its bytes are used)."""
    if _passes_through(im):
        return im
    if size is None:
        im.load()
        return im
    w, h = im.size
    factor = max(size[0] / w, size[1] / h)  # the scale at which the image just covers `size`
    if factor * DOWNSAMPLE_ABOVE > 1:
        im.load()
        return im
    target = (max(1, math.ceil(w * factor)), max(1, math.ceil(h * factor)))
    info, fmt = dict(im.info), im.format
    if im.format == "JPEG":
        im.draft(im.mode, target)  # DCT scaling: decodes at 1/2, 1/4 or 1/8 and not below target
    im.load()
    # Pillow's reduce() (behind reducing_gap) knows 8-bit modes only: 16-bit greys resize plainly.
    gap = 3.0 if im.mode in ("RGB", "RGBA", "L", "LA", "CMYK") else None
    scaled = im.resize(target, Image.Resampling.LANCZOS, reducing_gap=gap)
    scaled.info.update(info)  # keep the embedded ICC profile for the conversion
    scaled.format = fmt
    return scaled


def _passes_through(im: Image.Image) -> bool:
    """An Adobe-style CMYK JPEG: already what reportlab draws right, so used byte for byte."""
    return im.mode == "CMYK" and im.format == "JPEG" and "adobe" in im.info


def _check_profile(path: Path, header: bytes) -> None:
    if len(header) < 128 or header[36:40] != b"acsp":
        raise ColourError(f"{path}: not an ICC profile (no 'acsp' signature in its header)")
    if header[16:20] != b"CMYK":
        raise ColourError(f"{path}: the output profile must be CMYK, this one is "
                          f"{header[16:20].decode('latin-1').strip()}")


def _convert(im: Image.Image, src: Path, prof_bytes: bytes, limit: float,
             enforce: bool) -> tuple[bytes, float, float]:
    """(JPEG bytes, max total ink %, share of pixels over the limit). Pixel work is done in bands
    of rows (see `_bands`): every operation here is per pixel, so the result is the same as on the
    whole image, and the temporaries stay small whatever the picture's size."""
    if im.mode == "CMYK":
        if _passes_through(im):
            data = src.read_bytes()  # what reportlab expects: leave the photographer's file alone
        else:
            data = _encode(im)
        im.close()
        return (data, *_measure_jpeg(data, limit))
    out_profile = ImageCms.ImageCmsProfile(io.BytesIO(prof_bytes))
    if im.mode in ("1", "L", "I", "I;16", "F") or (im.mode == "LA" and not _has_alpha(im)):
        lut = _k_curve(out_profile)
        cmyk = _per_band(im, lambda part: _grey_to_k(_as_grey(part), lut))
    else:
        icc = _rgb_profile(im)
        transform = _rgb_to_cmyk_transform(icc, out_profile)
        cmyk = _per_band(im, lambda part: ImageCms.applyTransform(_as_rgb(part), transform))
    im.close()  # the source is not needed any more: never three full-size copies at once
    target = limit
    data = b""
    max_ink = over = 0.0
    for _ in range(3):  # JPEG noise can push a pixel a little over: aim lower and try again
        if enforce:  # each try limits the previous one's pixels further
            limited = _per_band(cmyk, lambda part: _limit_ink(part, target))
            cmyk.close()
            cmyk = limited
        data = _encode(cmyk)
        max_ink, over = _measure_jpeg(data, limit)
        if not enforce or max_ink <= limit + INK_TOLERANCE:
            break
        target -= max_ink - limit
    cmyk.close()
    return data, max_ink, over


def _bands(size: tuple[int, int]) -> Iterator[tuple[int, int, int, int]]:
    """Boxes of whole rows covering an image, about BAND_PIXELS each."""
    w, h = size
    rows = max(1, BAND_PIXELS // max(1, w))
    for top in range(0, h, rows):
        yield 0, top, w, min(h, top + rows)


def _per_band(im: Image.Image, work) -> Image.Image:
    """`work` (a per-pixel function returning a CMYK image) applied band by band."""
    out = Image.new("CMYK", im.size)
    for box in _bands(im.size):
        out.paste(work(im.crop(box)), box[:2])
    return out


def _has_alpha(im: Image.Image) -> bool:
    return im.getchannel("A").getextrema()[0] < 255


def _as_grey(im: Image.Image) -> Image.Image:
    return im.convert("L") if im.mode != "LA" else im.getchannel("L")


def _rgb_profile(im: Image.Image) -> bytes | None:
    """The image's embedded ICC profile when it is an RGB one (else sRGB is assumed)."""
    icc = im.info.get("icc_profile") or None
    if icc:
        try:
            prof = ImageCms.ImageCmsProfile(io.BytesIO(icc))
            if prof.profile.xcolor_space.strip() != "RGB":
                icc = None
        except (OSError, ImageCms.PyCMSError):
            icc = None
    return icc


def _as_rgb(im: Image.Image) -> Image.Image:
    """RGB pixels, alpha flattened onto white."""
    if im.mode == "P":
        im = im.convert("RGBA")
    if im.mode in ("RGBA", "LA", "PA", "RGBa", "La"):
        base = Image.new("RGBA", im.size, (255, 255, 255, 255))
        base.alpha_composite(im.convert("RGBA"))
        im = base
    if im.mode != "RGB":
        im = im.convert("RGB")
    return im


def _rgb_to_cmyk_transform(icc: bytes | None, out_profile: ImageCms.ImageCmsProfile):
    if icc:
        src_profile = ImageCms.ImageCmsProfile(io.BytesIO(icc))
    else:
        src_profile = ImageCms.ImageCmsProfile(ImageCms.createProfile("sRGB"))
    return ImageCms.buildTransform(src_profile, out_profile, "RGB", "CMYK",
                                   renderingIntent=ImageCms.Intent.PERCEPTUAL,
                                   flags=ImageCms.Flags.BLACKPOINTCOMPENSATION)


def _k_curve(out_profile: ImageCms.ImageCmsProfile) -> list[int]:
    """Greyscale (sRGB tone curve) → black plate only: the K (0–255) for each grey level, chosen
    to print the grey's lightness.

    The lightness of K alone on the paper is read from the profile (relative colorimetric); the
    grey's luminance is scaled between the paper and the darkest K (black point compensation)."""
    ramp = Image.frombytes("CMYK", (256, 1), bytes(v for k in range(256) for v in (0, 0, 0, k)))
    to_lab = ImageCms.buildTransform(out_profile, ImageCms.createProfile("LAB"), "CMYK", "LAB",
                                     renderingIntent=ImageCms.Intent.RELATIVE_COLORIMETRIC)
    lab = ImageCms.applyTransform(ramp, to_lab).tobytes()
    k_lightness = [lab[3 * k] * 100.0 / 255.0 for k in range(256)]  # L* of K = 0…255
    for k in range(1, 256):  # make it monotone (measurement noise in the light end)
        k_lightness[k] = min(k_lightness[k], k_lightness[k - 1])
    y_black = _y_of_lightness(k_lightness[255])
    lut = []
    for g in range(256):
        y_src = _srgb_to_linear(g / 255.0)
        want = _lightness_of_y(y_black + (1.0 - y_black) * y_src)
        lut.append(_k_for_lightness(want, k_lightness))
    return lut


def _grey_to_k(grey: Image.Image, lut: list[int]) -> Image.Image:
    k = grey.point(lut)
    zero = Image.new("L", grey.size, 0)
    return Image.merge("CMYK", (zero, zero, zero, k))


def _srgb_to_linear(v: float) -> float:
    return v / 12.92 if v <= 0.04045 else ((v + 0.055) / 1.055) ** 2.4


def _lightness_of_y(y: float) -> float:
    return 116.0 * y ** (1.0 / 3.0) - 16.0 if y > 216.0 / 24389.0 else y * 24389.0 / 27.0


def _y_of_lightness(lightness: float) -> float:
    f = (lightness + 16.0) / 116.0
    return f ** 3 if f ** 3 > 216.0 / 24389.0 else lightness * 27.0 / 24389.0


def _k_for_lightness(want: float, k_lightness: list[float]) -> int:
    """The K value (0–255) whose printed L* is nearest `want` (k_lightness falls with K)."""
    if want >= k_lightness[0]:
        return 0
    for k in range(1, 256):
        if k_lightness[k] <= want:
            hi, lo = k_lightness[k - 1], k_lightness[k]
            frac = (hi - want) / (hi - lo) if hi > lo else 1.0
            return round(k - 1 + frac)
    return 255


def _limit_ink(cmyk: Image.Image, limit: float) -> Image.Image:
    """Scale C, M, Y down together where C+M+Y+K is over the limit (in % of one solid); K kept,
    and K itself capped when the limit is below 100 %."""
    cap = max(0.0, limit) * 255.0 / 100.0
    if total_ink(cmyk).getextrema()[1] <= cap:
        return cmyk  # nothing over: the scaling below would leave every pixel as it is
    c, m, y, k = cmyk.split()
    if cap < 255:
        k_new = ImageMath.lambda_eval(lambda a: a["min"](a["k"], cap), k=k).convert("L")
    else:
        k_new = k
    room = ImageMath.lambda_eval(lambda a: a["max"](a["float"](a["k"]) * -1.0 + cap, 0.0), k=k_new)
    cmy = ImageMath.lambda_eval(lambda a: a["float"](a["c"] + a["m"] + a["y"]), c=c, m=m, y=y)
    scale = ImageMath.lambda_eval(
        lambda a: a["room"] / a["max"](a["max"](a["cmy"], a["room"]), 1.0), room=room, cmy=cmy)
    # 'F' → 'L' truncates, so the result never rounds up over the limit
    out = [ImageMath.lambda_eval(lambda a: a["float"](a["ch"]) * a["s"], ch=ch, s=scale)
           .convert("L") for ch in (c, m, y)]
    return Image.merge("CMYK", (*out, k_new))


def total_ink(cmyk: Image.Image) -> Image.Image:
    """C+M+Y+K per pixel (mode 'I', 0–1020)."""
    c, m, y, k = cmyk.split()
    return ImageMath.lambda_eval(lambda a: a["c"] + a["m"] + a["y"] + a["k"], c=c, m=m, y=y, k=k)


def _measure(cmyk: Image.Image, limit: float) -> tuple[float, float]:
    """(max total ink %, share of pixels over limit + tolerance), band by band."""
    highest = over_count = 0
    bound = (limit + INK_TOLERANCE) * 255.0 / 100.0
    for box in _bands(cmyk.size):
        tot = total_ink(cmyk.crop(box))
        top = tot.getextrema()[1]
        highest = max(highest, top)
        if top * 100.0 / 255.0 > limit + INK_TOLERANCE:
            over = ImageMath.lambda_eval(
                lambda a: a["min"](a["max"](a["t"] - bound, 0.0), 1.0) * 255.0, t=tot)
            over_count += over.convert("L").histogram()[255]
    max_ink = highest * 100.0 / 255.0
    if max_ink <= limit + INK_TOLERANCE:
        return round(max_ink, 2), 0.0
    return round(max_ink, 2), over_count / (cmyk.size[0] * cmyk.size[1])


def _measure_jpeg(data: bytes, limit: float) -> tuple[float, float]:
    """`_measure` of the JPEG as written (its noise is what reaches the plate)."""
    im = _decode(data)
    try:
        return _measure(im, limit)
    finally:
        im.close()


def _encode(cmyk: Image.Image) -> bytes:
    buf = io.BytesIO()
    # Pillow writes CMYK JPEGs Adobe-style (inverted, APP14 marker) without chroma subsampling.
    # Huffman optimization buffers every DCT coefficient (8 bytes a pixel): small images only.
    optimize = cmyk.size[0] * cmyk.size[1] <= OPTIMIZE_UP_TO
    with _captured_stderr() as printed:
        try:
            cmyk.save(buf, "JPEG", quality=JPEG_QUALITY, optimize=optimize)
        except OSError as e:
            raise OSError(f"cannot write the CMYK JPEG: {'; '.join(printed) or e}") from None
    return buf.getvalue()


def _decode(data: bytes) -> Image.Image:
    im = Image.open(io.BytesIO(data))
    im.load()
    if im.mode != "CMYK":
        raise ValueError(f"expected a CMYK JPEG, got {im.mode}")
    return im


def _write_atomically(target: Path, data: bytes) -> None:
    from ..util.atomic import write_atomically  # the project's one atomic writer

    write_atomically(data, target)
