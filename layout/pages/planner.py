"""The orchestrator: Issue → placed pages. Composes each story once, flows it through its chain of
modules, writes its jump lines, and adds the page furniture (each module through the registry in
`placers`). Never imports the PDF writer."""
from __future__ import annotations

from dataclasses import replace
from typing import Iterator, Sequence

from . import furniture
from ..compose.types import Breaking, ComposedLine
from ..util.errors import FontError, LayoutError, SpecError
from ..flow.chain import BodyBox, FlowItem, Flowed, Jump, Slot, Tall, flow_story
from ..model.grid import Grid, Rect, page_grid
from ..flow.jumps import Link, chain_links, jump_text
from ..model.issue import (AdModule, Article, Issue, Module, ModuleId, Page, RuleModule,
                           SourceRef, StoryModule, TablePart)
from ..model.story import BODY, Block, Paragraph, Subhead, paragraphs
from ..model.wrap import headline_photo
from . import storyarea
from ..flow.measured import flow_measured
from .boxes import inner, under_a_box
from .placers import Where, in_module, place_module
from .table import table_texts
from .plan import (Crowded, EditionPlan, Item, MissingGlyph, PagePlan, Placement, Room,
                   StoryFit, TextLine)
from .typeset import Setter, StyledLine
from .vertical import headless, headlines_beside, set_vertical_story

MIN_BODY_ROWS = 2  # a story module leaves at least two lines for its body


def face_language(issue: Issue) -> str:
    """The language the faces are opened for: a zh-Hant paper's locale (their `locl` forms for
    it); none for zh-Hans, the default (each face's own forms, as the desk chose the face)."""
    return "" if issue.paper.locale == "zh-Hans" else issue.paper.locale


def load_faces(issue: Issue, fontbook) -> dict[str, object]:
    faces = {}
    for role, name in issue.fonts.items():
        try:
            faces[role] = fontbook.face(name, face_language(issue))
        except FontError as e:
            e.role = role  # the render edge turns this into file:line: fonts.<role>
            raise
    return faces


def plan_issue(issue: Issue, fontbook, breaking: Breaking = "total-fit") -> EditionPlan:
    faces = load_faces(issue, fontbook)
    setter = Setter(faces, issue.styles, issue.typography, breaking)
    missing = tuple(find_missing_glyphs(issue, setter))
    body = issue.styles["body"]
    pages = sorted(issue.pages, key=lambda p: p.number)
    grids = {p.number: page_grid(issue.format, body.leading, p.number) for p in pages}
    items: dict[int, list[Item]] = {p.number: [] for p in pages}
    block_lines: dict[ModuleId, int] = {}  # story module → its headline block's grid lines
    unruled: set[tuple[int, int, int]] = set()  # (page, col, line) no column rule crosses

    fits = [_set_story(issue, setter, issue.articles[story], chain, grids, items, block_lines,
                       unruled) for story, chain in chain_links(issue).items()]
    crowded: list[Crowded] = []
    for page in pages:
        grid = grids[page.number]
        out = items[page.number]
        for mid, m in page.module_ids():
            placed, overflow = place_module(setter, issue, Where(m, mid, grid.module_rect(m), grid))
            out.extend(placed)
            if overflow is not None:
                crowded.append(Crowded(overflow.what, overflow.needed, overflow.lines, page.number,
                                       m.source))
        if page.number > 1:
            placed, overflow = furniture.page_header(setter, issue, page, grid)
            out.extend(placed)
            if overflow is not None:
                crowded.append(Crowded(overflow.what, overflow.needed, overflow.lines, page.number,
                                       page.source, room="the top margin"))
        if issue.format.column_rules:
            out.extend(_rules(page, grid, block_lines, unruled))

    plans = tuple(
        PagePlan(p.number, issue.format.trim_width, issue.format.trim_height, issue.format.bleed,
                 tuple(sorted(items[p.number], key=_paint_order)))
        for p in pages)
    return EditionPlan(plans, tuple(fits), missing, setter.face("body").key, tuple(crowded))


