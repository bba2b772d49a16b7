"""Page previews (`broadsheet preview`): PNG sizes, page selection, and that each overlay is drawn."""
from __future__ import annotations

from pathlib import Path

import click
import pytest
from click.testing import CliRunner
from PIL import Image, ImageChops

from layout.desk import commands as desk
from layout.desk import preview
from layout.press.pdf import render_pdf
from layout.desk.preview import OVERLAYS, parse_overlays, parse_pages, preview_pngs
from layout.desk.report import copyfit, plan_spec
from editions import edition

ROOT = Path(__file__).resolve().parent.parent
REF = ROOT / "issue_specs" / "xuchang-2022-06-16.yaml"
ZHONGKAO = "{article: zhongkao,           col: 6, line: 81,  cols: 3, lines: 26}"


def pdf_of(plan) -> bytes:
    return render_pdf(plan.pages, initial_font=plan.body_font)


@pytest.fixture(scope="module")
def ref():
    issue, plan = plan_spec(REF)
    return issue, plan, pdf_of(plan)


@pytest.fixture(scope="module")
def ref_pngs(ref, tmp_path_factory):
    """Page 1 at 36 dpi with no overlay, with each overlay alone, and with all of them."""
    issue, plan, data = ref
    out = {}
    for name in ("none", *OVERLAYS, "all"):
        folder = tmp_path_factory.mktemp(name)
        (path,) = preview_pngs(data, issue, plan, [1], 36, parse_overlays(name), folder)
        out[name] = Image.open(path).convert("RGB")
    return out


def over_white(rgba) -> tuple[int, int, int]:
    r, g, b, a = rgba
    return tuple(round(c * a / 255 + 255 * (1 - a / 255)) for c in (r, g, b))


def count_near(image: Image.Image, color, tol: int = 12) -> int:
    """Pixels within `tol` of `color` on every channel."""
    mask = Image.new("L", image.size, 255)
    for band, c in zip(image.convert("RGB").split(), color):
        mask = ImageChops.multiply(mask, band.point(lambda v, c=c: 255 if abs(v - c) <= tol else 0))
    return mask.histogram()[255]


def count_changed(a: Image.Image, b: Image.Image, more_than: int = 0) -> int:
    """Pixels whose grey level differs by more than `more_than`."""
    diff = ImageChops.difference(a.convert("RGB"), b.convert("RGB")).convert("L")
    return sum(diff.histogram()[more_than + 1:])


def test_png_size_follows_the_trim_and_dpi(ref, tmp_path):
    issue, plan, data = ref
    paths = preview_pngs(data, issue, plan, None, 72, (), tmp_path)
    assert [p.name for p in paths] == ["xuchang-2022-06-16-p01.png", "xuchang-2022-06-16-p02.png"]
    page = plan.pages[0]
    for path in paths:
        with Image.open(path) as image:
            assert image.format == "PNG"
            assert image.size == (round(page.width), round(page.height))
    (half,) = preview_pngs(data, issue, plan, [2], 36, (), tmp_path / "half")
    with Image.open(half) as image:
            assert image.size == (round(page.width / 2), round(page.height / 2))
    assert not list(tmp_path.glob(".*tmp"))


def test_page_selection(ref, tmp_path):
    issue, plan, data = ref
    (only,) = preview_pngs(data, issue, plan, [2], 20, (), tmp_path)
    assert only.name.endswith("-p02.png") and sorted(tmp_path.iterdir()) == [only]
    with pytest.raises(ValueError, match="no page 3"):
        preview_pngs(data, issue, plan, [3], 20, (), tmp_path)


def test_each_overlay_draws_its_own_marks(ref_pngs):
    plain = ref_pngs["none"]
    marks = {
        "grid": over_white(preview.GRID_LINE),
        "modules": over_white(preview.STORY),
        "jumps": over_white(preview.JUMP),
    }
    for name, color in marks.items():
        without, with_ = count_near(plain, color), count_near(ref_pngs[name], color)
        assert with_ > 200 and with_ > 10 * (without + 1), (name, without, with_)
        assert count_near(ref_pngs["all"], color) > 200, name
    # amber outline: the two stories that move on to page 2
    amber = over_white(preview.MOVED)
    assert count_near(ref_pngs["modules"], amber) > 100 > count_near(plain, amber)
    # baselines: one faint line per body line, across the type area
    base = ref_pngs["baselines"]
    assert count_changed(plain, base) > 10_000
    for name in OVERLAYS:  # an overlay only adds marks: the page is still there underneath
        assert ref_pngs[name].size == plain.size


