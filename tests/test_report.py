"""The copyfit report (`broadsheet report`): numbers on the reference edition, overset and missing
glyphs, JSON and the terminal table."""
from __future__ import annotations

import io
import json
from pathlib import Path

import click
import pytest
from click.testing import CliRunner

from layout.desk import commands as desk
from layout.desk.report import copyfit, plan_spec, print_report, to_dict, to_json
from editions import edition, overset_edit

ROOT = Path(__file__).resolve().parent.parent
REF = ROOT / "issue_specs" / "xuchang-2022-06-16.yaml"
JUMPING = ("renda", "zhengxie")


@pytest.fixture(scope="module")
def reference():
    issue, plan = plan_spec(REF)
    return issue, plan, copyfit(issue, plan)


@pytest.fixture(scope="module")
def overset(tmp_path_factory):
    spec = edition(tmp_path_factory.mktemp("overset"), edit=overset_edit)
    issue, plan = plan_spec(spec)
    return spec, copyfit(issue, plan), plan


def cli():
    @click.group()
    def group() -> None:
        pass

    group.add_command(desk.report)
    return group


def test_jumping_stories_move_their_overset_to_page_2(reference):
    _, plan, report = reference
    assert report.overset_chars == 0 and report.overset_lines == 0
    for story in JUMPING:
        first, second = report.story_modules(story)
        assert (first.page, first.kind, second.page, second.kind) == (1, "article", 2, "continue")
        # page 1: full, what did not fit goes on to page 2 …
        assert first.used == first.available and first.fill == 100.0 and first.spare_lines == 0
        assert first.overflow_chars > 0 and first.overflow_lines > 0 and first.jump_to == 2
        assert first.overset_chars == 0 and first.status.startswith("超 ")
        # … where it is set in full: nothing overset
        assert second.jump_from == 1 and second.jump_to is None
        assert second.chars == first.overflow_chars and second.body_lines == first.overflow_lines
        assert second.overflow_chars == 0 and second.overset_chars == 0
        assert 0 < second.fill < 100
        fit = next(f for f in plan.fits if f.story == story)
        assert first.body_lines + second.body_lines == fit.lines
        # the jump lines take a slot each: 下转 on page 1, 上接 on page 2
        assert first.used == first.body_lines + 1 and second.used == second.body_lines + 1
    page1, page2 = report.pages
    moved = sum(report.story_modules(s)[0].overflow_chars for s in JUMPING)
    assert page1.moved_chars == moved and page2.moved_chars == 0
    assert page1.overset_chars == page2.overset_chars == 0


# The reference edition's copyfit, module by module: (page, story, available, used, body lines,
# characters, spare lines, characters moved on). Pinned so that a change in what the flow set where
# shows here (a tautology such as used + spare == available would not).
REFERENCE_FITS = [
    (1, "shoulashou", 145, 123, 123, 1537, 22, 0),  # a line longer: orphan control (issue 15)
    (1, "law_society", 69, 54, 54, 687, 15, 0),
    (1, "renda", 14, 14, 13, 161, 0, 242),
    (1, "zhengxie", 18, 18, 17, 203, 0, 182),
    (1, "xuchang_university", 60, 50, 50, 610, 10, 0),
    (1, "liutao", 84, 68, 68, 863, 16, 0),
    (1, "zhongkao", 63, 49, 49, 598, 14, 0),
    (2, "renda", 50, 20, 19, 242, 30, 0),
    (2, "zhengxie", 50, 15, 14, 182, 35, 0),
]


def test_the_reference_modules_are_filled_as_pinned(reference):
    _, _, report = reference
    got = [(m.page, m.ref, m.available, m.used, m.body_lines, m.chars, m.spare_lines,
            m.overflow_chars) for m in report.modules if m.is_story]
    assert got == REFERENCE_FITS


def test_body_lines_and_characters_are_those_the_plan_placed_in_each_module(reference):
    """Counted independently of the report: the plan's body lines of each story, page by page."""
    _, plan, report = reference
    for page in plan.pages:
        for story in {m.ref for m in report.modules if m.is_story and m.page == page.number}:
            placed = [i for i in page.items
                      if getattr(i, "role", None) == "body" and i.story == story]
            (row,) = [m for m in report.story_modules(story) if m.page == page.number]
            assert (row.body_lines, row.chars) == (len(placed), sum(len(i.glyphs) for i in placed))


def test_every_other_module_fill_is_between_0_and_100(reference):
    _, plan, report = reference
    stories = [m for m in report.modules if m.is_story]
    assert len(stories) == sum(len(f.modules) for f in plan.fits) == 9
    for m in stories:
        assert 0 <= m.fill <= 100, m
        assert m.overset_chars == 0
        if m.ref not in JUMPING:
            assert m.overflow_chars == 0 and m.jump_to is None and m.jump_from is None
            assert 0 < m.fill < 100 and m.status.startswith("缺 ")
    furniture = [m for m in report.modules if not m.is_story]
    assert sorted(m.label for m in furniture) == [
        "image campus", "image street", "index daodu", "masthead"]
    assert all(m.fill is None and m.available is None for m in furniture)


