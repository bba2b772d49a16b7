"""Flow facts carried in the plan (issue 13): every placed line of a story says which module,
column and grid line the flow put it in, and they agree with where it is drawn."""
from __future__ import annotations

from pathlib import Path

import pytest

from layout.desk.report import plan_spec
from layout.model.grid import page_grid
from layout.model.issue import StoryModule
from layout.pages.plan import TextLine

REF = Path(__file__).resolve().parent.parent / "issue_specs" / "xuchang-2022-06-16.yaml"


@pytest.fixture(scope="module")
def planned():
    return plan_spec(REF)


def _lines(plan):
    for page in plan.pages:
        for item in page.items:
            if isinstance(item, TextLine):
                yield page.number, item


def test_body_and_jump_lines_carry_their_module_column_and_grid_line(planned):
    issue, plan = planned
    pages = {p.number: p for p in issue.pages}
    flowed = 0
    for number, line in _lines(plan):
        if line.role not in ("body", "jump"):
            continue
        flowed += 1
        at = line.at
        assert at is not None and at.module.page == number
        m = pages[number].modules[at.module.index]
        assert isinstance(m, StoryModule) and m.story == line.story
        grid = page_grid(issue.format, issue.styles["body"].leading, number)
        assert 0 <= at.column < m.cols and m.line <= at.line < m.line + m.lines
        assert line.x == grid.column_x(m.col + at.column)
        assert line.baseline == grid.baseline(at.line, issue.styles["body"].size)
    assert flowed == sum(f.lines for f in plan.fits) + 4  # and the four jump lines


def test_furniture_lines_name_their_module_and_the_page_header_none(planned):
    issue, plan = planned
    pages = {p.number: p for p in issue.pages}
    for number, line in _lines(plan):
        if line.role == "header":
            assert line.at is None
            continue
        assert line.at is not None and line.at.module.page == number, line
        m = pages[number].modules[line.at.module.index]
        if line.role in ("headline", "kicker", "subtitle", "byline", "continued_headline"):
            assert m.ref == line.story and line.at.column is None
        if line.role == "caption":
            assert m.kind == "image"
        if line.role == "masthead":
            assert m.kind == "masthead"


TWO_PAGES = """\
spec_version: 1
paper: {name: 测试日报}
issue: {date: 2025-01-29}
format:
  trim: {width: 390mm, height: 545mm}
  margins: {top: 27mm, bottom: 28mm, inside: 18.5mm, outside: 18.5mm}
  columns: 8
  gutter: 1em
fonts: {song: Noto Serif CJK SC}
styles:
  body: {font: song, size: 9pt, leading: 11.5pt}
pages:
  - number: 1
    modules:
      - {masthead: true, col: 1, line: 1, cols: 8, lines: 20}
      - {article: a, col: 1, line: 21, cols: 2, lines: 20}
  - number: 2
    modules:
      - {article: b, col: 1, line: 1, cols: 2, lines: 40}
articles:
  a: {headline: 第一版的新闻, body: BODY}
  b: {headline: 第二版的新闻, body: BODY}
"""


def test_a_story_is_set_to_the_columns_of_its_own_page(tmp_path, monkeypatch):
    """The measure comes from the grid of the page the story starts on, not from page 1's."""
    from dataclasses import replace

    import layout.pages.planner as planner

    real = planner.page_grid

    def narrower_after_page_1(fmt, leading, number):
        grid = real(fmt, leading, number)
        return grid if number == 1 else replace(grid, column_width=grid.column_width - 30.0)

    monkeypatch.setattr(planner, "page_grid", narrower_after_page_1)
    spec = tmp_path / "two.yaml"
    spec.write_text(TWO_PAGES.replace("BODY", "新闻正文的句子。" * 40), encoding="utf-8")
    issue, plan = plan_spec(spec)
    width = {n: narrower_after_page_1(issue.format, 11.5, n).column_width for n in (1, 2)}
    rights: dict[int, list[float]] = {1: [], 2: []}
    for number, line in _lines(plan):
        if line.role == "body":
            rights[number].append(line.glyphs[-1][1] + line.size)  # each glyph here is 1 em
    for number, ends in rights.items():
        assert max(ends) == pytest.approx(width[number], abs=0.5), number  # justified lines
        assert all(end <= width[number] + 0.5 for end in ends), number
