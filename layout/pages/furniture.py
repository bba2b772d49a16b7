"""Everything on a page that is not running body text: headline blocks, the masthead, the 报眉 page
header, the 导读 index box, pictures with captions, and column rules. Pure: returns plan items."""
from __future__ import annotations

import math
from dataclasses import dataclass

from ..util.imagefile import image_size
from ..util.dates import masthead_date
from ..model.grid import EM_BOX_ASCENT, Grid, Rect
from ..flow.jumps import page_label
from ..model.issue import Article, Colour, Image, Index, Issue, Module, Page
from ..util.locale import wording
from ..spec.defaults import SMALL_PRINT  # masthead and header small print (五号), away from the body size
from .plan import BLACK, GREY, RED, WHITE, Fill, Ink, Item, Picture, Rule, TextLine, ink
from .typeset import Setter
from .header import header_rule, header_texts

HEADLINE_LINE_HEIGHT = 1.25  # display lines, in em of their own size
BLOCK_PAD = 0.5  # space above and below a headline block, in body lines
MIN_TYPE = 4.0  # pt: no furniture text is set smaller (docs/spec.md: type sizes are at least 4 pt)
MIN_SMALL_PRINT = 5.0  # 八号: the Latin name is set no smaller to fit a narrow masthead
RULE = 0.3


@dataclass(frozen=True)
class Overflow:
    """Furniture text that needs more grid lines than its module gives it."""

    what: str
    needed: float
    lines: int


@dataclass(frozen=True)
class Block:
    """A headline block: its items (positioned relative to the module's top) and its grid lines."""

    items: tuple[TextLine, ...]
    lines: int


def _baseline_in_band(grid: Grid, line: int, size: float) -> float:
    """Baseline of non-body text centred in a grid band (captions, small print)."""
    return grid.band_top(line) + (grid.leading - size) / 2 + EM_BOX_ASCENT * size


def display_texts(article: Article, headline_size: float | None,
                  continued: bool) -> list[tuple[str, str, float | None]]:
    """A headline block's display lines as (style, text, size override), in reading order: kicker,
    headline, subtitle; a continuation repeats only the headline, in `continued_headline`."""
    if continued:
        return [("continued_headline", article.headline, headline_size)] if article.headline else []
    return [(style, text, size) for style, text, size in (
        ("kicker", article.kicker, None), ("headline", article.headline, headline_size),
        ("subtitle", article.subtitle, None)) if text]


def headline_block(setter: Setter, article: Article, rect: Rect, grid: Grid, story: str, *,
                   headline_size: float | None, continued: bool,
                   colour: Colour | None = None) -> Block:
    """Kicker, headline and subtitle centred across the module and rounded up to whole grid lines
    (convention 5), then the byline on grid lines of its own, set like body text. A continuation
    repeats only the headline, in `continued_headline`. `colour` (the module's `headline_colour`)
    colours the headline line(s) only, over its style's colour: 套红 is the 主题's, the kicker and
    subtitle stay in theirs."""
    display = display_texts(article, headline_size, continued)
    items: list[TextLine] = []
    lines = 0
    if display:
        pad = BLOCK_PAD * grid.leading
        y = pad
        placed = []
        for style, text, size in display:
            size = size or setter.styles[style].size
            y += 0.25 * size if placed else 0.0
            for line in setter.balanced(text, style, rect.w, size=size):
                placed.append((style, size, y + EM_BOX_ASCENT * size, line))
                y += size * HEADLINE_LINE_HEIGHT
        height = y + pad
        lines = math.ceil(height / grid.leading - 1e-6)
        shift = (lines * grid.leading - height) / 2
        own = None if colour is None else ink(colour)
        items.extend(setter.place(line, rect.x, rect.y + base + shift, style, size=size, role=style,
                                  story=story, color=own if style.endswith("headline") else None)
                     for style, size, base, line in placed)
    if article.byline and not continued:
        size = setter.styles["byline"].size
        # Set like a paragraph opening (left, with the body's indent), as Chinese dailies do.
        indent = setter.styles["body"].indent
        for line in byline_lines(setter, article.byline, rect.w, indent):
            lines += 1
            base = rect.y + (lines - 1) * grid.leading + EM_BOX_ASCENT * size
            items.append(setter.place(line, rect.x, base, "byline", role="byline", story=story))
    return Block(tuple(items), lines)


