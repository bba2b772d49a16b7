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

import hashlib
import io
import json
import math
from dataclasses import asdict, dataclass
from pathlib import Path

from PIL import Image, ImageCms, ImageMath

VERSION = "1"  # bump when the conversion changes: old cache entries are then ignored
JPEG_QUALITY = 90
INK_TOLERANCE = 2.0  # % over the limit still accepted after JPEG compression (its noise is ~1–3 %)
DEFAULT_INK_LIMIT = 240.0  # % total ink for coldset newsprint
MIN_DPI = 200.0  # images below this effective resolution at placed size are reported
PRINT_PPI = 300.0  # photos are scaled down to this at their placed size (newsprint screens ≤ 120 lpi)
DOWNSAMPLE_ABOVE = 1.5  # ... when they have more than this times the pixels needed, per axis

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
    """Pixel size without decoding the image."""
    with Image.open(path) as im:
        return im.size


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
    try:
        src_bytes = src.read_bytes()
    except OSError as e:
        raise ColourError(f"{src}: cannot read image: {e.strerror or e}", src) from None
    try:
        prof_bytes = profile.read_bytes()
    except OSError as e:
        raise ColourError(f"{profile}: cannot read ICC profile: {e.strerror or e}") from None
    _check_profile(profile, prof_bytes)
    key = hashlib.sha256()
    settings = f"{ink_limit:.3f}|{enforce}|{JPEG_QUALITY}|{size}".encode()
    for part in (VERSION.encode(), src_bytes, prof_bytes, settings):
        key.update(hashlib.sha256(part).digest())
    stem = key.hexdigest()[:32]
    jpeg, meta = cache_dir / f"{stem}.jpg", cache_dir / f"{stem}.json"
    if jpeg.is_file() and meta.is_file():
        try:
            d = json.loads(meta.read_text())
            d["path"] = jpeg
            return CmykImage(**d)
        except (OSError, ValueError, TypeError):
            pass  # a damaged entry: build it again
    try:
        with Image.open(io.BytesIO(src_bytes)) as im:
            mode = im.mode
            im = _scaled_for_print(im, size)
            data, max_ink, over = _convert(im, src_bytes, prof_bytes, ink_limit, enforce)
    except (OSError, ValueError, ImageCms.PyCMSError) as e:
        raise ColourError(f"{src}: cannot convert to CMYK: {e}", src) from None
    result = CmykImage(jpeg, mode, mode != "CMYK", enforce and mode != "CMYK", float(ink_limit),
                       max_ink, over)
    cache_dir.mkdir(parents=True, exist_ok=True)
    record = asdict(result)
    del record["path"]
    _write_atomically(meta, json.dumps(record, sort_keys=True).encode())
    _write_atomically(jpeg, data)
    return result


# --- conversion --------------------------------------------------------------------------------


def _scaled_for_print(im: Image.Image, size: tuple[int, int] | None) -> Image.Image:
    """`im` loaded, scaled down (keeping its proportions) to cover `size` when it is more than
    DOWNSAMPLE_ABOVE times larger; JPEGs are decoded at a reduced scale straight away. A CMYK
    Adobe JPEG, passed through untouched, is kept as it is."""
    if size is None or (im.mode == "CMYK" and im.format == "JPEG" and "adobe" in im.info):
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


def _check_profile(path: Path, data: bytes) -> None:
    if len(data) < 128 or data[36:40] != b"acsp":
        raise ColourError(f"{path}: not an ICC profile")
    if data[16:20] != b"CMYK":
        raise ColourError(f"{path}: the output profile must be CMYK, this one is "
                          f"{data[16:20].decode('latin-1').strip()}")


