"""A story set vertically (竖排) through its chain of modules: each module's headline block (across
the top, 橫標豎排, or a vertical headline at its right, 竖题), then the body composed once at the
tiers' line length and flowed tier by tier (flow/tiers.py), right to left in each tier, with
vertical jump lines where it moves on. The counterpart of `planner._set_story` for modules with
`direction: vertical`."""
from __future__ import annotations

import math
from dataclasses import dataclass, replace

from . import furniture
from ..compose.vertical import VerticalLine
from ..flow.chain import MAX_WIDOW_FIXES, Flowed, Jump, Slot, Tall, flow_story
from ..flow.keeps import keep_by_counts
from ..flow.jumps import Link, jump_text
from ..flow.tiers import Tiers
from ..model.grid import Grid, Rect
from ..model.issue import Article, Issue, ModuleId
from ..model.story import BODY, Subhead
from ..model.writing import HORIZONTAL, MIN_TIER_CHARS, Writing
from ..util.errors import LayoutError
from .boxes import inner
from .placers import in_module
from .plan import Item, Placement, Rule, StoryFit
from .typeset import Setter
from .vlines import place_vertical, vertical_headline, vertical_paragraph


JUMP_WRITING = Writing("vertical", "vertical")  # a jump line takes the default 縱中橫


@dataclass(frozen=True)
class Part:
    """One module of the chain: its headline block's items and the tiers of its body."""

    items: tuple[Item, ...]
    tiers: Tiers


def set_vertical_story(issue: Issue, setter: Setter, article: Article, chain: list[Link],
                       grids: dict[int, Grid], items: dict[int, list[Item]],
                       block_lines: dict[ModuleId, int]) -> StoryFit:
    """Headline blocks on every module of the chain, the body flowed through their tiers."""
    if not all(link.module.writing.vertical for link in chain):
        first = chain[0].module
        raise LayoutError(f"{first.source or 'story ' + article.id}: the modules of story "
                          f"{article.id!r} mix vertical and horizontal body text",
                          "give every article/continue module of the story the same direction")
    parts = [_part(setter, article, link, grids[link.page.number], k)
             for k, link in enumerate(chain)]
    flowed = _flow(setter, article, chain[0].module.writing, parts)
    for k, (link, part) in enumerate(zip(chain, parts)):
        block_lines[link.id] = link.module.lines  # no column rules across vertical lines
        if k == 0 or flowed.used[k]:
            items[link.page.number].extend(in_module(list(part.items), link.id))
    for slot in flowed.slots:
        link = chain[slot.box]
        items[link.page.number].extend(
            _slot_items(setter, issue, article, chain, slot, parts[slot.box]))
    for k, (link, part) in enumerate(zip(chain, parts)):
        if link.module.writing.tier_rules:
            held = {s.column for s in flowed.slots if s.box == k}
            items[link.page.number].extend(in_module(tier_rules(part.tiers, held), link.id))
    return StoryFit(
        article.id, flowed.line_count,
        tuple((link.page.number, p.tiers.box().capacity, used)
              for link, p, used in zip(chain, parts, flowed.used)),
        flowed.overset_chars, len(flowed.overset), chain[-1].module.source)


TIER_RULE = furniture.RULE  # pt: the hairline between tiers, as the column rules


def tier_rules(tiers: Tiers, held: set[int]) -> list[Item]:
    """A hairline across the body area midway down the gutter between two tiers that both hold
    lines (Taiwan dailies rule off their 批)."""
    band, rect = tiers.band, tiers.rect
    return [Rule(rect.x, y, rect.right, y, TIER_RULE)
            for t in range(tiers.tiers - 1) if t in held and t + 1 in held
            for y in (round(tiers.top(t) + band + tiers.gutter / 2, 3),)]


