"""Page previews for the desk: the rendered PDF pages as PNGs (pypdfium2), with optional overlays
drawn by Pillow from the plan and the copyfit report.

Overlays (any of `OVERLAYS`):
- `grid`: the type area and the columns (tinted), gutters left clear;
- `baselines`: the body baseline grid;
- `modules`: every module outlined and labelled (story id, fill %, 超 N 字 / 缺 N 行); a story that
  is overset past its last module is filled and outlined in red, one that moves on in amber;
- `jumps`: the jump lines boxed, with an arrow and the page they jump to or from.

The previews show the trimmed page (bleed cropped). Coordinates of the plan are pt on the trimmed
page, origin top-left, so a point (x, y) is pixel (x, y) × dpi / 72.
"""
from __future__ import annotations

import io
import math
from functools import lru_cache
from pathlib import Path
from typing import Iterable, Sequence

from typing import TYPE_CHECKING

if TYPE_CHECKING:  # Pillow's drawing modules load when a preview is drawn
    from PIL import Image, ImageFont

from ..model.grid import Grid, Rect, page_grid
from ..model.issue import Issue, module_of_kind
from ..pages.plan import EditionPlan, TextLine
from .report import ModuleFit, Report, copyfit

OVERLAYS = ("grid", "modules", "baselines", "jumps")
LABEL_FACE = "LXGW WenKai"
LABEL_FALLBACK = Path("/usr/share/fonts/truetype/lxgw-wenkai/LXGWWenKai-Regular.ttf")

# RGBA colours of the overlays
COLUMN_TINT = (0, 120, 255, 22)
GRID_LINE = (0, 110, 230, 150)
BASELINE = (255, 0, 160, 70)
STORY = (0, 150, 60, 235)
MOVED = (230, 140, 0, 240)
OVERSET = (225, 0, 0, 255)
OVERSET_TINT = (255, 0, 0, 60)
FURNITURE = (110, 110, 110, 220)
JUMP = (150, 0, 210, 240)
LABEL_BG = (255, 255, 255, 225)


def parse_overlays(text: str | Iterable[str] | None) -> tuple[str, ...]:
    """`"grid,modules"` → ("grid", "modules"); `all` → every overlay; unknown names raise ValueError."""
    if text is None:
        return ()
    items = text.split(",") if isinstance(text, str) else list(text)
    names = [s.strip().lower() for s in items if s.strip()]
    if names == ["all"]:
        return OVERLAYS
    if names == ["none"]:
        return ()
    bad = [n for n in names if n not in OVERLAYS]
    if bad:
        raise ValueError(f"unknown overlay {', '.join(map(repr, bad))} "
                         f"(choose from {', '.join(OVERLAYS)}, or all)")
    return tuple(dict.fromkeys(names))


def parse_pages(text: str | None) -> tuple[int, ...] | None:
    """`"1,2"` or `"1-3,6"` → page numbers; None or empty → every page."""
    if not text:
        return None
    pages: list[int] = []
    for part in text.split(","):
        part = part.strip()
        if not part:
            continue
        lo, sep, hi = part.partition("-")
        if not lo.isdigit() or (sep and not hi.isdigit()):
            raise ValueError(f"bad page list {text!r}: give page numbers like 1,2 or 1-3")
        if sep and int(hi) < int(lo):
            raise ValueError(f"bad page range {part!r}: give the lower page first, like 1-3")
        pages.extend(range(int(lo), int(hi) + 1) if sep else [int(lo)])
    return tuple(dict.fromkeys(pages))


def png_name(stem: str, page: int) -> str:
    return f"{stem}-p{page:02d}.png"


@lru_cache(maxsize=None)
def _label_font_path() -> str | None:
    try:
        from .render import shared_fontbook

        return str(shared_fontbook().face(LABEL_FACE).path)
    except Exception:  # the labels still draw (in Pillow's own font) without the face
        return str(LABEL_FALLBACK) if LABEL_FALLBACK.is_file() else None


@lru_cache(maxsize=32)
def _font(px: int) -> "ImageFont.ImageFont | ImageFont.FreeTypeFont":
    from PIL import ImageFont

    path = _label_font_path()
    if path:
        try:
            return ImageFont.truetype(path, px)
        except OSError:
            pass
    return ImageFont.load_default(px)


