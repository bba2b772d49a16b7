"""Grid conventions 1–4 on the reference format."""
import pytest

from layout.model.grid import EM_BOX_ASCENT, lines_per_page, page_grid
from layout.model.issue import ArticleModule, Format

MM = 72 / 25.4
REF = Format(390 * MM, 545 * MM, 3 * MM, 27 * MM, 28 * MM, 18.5 * MM, 18.5 * MM, 8, 9.0, True)


def test_reference_grid_is_8_columns_of_13_characters_and_120_lines():
    g = page_grid(REF, 11.5, 1)
    assert g.column_width == pytest.approx(117.2, abs=0.05)
    assert g.column_width / 9 > 13
    assert lines_per_page(REF, 11.5) == 120 == g.lines


def test_parity_moves_the_inside_margin():
    fmt = Format(390 * MM, 545 * MM, 0, 27 * MM, 28 * MM, 25 * MM, 15 * MM, 8, 9.0)
    assert page_grid(fmt, 11.5, 1).left == pytest.approx(25 * MM)  # odd: inside on the left
    assert page_grid(fmt, 11.5, 2).left == pytest.approx(15 * MM)


def test_module_rect_and_baselines():
    g = page_grid(REF, 11.5, 1)
    r = g.module_rect(ArticleModule(story="a", col=6, line=21, cols=3, lines=25))
    assert r.x == pytest.approx(g.left + 5 * (g.column_width + 9))
    assert r.w == pytest.approx(3 * g.column_width + 2 * 9)
    assert r.y == pytest.approx(27 * MM + 20 * 11.5)
    assert r.h == pytest.approx(25 * 11.5)
    assert g.baseline(1, 9) == pytest.approx(27 * MM + EM_BOX_ASCENT * 9)