def _flow(setter: Setter, article: Article, writing: Writing, parts: list[Part]) -> Flowed:
    """The body flowed through the chain's tiers, each module's lines as long as its own tiers
    (`_flow_lengths`), with widow control: a paragraph re-broken a line longer or shorter where
    that keeps the story better (`_keep`). A subhead after other text has an empty line before
    it (a `Tall` of one line, as horizontally)."""
    byline = writing.headline == "horizontal"  # 橫標豎排: the byline opens the body
    paras = _paragraphs(setter, article, writing, byline)
    indents = _indents(setter, article, byline)
    lead = 1 if byline and article.byline else 0
    spaced = {k + lead for k, b in enumerate(article.body) if isinstance(b, Subhead) and k + lead}
    boxes = [p.tiers.box() for p in parts]
    lengths = [p.tiers.length for p in parts]
    if len(set(lengths)) == 1:  # one length: the flow's own widow control
        lines, _ = _set_from(paras, indents, spaced, 0, lengths[0], {})
        return flow_story(lines, boxes, rebreak=lambda k, count: paras[k].lines(
            lengths[0], indent=indents[k], count=count))
    return _keep(lambda counts: _flow_lengths(paras, indents, spaced, boxes, lengths, counts))


def _keep(flow) -> Flowed:
    """Widow control for a chain of several line lengths, where the flow's own (which re-breaks
    a paragraph in place) cannot work: a re-break moves where the text meets a module of another
    length, and what follows is composed again. So each try flows the whole story again, with
    one paragraph more set in a given number of lines (`flow(counts)`: counts by paragraph),
    and is kept if it leaves fewer widows, orphans and lonely subheads and no more overset
    (flow/keeps.py)."""
    def tries(result, kind: str, item: object, counts: dict[int, int]):
        flowed, owner = result
        at = next((i for i, s in enumerate(flowed.slots) if s.item is item), None)
        para = _owner_of(flowed, owner, at)
        if para is None:
            return []
        out = []
        for target, delta in ((para, -1), (para, 1), (para - 1, 1), (para - 1, -1)):
            set_in = owner.count((target, True))
            if target >= 0 and target not in counts and set_in + delta >= 1:
                out.append((target, set_in + delta))
        return out

    def achieved(counts: dict[int, int]):
        """The flow of a try, or None where the paragraph tried (the newest key: `tries` never
        names one already counted) did not take the lines asked."""
        flowed, owner = flow(counts)
        if counts:
            target, lines = next(reversed(counts.items()))
            if owner.count((target, True)) != lines:
                return None
        return flowed, owner

    (flowed, _), _ = keep_by_counts(achieved, flow({}), {}, lambda r: r[0].slots,
                                    lambda r: len(r[0].overset), tries, MAX_WIDOW_FIXES)
    return flowed


def _owner_of(flowed: Flowed, owner: list, at: int | None) -> int | None:
    """The paragraph the flowed slot `at` belongs to (`owner`: per composed item, in order)."""
    if at is None:
        return None
    k = sum(1 for s in flowed.slots[:at] if not isinstance(s.item, Jump))
    return owner[k][0] if k < len(owner) else None


def _flow_lengths(paras: list, indents: list[float], spaced: set[int], boxes: list,
                  lengths: list[float], counts: dict[int, int]) -> tuple[Flowed, list]:
    """Composed at the first module's length and flowed; where a later module's tiers are of
    another length, what did not fit before it is composed again at that length (a paragraph
    split there goes on unindented) and the whole flowed again. Paragraphs in `counts` are set
    in that many lines where they can be (a paragraph split at a module's edge is set as it
    comes). Returns the flow and each item's paragraph (and whether the item is one of its lines,
    not the space before its subhead)."""
    lines, owner = _set_from(paras, indents, spaced, 0, lengths[0], counts)
    flowed = flow_story(lines, boxes)
    for k in range(1, len(boxes)):
        n = sum(1 for s in flowed.slots if s.box < k and not isinstance(s.item, Jump))
        if n >= len(lines):  # the story ends before this module
            break
        if lengths[k] == lengths[k - 1] or n == 0:
            continue
        first, para = owner[n - 1]
        rest = para.rest(lines[n - 1].end) if para is not None else None
        lines, owner = lines[:n], owner[:n]
        if rest is not None:  # the paragraph split at the module's edge goes on, unindented
            new = rest.lines(lengths[k]) or []
            lines += [replace(new[0], first=False)] + new[1:] if new else []
            owner += [(first, rest)] * len(new)
        more, whose = _set_from(paras, indents, spaced - {first}, first + (para is not None),
                                lengths[k], counts)
        lines, owner = lines + more, owner + whose
        flowed = flow_story(lines, boxes)
    return flowed, [(k, p is not None) for k, p in owner]