def preview_pngs(pdf: Path | bytes, issue: Issue, plan: EditionPlan, pages: Sequence[int] | None,
                 dpi: float, overlays: Sequence[str], out_dir: Path, *, stem: str | None = None,
                 report: Report | None = None) -> list[Path]:
    """Rasterise the PDF's pages (`pages`: page numbers of the edition, None for all) at `dpi`, draw
    `overlays`, and write `out_dir/<stem>-pNN.png` (each atomically). Returns the paths written."""
    import pypdfium2 as pdfium

    from ..util.atomic import write_atomically

    overlays = parse_overlays(overlays)
    numbers = [p.number for p in plan.pages]
    wanted = numbers if pages is None else [n for n in pages if n in numbers]
    unknown = [] if pages is None else [n for n in pages if n not in numbers]
    if unknown:
        raise ValueError(f"no page {', '.join(map(str, unknown))} in this edition "
                         f"(pages {', '.join(map(str, numbers))})")
    if overlays and report is None:
        report = copyfit(issue, plan)
    stem = stem or Path(issue.source).stem
    scale = dpi / 72.0
    doc = pdfium.PdfDocument(pdf)
    written = []
    try:
        for n in wanted:
            index = numbers.index(n)
            page_plan = plan.pages[index]
            page = doc[index]
            bitmap = page.render(scale=scale)  # the whole sheet: bleed, and marks if any …
            sheet = bitmap.to_pil()
            # … cut to the TrimBox here, so that the PNG is round(trim × dpi / 72) px exactly
            m_left, _, _, m_top = page.get_mediabox()
            t_left, _, _, t_top = page.get_trimbox()
            left, top = round((t_left - m_left) * scale), round((m_top - t_top) * scale)
            width, height = round(page_plan.width * scale), round(page_plan.height * scale)
            image = sheet.crop((left, top, left + width, top + height)).convert("RGBA")
            bitmap.close()
            page.close()
            if overlays:
                image = draw_overlays(image, issue, plan, n, scale, overlays, report)
            buf = io.BytesIO()
            image.convert("RGB").save(buf, "PNG", optimize=False, compress_level=3)
            target = out_dir / png_name(stem, n)
            write_atomically(buf.getvalue(), target)
            written.append(target)
    finally:
        doc.close()
    return written


# --------------------------------------------------------------------------------------------------
# Overlays


class _Painter:
    def __init__(self, size: tuple[int, int], scale: float):
        from PIL import Image, ImageDraw

        self.layer = Image.new("RGBA", size, (0, 0, 0, 0))
        self.draw = ImageDraw.Draw(self.layer)
        self.s = scale
        self.label_px = max(11, round(9 * scale))
        self.line_w = max(1, round(scale * 0.9))

    def px(self, v: float) -> float:
        return v * self.s

    def box(self, r: Rect) -> tuple[float, float, float, float]:
        return (self.px(r.x), self.px(r.y), self.px(r.right), self.px(r.bottom))

    def label(self, x: float, y: float, text: str, color, *, anchor: str = "la",
              px: int | None = None) -> tuple[float, float, float, float]:
        """A text tag on a white plate at pixel (x, y); returns its box."""
        font = _font(px or self.label_px)
        pad = max(2, round((px or self.label_px) * 0.2))
        left, top, right, bottom = self.draw.textbbox((x, y), text, font=font, anchor=anchor)
        plate = (left - pad, top - pad, right + pad, bottom + pad)
        self.draw.rectangle(plate, fill=LABEL_BG, outline=color, width=1)
        self.draw.text((x, y), text, font=font, fill=color, anchor=anchor)
        return plate

    def arrow(self, start: tuple[float, float], end: tuple[float, float], color) -> None:
        w = max(2, self.line_w + 1)
        self.draw.line([start, end], fill=color, width=w)
        (x0, y0), (x1, y1) = start, end
        ang = math.atan2(y1 - y0, x1 - x0)
        head = max(6.0, 5 * self.s)
        for da in (2.6, -2.6):
            self.draw.line([end, (x1 + head * math.cos(ang + da), y1 + head * math.sin(ang + da))],
                           fill=color, width=w)


