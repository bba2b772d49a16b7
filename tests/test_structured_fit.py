"""`broadsheet fit` and `report` on the structured edition (issue 15): for modules with photos, a
pull quote, a lead or body columns of their own, their numbers are the flow's (each line more at a
module's foot adds one slot per body column; the insets keep their cells), so what they say fits is
what the render fits: the least height fit gives a story holds it, a line less oversets it."""
from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from layout.desk.cli import main
from layout.desk.fit import planner_for, read_spec
from layout.desk.render import render_spec
from layout.desk.report import copyfit
from layout.desk.specedit import splice
from layout.desk.stacks import find_stacks, member_range
from layout.model.grid import page_grid
from layout.spec.load import load_issue
from pdftext import page_glyphs
from test_structured import _paragraph_texts, story_rows

ROOT = Path(__file__).resolve().parent.parent
SPEC = ROOT / "issue_specs" / "structured-2026-12-04.yaml"


@pytest.fixture(scope="module")
def planned():
    return planner_for(SPEC)


@pytest.fixture(scope="module")
def members(planned):
    issue, plan = planned(read_spec(SPEC))
    return issue, plan, [m for s in find_stacks(issue, plan) for m in s.members if m.is_story]


def test_fit_and_report_give_every_story_module_the_render_s_fill(members):
    issue, plan, stories = members
    report = {(r.page, r.line, r.col): r for r in copyfit(issue, plan).modules}
    assert {m.label for m in stories} >= {"shoulashou", "liutao", "xuchang_university",
                                          "metro", "metro (续)"}
    for m in stories:
        row = report[(m.page, m.line, m.col)]
        assert (m.available, m.used) == (row.available, row.used), m.label
        if m.role == "ends":
            assert round(m.fill(), 1) == row.fill, m.label


def test_fit_calls_no_story_short_that_the_render_fits():
    result = CliRunner().invoke(main, ["fit", str(SPEC)])
    assert "short" not in result.output, result.output
    assert "shoulashou" not in result.output  # 手拉手 fits as set: 122 of its 123 slots


def _overset(planned, text: str, story: str) -> int:
    _, plan = planned(text)
    return next(f.overset_lines for f in plan.fits if f.story == story)


def test_the_least_height_fit_gives_a_story_is_the_least_the_render_holds(members, planned):
    """Every story ending in a module: at fit's least height its story is not overset, at a line
    less it is (the render's own count, photos, lead and body columns included)."""
    issue, _, stories = members
    text = read_spec(SPEC)
    checked = []
    for m in (m for m in stories if m.role == "ends"):
        lo = member_range(m, False).lo
        story = issue.articles[m.ref].id
        assert _overset(planned, splice(text, {m.path: (m.line, lo)}), story) == 0, m.label
        if lo - 1 >= m.least:
            assert _overset(planned, splice(text, {m.path: (m.line, lo - 1)}), story) > 0, m.label
        checked.append((m.label, lo, m.lines))
    assert ("shoulashou", 37, 37) in checked  # it fits exactly as it is, as the render says


def test_every_story_at_its_least_height_is_printed_whole(members, tmp_path):
    """All the stories at once at the least heights fit proposes: the PDF prints each of them
    whole (markup removed), as a render at those heights does."""
    _, _, stories = members
    moves = {m.path: (m.line, member_range(m, False).lo) for m in stories if m.role == "ends"}
    spec = SPEC.parent / ".structured-least-test.yaml"
    try:
        spec.write_text(splice(read_spec(SPEC), moves), encoding="utf-8")
        out = tmp_path / "least.pdf"
        render_spec(spec, out)
        issue = load_issue(spec)
    finally:
        spec.unlink(missing_ok=True)
    grid = page_grid(issue.format, issue.styles["body"].leading, 1)
    glyphs = page_glyphs(out)[0]
    for story in ("shoulashou", "liutao", "xuchang_university", "law_society", "zhongkao"):
        rows = story_rows(issue, grid, glyphs, story)
        assert "".join(r.text for r in rows if not r.subhead) == \
            "".join(_paragraph_texts(issue, story)), story


def test_fit_never_cuts_a_module_above_its_lowest_inset():
    """A short story in a module whose photo reaches line 30: its least height is the photo's
    foot, not what its lines alone would need; each line more at its foot adds a slot per body
    column (2 here, over 3 grid columns)."""
    from layout.desk.stacks import Member

    m = Member("pages[0].modules[0]", 1, "article", "a", 1, 3, 1, 40, "ends", head=28, need=20,
               available=40, used=20, body_cols=2, least_lines=30)
    r = member_range(m, False)
    assert r.lo == 30 and m.slots(30) == 20
    assert m.slots(41) == 42 and m.fill(30) == 100.0