def _convert(im: Image.Image, src_bytes: bytes, prof_bytes: bytes, limit: float,
             enforce: bool) -> tuple[bytes, float, float]:
    """(JPEG bytes, max total ink %, share of pixels over the limit)."""
    if im.mode == "CMYK":
        if im.format == "JPEG" and "adobe" in im.info:
            data = src_bytes  # already what reportlab expects: leave the photographer's file alone
        else:
            data = _encode(im)
        return (data, *_measure(_decode(data), limit))
    out_profile = ImageCms.ImageCmsProfile(io.BytesIO(prof_bytes))
    if im.mode in ("1", "L", "I", "I;16", "F") or (im.mode == "LA" and not _has_alpha(im)):
        grey = im.convert("L") if im.mode != "LA" else im.getchannel("L")
        cmyk = _grey_to_k(grey, out_profile)
    else:
        rgb, icc = _as_rgb(im)
        cmyk = _rgb_to_cmyk(rgb, icc, out_profile)
    target = limit
    data = b""
    max_ink = over = 0.0
    for _ in range(3):  # JPEG noise can push a pixel a little over: aim lower and try again
        if enforce:
            cmyk = _limit_ink(cmyk, target)
        data = _encode(cmyk)
        max_ink, over = _measure(_decode(data), limit)
        if not enforce or max_ink <= limit + INK_TOLERANCE:
            break
        target -= max_ink - limit
    return data, max_ink, over


def _has_alpha(im: Image.Image) -> bool:
    return im.getchannel("A").getextrema()[0] < 255


def _as_rgb(im: Image.Image) -> tuple[Image.Image, bytes | None]:
    """RGB pixels (alpha flattened onto white) and the embedded ICC profile, if any."""
    icc = im.info.get("icc_profile") or None
    if im.mode == "P":
        im = im.convert("RGBA")
    if im.mode in ("RGBA", "LA", "PA", "RGBa", "La"):
        base = Image.new("RGBA", im.size, (255, 255, 255, 255))
        base.alpha_composite(im.convert("RGBA"))
        im = base
    if im.mode != "RGB":
        im = im.convert("RGB")
    if icc:
        try:
            prof = ImageCms.ImageCmsProfile(io.BytesIO(icc))
            if prof.profile.xcolor_space.strip() != "RGB":
                icc = None
        except (OSError, ImageCms.PyCMSError):
            icc = None
    return im, icc


def _rgb_to_cmyk(rgb: Image.Image, icc: bytes | None,
                 out_profile: ImageCms.ImageCmsProfile) -> Image.Image:
    if icc:
        src_profile = ImageCms.ImageCmsProfile(io.BytesIO(icc))
    else:
        src_profile = ImageCms.ImageCmsProfile(ImageCms.createProfile("sRGB"))
    transform = ImageCms.buildTransform(src_profile, out_profile, "RGB", "CMYK",
                                        renderingIntent=ImageCms.Intent.PERCEPTUAL,
                                        flags=ImageCms.Flags.BLACKPOINTCOMPENSATION)
    return ImageCms.applyTransform(rgb, transform)


def _grey_to_k(grey: Image.Image, out_profile: ImageCms.ImageCmsProfile) -> Image.Image:
    """Greyscale (sRGB tone curve) → black plate only, K chosen to print the grey's lightness.

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
    """(max total ink %, share of pixels over limit + tolerance)."""
    tot = total_ink(cmyk)
    max_ink = tot.getextrema()[1] * 100.0 / 255.0
    if max_ink <= limit + INK_TOLERANCE:
        return round(max_ink, 2), 0.0
    bound = (limit + INK_TOLERANCE) * 255.0 / 100.0
    over = ImageMath.lambda_eval(lambda a: a["min"](a["max"](a["t"] - bound, 0.0), 1.0) * 255.0,
                                 t=tot)
    n = over.convert("L").histogram()[255]
    return round(max_ink, 2), n / (cmyk.size[0] * cmyk.size[1])


def _encode(cmyk: Image.Image) -> bytes:
    buf = io.BytesIO()
    # Pillow writes CMYK JPEGs Adobe-style (inverted, APP14 marker) without chroma subsampling
    cmyk.save(buf, "JPEG", quality=JPEG_QUALITY, optimize=True)
    return buf.getvalue()


def _decode(data: bytes) -> Image.Image:
    im = Image.open(io.BytesIO(data))
    im.load()
    if im.mode != "CMYK":
        raise ValueError(f"expected a CMYK JPEG, got {im.mode}")
    return im


def _write_atomically(target: Path, data: bytes) -> None:
    from .pdf import write_atomically  # the project's one atomic writer

    write_atomically(data, target)