def _set_from(paras: list, indents: list[float], spaced: set[int], start: int,
              length: float, counts: dict[int, int]) -> tuple[list, list]:
    """The paragraphs from `start` on set at `length` (in `counts[k]` lines where given and
    possible), a one-line space before each of `spaced`; and each item's owner: (paragraph
    index, the paragraph it was set from; None for a space)."""
    lines: list = []
    owner: list = []
    for k in range(start, len(paras)):
        if k in spaced:
            lines.append(Tall((), 1))
            owner.append((k, None))
        new = None
        if k in counts:
            new = paras[k].lines(length, indent=indents[k], count=counts[k])
        if new is None:
            new = paras[k].lines(length, indent=indents[k]) or []
        lines += new
        owner += [(k, paras[k])] * len(new)
    return lines, owner


def _part(setter: Setter, article: Article, link: Link, grid: Grid, k: int) -> Part:
    m = link.module
    rect = inner(m, grid).rect
    body = setter.styles[BODY]
    if m.writing.headline == "vertical":
        heads, width = vertical_headline(setter, article, rect, m.writing,
                                         headline_size=m.headline_size, continued=k > 0,
                                         story=article.id, byline=True,
                                         colour=m.headline_colour)
        area, items = Rect(rect.x, rect.y, rect.w - width, rect.h), tuple(heads)
    else:
        # 橫標豎排: the byline opens the vertical body (its first line), not the horizontal block
        block = furniture.headline_block(setter, replace(article, byline=None), rect, grid,
                                         article.id,
                                         headline_size=m.headline_size, continued=k > 0,
                                         colour=m.headline_colour)
        items = block.items
        top = block.lines * grid.leading
        area = Rect(rect.x, rect.y + top, rect.w, rect.h - top)
    tiers = Tiers(area, m.writing.tiers, grid.gutter, body.size, grid.leading)
    if tiers.chars < MIN_TIER_CHARS or tiers.lines < 1:
        room = f"{tiers.chars} characters a line" if tiers.lines else "no line"
        raise LayoutError(f"{m.source or 'module of story ' + article.id}: the vertical module of "
                          f"story {article.id!r} leaves {room} beside or under its headline "
                          f"(a tier needs at least {MIN_TIER_CHARS})",
                          "give the module more lines or fewer tiers, or a smaller headline_size")
    return Part(items, tiers)


def _paragraphs(setter: Setter, article: Article, writing, byline: bool) -> list:
    """Every block of the body as a vertical paragraph: a paragraph in its runs' styles (strong,
    emphasis; a quote set lower and shorter by its style's inset), a subhead in `subhead`; with
    `byline`, the byline first, a line of its own in `byline`."""
    out = [vertical_paragraph(setter, article.byline, "byline", writing)] \
        if byline and article.byline else []
    for block in article.body:
        if isinstance(block, Subhead):
            out.append(vertical_paragraph(setter, block.text, block.style, writing))
            continue
        runs = tuple((r.text, r.style) for r in block.runs)
        out.append(vertical_paragraph(setter, runs, block.style, writing,
                                      inset=setter.styles[block.style].inset))
    return out


def _indents(setter: Setter, article: Article, byline: bool) -> list[float]:
    """Each block's first-line indent, as horizontal text has it: the body's for a body
    paragraph, a quote's own, none for a subhead (nor the byline opening the body)."""
    body = setter.styles[BODY].indent
    return [0.0] * (byline and bool(article.byline)) + [
        0.0 if isinstance(b, Subhead) else body if b.style == BODY else
        setter.styles[b.style].indent for b in article.body]