def byline_lines(setter: Setter, text: str, width: float, indent: float) -> list:
    """A byline's lines, broken between the names it separates with U+3000 (本报记者　欧阳某某　
    司马某某), never inside a name, while each name fits a line; set like body text (justified, the
    last line ragged, the first indented). The separator where a line breaks is not set, as a space
    at a line end is not, so the name before it ends flush on the column edge."""
    names = text.split("\u3000")
    if len(names) > 1 and all(names):  # doubled, leading or trailing separators: set as written
        size = setter.styles["byline"].size

        def fits(a: int, b: int) -> bool:  # the line [a, b) without the separator it breaks at
            shown = text[a:b - 1] if b < len(text) else text[a:b]
            return setter.natural_width(shown, "byline", size=size) <= width - (indent if a == 0 else 0.0) + 0.01

        breaks: list[int] = []
        start = end = 0
        for k, name in enumerate(names):
            stop = end + len(name) + (1 if k + 1 < len(names) else 0)  # with its separator
            if end > start and not fits(start, stop):
                breaks.append(end)
                start = end
            end = stop
        breaks.append(len(text))
        edges = [0, *breaks]
        if all(fits(a, b) for a, b in zip(edges, edges[1:])):
            chars = list(text)
            for b in breaks[:-1]:
                chars[b - 1] = " "
            return setter.paragraph("".join(chars), "byline").set_breaks(breaks, width, indent=indent)
    return setter.lines(text, "byline", width, align="justify", indent=indent)


