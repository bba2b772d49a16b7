"""Follow-ups of issue 16, judged on the PDF written: 套红 for one story's headline
(`headline_colour` on its module), an SVG masthead logo drawn as vectors, and the rules where a
table stands under a box."""
from __future__ import annotations

import ctypes
from pathlib import Path

import pypdfium2 as pdfium
import pypdfium2.raw as raw
import pytest

from layout.desk.render import render_spec
from layout.model.grid import page_grid
from layout.spec.load import load_issue
from layout.util.errors import SpecError

from editions import MINIMAL_SPEC

ROOT = Path(__file__).resolve().parent.parent
SPEC = ROOT / "issue_specs" / "xuchang-2022-06-17-ads.yaml"


@pytest.fixture(scope="module")
def edition(tmp_path_factory) -> Path:
    pdf = tmp_path_factory.mktemp("follow16") / "ed.pdf"
    render_spec(SPEC, pdf)
    return pdf


def text_by_fill(pdf: Path, page: int) -> dict[tuple[int, int, int], str]:
    """The page's characters grouped by their fill colour as pdfium renders it (RGB 0–255)."""
    textpage = pdfium.PdfDocument(str(pdf))[page - 1].get_textpage()
    r, g, b, a = (ctypes.c_uint() for _ in range(4))
    out: dict[tuple[int, int, int], str] = {}
    for i in range(textpage.count_chars()):
        ch = textpage.get_text_range(i, 1)
        if not ch.strip():
            continue
        raw.FPDFText_GetFillColor(textpage.raw, i, r, g, b, a)
        key = (r.value, g.value, b.value)
        out[key] = out.get(key, "") + ch
    return out


def spot_red(pdf: Path) -> tuple[int, int, int]:
    """How pdfium shows the edition's 套红 spot ink: the fill of the lead headline's characters."""
    fills = text_by_fill(pdf, 1)
    return next(colour for colour, text in fills.items() if text.startswith("「手拉手」"))


# -- 1. 套红 for one story ---------------------------------------------------------------------------

def test_only_the_lead_storys_headline_is_taohong(edition):
    issue = load_issue(SPEC)
    lead = issue.articles["shoulashou"]
    fills = text_by_fill(edition, 1)
    red = spot_red(edition)
    assert fills[red] == lead.headline  # the lead's headline, and nothing else on A1
    assert red[0] > 200 and red[1] < 80 and red[2] < 80
    for number in (1, 2):
        for colour, text in text_by_fill(edition, number).items():
            if colour != red:
                continue
            assert number == 1 and text == lead.headline
    for other in ("law_society", "renda", "duanping"):  # the other headlines of A1: black
        headline = issue.articles[other].headline.replace("(", "（").replace(")", "）")
        assert not any(headline[:4] in text for colour, text in fills.items()
                       if colour[0] > 200 and colour[1] < 80), other


def test_the_spot_ink_of_the_headline_is_its_separation(edition):
    import pikepdf

    with pikepdf.open(edition) as pdf:
        page = pdf.pages[0]
        spaces = {str(k): v for k, v in page.Resources.ColorSpace.items()}
        (name,) = [k for k, s in spaces.items() if s[0] == "/Separation"]
        assert str(spaces[name][1]) == "/PANTONE 485 C"
        text_colours = []
        fill = None
        for operands, op in pikepdf.parse_content_stream(page):
            op = str(op)
            if op == "cs":
                fill = str(operands[0])
            elif op in ("g", "k", "rg"):
                fill = op
            elif op in ("TJ", "Tj"):
                text_colours.append(fill)
        assert text_colours.count(name) == 1  # the lead headline, one display line: no other text


def minimal(tmp_path: Path, module_extra: str = "", style_extra: str = "",
            colours: str = "") -> Path:
    (tmp_path / "photo.jpg").write_bytes((ROOT / "issue_specs" / "photo-1.jpg").read_bytes())
    text = MINIMAL_SPEC.replace("{article: a, col: 1, line: 1, cols: 2, lines: 10}",
                                "{article: a, col: 1, line: 1, cols: 2, lines: 10" + module_extra + "}")
    text = text.replace("body: {font: song, size: 10pt, leading: 12pt}",
                        "body: {font: song, size: 10pt, leading: 12pt}" + style_extra)
    spec = tmp_path / "spec.yaml"
    spec.write_text(text + colours, encoding="utf-8")
    return spec


def test_headline_colour_overrides_a_red_headline_style(tmp_path):
    """A desk whose headline style is red keeps one story black with `headline_colour: K`."""
    spec = minimal(tmp_path, ", headline_colour: K", "\n  headline: {colour: red}")
    pdf = tmp_path / "a.pdf"
    render_spec(spec, pdf)
    fills = text_by_fill(pdf, 1)
    headline = next(c for c, t in fills.items() if "标题" in t)
    assert headline[0] < 80  # black, not the style's red


def test_headline_colour_names_a_colour_of_the_spec(tmp_path):
    spec = minimal(tmp_path, ", headline_colour: taohongg",
                   colours="colours:\n  taohong: {cmyk: [0, 100, 100, 0]}\n")
    with pytest.raises(SpecError) as caught:
        load_issue(spec)
    lines = str(caught.value).splitlines()
    assert lines[0] == f'{spec}:15: pages[0].modules[0].headline_colour: no colour "taohongg" in colours'
    assert lines[1].strip() == 'did you mean "taohong"?'


def test_headline_colour_only_on_story_modules(tmp_path):
    spec = minimal(tmp_path)
    text = spec.read_text(encoding="utf-8").replace("{image: p, col: 3", "{image: p, headline_colour: red, col: 3")
    spec.write_text(text, encoding="utf-8")
    with pytest.raises(SpecError) as caught:
        load_issue(spec)
    lines = str(caught.value).splitlines()
    assert lines[0] == f"{spec}:16: pages[0].modules[1].headline_colour: an image module has no headline"
    assert lines[1].strip() == "headline_colour applies to article and continue modules"
