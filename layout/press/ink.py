"""Total ink: measuring C+M+Y+K per pixel and limiting it (C, M, Y scaled down together, K kept).
Pixel work goes in bands of rows, so the temporaries stay small whatever the picture's size."""
from __future__ import annotations

import io
from typing import Iterator

from PIL import Image, ImageMath

INK_TOLERANCE = 2.0  # % over the limit still accepted after JPEG compression (its noise is ~1–3 %)
BAND_PIXELS = 2_000_000  # pixels converted per band: bounds the float temporaries (~8 MB each)


def bands(size: tuple[int, int]) -> Iterator[tuple[int, int, int, int]]:
    """Boxes of whole rows covering an image, about BAND_PIXELS each."""
    w, h = size
    rows = max(1, BAND_PIXELS // max(1, w))
    for top in range(0, h, rows):
        yield 0, top, w, min(h, top + rows)


def per_band(im: Image.Image, work) -> Image.Image:
    """`work` (a per-pixel function returning a CMYK image) applied band by band."""
    out = Image.new("CMYK", im.size)
    for box in bands(im.size):
        out.paste(work(im.crop(box)), box[:2])
    return out


def limit_ink(cmyk: Image.Image, limit: float) -> Image.Image:
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


def measure(cmyk: Image.Image, limit: float) -> tuple[float, float]:
    """(max total ink %, share of pixels over limit + tolerance), band by band."""
    highest = over_count = 0
    bound = (limit + INK_TOLERANCE) * 255.0 / 100.0
    for box in bands(cmyk.size):
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


def measure_jpeg(data: bytes, limit: float) -> tuple[float, float]:
    """`measure` of the JPEG as written (its noise is what reaches the plate)."""
    im = decode(data)
    try:
        return measure(im, limit)
    finally:
        im.close()


def decode(data: bytes) -> Image.Image:
    im = Image.open(io.BytesIO(data))
    im.load()
    if im.mode != "CMYK":
        raise ValueError(f"expected a CMYK JPEG, got {im.mode}")
    return im