def _paint_order(item: Item) -> int:
    # Pictures and fills first, so that rules and text are painted over them.
    return {"Picture": 0, "PdfPage": 0, "Fill": 1, "Rule": 2}.get(type(item).__name__, 3)


def compose_story(setter: Setter, article: Article, width: float) -> list[FlowItem]:
    """The story's body broken into lines of one measure, block after block: paragraphs in their
    style (body or quote, one run or several), each subhead a `Tall` item on whole grid lines."""
    lines: list[FlowItem] = []
    for k, block in enumerate(article.body):
        if isinstance(block, Subhead):
            lines.append(subhead_item(setter, block, width, first=k == 0))
        else:
            lines.extend(compose_paragraph(setter, block, width))
    return lines


def compose_paragraph(setter: Setter, para: Paragraph, width: float,
                      count: int | None = None) -> list[ComposedLine] | None:
    """One paragraph justified at the column measure (in exactly `count` lines when given, or
    None if it cannot be): a plain body paragraph as always (the fast path); a quote at the
    measure less its style's inset, its lines moved in by it; runs of several styles as
    StyledLines (which the planner places one TextLine per style)."""
    style = setter.styles[para.style]
    indent = setter.styles[BODY].indent if para.style == BODY else style.indent
    measure = width - style.inset if isinstance(width, (int, float)) else \
        tuple(w - style.inset for w in width)  # one width a line (flow/measured.py)
    if para.style == BODY and para.plain:
        if count is None:
            return setter.lines(para.text, BODY, width, align="justify", indent=indent)
        return setter.lines_exactly(para.text, BODY, width, count, indent=indent)
    runs = tuple((run.text, run.style) for run in para.runs)
    if count is None:
        lines = setter.run_lines(runs, measure, indent=indent)
    else:
        lines = setter.run_lines_exactly(runs, measure, count, indent=indent)
    return lines if lines is None or not style.inset else [_moved(line, style.inset)
                                                           for line in lines]


def _moved(line: ComposedLine, dx: float) -> ComposedLine:
    return replace(line, glyphs=tuple((ch, x + dx) for ch, x in line.glyphs), width=line.width + dx)


def subhead_item(setter: Setter, subhead: Subhead, width: float, *, first: bool) -> Tall:
    """A subhead as one flow item: its lines (balanced, flush left, in style `subhead`), one a grid
    line, under one empty grid line that sets it off from the paragraph before (none when it
    opens the body)."""
    lines = setter.balanced(subhead.text, subhead.style, width, align="left")
    per = storyarea.grid_lines_a_line(setter.styles[subhead.style].size,
                                      setter.styles["body"].leading or 0.0)
    return Tall(tuple(lines), len(lines) * per + (0 if first else 1))


def _signature(body: Sequence[Block]) -> tuple[tuple[object, str], ...]:
    """What a story's flow depends on in its body, for the cache key: (text, style) of each plain
    paragraph (as before markup), the runs of any other paragraph, a subhead's text."""
    return tuple(_block_signature(block) for block in body)


def _block_signature(block: Block) -> tuple[object, str]:
    if isinstance(block, Subhead):
        return ("subhead", block.text), block.style
    if block.plain:
        return block.text, block.style
    return tuple((run.text, run.style) for run in block.runs), block.style


def _run_styles(body: Sequence[Block]) -> set[str]:
    return {r.style for b in body if isinstance(b, Paragraph) for r in b.runs}


