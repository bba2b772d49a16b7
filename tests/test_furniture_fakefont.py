"""Furniture set with the fake face (tests/fakefont.py: Han 1 em, Latin ½ em), so that every
position below follows from the rules in layout/pages/furniture.py by hand: no font file needed."""
from __future__ import annotations

import datetime as dt
from types import SimpleNamespace

import pytest

from fakefont import FakeFace
from layout.model.grid import Grid, Rect
from layout.model.issue import (STYLE_NAMES, Header, Index, IndexItem, IssueInfo, Page, Paper,
                               Style, Typography)
from layout.pages import furniture
from layout.pages.plan import RED, Fill, Rule, TextLine
from layout.pages.typeset import Setter

SIZES = {"body": 10.0, "headline": 20.0, "byline": 10.0, "masthead_small": 10.0, "header": 10.0,
         "index_title": 10.0, "index_item": 10.0, "index_small": 10.0}
GRID = Grid(left=50.0, top=100.0, width=430.0, height=600.0, columns=4, gutter=10.0,
            column_width=100.0, leading=10.0, lines=60)


@pytest.fixture
def setter() -> Setter:
    styles = {name: Style("fake", SIZES.get(name, 10.0), indent=20.0 if name == "body" else 0.0)
              for name in STYLE_NAMES}
    return Setter({"fake": FakeFace()}, styles, Typography())


def text(line: TextLine) -> str:
    return "".join(ch for ch, _ in line.glyphs)


def test_a_headline_block_is_centred_and_rounded_up_to_whole_grid_lines(setter):
    article = SimpleNamespace(kicker=None, headline="头条新闻", subtitle=None, byline="本报记者")
    rect = Rect(60.0, 200.0, 200.0, 300.0)
    block = furniture.headline_block(setter, article, rect, GRID, "a", headline_size=None,
                                     continued=False)
    head, byline = block.items
    # ½ line of padding, 1.25 em of display line, ½ line: 35 pt → 4 grid lines, centred in them
    # (2.5 pt to spare above); then the byline on a grid line of its own
    assert block.lines == 5
    assert (text(head), head.role, head.size) == ("头条新闻", "headline", 20.0)
    assert head.baseline == pytest.approx(200.0 + 5.0 + 2.5 + 0.88 * 20.0)
    assert head.x + head.glyphs[0][1] == pytest.approx(60.0 + (200.0 - 80.0) / 2)
    assert (text(byline), byline.role) == ("本报记者", "byline")
    assert byline.baseline == pytest.approx(200.0 + 4 * 10.0 + 0.88 * 10.0)
    assert byline.x + byline.glyphs[0][1] == pytest.approx(60.0 + 20.0)  # the body's indent


def test_a_continuation_repeats_only_the_headline(setter):
    article = SimpleNamespace(kicker="引题", headline="头条新闻", subtitle="副题", byline="本报记者")
    block = furniture.headline_block(setter, article, Rect(60.0, 200.0, 200.0, 300.0), GRID, "a",
                                     headline_size=30.0, continued=True)
    (head,) = block.items
    assert (text(head), head.role, head.size) == ("头条新闻", "continued_headline", 30.0)
    assert block.lines == 5  # 5 + 37.5 + 5 = 47.5 pt


def test_the_masthead_name_is_as_large_as_the_width_allows(setter):
    issue = SimpleNamespace(paper=Paper("测试日报"), issue=IssueInfo(dt.date(2025, 1, 29)))
    rect = Rect(50.0, 100.0, 400.0, 200.0)
    items, overflow = furniture.masthead(setter, issue, rect, GRID)
    name = next(i for i in items if isinstance(i, TextLine) and text(i) == "测试日报")
    size = min(200.0 * 0.42, 400.0 * 0.78 / 4)  # 78 pt: the width decides
    assert name.size == size and name.color == RED
    assert name.x + name.glyphs[0][1] == pytest.approx(50.0 + (400.0 - 4 * size) / 2)
    assert name.baseline == pytest.approx(100.0 + 0.04 * 200.0 + 0.88 * size)
    rules = [i for i in items if isinstance(i, Rule)]
    assert [r.width for r in rules] == [1.2, 0.4]  # the double rule over the particulars
    assert overflow is None