def test_overset_module_is_marked_red(tmp_path):
    spec = edition(tmp_path, edit=lambda t: t.replace(ZHONGKAO, ZHONGKAO.replace("26}", "12}")))
    issue, plan = plan_spec(spec)
    report = copyfit(issue, plan)
    (row,) = report.story_modules("zhongkao")
    assert row.overset_chars > 0
    (path,) = preview_pngs(pdf_of(plan), issue, plan, [1], 36, ("modules",), tmp_path / "p",
                           report=report)
    image = Image.open(path).convert("RGB")
    scale = 36 / 72
    from layout.desk.report import module_rect

    module = next(m for m in issue.pages[0].modules if m.ref == "zhongkao")
    r = module_rect(issue, 1, module)
    box = tuple(round(v * scale) for v in (r.x, r.y, r.right, r.bottom))
    plain = Image.open(preview_pngs(pdf_of(plan), issue, plan, [1], 36, (), tmp_path / "q")[0])
    red = over_white(preview.OVERSET)
    added = count_near(image, red, 40) - count_near(plain, red, 40)
    added_inside = count_near(image.crop(box), red, 40) - count_near(plain.crop(box), red, 40)
    assert added_inside > 2 * (box[2] - box[0] + box[3] - box[1])  # the outline all round, at least
    assert added_inside >= 0.9 * added  # …and nowhere else on the page
    tint = over_white(preview.OVERSET_TINT)
    assert count_near(image.crop(box), tint, 30) > 0.2 * (box[2] - box[0]) * (box[3] - box[1])


def test_parse_options():
    assert parse_overlays("grid, modules") == ("grid", "modules")
    assert parse_overlays("all") == OVERLAYS and parse_overlays("none") == ()
    with pytest.raises(ValueError, match="unknown overlay 'grids'"):
        parse_overlays("grids")
    assert parse_pages("1,2") == (1, 2) and parse_pages("1-3,6") == (1, 2, 3, 6)
    assert parse_pages(None) is None
    with pytest.raises(ValueError):
        parse_pages("one")


def test_preview_command(tmp_path):
    @click.group()
    def group() -> None:
        pass

    group.add_command(desk.preview)
    runner = CliRunner()
    out = tmp_path / "png"
    result = runner.invoke(group, ["preview", str(REF), "--pages", "1", "--dpi", "24",
                                   "--overlay", "grid,modules,baselines,jumps", "-o", str(out)])
    assert result.exit_code == 0, result.output
    assert result.stdout.strip() == str(out / "xuchang-2022-06-16-p01.png")
    assert "0 overset" in result.output
    assert [p.name for p in out.iterdir()] == ["xuchang-2022-06-16-p01.png"]
    result = runner.invoke(group, ["preview", str(REF), "--overlay", "frames", "-o", str(out)])
    assert result.exit_code == 2 and "unknown overlay" in result.output
    result = runner.invoke(group, ["preview", str(REF), "--pages", "9", "-o", str(out)])
    assert result.exit_code == 2 and "no page 9" in result.output


def test_a_pdf_with_printers_marks_previews_the_trimmed_page(ref, ref_pngs, tmp_path):
    issue, plan, _ = ref
    marked = render_pdf(plan.pages, initial_font=plan.body_font, slug="许昌日报　2022-06-16")
    (path,) = preview_pngs(marked, issue, plan, [1], 36, (), tmp_path)
    image = Image.open(path).convert("RGB")
    plain = ref_pngs["none"]
    assert image.size == plain.size
    # the same page at the same place: only anti-aliasing differs (a 1 px shift changes ~20 000)
    assert count_changed(image, plain, more_than=64) < 2_000