def _set_story(issue: Issue, setter: Setter, article: Article, chain: list[Link],
               grids: dict[int, Grid], items: dict[int, list[Item]],
               block_lines: dict[ModuleId, int],
               unruled: set[tuple[int, int, int]]) -> StoryFit:
    """Headline blocks on every module of the chain, the body flowed through what they leave
    (round the photos, pull quote and lead set into it: storyarea.py)."""
    if any(link.module.writing.vertical for link in chain):  # 竖排: pages/vertical.py
        return set_vertical_story(issue, setter, article, chain, grids, items, block_lines)
    chain, beside = headlines_beside(setter, article, chain, grids)  # 竖题: vertical.py
    boxes, blocks, areas = [], [], []
    for k, link in enumerate(chain):
        grid = grids[link.page.number]
        area = inner(link.module, grid)
        # A continuation on the part before's page goes on under no headline (nor jump lines).
        same_page = k > 0 and chain[k - 1].page.number == link.page.number
        top = storyarea.top_lines(link.module, headline=not same_page)
        block = furniture.Block((), 0) if same_page else furniture.headline_block(
            setter, headless(article) if k in beside else article,
            storyarea.head_rect(area, grid, top), grid, article.id,
            headline_size=link.module.headline_size, continued=k > 0,
            colour=link.module.headline_colour)
        blocks.append(block)
        above = top + block.lines + area.pad_lines
        block_lines[link.id] = above
        rows = _body_rows(link.module, top + block.lines, 2 * area.pad_lines, article, top)
        areas.append(storyarea.story_area(setter, issue, article, link.module, area, grid, above,
                                          rows, first=k == 0, same_page=same_page))
        boxes.append(areas[-1].box)
        unruled.update((link.page.number, c, line) for c, line in areas[-1].unruled)
    # One measure for the whole story (every body column of an issue has the same width; a boxed
    # module's padding narrows it: the narrowest of the chain is the story's), unless its
    # modules set body columns of their own or insets narrow some lines (storyflow.py).
    width = min(box.width for box in boxes)
    if any(box.narrowed for box in boxes) or any(box.width != width for box in boxes):
        flowed = _flow_measured(setter, article, boxes)
    else:
        flowed = _flow_body(setter, article, width, boxes)
    for k, (link, block) in enumerate(zip(chain, blocks)):
        items[link.page.number].extend(in_module(list(areas[k].items), link.id))
        if k == 0 or flowed.used[k]:  # a continuation the story never reached stays blank
            items[link.page.number].extend(in_module(list(block.items) + beside.get(k, []),
                                                     link.id))
    for slot in flowed.slots:
        link = chain[slot.box]
        items[link.page.number].extend(_slot_line(setter, issue, article, chain, slot, grids,
                                                  block_lines[link.id], areas[slot.box]))
    jumps = [0] * len(chain)
    for slot in flowed.slots:
        jumps[slot.box] += isinstance(slot.item, Jump)
    rooms = tuple(Room(b.columns, link.module.lines - b.rows + max(MIN_BODY_ROWS, a.least_rows),
                       jumps[k])
                  for k, (link, b, a) in enumerate(zip(chain, boxes, areas)))
    return StoryFit(
        article.id, flowed.line_count,
        tuple((link.page.number, b.capacity, used)
              for link, b, used in zip(chain, boxes, flowed.used)),
        flowed.overset_chars, len(flowed.overset), chain[-1].module.source, rooms,
        tuple(note for a in areas for note in a.notes) + _order_notes(article, chain))


def _order_notes(article: Article, chain: list[Link]) -> tuple[str, ...]:
    """A same-page continuation set above its part before and not to its right reads backwards
    (the story's end above its start, with no jump line to say so): worth a word to the desk."""
    notes = []
    for before, link in zip(chain, chain[1:]):
        a, b = before.module, link.module
        if before.page.number == link.page.number and b.line < a.line and b.col <= a.col:
            notes.append(f"{_where(b)}: story {article.id!r} goes on here, above the part before "
                         f"it (col {a.col}, line {a.line}) and not to its right, so it reads "
                         "backwards with no jump line: place the continue: module to the right "
                         "of or below the part before")
    return tuple(notes)