def test_numbers_agree_with_the_plan(reference):
    _, plan, report = reference
    for fit in plan.fits:
        rows = report.story_modules(fit.story)
        assert [(m.page, m.available, m.used) for m in rows] == list(fit.modules)
    for totals in report.pages:
        rows = [m for m in report.modules if m.page == totals.page and m.is_story]
        assert totals.available == sum(m.available for m in rows)
        assert totals.used == sum(m.used for m in rows)
        assert totals.chars == sum(m.chars for m in rows)
        assert 0 < totals.fill <= 100
    assert report.ok and not report.missing


def test_overset_story_is_reported_in_characters_and_lines(overset):
    _, report, plan = overset
    (fit,) = plan.overset
    (row,) = report.story_modules("zhongkao")
    assert fit.story == "zhongkao" and not report.ok
    assert (row.overset_chars, row.overset_lines) == (fit.overset_chars, fit.overset_lines)
    assert row.overflow_chars == row.overset_chars > 0 and row.jump_to is None
    assert row.fill == 100.0 and row.status == f"超 {fit.overset_chars} 字"
    assert report.overset_chars == fit.overset_chars
    assert next(t for t in report.pages if t.page == 1).overset_chars == fit.overset_chars


def test_missing_glyphs_are_listed_on_their_module(tmp_path):
    spec = edition(tmp_path, edit=lambda t: t.replace("headline: 全市中招考试安全工作视频会召开",
                                                      "headline: 全市中招考试安全工作视频会召开😀"))
    report = copyfit(*plan_spec(spec))
    (row,) = report.story_modules("zhongkao")
    assert row.missing == ("😀",)
    assert {g.where for g in report.missing} >= {"article zhongkao (headline)"}
    assert all(g.codepoint == "U+1F600" and g.page == 1 for g in report.missing)
    assert not report.ok and report.pages[0].missing == 1


def test_json_has_every_number(reference):
    _, _, report = reference
    data = json.loads(to_json(report))
    assert data == to_dict(report)
    assert data["ok"] is True and data["overset_chars"] == 0
    assert [p["page"] for p in data["pages"]] == [1, 2]
    renda = [m for m in data["modules"] if m["ref"] == "renda"]
    assert [(m["page"], m["jump_to"], m["jump_from"]) for m in renda] == [(1, 2, None), (2, None, 1)]
    assert {"available", "used", "fill", "spare_lines", "overflow_chars", "overset_chars",
            "missing", "label", "status"} <= set(renda[0])


def test_table_shows_modules_totals_and_verdict(reference):
    _, _, report = reference
    out = io.StringIO()
    print_report(report, file=out, width=200)
    text = out.getvalue()
    for expected in ("shoulashou", "page 1 total", "page 2 total", "→ p2", "← p1", "缺 ",
                     "超 ", "→2版", "转 ", "0 overset"):
        assert expected in text, expected


def test_report_command(tmp_path, overset):
    runner = CliRunner()
    result = runner.invoke(cli(), ["report", str(REF), "--json"])
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout)["overset_chars"] == 0

    spec, _, _ = overset
    result = runner.invoke(cli(), ["report", str(spec)])
    assert result.exit_code == 1
    assert "zhongkao" in result.stdout and "overset" in result.stdout

    bad = edition(tmp_path, "bad.yaml", edit=lambda t: t.replace("spec_version: 1", "spec_version: 7"))
    result = runner.invoke(cli(), ["report", str(bad)])
    assert result.exit_code == 2
    assert result.output.startswith(f"{bad}:") and "Traceback" not in result.output


def test_fonts_command_lists_faces_and_uncovered_characters(tmp_path):
    @click.group()
    def group() -> None:
        pass

    group.add_command(desk.fonts)
    runner = CliRunner()
    result = runner.invoke(group, ["fonts", "--filter", "wenkai"])
    assert result.exit_code == 0, result.output
    assert "LXGW WenKai" in result.stdout and "Noto" not in result.stdout

    result = runner.invoke(group, ["fonts", str(REF)])
    assert result.exit_code == 0, result.output
    for expected in ("song", "Noto Serif CJK SC", "kai", "LXGW WenKai", "every character has a glyph"):
        assert expected in result.stdout, expected

    spec = edition(tmp_path, edit=lambda t: t.replace("headline: 全市中招考试安全工作视频会召开",
                                                      "headline: 全市中招考试安全工作视频会召开😀"))
    result = runner.invoke(group, ["fonts", str(spec)])
    assert result.exit_code == 1
    assert "article zhongkao (headline)" in result.stdout and "U+1F600" in result.stdout
