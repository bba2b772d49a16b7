"""The compiled kernel (layout/compose/kernel.pyx) against the pure-Python reference it ports.

The reference (fit.py, breaker.py, justify.py) is the specification; the kernel must agree with
it exactly: the same prefix sums, the same badness and demerits for every line, the same breaks
(first fit, the total-fit search with and without emergency breaks, the fast path, exact line
counts) and the same
glyph positions, compared with == (no tolerance), over the reference edition's paragraphs and
headlines set in its own faces, and over generated mixed Han/Latin/punctuation text at many
widths and indents, justified and ragged, including lines narrower than one word.
"""
from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path
from typing import get_args

import pytest
from hypothesis import HealthCheck, given, settings, strategies as st

from fakefont import FACES
from layout.compose import breaker, compiled, justify, native
from layout.compose import prepare as reference_prepare
from layout.compose.cjk import Prohibition
from layout.compose.classes import char_kind, number_run_kinds
from layout.compose.rules import break_penalties
from layout.compose.fit import SUMS, Fitter
from layout.compose.paragraph import Paragraph
from layout.compose.prepare import Prepared, prepare

NOT_BUILT = ("the compiled kernel is not built (pip install -e . or python setup.py build_ext "
             "--inplace); the pure-Python composer is in use")
kernel = pytest.importorskip("layout.compose.kernel", reason=NOT_BUILT)
kernel_prepare = pytest.importorskip("layout.compose.kernel_prepare", reason=NOT_BUILT)

ROOT = Path(__file__).resolve().parents[2]
REFERENCE = ROOT / "issue_specs" / "xuchang-2022-06-16.yaml"

HAN = "全市中招考试安全工作视频会召开本报讯记者武芳人大常委会主任座谈一二三年月日万元〇ひらがなカタカナ𠀀"
MARKS = "，。、；：？！“”‘’（）《》「」【】…—・"
PIECES = ("https://www.example.com/a/very/long/path", "editor@example.com", "COVID-19", "3.5%",
          "12.8万元", "1—2月", "美元/盎司", "——", "……", " ", "　", "iPhone 13", "5G-Advanced",
          "Supercalifragilisticexpialidocious", "2024", "a", "UTF-8")


WIDTHS = (1.5, 3.0, 4.7, 8.0, 12.6, 20.0)  # em; the narrow ones need emergency breaks


def same(got, want) -> bool:
    """Equal lists of equal types (True and 1.0 are == but not the same value here)."""
    return list(got) == list(want) and [type(v) for v in got] == [type(v) for v in want]


def assert_same_marks(text: str, face) -> None:
    """prepare's compiled `_marks` gives the reference's lists and changes `adv` the same way."""
    kinds = [char_kind(c) for c in text]
    adv_ref, adv_got = [face.advance(c) for c in text], [face.advance(c) for c in text]
    ref = reference_prepare._marks(text, kinds, adv_ref, lambda i: face)
    got = kernel_prepare.marks(text, kinds, adv_got, lambda i: face)
    assert same(adv_got, adv_ref)
    for g, name in zip(got, ("sides", "place", "squeeze", "squeeze_left", "shift", "end_squeeze",
                             "start_restore")):
        assert same(g, getattr(ref, name)), name