def _flow_body(setter: Setter, article: Article, width: float, boxes: list[BodyBox]) -> Flowed:
    """The story's body composed and flowed through `boxes`. The flow is a pure function of the
    paragraphs, the measure and the boxes, so it comes from the composition cache when a re-render
    (watch) did not touch the story."""
    texts = paragraphs(article.body)
    indent = setter.styles["body"].indent
    key = setter.story_key(_signature(article.body), ("flow", width, indent, tuple(boxes)),
                           _run_styles(article.body))
    flowed = None if key is None else setter.cache.get(key)
    if flowed is None:
        flowed = flow_story(compose_story(setter, article, width), boxes,
                            rebreak=lambda k, count: compose_paragraph(setter, texts[k], width,
                                                                       count))
        if key is not None:
            setter.cache.put(key, flowed, sum(len(p.text) for p in texts))
    return flowed


def _flow_measured(setter: Setter, article: Article, boxes: list[BodyBox]) -> Flowed:
    """The story composed as it is flowed, each block at the widths of the slots it takes."""
    def compose(k: int, widths: Sequence[float], count: int | None) -> Sequence[FlowItem] | None:
        block = article.body[k]
        if isinstance(block, Subhead):
            return [subhead_item(setter, block, widths[0], first=k == 0)]
        return compose_paragraph(setter, block, _measure(widths), count)

    return flow_measured(len(article.body), boxes, compose)


def _measure(widths: Sequence[float]) -> float | tuple[float, ...]:
    """One width, or one a line up to the last change (the composer repeats the last)."""
    last = len(widths) - 1
    while last > 0 and widths[last - 1] == widths[last]:
        last -= 1
    return widths[0] if last == 0 else tuple(widths[:last + 1])


def _body_rows(m: StoryModule, block: int, padding: int, article: Article, photo: int = 0) -> int:
    """The grid lines a story module leaves for body text under its headline block and within
    its box's padding (at least 2); `photo`: the lines of a 压题照片 over the headline block
    (counted in `block`)."""
    rows = m.lines - block - padding
    top = headline_photo(m.layout, m.cols) if photo else None
    if rows < MIN_BODY_ROWS and top is not None and top.source is not None:
        src = top.source
        raise SpecError(src.file, src.line, src.path,
                        f"the photo across the module's top takes {photo} of its {m.lines} lines "
                        f"and the headline block under it {block - photo}: that leaves "
                        f"{max(rows, 0)} for the body, which needs at least {MIN_BODY_ROWS}",
                        f"give the photo at most "
                        f"{max(m.lines - (block - photo) - padding - MIN_BODY_ROWS, 1)} lines")
    if rows < MIN_BODY_ROWS:
        takes = f"its headline block takes {block}" + (
            f" and its box's padding {padding}" if padding else "") + f" of its {m.lines} lines"
        raise LayoutError(
            f"{_where(m)}: module of story {article.id!r} leaves {max(rows, 0)} line"
            f"{'' if rows == 1 else 's'} for body text, and needs at least 2: {takes}",
            "give the module more lines, a smaller headline_size" + (
                " or a smaller box padding" if padding else ""))
    return rows


def _slot_line(setter: Setter, issue: Issue, article: Article, chain: list[Link], slot: Slot,
               grids: dict[int, Grid], block: int, area: storyarea.Area) -> list[Item]:
    """A flowed body or jump line (or a subhead's lines) on its page, with the flow's facts:
    module, column, grid line."""
    link = chain[slot.box]
    grid = grids[link.page.number]
    m = link.module
    x = area.columns.xs[slot.column]
    narrowed = area.box.narrowing(slot.column, slot.row) if area.box.narrowed else None
    if narrowed is not None:
        x += narrowed.offset
    line_no = m.line + block + slot.row
    at = Placement(link.id, slot.column, line_no)
    if isinstance(slot.item, Jump):
        other = chain[slot.item.other_box].page
        line = _jump_line(setter, issue, slot.item.direction, other.number, x, grid, line_no,
                          article, area.columns.width, other.label)
        return [replace(line, at=at)]
    if isinstance(slot.item, Tall):
        return _tall_lines(setter, slot.item, x, grid, line_no, article.id, link.id, slot.column)
    return _body_line(setter, slot.item, x, grid.baseline(line_no, setter.styles["body"].size),
                      article.id, at)