def test_the_page_header_puts_the_page_outside_and_the_paper_inside(setter):
    issue = SimpleNamespace(paper=Paper("测试日报"), issue=IssueInfo(dt.date(2025, 1, 29)),
                            header=Header())
    page = Page(number=2, section="要闻", modules=())
    items, overflow = furniture.page_header(setter, issue, page, GRID)
    outer, inner, rule = items
    assert text(outer) == "第2版　要闻" and overflow is None
    # an even page is a left-hand page: its outside edge is on the left
    assert outer.x + outer.glyphs[0][1] == pytest.approx(GRID.left)
    last = inner.x + inner.glyphs[-1][1] + 10.0 * FakeFace().advance(text(inner)[-1])
    assert text(inner).startswith("测试日报　") and last == pytest.approx(GRID.left + GRID.width)
    assert outer.baseline == inner.baseline == pytest.approx(GRID.top - 0.9 * GRID.leading)
    assert isinstance(rule, Rule) and rule.y1 == pytest.approx(GRID.top - 0.35 * GRID.leading)


def test_an_index_box_that_fits_has_its_title_band_and_no_overflow(setter):
    index = Index("daodu", "导读", tuple(IndexItem(f"新闻标题{k}", page=2) for k in range(3)))
    items, overflow = furniture.index_box(setter, index, Rect(50.0, 100.0, 210.0, 300.0), GRID,
                                          "chinese")
    assert overflow is None
    assert [type(i).__name__ for i in items[:3]] == ["Rule", "Rule", "Fill"]
    lines = [text(i) for i in items if isinstance(i, TextLine)]
    assert lines == ["导读", "新闻标题0", "详见第二版", "新闻标题1", "详见第二版", "新闻标题2",
                     "详见第二版"]


def test_an_index_box_too_short_for_its_items_overflows(setter):
    index = Index("daodu", None, tuple(IndexItem(f"新闻标题{k}") for k in range(20)))
    _, overflow = furniture.index_box(setter, index, Rect(50.0, 100.0, 210.0, 100.0), GRID,
                                      "chinese")
    assert overflow is not None
    assert (overflow.what, overflow.lines) == ("the index box 'daodu'", 10)
    # 20 items of 13.5 pt, 19 gaps of 0.6 line between them and half gaps at the ends
    assert overflow.needed == pytest.approx((0.5 * 10 + 20 * 13.5 + 20 * 6.0 + 0.5 * 10) / 10)


def test_column_rules_run_between_body_columns_and_stop_at_a_spanning_headline():
    # two one-column stories side by side (lines 1–10), under a two-column headline (line 11)
    cells = {(c, line): (c - 1, True) for c in (1, 2) for line in range(1, 11)}
    cells.update({(c, line): (2, line >= 13) for c in (1, 2) for line in range(11, 21)})
    tops = [(Rect(50.0, 100.0, 100.0, 100.0), 1, False), (Rect(50.0, 200.0, 210.0, 100.0), 11, False)]
    items = furniture.column_rules(GRID, cells, tops)
    x = GRID.column_x(1) + GRID.column_width + GRID.gutter / 2
    vertical = [(r.y1, r.y2) for r in items if r.x1 == r.x2 == x]
    assert vertical == [(pytest.approx(100.0 + 1.5), pytest.approx(200.0 - 1.5)),
                        (pytest.approx(220.0 + 1.5), pytest.approx(300.0 - 1.5))]
    horizontal = [r for r in items if r.y1 == r.y2]
    assert [(r.x1, r.y1) for r in horizontal] == [(50.0, pytest.approx(199.0))]