def draw_overlays(image: "Image.Image", issue: Issue, plan: EditionPlan, page_number: int,
                  scale: float, overlays: Sequence[str],
                  report: Report | None = None) -> "Image.Image":
    """`image` (the trimmed page at `scale` px/pt) with the overlays of page `page_number` drawn."""
    report = report or copyfit(issue, plan)
    grid = page_grid(issue.format, issue.styles["body"].leading, page_number)
    painter = _Painter(image.size, scale)
    if "grid" in overlays:
        _grid(painter, grid)
    if "baselines" in overlays:
        _baselines(painter, grid, issue.styles["body"].size)
    rows = [m for m in report.modules if m.page == page_number]
    if "modules" in overlays:
        for m in rows:
            _module(painter, grid, m)
    if "jumps" in overlays:
        page_plan = next(p for p in plan.pages if p.number == page_number)
        _jumps(painter, grid, rows, [i for i in page_plan.items
                                     if isinstance(i, TextLine) and i.role == "jump"], report)
    from PIL import Image

    return Image.alpha_composite(image.convert("RGBA"), painter.layer)


def _grid(p: _Painter, grid: Grid) -> None:
    area = grid.type_area
    for col in range(1, grid.columns + 1):
        x = grid.column_x(col)
        r = Rect(x, area.y, grid.column_width, area.h)
        p.draw.rectangle(p.box(r), fill=COLUMN_TINT)
        p.draw.line([(p.px(x), p.px(area.y)), (p.px(x), p.px(area.bottom))], fill=GRID_LINE, width=1)
        p.draw.line([(p.px(r.right), p.px(area.y)), (p.px(r.right), p.px(area.bottom))],
                    fill=GRID_LINE, width=1)
        p.label(p.px(x + grid.column_width / 2), p.px(area.y) - 3, str(col), GRID_LINE,
                anchor="mb", px=max(9, round(p.label_px * 0.8)))
    p.draw.rectangle(p.box(area), outline=GRID_LINE, width=p.line_w)
    # line numbers every 10 lines in the left margin
    for line in range(10, grid.lines + 1, 10):
        y = p.px(grid.band_top(line))
        p.draw.text((p.px(area.x) - 3, y), str(line), font=_font(max(9, round(p.label_px * 0.7))),
                    fill=GRID_LINE, anchor="rt")


def _baselines(p: _Painter, grid: Grid, size: float) -> None:
    area = grid.type_area
    x0, x1 = p.px(area.x), p.px(area.right)
    for line in range(1, grid.lines + 1):
        y = p.px(grid.baseline(line, size))
        p.draw.line([(x0, y), (x1, y)], fill=BASELINE, width=1)


def _module_color(m: ModuleFit):
    if not m.is_story:
        return OVERSET if m.crowded_lines else FURNITURE
    if m.overset_chars:
        return OVERSET
    if m.jump_to is not None:
        return MOVED
    return STORY


def _module_caption(m: ModuleFit) -> str:
    if not m.is_story:
        return f"{m.label}  超 {m.crowded_lines} 行" if m.crowded_lines else m.label
    parts = [m.label + (" (续)" if m.kind == "continue" else "")]
    if m.fill is not None:
        parts.append(f"{m.fill:.0f}%")
    if m.overset_chars:
        parts.append(f"超 {m.overset_chars} 字 overset")
    elif m.overflow_chars and m.jump_to is not None:
        parts.append(f"超 {m.overflow_chars} 字 → 第{m.jump_to}版")
    elif m.spare_lines:
        parts.append(f"缺 {m.spare_lines} 行")
    return "  ".join(parts)


def _module(p: _Painter, grid: Grid, m: ModuleFit) -> None:
    rect = _rect(grid, m)
    color = _module_color(m)
    inset = p.line_w + 1  # keep neighbouring outlines apart
    x0, y0, x1, y1 = p.box(rect)
    box = (x0 + inset, y0 + inset, x1 - inset, y1 - inset)
    alarm = m.overset_chars or m.crowded_lines
    if alarm:
        p.draw.rectangle(box, fill=OVERSET_TINT)
    width = p.line_w * (3 if alarm else 2)
    p.draw.rectangle(box, outline=color, width=width)
    x = box[0] + width + 3
    if m.is_story and m.spare_lines:
        # Bottom left: where a story that does not fill its module leaves its spare lines,
        # rather than over the headline.
        plate = p.label(x, box[3] - width - 3, _module_caption(m), color, anchor="ld")
        if m.missing:
            p.label(x, plate[1] - 3, "缺字 " + " ".join(m.missing), OVERSET, anchor="ld")
    else:  # full (its last line may be a jump line), or furniture: top left
        plate = p.label(x, box[1] + width + 3, _module_caption(m), color)
        if m.missing:
            p.label(x, plate[3] + 3, "缺字 " + " ".join(m.missing), OVERSET)