def _body_line(setter: Setter, line: ComposedLine, x: float, baseline: float, story: str,
               at: Placement) -> list[Item]:
    """A body line on its baseline: one TextLine (built with `at`: no copy per line), or, for a
    line of several styles, one TextLine a style and its 着重号."""
    if isinstance(line, StyledLine):
        return setter.place_styled(line, x, baseline, role="body", story=story, at=at)
    return [setter.place(line, x, baseline, "body", role="body", story=story, at=at)]


def _tall_lines(setter: Setter, tall: Tall, x: float, grid: Grid, line_no: int, story: str,
                module: ModuleId, column: int) -> list[Item]:
    """A subhead's lines placed on the grid: a Tall of `rows` grid lines from grid line `line_no`
    holds its lines in its last rows (the first, if more, is the space above it), each on the
    body's baseline of its grid line (its last, when a line of its size takes more than one), so
    it lines up with the columns beside it."""
    body = setter.styles["body"].size
    per = storyarea.grid_lines_a_line(setter.styles["subhead"].size, grid.leading)
    first = line_no + tall.rows - len(tall.content) * per + per - 1  # its first line's grid line
    return [setter.place(line, x, grid.baseline(first + k * per, body), "subhead",
                         role="subhead", story=story, at=Placement(module, column, first + k * per))
            for k, line in enumerate(tall.content)]


def _jump_line(setter: Setter, issue: Issue, direction: str, other_page: int, x: float,
               grid: Grid, line_no: int, article: Article, width: float,
               label: str | None = None) -> TextLine:
    """A jump line on its grid line; in a column narrower than its text it is set smaller (to at
    most JUMP_MIN_SCALE of its size) rather than broken over two lines."""
    text = jump_text(issue.jumps, direction, other_page, label)
    align = "right" if direction == "to" else "left"
    size = setter.styles["jump"].size
    natural = setter.natural_width(text, "jump")
    if natural > width:
        size *= max(JUMP_MIN_SCALE, width / natural * 0.999)
    lines = setter.lines(text, "jump", width, align=align, size=size)
    if len(lines) != 1:
        m = next(m for p in issue.pages for m in p.modules if m.ref == article.id)
        raise SpecError(m.source.file if m.source else str(issue.source),
                        m.source.line if m.source else None, "jumps",
                        f"jump line '{text if len(text) <= 40 else text[:39] + '…'}' of story "
                        f"{article.id!r} does not fit a "
                        f"{width:.1f} pt column", "shorten jumps.to and jumps.from")
    return setter.place(lines[0], x, grid.baseline(line_no, setter.styles["body"].size), "jump",
                        size=size, role="jump", story=article.id)


JUMP_MIN_SCALE = 0.6


def _where(m: Module) -> str:
    return str(m.source) if m.source else f"module at col {m.col}, line {m.line}"