def picture(setter: Setter, image: Image, rect: Rect, grid: Grid,
            module: Module) -> tuple[list[Item], Overflow | None]:
    """Convention 7: the caption takes whole grid lines at the bottom; the picture covers the rest,
    cropped about its centre. A caption may take at most half the module: past that the picture
    shrinks to a strip, or the caption runs out of the module (an Overflow)."""
    items: list[Item] = []
    cap_lines = 0
    overflow = None
    if image.caption:
        lines = setter.balanced(image.caption, "caption", rect.w - 2 * grid.gutter)
        if len(lines) > module.lines // 2:
            overflow = Overflow(f"the caption of image {image.id!r}", len(lines), module.lines // 2)
            lines = lines[:module.lines // 2]  # drawn inside the module; the render refuses it
        cap_lines = len(lines)
        first = module.line + module.lines - cap_lines
        for k, line in enumerate(lines):
            base = _baseline_in_band(grid, first + k, setter.styles["caption"].size)
            items.append(setter.place(line, rect.x + grid.gutter, base, "caption", role="caption"))
    area = Rect(rect.x, rect.y, rect.w, rect.h - cap_lines * grid.leading - (
        0.2 * grid.leading if cap_lines else 0.0))
    iw, ih = image_size(image.file)  # ImageFileError, worded, for anything a render cannot use
    scale = max(area.w / iw, area.h / ih)
    w, h = iw * scale, ih * scale
    place = Rect(area.x + (area.w - w) / 2, area.y + (area.h - h) / 2, w, h)
    items.insert(0, Picture(image.file, area, place))
    return items, overflow


def index_box(setter: Setter, index: Index, rect: Rect, grid: Grid, numerals: str,
              see_page: str = "详见第{page}版", see_label: str = "详见{label}版",
              labels: dict[int, str] | None = None) -> tuple[list[Item], Overflow | None]:
    """The 导读 box: a title band, then each item's kicker, headline, subtitle and page reference,
    the items spread down the box with hairlines between them. Items that do not fit even with the
    tightest spacing make an Overflow."""
    # The rules lie inside the box, their outer edges on its edges: nothing of the box is drawn on
    # the module above or below it (an ad, say).
    items: list[Item] = [
        Rule(rect.x, rect.y + 0.75, rect.right, rect.y + 0.75, 1.5, RED),
        Rule(rect.x, rect.bottom - 0.375, rect.right, rect.bottom - 0.375, 0.75, RED),
    ]
    pad = grid.gutter
    inner = rect.w - 2 * pad
    y = rect.y + 0.5 * grid.leading
    if index.title:
        tsize = setter.styles["index_title"].size
        title = setter.lines(index.title, "index_title", inner, align="center")
        step = tsize * HEADLINE_LINE_HEIGHT
        band = Rect(rect.x, y, rect.w, tsize * 1.6 + (len(title) - 1) * step)  # every title line
        items.append(Fill(band, RED))
        for k, line in enumerate(title):
            items.append(setter.place(line, rect.x + pad, band.y + (tsize * 1.6 - tsize) / 2
                                      + k * step + EM_BOX_ASCENT * tsize, "index_title", color=WHITE))
        y = band.bottom
    entries = [_index_entry(setter, item, inner, numerals, see_page, see_label, labels or {})
               for item in index.items]
    used = sum(height for height, _ in entries)
    room = rect.bottom - 0.5 * grid.leading - y - used
    gap = max(0.6 * grid.leading, min(2.5 * grid.leading, room / max(1, len(entries))))
    needed = (y - rect.y) + used + gap * len(entries) + 0.5 * grid.leading
    overflow = None
    if needed > rect.h + 0.01:
        overflow = Overflow(f"the index box {index.id!r}", needed / grid.leading,
                            round(rect.h / grid.leading))
    for n, (height, lines) in enumerate(entries):
        if n:
            items.append(Rule(rect.x + pad, y + gap / 2, rect.right - pad, y + gap / 2, RULE, GREY))
        y += gap if n else gap / 2
        for dy, line, style, color in lines:
            items.append(setter.place(line, rect.x + pad, y + dy, style, color=color))
        y += height
    return items, overflow


def _index_entry(setter: Setter, item, width: float, numerals: str, see_page: str,
                 see_label: str, labels: dict[int, str]):
    """One index item as (height, [(baseline offset, line, style, colour)])."""
    out = []
    y = 0.0
    parts = [("index_small", item.kicker, BLACK), ("index_item", item.headline, BLACK),
             ("index_small", item.subtitle, BLACK)]
    if item.page is not None:
        label = labels.get(item.page)  # a section page: 详见A3版
        parts.append(("index_small", see_label.format(label=label) if label else
                      see_page.format(page=page_label(item.page, numerals)), RED))
    for k, (style, text, color) in enumerate(parts):
        if not text:
            continue
        size = setter.styles[style].size
        # Item texts are display lines, flush left and broken between phrases (not balanced: a
        # filled first line reads better in a box); the page ref sits right.
        lines = setter.lines(text, style, width, align="right" if k == 3 else "left",
                             display=k != 3)
        for line in lines:
            out.append((y + EM_BOX_ASCENT * size, line, style, color))
            y += size * 1.35
    return y, out


def masthead(setter: Setter, issue: Issue, rect: Rect,
             grid: Grid) -> tuple[list[Item], Overflow | None]:
    """报头: the paper's name large and red, its Latin name, and the issue's particulars below a rule:
    two columns of small print where each row's two sides fit side by side, else one column."""
    items, ink, refused = _masthead_names(setter, issue.paper, rect)
    rows = _masthead_particulars(setter, issue, rect, grid, items)
    step = setter.styles["masthead_small"].size * 1.5
    # Names, the double rule (4 pt above the particulars), the particulars; 1 pt of grace, since
    # the em box bottom is below the Latin capitals.
    needed = (ink - rect.y) + refused + 4 + rows * step + 0.5 * grid.leading
    overflow = None
    if needed > rect.h + 1.0:
        what = f"the masthead, with its paper name at {MIN_TYPE:g} pt," if refused else "the masthead"
        overflow = Overflow(what, needed / grid.leading, round(rect.h / grid.leading))
    return items, overflow


def masthead_ink(setter: Setter) -> Ink:
    """The masthead's colour: `styles.masthead.colour`, red by default (套红)."""
    colour = setter.styles["masthead"].colour
    return RED if colour is None else ink(colour)


def _masthead_names(setter: Setter, paper, rect: Rect) -> tuple[list[Item], float, float]:
    """The paper's name and its Latin name, from the masthead's top: (items, bottom of the em box
    of the last line set, height the name would need when it cannot be set at all)."""
    items: list[Item] = []
    # The name on one line across most of the width, as large as the height allows; a name too
    # long for that at MIN_TYPE goes over several lines at MIN_TYPE, or is refused (never drawn).
    name_size = max(MIN_TYPE, min(rect.h * 0.42, rect.w * 0.78 / max(1, len(paper.name))))
    y = rect.y + 0.04 * rect.h
    ink = y  # bottom of the em box of the last line set so far
    refused = 0.0  # height the name would need, when it cannot be set in the masthead at all
    estimate = _line_count(setter, paper.name, "masthead", rect.w, name_size)
    if estimate * name_size * 1.1 > rect.h:
        refused = estimate * name_size * 1.1
    else:
        for line in setter.lines(paper.name, "masthead", rect.w, align="center", size=name_size):
            items.append(setter.place(line, rect.x, y + EM_BOX_ASCENT * name_size, "masthead",
                                      size=name_size, color=masthead_ink(setter), role="masthead"))
            ink = y + name_size
            y += name_size * 1.1
    latin, ink = latin_name(setter, paper, rect, y, ink)
    return items + latin, ink, refused


def latin_name(setter: Setter, paper, rect: Rect, y: float, ink: float) -> tuple[list[Item], float]:
    """The Latin name under the paper's name (or logo), its first em box top at `y`: (items,
    bottom of the em box of its last line, else `ink`)."""
    items: list[Item] = []
    if paper.name_latin:
        # Letter-spaced caps, as mastheads set them; plain, then smaller, where the width is short.
        text, lsize = " ".join(paper.name_latin), SMALL_PRINT * 1.3
        if setter.natural_width(text, "masthead_small", size=lsize) > rect.w:
            text = paper.name_latin
            lsize = max(MIN_SMALL_PRINT, min(lsize, lsize * rect.w / setter.natural_width(text, "masthead_small", size=lsize)))
        for line in setter.lines(text, "masthead_small", rect.w, align="center", size=lsize):
            items.append(setter.place(line, rect.x, y + EM_BOX_ASCENT * lsize, "masthead_small",
                                      size=lsize, color=masthead_ink(setter), role="masthead"))
            ink = y + lsize
            y += lsize * 1.4
    return items, ink


def _masthead_particulars(setter: Setter, issue: Issue, rect: Rect, grid: Grid,
                          items: list[Item]) -> int:
    """The date, numbers and names in small print at the masthead's foot under a double rule,
    appended to `items`; returns the rows of small print."""
    paper, info = issue.paper, issue.issue
    words = wording(paper.locale)
    left = [masthead_date(info.date, locale=paper.locale, era=info.era),
            "　".join(x for x in (paper.organ_of, paper.rating) if x),
            "　".join(x for x in (paper.sponsor, paper.publisher) if x)]
    right = ["　".join(x for x in (
        words.issue_number.format(n=info.number) if info.number is not None else None,
        words.pages_today.format(n=info.pages_total) if info.pages_total else None) if x),
        words.serial.format(serial=paper.serial) if paper.serial else "",
        words.editor_in_chief.format(name=paper.editor_in_chief) if paper.editor_in_chief else ""]
    left, right = [t for t in left if t], [t for t in right if t]
    small = setter.styles["masthead_small"].size  # 五号 unless the spec sets the style
    gap = small  # one em between the two sides of a row
    side_by_side = all(setter.natural_width(a, "masthead_small", size=small) + gap + setter.natural_width(b, "masthead_small", size=small)
                       <= rect.w for a, b in zip(left, right))
    columns = [(left, "left"), (right, "right")] if side_by_side else [(left + right, "left")]
    set_columns = [[setter.lines(t, "masthead_small", rect.w, align=align) for t in texts]
                   for texts, align in columns]
    step = small * 1.5
    rows = max((sum(len(lines) for lines in col) for col in set_columns), default=0)
    top = rect.bottom - 0.5 * grid.leading - rows * step
    items.append(Rule(rect.x, top - 4, rect.right, top - 4, 1.2, masthead_ink(setter)))
    items.append(Rule(rect.x, top - 1.5, rect.right, top - 1.5, 0.4, masthead_ink(setter)))
    for col, (_, align) in zip(set_columns, columns):
        yy = top + 0.3 * step
        for lines in col:
            for line in lines:
                items.append(setter.place(line, rect.x, yy + EM_BOX_ASCENT * small,
                                          "masthead_small", role="masthead"))
                yy += step
    return rows


def _line_count(setter: Setter, text: str, style: str, width: float, size: float) -> int:
    """How many lines of `width` the text takes at `size`, at least (its whole width divided;
    breaks only add to it)."""
    return max(1, math.ceil(_width(setter, text, style, size) / width - 1e-9))


def _width(setter: Setter, text: str, style: str, size: float | None = None) -> float:
    """The width of the whole text set on one line (natural_width stops at a line of 1e6 pt)."""
    return sum(line.width for line in setter.lines(text, style, 1e6, size=size))


def page_header(setter: Setter, issue: Issue, page: Page,
                grid: Grid) -> tuple[list[Item], Overflow | None]:
    """报眉 in the top margin of pages after the first: page number (or label) and section on the
    outside edge, paper name and date on the inside, a rule beneath (`header:` changes them). Both sides share one line, an em
    apart: set smaller where they would meet, down to MIN_TYPE; below that the texts are not drawn
    and the Overflow says how many header lines they would need at MIN_TYPE."""
    base = grid.top - 0.9 * grid.leading
    left_page = page.number % 2 == 0
    outer, inner = header_texts(issue, page)
    size = setter.styles["header"].size
    natural = _width(setter, outer, "header") + _width(setter, inner, "header") + size  # an em apart
    items: list[Item] = []
    overflow = None
    if natural > grid.width:
        size *= grid.width / natural * 0.999
    if size < MIN_TYPE:
        overflow = Overflow(f"the page header, at {MIN_TYPE:g} pt,",
                            natural * MIN_TYPE / setter.styles["header"].size / grid.width, 1)
    else:
        for text, align in ((outer, "left" if left_page else "right"),
                            (inner, "right" if left_page else "left")):
            for line in setter.lines(text, "header", grid.width, align=align, size=size):
                items.append(setter.place(line, grid.left, base, "header", size=size,
                                          role="header"))
    items.extend(header_rule(issue.header.rule, grid))
    return items, overflow


def column_rules(grid: Grid, cells: dict[tuple[int, int], tuple[int, bool]],
                 tops: list[tuple[Rect, int, bool]]) -> list[Item]:
    """栏线: vertical hairlines in each gutter where columns of text meet (interrupted where one
    module spans the gutter with a headline, picture or box), and a rule over each module that has
    another above it: in the foot of the one above, or in its own head when the one above is an
    ad (nothing is drawn on an ad). `cells` maps (col, line) → (module index, is body text)."""
    items: list[Item] = []
    for col in range(1, grid.columns):
        x = grid.column_x(col) + grid.column_width + grid.gutter / 2
        run_start = None
        for line in range(1, grid.lines + 2):
            a, b = cells.get((col, line)), cells.get((col + 1, line))
            on = a is not None and b is not None and (a[0] != b[0] or (a[1] and b[1]))
            if on and run_start is None:
                run_start = line
            elif not on and run_start is not None:
                items.append(Rule(x, grid.band_top(run_start) + 0.15 * grid.leading, x,
                                  grid.band_top(line) - 0.15 * grid.leading, RULE))
                run_start = None
    for rect, line, under_ad in tops:
        if line > 1:
            y = rect.y + (0.1 if under_ad else -0.1) * grid.leading
            items.append(Rule(rect.x, y, rect.right, y, RULE))
    return items