def _jumps(p: _Painter, grid: Grid, rows: list[ModuleFit], lines: list[TextLine],
           report: Report) -> None:
    """Each jump line boxed; an arrow leaves the module (下转) or enters it (上接), and the free end
    of the jump line names the module at the other end: `→ p2 c1·l1` (page, column, line)."""
    for t in lines:
        m = next((r for r in rows if r.is_story and r.ref == t.story and _in_module(grid, r, t)), None)
        box = (p.px(t.x) - 1, p.px(t.baseline - t.size * 0.95), p.px(t.x + grid.column_width) + 1,
               p.px(t.baseline + t.size * 0.3))
        p.draw.rectangle(box, outline=JUMP, width=max(2, p.line_w + 1))
        if m is None:
            continue
        rect = _rect(grid, m)
        mid_y = (box[1] + box[3]) / 2
        px = max(9, min(p.label_px, round((box[3] - box[1]) * 0.9)))
        # 下转 is the module's last slot (its columns are filled in turn), 上接 its first.
        going_on = m.jump_to is not None and \
            abs(t.baseline - _last_baseline(grid, m, t.size)) < 0.5 * grid.leading
        other = _other_end(report, m, going_on)
        where = "?" if other is None else f"p{other.page} c{other.col}·l{other.line}"
        # The jump text is right-aligned (下转) or left-aligned (上接): the label goes in the free
        # part of the column, in its longest form that fits there.
        text_from = p.px(t.x + t.glyphs[0][1]) if t.glyphs else box[2]
        text_to = p.px(t.x + t.glyphs[-1][1] + t.size) if t.glyphs else box[0]
        page = "?" if other is None else f"p{other.page}"
        if going_on:  # the arrow leaves the module on the right; the label sits left of the text
            p.arrow((box[2] + 2, mid_y), (p.px(rect.right) + 16, mid_y), JUMP)
            free = text_from - box[0] - 8
            text = _fitting(p, px, free, [f"{m.ref} → {where}", f"→ {where}", f"→ {page}"])
            if text:
                p.label(box[0] + 4, mid_y, text, JUMP, anchor="lm", px=px)
        else:  # the arrow comes in from the left; the label sits right of the text
            p.arrow((p.px(rect.x) - 16, mid_y), (box[0] - 2, mid_y), JUMP)
            free = box[2] - text_to - 8
            text = _fitting(p, px, free, [f"{where} →", f"{page} →"])
            if text:
                p.label(box[2] - 4, mid_y, text, JUMP, anchor="rm", px=px)


def _fitting(p: _Painter, px: int, room: float, texts: list[str]) -> str | None:
    font = _font(px)
    pad = 2 * max(2, round(px * 0.2))
    return next((t for t in texts if p.draw.textlength(t, font=font) + pad <= room), None)


def _other_end(report: Report, m: ModuleFit, going_on: bool) -> ModuleFit | None:
    chain = sorted(report.story_modules(str(m.ref)), key=lambda r: r.kind != "article")
    try:
        k = chain.index(m)
    except ValueError:
        return None
    k += 1 if going_on else -1
    return chain[k] if 0 <= k < len(chain) else None


def _rect(grid: Grid, m: ModuleFit) -> Rect:
    return grid.module_rect(module_of_kind(m.kind, m.ref, m.col, m.line, m.cols, m.lines))  # type: ignore[arg-type]


def _in_module(grid: Grid, m: ModuleFit, t: TextLine) -> bool:
    r = _rect(grid, m)
    return r.x - 0.5 <= t.x < r.right and r.y <= t.baseline <= r.bottom + 0.5


def _last_baseline(grid: Grid, m: ModuleFit, size: float) -> float:
    return grid.baseline(m.line + m.lines - 1, size)