def assert_same_prepared(p: Prepared, latin_spacing: float = 0.25) -> None:
    """prepare's compiled loops give the reference's lists for this paragraph's text."""
    text, r = p.text, reference_prepare
    kinds, space = reference_prepare._kinds_and_spaces(text)
    got = kernel_prepare.kinds_and_spaces(text)
    assert same(got[0], kinds) and same(got[1], space)
    assert same(kernel_prepare.edge_blanks(text, space), r._edge_blanks(text, space))
    in_word, url_break = r._word_gaps(text, kinds)
    got, want = kernel_prepare.word_and_letter_gaps(text, in_word, space), \
        r._word_and_letter_gaps(text, in_word, space)
    assert all(same(g, w) for g, w in zip(got, want))
    sides = [{0.0: "right", 0.5: "centre", 1.0: "left"}[shift] if sq or shift else None
             for sq, shift in zip(p.squeeze, p.shift)]
    ref = r._glue(text, kinds, p.adv, space, in_word, sides, latin_spacing)
    got = kernel_prepare.glue(text, kinds, p.adv, space, in_word, sides, latin_spacing)
    for g, name in zip(got, ("gap", "gap_shrink", "gap_stretch", "spreadable", "loose_gap")):
        assert same(g, getattr(ref, name)), name
    assert same(kernel_prepare.number_run_kinds(text, kinds), number_run_kinds(text, kinds))
    for level in get_args(Prohibition):
        ctx = r._gap_context(text, kinds, space, r._edge_blanks(text, space), in_word,
                             url_break, level)
        assert same(kernel_prepare.break_penalties(ctx), break_penalties(ctx))
    assert same(kernel_prepare.loose_shares(ref.loose_gap, p.letter_gap),
                r._loose_shares(ref.loose_gap, p.letter_gap))


def assert_same(p: Prepared, width: float, first_width: float, all_lines: bool = False,
                latin_spacing: float = 0.25) -> None:
    """Kernel and reference agree on everything they compute for `p` at this measure."""
    assert_same_prepared(p, latin_spacing)
    ref = Fitter(p)
    lines = kernel.Lines(p)
    for name in SUMS:
        assert list(getattr(lines, name)) == list(getattr(ref, name)), name
    for emergency in (False, True):
        assert lines.best_breaks(width, first_width, emergency) == \
            breaker.best_breaks(p, ref, width, first_width, emergency)
    assert lines.first_fit(width, first_width) == breaker.first_fit(p, ref, width, first_width)
    for method in ("total-fit", "first-fit"):
        breaks = breaker.break_paragraph(p, width, first_width, ref, method)
        assert lines.break_paragraph(width, first_width, method) == breaks
    short = len(p.text) < 100  # the reference's exact-count DP is slow on long ones
    for count in {len(breaks) - 1, len(breaks) + 1, *((1, len(breaks)) if short else ())}:
        for limit in (300.0, 1e9) if short else (300.0,):
            assert lines.break_into(width, first_width, count, limit) == \
                breaker.break_into(p, ref, width, first_width, count, limit)
    a = 0
    for b in breaks:
        w = first_width if a == 0 else width
        for justified in (True, False):
            assert lines.set_line(a, b, w, 9.0, justified) == \
                justify.set_line(p, ref, a, b, w, 9.0, justified)
        a = b
    n = len(p.text)
    pairs = ((i, j) for i in range(n) for j in range(i + 1, n + 1)) if all_lines else \
        ((a, b) for a, b in zip([0, *breaks], breaks))
    for i, j in pairs:
        for last in (False, True):
            for dem in (False, True):
                assert lines.line_rate(i, j, width, last, dem) == ref.rate(i, j, width, last, dem)


@st.composite
def mixed_text(draw) -> str:
    pieces = draw(st.lists(st.one_of(
        st.text(HAN, min_size=1, max_size=6), st.text(MARKS, min_size=1, max_size=2),
        st.text("abcdefgXYZ", min_size=1, max_size=9), st.text("0123456789", min_size=1,
                                                              max_size=5),
        st.sampled_from(PIECES)), min_size=1, max_size=30))
    return "".join(pieces).strip() or "中"


