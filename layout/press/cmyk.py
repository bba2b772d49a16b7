"""Pixels to CMYK: RGB through littleCMS from the image's profile (else sRGB) to the output
profile, greyscale to the black plate through the profile's K tone curve, the photo first scaled
down to what the press can print; then JPEG encoding (Adobe-style CMYK) within the ink limit."""
from __future__ import annotations

import contextlib
import io
import math
import os
import tempfile
from pathlib import Path
from typing import Iterator

from PIL import Image, ImageCms

from .ink import INK_TOLERANCE, limit_ink, measure_jpeg, per_band

JPEG_QUALITY = 90
DOWNSAMPLE_ABOVE = 1.5  # ... when they have more than this times the pixels needed, per axis
OPTIMIZE_UP_TO = 16_000_000  # JPEG Huffman optimization keeps every coefficient in memory: only
                             # for images up to this many pixels (all real newspaper photos)


def scaled_for_print(im: Image.Image, size: tuple[int, int] | None) -> Image.Image:
    """`im` loaded, scaled down (keeping its proportions) to cover `size` when it is more than
    DOWNSAMPLE_ABOVE times larger; JPEGs are decoded at a reduced scale straight away. A CMYK
    Adobe JPEG, passed through untouched, is not decoded here at all (its bytes are used)."""
    if passes_through(im):
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


def passes_through(im: Image.Image) -> bool:
    """An Adobe-style CMYK JPEG: already what the PDF writer draws right, so used byte for byte."""
    return im.mode == "CMYK" and im.format == "JPEG" and "adobe" in im.info


def convert_pixels(im: Image.Image, src: Path, prof_bytes: bytes, limit: float,
             enforce: bool) -> tuple[bytes, float, float]:
    """(JPEG bytes, max total ink %, share of pixels over the limit). Pixel work is done in bands
    of rows (see `bands`): every operation here is per pixel, so the result is the same as on the
    whole image, and the temporaries stay small whatever the picture's size."""
    if im.mode == "CMYK":
        if passes_through(im):
            data = src.read_bytes()  # what the PDF writer expects: leave the photographer's file alone
        else:
            data = encode(im)
        im.close()
        return (data, *measure_jpeg(data, limit))
    out_profile = ImageCms.ImageCmsProfile(io.BytesIO(prof_bytes))
    if im.mode in ("1", "L", "I", "I;16", "F") or (im.mode == "LA" and not _has_alpha(im)):
        lut = _k_curve(out_profile)
        cmyk = per_band(im, lambda part: _grey_to_k(_as_grey(part), lut))
    else:
        icc = _rgb_profile(im)
        transform = _rgb_to_cmyk_transform(icc, out_profile)
        cmyk = per_band(im, lambda part: ImageCms.applyTransform(_as_rgb(part), transform))
    im.close()  # the source is not needed any more: never three full-size copies at once
    target = limit
    data = b""
    max_ink = over = 0.0
    for _ in range(3):  # JPEG noise can push a pixel a little over: aim lower and try again
        if enforce:  # each try limits the previous one's pixels further
            limited = per_band(cmyk, lambda part: limit_ink(part, target))
            cmyk.close()
            cmyk = limited
        data = encode(cmyk)
        max_ink, over = measure_jpeg(data, limit)
        if not enforce or max_ink <= limit + INK_TOLERANCE:
            break
        target -= max_ink - limit
    cmyk.close()
    return data, max_ink, over


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


def encode(cmyk: Image.Image) -> bytes:
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