def _rules(page: Page, grid: Grid, block_lines: dict[ModuleId, int],
           unruled: set[tuple[int, int, int]]) -> list[Item]:
    cells: dict[tuple[int, int], tuple[int, bool]] = {}
    tops: list[tuple[Rect, int, bool]] = []
    # A rule module is the rule between what is above and below it: no hairline over what follows.
    ruled = {(c, m.line + m.lines - 1) for m in page.modules if isinstance(m, RuleModule)
             for c in range(m.col, m.col + m.cols)}
    ad_feet = {(c, m.line + m.lines - 1) for m in page.modules if isinstance(m, AdModule)
               for c in range(m.col, m.col + m.cols)}
    for mid, m in page.module_ids():
        # No column rules inside a box: its padded columns have gutters of their own.
        body_from = m.line + (block_lines.get(mid, m.lines) if isinstance(m, StoryModule)
                              and m.box is None else m.lines)
        for c in range(m.col, m.col + m.cols):
            for line in range(m.line, m.line + m.lines):
                cells[(c, line)] = (mid.index, line >= body_from
                                    and (page.number, c, line) not in unruled)
        under_rule = all((c, m.line - 1) in ruled for c in range(m.col, m.col + m.cols))
        # a rule or a table draws its own top; a box's frame is the rule round it, above and below
        framed = (m.box is not None and m.box.rule > 0) or under_a_box(page, m)
        if not isinstance(m, (RuleModule, TablePart)) and not under_rule and not framed:
            under_ad = any((c, m.line - 1) in ad_feet for c in range(m.col, m.col + m.cols))
            if not (under_ad and isinstance(m, AdModule)):  # two ads abut: their own frames part them
                tops.append((grid.module_rect(m), m.line, under_ad))
    return furniture.column_rules(grid, cells, tops)


def _texts(issue: Issue) -> Iterator[tuple[str, str, str, SourceRef | None]]:
    """Every piece of text the edition sets: (where, style, text, where in the spec)."""
    continued = {m.story for p in issue.pages for m in p.modules if isinstance(m, StoryModule)
                 and m.continued}
    for aid, a in issue.articles.items():
        for field, style in (("kicker", "kicker"), ("headline", "headline"),
                             ("subtitle", "subtitle"), ("byline", "byline")):
            text = getattr(a, field)
            if text:
                yield f"article {aid} ({field})", style, text, a.source
                if field == "headline" and aid in continued:
                    yield (f"article {aid} (continued headline)", "continued_headline", text,
                           a.source)
        for run in a.lead.runs if a.lead else ():
            yield f"article {aid} (lead)", run.style, run.text, a.source
        for block in a.body:
            if isinstance(block, Subhead):
                yield f"article {aid} (subhead)", block.style, block.text, a.source
                continue
            for run in block.runs:
                yield f"article {aid}", run.style, run.text, a.source
    for iid, index in issue.indexes.items():
        if index.title:
            yield f"index {iid}", "index_title", index.title, index.source
        for item in index.items:
            for text, style in ((item.kicker, "index_small"), (item.headline, "index_item"),
                                (item.subtitle, "index_small")):
                if text:
                    yield f"index {iid}", style, text, index.source
    for page in issue.pages:
        for m in page.modules:
            quote = m.layout.pull_quote if isinstance(m, StoryModule) else None
            if quote is not None:
                yield f"article {m.story} (pull quote)", "pull_quote", quote.text, quote.source
    for mid, image in issue.images.items():
        if image.caption:
            yield f"image {mid} (caption)", "caption", image.caption, image.source
    p = issue.paper
    yield "masthead (paper name)", "masthead", p.name, None
    for text in (p.name_latin, p.organ_of, p.rating, p.serial, p.sponsor, p.publisher,
                 p.editor_in_chief):
        if text:
            yield "masthead", "masthead_small", text, None
    yield "jumps", "jump", issue.jumps.to + issue.jumps.from_, None
    yield from table_texts(issue)
    for page in issue.pages:
        if page.label:
            yield f"page {page.number} (label)", "jump", page.label, page.source
            yield f"page {page.number} (label)", "header", page.label, page.source
            yield f"page {page.number} (label)", "index_small", page.label, page.source

def find_missing_glyphs(issue: Issue, setter: Setter) -> Iterator[MissingGlyph]:
    seen: set[tuple[str, str]] = set()
    for where, style, text, source in _texts(issue):
        for ch in setter.missing_chars(text, style):  # cached: a re-render checks only new text
            if (where, ch) in seen:
                continue
            seen.add((where, ch))
            yield MissingGlyph(where, ch, setter.face(style).name, source)
