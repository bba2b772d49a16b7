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
