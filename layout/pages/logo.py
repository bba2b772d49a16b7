"""The masthead with a logo (`paper.logo`): the 报头 artwork placed where the name would be set,
as large as the masthead allows above its particulars, centred, never distorted; a PDF logo as a
vector form (PdfPage), an SVG as the PDF page it is converted to, a PNG or JPEG as a picture. The Latin name and the particulars as usual."""
from __future__ import annotations

from ..model.grid import Grid, Rect
from ..model.issue import Issue
from . import furniture
from .furniture import Overflow
from .plan import Item, PdfPage, Picture
from .typeset import Setter

LOGO_GAP = 3.0  # pt between the logo and what is under it (the Latin name or the double rule)
MIN_LOGO_LINES = 2  # grid lines: a logo squeezed shorter than this is crowded out


def logo_masthead(setter: Setter, issue: Issue, rect: Rect,
                  grid: Grid) -> tuple[list[Item], Overflow | None]:
    logo = issue.paper.logo
    assert logo is not None
    items: list[Item] = []
    rows = furniture._masthead_particulars(setter, issue, rect, grid, items)
    small = setter.styles["masthead_small"].size
    rules_top = rect.bottom - 0.5 * grid.leading - rows * small * 1.5 - 4 - 0.6  # the double rule
    latin, latin_h = _latin_height(setter, issue, rect)
    top = rect.y + 0.04 * rect.h
    area = Rect(rect.x, top, rect.w, rules_top - LOGO_GAP - latin_h - top)
    overflow = None
    if area.h < MIN_LOGO_LINES * grid.leading:
        needed = (rect.h + MIN_LOGO_LINES * grid.leading - max(area.h, 0.0)) / grid.leading
        return items, Overflow("the masthead, with its logo,", needed, round(rect.h / grid.leading))
    scale = min(area.w / logo.width, area.h / logo.height)
    w, h = logo.width * scale, logo.height * scale
    place = Rect(area.x + (area.w - w) / 2, area.y + (area.h - h) / 2, w, h)
    if logo.kind in ("pdf", "svg"):  # vector: an SVG's converted page (util/svgfile.py)
        items.insert(0, PdfPage(logo.file, 1, place, logo.file.name))
    else:
        items.insert(0, Picture(logo.file, place, place, logo.file.name))
    if latin:
        names, _ = furniture.latin_name(setter, issue.paper, rect, place.bottom + LOGO_GAP, 0.0)
        items.extend(names)
    return items, overflow


def _latin_height(setter: Setter, issue: Issue, rect: Rect) -> tuple[bool, float]:
    """Whether the masthead sets a Latin name under the logo, and the height its lines take."""
    if not issue.paper.name_latin:
        return False, 0.0
    names, ink = furniture.latin_name(setter, issue.paper, rect, 0.0, 0.0)
    return True, ink