@settings(max_examples=120, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(mixed_text(), st.sampled_from(FACES), st.sampled_from(WIDTHS),
       st.sampled_from((0.0, 1.0, 2.0)), st.booleans(), st.sampled_from((0.25, 0.0, 0, 0.1)))
def test_generated_text_breaks_and_sets_the_same(text, face, width, indent, display,
                                                 spacing) -> None:
    assert_same_marks(text, face)
    p = prepare(text, face, display=display, latin_spacing=spacing)
    assert_same(p, width, width - indent, latin_spacing=spacing)


@settings(max_examples=40, deadline=None)
@given(mixed_text(), st.sampled_from(FACES), st.sampled_from(WIDTHS), st.booleans())
def test_every_line_is_rated_the_same(text, face, width, display) -> None:
    assert_same(prepare(text[:60], face, display=display), width, width - 2.0, all_lines=True)


@pytest.fixture(scope="module")
def edition_paragraphs() -> list[tuple[Paragraph, object, bool]]:
    """The reference edition's body paragraphs (and headlines, as display lines) in its faces."""
    from layout.compose.paragraph import Paragraph
    from layout.desk.render import shared_fontbook
    from layout.model.story import paragraphs
    from layout.spec.load import load_issue
    from layout.util.errors import FontError
    from layout.util.text import fullwidth

    issue = load_issue(REFERENCE)
    try:
        book = shared_fontbook()
        body = book.face(issue.fonts[issue.styles["body"].font])
        head = book.face(issue.fonts[issue.styles["headline"].font])
    except FontError as error:
        pytest.skip(f"the reference edition's faces are not installed: {error}")
    out = []
    for article in issue.articles.values():
        for para in paragraphs(article.body):
            out.append((Paragraph(fullwidth(para.text), body, 9.0), body, False))
        out.append((Paragraph(fullwidth(article.headline), head, 28.0, display=True), head, True))
    return out


@pytest.mark.parametrize("width, indent", [(13.0, 2.0), (12.6, 2.0), (6.5, 2.0), (40.0, 0.0)])
def test_reference_edition_breaks_and_sets_the_same(edition_paragraphs, width, indent) -> None:
    for para, _face, display in edition_paragraphs:
        measure = width / 2 if display else width
        assert_same(para.prepared, measure, measure - indent)


def test_reference_edition_marks_are_the_same(edition_paragraphs) -> None:
    for para, face, _display in edition_paragraphs:
        assert_same_marks(para.prepared.text, face)


def test_paragraph_output_is_the_same_with_and_without_the_kernel(monkeypatch) -> None:
    """Through the wrapper: one measure, a measure a line (measures.py) and exact line counts."""
    texts = ["本报讯（记者 武芳）COVID-19 疫情防控https://www.example.com/a/b工作，“手拉手”活动。" * 3,
             "全市中招考试安全工作视频会召开。" * 5, "Supercalifragilisticexpialidocious全市"]
    for face in FACES:
        for text in texts:
            for width in ((9.0 * 12.6), (9.0 * 3.0), (9.0 * 20, 9.0 * 8, 9.0 * 12)):
                got = _set(text, face, width)
                with monkeypatch.context() as m:
                    m.setattr(native, "KERNEL", None)
                    m.setattr(reference_prepare, "_COMPILED", None)
                    assert _set(text, face, width) == got
                    assert Paragraph(text, face, 9.0).fitter.native is None


def _set(text: str, face, width) -> tuple:
    para = Paragraph(text, face, 9.0)
    exact = para.breaks_exactly(9.0 * 12.6, 4, indent=18.0)
    return tuple(para.set(width, indent=18.0)), exact


def test_the_environment_variable_forces_the_reference() -> None:
    code = ("from layout.compose import compiled, native; "
            "print(compiled.LINES is None, compiled.PREPARE is None, native.KERNEL is None)")
    env = {**os.environ, "PYTHONPATH": str(ROOT), compiled.PURE_PYTHON_ENV: "1"}
    out = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True,
                         check=True, cwd=ROOT)
    assert out.stdout.split() == ["True", "True", "True"]
    env[compiled.PURE_PYTHON_ENV] = "0"
    out = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True,
                         check=True, cwd=ROOT)
    assert out.stdout.split() == ["False", "False", "False"]
