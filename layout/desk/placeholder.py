"""The placeholder picture of a starter spec: a grey field with a frame, both diagonals and its size
written in the middle, so a desk sees at a glance where a photo goes and at what size."""
from __future__ import annotations

from pathlib import Path

from PIL import Image, ImageDraw, ImageFont

FIELD = (214, 214, 214)
INK = (120, 120, 120)
# Over the 200 dpi under which a render reports a photo as too coarse (layout.colour.MIN_DPI).
DPI = 220


def pixel_size(width_pt: float, height_pt: float, dpi: int = DPI) -> tuple[int, int]:
    """Pixels for a picture area of `width_pt` × `height_pt` printed at `dpi`."""
    return max(16, round(width_pt / 72 * dpi)), max(16, round(height_pt / 72 * dpi))


def draw_placeholder(size: tuple[int, int], label: str) -> Image.Image:
    """A greyscale-looking RGB picture: frame, diagonals, `label` centred on a plain band."""
    w, h = size
    im = Image.new("RGB", size, FIELD)
    d = ImageDraw.Draw(im)
    stroke = max(2, min(w, h) // 150)
    d.rectangle([0, 0, w - 1, h - 1], outline=INK, width=stroke * 2)
    d.line([(0, 0), (w - 1, h - 1)], fill=INK, width=stroke)
    d.line([(0, h - 1), (w - 1, 0)], fill=INK, width=stroke)
    font = ImageFont.load_default(size=max(10, min(w, h) // 14))
    box = d.textbbox((0, 0), label, font=font)
    tw, th = box[2] - box[0], box[3] - box[1]
    pad = th // 2
    x, y = (w - tw) // 2, (h - th) // 2
    d.rectangle([x - pad, y - pad, x + tw + pad, y + th + pad], fill=FIELD, outline=INK, width=stroke)
    d.text((x - box[0], y - box[1]), label, fill=INK, font=font)
    return im


def write_placeholder(path: Path, width_pt: float, height_pt: float) -> tuple[int, int]:
    """Write the placeholder PNG for a picture area of the given size; return its pixel size."""
    px = pixel_size(width_pt, height_pt)
    mm = (width_pt * 25.4 / 72, height_pt * 25.4 / 72)
    label = f"{mm[0]:.0f} x {mm[1]:.0f} mm  ({px[0]} x {px[1]} px)"
    draw_placeholder(px, label).save(path, format="PNG", dpi=(DPI, DPI), optimize=True)
    return px