def _slot_items(setter: Setter, issue: Issue, article: Article, chain: list[Link], slot: Slot,
                part: Part) -> list[Item]:
    """A flowed vertical line (or jump line) at its place: tier `slot.column`, line `slot.row`
    of that tier counted from the right."""
    tiers = part.tiers
    centre, top = tiers.centre(slot.row), tiers.top(slot.column)
    at = Placement(chain[slot.box].id, slot.column, slot.row + 1)
    if isinstance(slot.item, Jump):
        other = chain[slot.item.other_box].page
        text = jump_text(issue.jumps, slot.item.direction, other.number, other.label)
        return _jump(setter, text, slot.item.direction, centre, top, tiers.length, article.id,
                     at)
    line = slot.item
    if isinstance(line, Tall):  # the empty line before a subhead
        return []
    assert isinstance(line, VerticalLine)
    return list(place_vertical(setter, line, centre, top, BODY, role="body", story=article.id,
                               at=at, pitch=tiers.pitch))


def _jump(setter: Setter, text: str, direction: str, centre: float, top: float, length: float,
          story: str, at: Placement) -> list[Item]:
    """A vertical jump line: 轉 at the foot of its line, 接 at its head; set smaller (to at most
    0.6 of its size) rather than broken when it is longer than the line."""
    size = setter.styles["jump"].size
    para = vertical_paragraph(setter, text, "jump", JUMP_WRITING, size=size)
    natural = para.lines(1e6, align="left") or []
    width = natural[0].width if natural else 0.0
    if width > length:
        size *= max(0.6, length / width * 0.999)
        para = vertical_paragraph(setter, text, "jump", JUMP_WRITING, size=size)
    lines = para.lines(length, align="right" if direction == "to" else "left") or []
    return [item for line in lines[:1]
            for item in place_vertical(setter, line, centre, top, "jump", size=size, role="jump",
                                       story=story, at=at)]


def headlines_beside(setter: Setter, article: Article, chain: list[Link],
                     grids: dict[int, Grid]) -> tuple[list[Link], dict[int, list[Item]]]:
    """竖题 on horizontal modules (`headline_direction: vertical`): each such module's headline
    set vertically in the whole columns at its right that it needs, the module narrowed to the
    columns left of them for the body. Returns the chain as the body sees it and, by chain
    index, the headline's items (the horizontal block then holds only the byline)."""
    out, heads = [], {}
    for k, link in enumerate(chain):
        m = link.module
        if m.writing.headline != "vertical" or m.writing.vertical:
            out.append(link)
            continue
        grid = grids[link.page.number]
        rect = inner(m, grid).rect
        items, width = vertical_headline(setter, article, rect, m.writing,
                                         headline_size=m.headline_size, continued=k > 0,
                                         story=article.id, colour=m.headline_colour)
        cols = math.ceil((width + grid.gutter - 1e-6) / (grid.column_width + grid.gutter))
        if cols >= m.cols:
            raise LayoutError(
                f"{m.source or 'module of story ' + article.id}: the vertical headline of story "
                f"{article.id!r} takes {cols} of the module's {m.cols} columns, leaving none for "
                "its body", "give the module more columns or lines, or a smaller headline_size")
        # the headline centred in its columns
        zone = cols * grid.column_width + (cols - 1) * grid.gutter
        dx = -(zone - width) / 2 if width < zone else 0.0
        heads[k] = [replace(item, x=round(item.x + dx, 3)) for item in items]
        out.append(replace(link, module=replace(m, cols=m.cols - cols, writing=HORIZONTAL)))
    return out, heads


def headless(article: Article) -> Article:
    """The article as the horizontal block of a module with a 竖题 sees it: no display lines."""
    return replace(article, headline=None, kicker=None, subtitle=None)
