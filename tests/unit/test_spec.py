"""Spec loading: the reference spec, defaults, and one test per kind of mistake (exact first line)."""
from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import pytest

from layout.util.errors import SpecError
from layout.model.issue import STYLE_NAMES, Style
from layout.spec.defaults import DEFAULT_STYLES
from layout.spec.load import load_issue
from layout.util.units import PT_PER_MM, UnitError, mm_to_pt, parse_em, parse_length

from editions import MINIMAL_SPEC

ROOT = Path(__file__).resolve().parents[2]
REFERENCE = ROOT / "issue_specs" / "xuchang-2022-06-16.yaml"
BAD = ROOT / "tests" / "fixtures" / "bad"

# A small valid spec. Line numbers matter: the error tests below name them.
MINIMAL = MINIMAL_SPEC
# Type height 80 mm = 226.8 pt, ÷ 12 pt leading = 18 lines per page.

PAGE_2 = """\
  - number: 2
    modules:
"""


def write(tmp_path: Path, text: str) -> Path:
    (tmp_path / "photo.jpg").write_bytes(b"")
    spec = tmp_path / "spec.yaml"
    spec.write_text(text, encoding="utf-8")
    return spec


def variant(*edits: tuple[str, str], append: str = "", insert_pages: str = "") -> str:
    """MINIMAL with text replacements (each must apply), more page entries and lines appended."""
    text = MINIMAL
    for old, new in edits:
        assert old in text, old
        text = text.replace(old, new, 1)
    if insert_pages:
        text = text.replace("images:\n", insert_pages + "images:\n", 1)
    return text + append


def error_of(tmp_path: Path, text: str) -> SpecError:
    spec = write(tmp_path, text)
    with pytest.raises(SpecError) as caught:
        load_issue(str(spec))
    return caught.value


def first_line(tmp_path: Path, text: str) -> str:
    """The first line of the message, without the `file:` prefix (the file is the tmp spec)."""
    message = str(error_of(tmp_path, text)).splitlines()[0]
    prefix = f"{tmp_path / 'spec.yaml'}:"
    assert message.startswith(prefix), message
    return message[len(prefix):]


def hint_of(tmp_path: Path, text: str) -> str | None:
    return error_of(tmp_path, text).hint


# --- The reference spec -------------------------------------------------------------------------------

@pytest.fixture(scope="module")
def reference():
    return load_issue(REFERENCE)


def test_reference_format(reference):
    fmt = reference.format
    assert fmt.columns == 8
    assert fmt.gutter == pytest.approx(9.0)  # 1em of the 9 pt body
    assert fmt.trim_width == pytest.approx(390 * 72 / 25.4)
    assert fmt.trim_height == pytest.approx(545 * PT_PER_MM)
    assert fmt.margin_top == pytest.approx(mm_to_pt(27))
    assert fmt.bleed == pytest.approx(mm_to_pt(3))
    assert fmt.column_rules is True


def test_reference_pages_and_modules(reference):
    assert [page.number for page in reference.pages] == [1, 2]
    page1 = reference.pages[0]
    assert len(page1.modules) == 11
    assert page1.section == "要闻"
    lead = page1.modules[1]
    assert (lead.kind, lead.ref, lead.col, lead.line, lead.cols, lead.lines) == ("article", "shoulashou", 1, 21, 5, 37)
    assert lead.headline_size == pytest.approx(36.0)
    assert page1.modules[0].kind == "masthead" and page1.modules[0].ref is None
    assert [m.kind for m in reference.pages[1].modules] == ["continue", "continue"]
    assert lead.source.line == 59 and lead.source.path == "pages[0].modules[1]"


def test_reference_styles(reference):
    body = reference.styles["body"]
    assert body == Style("song", 9.0, 11.5, 18.0)
    assert reference.styles["headline"] == Style("hei", 20.0)
    assert reference.styles["caption"].size == 8.0
    assert set(reference.styles) == set(STYLE_NAMES)


def test_reference_text_and_refs(reference):
    assert reference.issue.date == dt.date(2022, 6, 16)
    assert reference.issue.number == 9705
    assert reference.paper.name == "许昌日报" and reference.paper.serial == "CN41-0013"
    assert reference.fonts == {"song": "Noto Serif CJK SC", "hei": "Noto Sans CJK SC Bold", "kai": "LXGW WenKai"}
    assert reference.typography.fullwidth_punctuation is True
    assert reference.jumps.from_ == "（上接第{page}版）" and reference.jumps.numerals == "chinese"
    assert reference.images["street"].file == REFERENCE.parent / "photo-1.jpg"
    assert reference.images["street"].caption == "示例图片(版面占位图)"  # not made full-width here
    daodu = reference.indexes["daodu"]
    assert daodu.title == "导读" and len(daodu.items) == 3 and daodu.items[2].kicker.startswith("稳经济")
    shoulashou = reference.articles["shoulashou"]
    assert len(shoulashou.paragraphs) == 14
    assert shoulashou.paragraphs[0].startswith("6月10日,星期五,")
    assert shoulashou.byline == "本报记者 胡晨\u3000通讯员 张国辉 郭磊"
    assert reference.articles["liutao"].kicker is None
    assert set(reference.articles) == {"shoulashou", "xuchang_university", "liutao", "law_society",
                                       "zhongkao", "renda", "zhengxie"}


def test_source_is_absolute_and_messages_use_the_path_as_given(tmp_path, monkeypatch):
    write(tmp_path, variant(("columns: 4", "columns: x")))
    monkeypatch.chdir(tmp_path)
    with pytest.raises(SpecError, match=r"^spec\.yaml:7: "):
        load_issue("spec.yaml")
    write(tmp_path, MINIMAL)
    assert load_issue("spec.yaml").source == tmp_path / "spec.yaml"


# --- Defaults -----------------------------------------------------------------------------------------

def test_minimal_spec_gets_every_default(tmp_path):
    issue = load_issue(write(tmp_path, MINIMAL))
    styles = issue.styles
    assert styles["headline"] == Style("song", 20.0)
    assert styles["kicker"] == Style("song", 12.0)
    assert styles["subtitle"] == Style("song", 12.0)
    assert styles["byline"] == Style("song", 10.0)
    assert styles["caption"] == Style("song", 9.0)
    assert styles["jump"] == Style("song", 10.0, 12.0, 0.0)
    assert styles["continued_headline"] == Style("song", 16.0)  # max(1.6 × 10, 0.6 × 20)
    assert styles["index_title"] == Style("song", 18.0)
    assert styles["index_item"] == Style("song", 13.5)
    assert styles["index_small"] == Style("song", 11.5)  # never the body size
    assert issue.typography.prohibition == "basic" and issue.typography.latin_spacing == 0.25
    assert issue.jumps.to == "（下转第{page}版）"
    assert issue.format.bleed == 0.0 and issue.format.column_rules is False
    assert issue.indexes == {} and issue.articles["a"].paragraphs == ("正文。",)


def test_every_style_name_has_its_own_default():
    assert set(DEFAULT_STYLES) == set(STYLE_NAMES) - {"body"}


def test_small_print_is_defined_once_for_the_header_style_and_the_furniture():
    """The masthead's small print is the default header style's size and the size furniture sets
    the Latin name from: one constant, so the two cannot drift apart."""
    from layout.pages import furniture
    from layout.spec import defaults

    assert furniture.SMALL_PRINT is defaults.SMALL_PRINT == 10.5
    body = {"body": Style("song", 9.0, 11.0)}
    assert DEFAULT_STYLES["header"](body).size == DEFAULT_STYLES["masthead_small"](body).size == defaults.SMALL_PRINT
    assert not re.search(r"^SMALL_PRINT\s*=", Path(furniture.__file__).read_text(encoding="utf-8"), re.MULTILINE)


def test_a_style_given_in_part_keeps_the_rest_of_its_default(tmp_path):
    text = variant(("fonts: {song: Noto Serif CJK SC}", "fonts: {song: A, hei: B}"),
                   ("  body: {font: song, size: 10pt, leading: 12pt}\n",
                    "  body: {font: song, size: 10pt}\n  headline: {font: hei, size: 40pt}\n"
                    "  caption: {indent: 1em}\n"))
    styles = load_issue(write(tmp_path, text)).styles
    assert styles["body"].leading == 12.0  # 1.2 × size, filled in for the grid
    assert styles["caption"] == Style("song", 9.0, None, 10.0)
    assert styles["continued_headline"] == Style("hei", 24.0)  # follows the changed headline
    assert styles["masthead"].font == "hei"


def test_typography_jumps_and_optional_keys(tmp_path):
    text = variant(append=(
        "typography: {fullwidth_punctuation: yes, prohibition: strict, latin_spacing: 0.5em, missing_glyphs: warn}\n"
        "jumps: {to: '(转{page})', from: '(接{page})', numerals: arabic}\n"))
    issue = load_issue(write(tmp_path, text))
    assert issue.typography.latin_spacing == 0.5 and issue.typography.missing_glyphs == "warn"
    assert issue.jumps.to == "(转{page})" and issue.jumps.numerals == "arabic"


def test_date_as_string_and_empty_optional_values(tmp_path):
    text = variant(("issue: {date: 2024-01-02}", "issue: {date: '2024-01-02', number: }"),
                   ("    headline: 标题", "    headline:"))
    issue = load_issue(write(tmp_path, text))
    assert issue.issue.date == dt.date(2024, 1, 2) and issue.issue.number is None
    assert issue.articles["a"].headline is None


def test_font_files_resolve_against_the_spec_folder(tmp_path):
    text = variant(("fonts: {song: Noto Serif CJK SC}", "fonts: {song: fonts/Song.otf, hei: Hei.TTC}"))
    fonts = load_issue(write(tmp_path, text)).fonts
    assert fonts == {"song": str(tmp_path / "fonts" / "Song.otf"), "hei": str(tmp_path / "Hei.TTC")}


def test_body_paragraphs_follow_convention_9(tmp_path):
    text = variant(("    body: 正文。", "    body: |\n      第一\n      段。\n\n      Second\n      paragraph."))
    assert load_issue(write(tmp_path, text)).articles["a"].paragraphs == ("第一段。", "Second paragraph.")


def test_yaml_anchors_and_aliases_work(tmp_path):
    text = variant(("fonts: {song: Noto Serif CJK SC}", "fonts: {song: &face Noto Serif CJK SC, hei: *face}"))
    assert load_issue(write(tmp_path, text)).fonts["hei"] == "Noto Serif CJK SC"


# --- Units --------------------------------------------------------------------------------------------

def test_units():
    assert parse_length("25.4mm") == pytest.approx(72.0)
    assert parse_length("9pt") == 9.0
    assert parse_length("2em", em=9.0) == 18.0
    assert parse_length(" 1.5 pt ") == 1.5
    assert parse_em("0.25em") == 0.25
    for bad in ("12px", "12", "pt", "1em"):
        with pytest.raises(UnitError):
            parse_length(bad)
    with pytest.raises(UnitError):
        parse_em("3pt")


# --- Errors: one test per kind of mistake -------------------------------------------------------------

def test_unknown_key_suggests_the_near_one(tmp_path):
    text = variant(("    headline: 标题", "    headlin: 标题"))
    assert first_line(tmp_path, text) == '21: articles.a: unknown key "headlin"'
    assert str(error_of(tmp_path, text)).splitlines()[1] == '  did you mean "headline"?'


def test_unknown_key_lists_the_keys_when_none_is_near(tmp_path):
    text = variant(append="printing: {dir: out}\n")
    assert first_line(tmp_path, text) == '23: unknown key "printing"'
    assert hint_of(tmp_path, text).startswith("expected one of: spec_version, paper, issue, format")


def test_output_section(tmp_path):
    issue = load_issue(write(tmp_path, variant(append="output: {standard: pdf/x-4, ink_limit: 260}\n")))
    assert issue.output.standard == "pdf/x-4" and issue.output.ink_limit == 260.0
    assert first_line(tmp_path, variant(append="output: {ink_limit: 500}\n")).startswith(
        "23: output.ink_limit: expected a total ink limit between 100 and 400")


def test_duplicate_key(tmp_path):
    text = variant(("  columns: 4\n", "  columns: 4\n  columns: 5\n"))
    assert first_line(tmp_path, text) == '8: format: duplicate key "columns"'
    assert hint_of(tmp_path, text) == "first given at line 7"


def test_wrong_type_integer(tmp_path):
    assert first_line(tmp_path, variant(("columns: 4", 'columns: "eight"'))) == \
        '7: format.columns: expected an integer, found "eight"'
    assert first_line(tmp_path, variant(("columns: 4", "columns: 4.5"))) == \
        "7: format.columns: expected an integer, found 4.5"


def test_wrong_type_mapping(tmp_path):
    assert first_line(tmp_path, variant(("paper: {name: 测试日报}", "paper: 测试日报"))) == \
        '2: paper: expected a mapping, found "测试日报"'


def test_wrong_type_list(tmp_path):
    assert first_line(tmp_path, variant(insert_pages="  - {number: 2, modules: {}}\n")) == \
        "17: pages[1].modules: expected a list of modules, found a mapping"


def test_wrong_type_boolean_and_choice(tmp_path):
    assert first_line(tmp_path, variant(append="typography: 1\n")) == "23: typography: expected a mapping, found 1"
    text = variant(append="typography: {fullwidth_punctuation: 1}\n")
    assert first_line(tmp_path, text) == "23: typography.fullwidth_punctuation: expected true or false, found 1"
    text = variant(append="typography: {prohibition: gbb}\n")
    assert first_line(tmp_path, text) == \
        '23: typography.prohibition: expected one of none, basic, gb, strict, found "gbb"'
    assert hint_of(tmp_path, text) == 'did you mean "gb"?'


def test_bad_unit(tmp_path):
    text = variant(("gutter: 1em", "gutter: 12px"))
    assert first_line(tmp_path, text) == '8: format.gutter: expected a length in mm, pt or em, found "12px"'


def test_length_without_unit(tmp_path):
    text = variant(("gutter: 1em", "gutter: 12"))
    assert first_line(tmp_path, text) == "8: format.gutter: expected a length in mm, pt or em, found 12"
    assert hint_of(tmp_path, text) == "lengths carry a unit, e.g. 12pt"


def test_body_size_in_em(tmp_path):
    text = variant(("size: 10pt", "size: 1em"))
    assert first_line(tmp_path, text) == '11: styles.body.size: "1em" is in em, which is not allowed here'


def test_negative_and_zero_lengths(tmp_path):
    assert first_line(tmp_path, variant(("inside: 10mm", "inside: -1mm"))) == \
        '6: format.margins.inside: expected a length of 0 or more, found "-1mm"'
    assert first_line(tmp_path, variant(("size: 10pt", "size: 0pt"))) == \
        '11: styles.body.size: expected a length greater than 0, found "0pt"'


def test_latin_spacing_must_be_in_em(tmp_path):
    text = variant(append="typography: {latin_spacing: 2pt}\n")
    assert first_line(tmp_path, text) == '23: typography.latin_spacing: expected a length in em, found "2pt"'


def test_bad_date(tmp_path):
    assert first_line(tmp_path, variant(("date: 2024-01-02", "date: 2024-13-02"))) == \
        '3: issue.date: expected a date like 2022-06-16, found 2024-13-02'


def test_unsupported_spec_version(tmp_path):
    text = variant(("spec_version: 1", "spec_version: 2"), append="future_key: 1\n")
    assert first_line(tmp_path, text) == "1: spec_version: unsupported spec version 2"
    assert hint_of(tmp_path, text) == "this Broadsheet reads spec_version 1"


def test_missing_spec_version(tmp_path):
    assert first_line(tmp_path, variant(("spec_version: 1\n", ""))) == '1: missing required key "spec_version"'


def test_yaml_syntax_error(tmp_path):
    assert first_line(tmp_path, variant(("gutter: 1em", "gutter: 1em: 2"))) == \
        "8: YAML syntax error: mapping values are not allowed here"
    assert first_line(tmp_path, variant(("columns: 4", "columns: [4"))) == \
        "8: YAML syntax error: expected ',' or ']', but got ':'"


def test_empty_and_non_mapping_spec(tmp_path):
    assert first_line(tmp_path, "# nothing\n") == "1: the spec is empty"
    assert first_line(tmp_path, "- 1\n") == "1: expected a mapping, found a list"


def test_unreadable_spec(tmp_path):
    with pytest.raises(SpecError, match=r"nope\.yaml: cannot read the spec: No such file"):
        load_issue(tmp_path / "nope.yaml")


def test_missing_required_key(tmp_path):
    assert first_line(tmp_path, variant(("  gutter: 1em\n", ""))) == '4: format: missing required key "gutter"'
    assert first_line(tmp_path, variant(("{article: a, col: 1, line: 1, cols: 2, lines: 10}",
                                         "{article: a, col: 1, line: 1, cols: 2}"))) == \
        '15: pages[0].modules[0]: missing required key "lines"'
    assert first_line(tmp_path, variant(("    body: 正文。\n", ""))) == '20: articles.a: missing required key "body"'


def test_module_wider_than_the_grid(tmp_path):
    text = variant(("col: 1, line: 1, cols: 2", "col: 1, line: 1, cols: 5"))
    assert first_line(tmp_path, text) == "15: pages[0].modules[0].cols: 5 columns on a 4-column grid"


def test_module_column_off_the_grid(tmp_path):
    text = variant(("col: 3, line: 1, cols: 2", "col: 5, line: 1, cols: 2"))
    assert first_line(tmp_path, text) == "16: pages[0].modules[1].col: column 5 on a 4-column grid"


def test_module_running_off_the_right_edge(tmp_path):
    text = variant(("col: 3, line: 1, cols: 2", "col: 3, line: 1, cols: 3"))
    assert first_line(tmp_path, text) == "16: pages[0].modules[1].cols: columns 3-5 on a 4-column grid"
    assert hint_of(tmp_path, text) == "starting at column 3, the module can take at most 2 columns"


def test_module_lines_off_the_page(tmp_path):
    assert first_line(tmp_path, variant(("cols: 2, lines: 10}", "cols: 2, lines: 19}"))) == \
        "15: pages[0].modules[0].lines: 19 lines on an 18-line page"
    assert first_line(tmp_path, variant(("col: 1, line: 1,", "col: 1, line: 19,"))) == \
        "15: pages[0].modules[0].line: line 19 on an 18-line page"
    text = variant(("col: 1, line: 1,", "col: 1, line: 10,"))
    assert first_line(tmp_path, text) == "15: pages[0].modules[0].lines: lines 10-19 on an 18-line page"
    assert hint_of(tmp_path, text) == ("starting at line 10, the module can take at most 9 lines; "
                                       "lines per page = floor(type height 226.77 pt ÷ body leading 12 pt) = 18")
    assert error_of(tmp_path, variant(("cols: 2, lines: 10}", "cols: 2, lines: 19}"))).hint == \
        "lines per page = floor(type height 226.77 pt ÷ body leading 12 pt) = 18"


def test_module_position_must_be_positive(tmp_path):
    assert first_line(tmp_path, variant(("col: 1, line: 1,", "col: 0, line: 1,"))) == \
        "15: pages[0].modules[0].col: expected an integer of at least 1, found 0"


def test_overlapping_modules_name_both(tmp_path):
    text = variant(("{image: p, col: 3, line: 1,", "{image: p, col: 2, line: 5,"))
    assert first_line(tmp_path, text) == \
        '16: pages[0].modules[1]: image "p" overlaps article "a" at pages[0].modules[0] (line 15)'
    assert hint_of(tmp_path, text) == "both take column 2, lines 5-10"


def test_module_needs_exactly_one_kind(tmp_path):
    assert first_line(tmp_path, variant(("{image: p, col: 3", "{col: 3"))) == \
        ("16: pages[0].modules[1]: expected exactly one of masthead, article, continue, image, index, "
         "table, table_continue, rule, ad, found none")
    assert first_line(tmp_path, variant(("{image: p, col: 3", "{image: p, article: a, col: 3"))) == \
        ("16: pages[0].modules[1]: expected exactly one of masthead, article, continue, image, index, "
         "table, table_continue, rule, ad, found article and image")


def test_masthead_must_be_true(tmp_path):
    assert first_line(tmp_path, variant(("{image: p, col: 3", "{masthead: false, col: 3"))) == \
        "16: pages[0].modules[1].masthead: expected true, found false"


def test_headline_size_only_on_story_modules(tmp_path):
    text = variant(("{image: p, col: 3", "{image: p, headline_size: 30pt, col: 3"))
    assert first_line(tmp_path, text) == "16: pages[0].modules[1].headline_size: an image module has no headline"


def test_unknown_article(tmp_path):
    text = variant(("{article: a,", "{article: aa,"))
    assert first_line(tmp_path, text) == '15: pages[0].modules[0].article: no article "aa" in articles'
    assert hint_of(tmp_path, text) == 'did you mean "a"?'


def test_unknown_image_index_and_continued_article(tmp_path):
    assert first_line(tmp_path, variant(("{image: p,", "{image: photo,"))) == \
        '16: pages[0].modules[1].image: no image "photo" in images'
    assert first_line(tmp_path, variant(("{image: p,", "{index: daodu,"))) == \
        '16: pages[0].modules[1].index: no index "daodu" in indexes'
    assert first_line(tmp_path, variant(("{image: p,", "{continue: b,"))) == \
        '16: pages[0].modules[1].continue: no article "b" in articles'


def test_article_placed_twice(tmp_path):
    text = variant(insert_pages=PAGE_2 + "      - {article: a, col: 1, line: 1, cols: 2, lines: 10}\n")
    assert first_line(tmp_path, text) == '19: pages[1].modules[0].article: article "a" is placed twice'
    assert hint_of(tmp_path, text) == \
        'first at pages[0].modules[0] (line 15); use "continue: a" for the rest of the story'


def test_continue_without_article_module(tmp_path):
    text = variant(insert_pages=PAGE_2 + "      - {continue: b, col: 1, line: 1, cols: 2, lines: 10}\n",
                   append="  b: {body: 乙。}\n")
    assert first_line(tmp_path, text) == '19: pages[1].modules[0].continue: article "b" has no article: module'


def test_continue_listed_before_its_article_on_the_same_page(tmp_path):
    text = variant(("      - {article: a, col: 1, line: 1, cols: 2, lines: 10}\n"
                    "      - {image: p, col: 3, line: 1, cols: 2, lines: 10}\n",
                    "      - {continue: a, col: 1, line: 1, cols: 2, lines: 10}\n"
                    "      - {article: a, col: 3, line: 1, cols: 2, lines: 10}\n"))
    assert first_line(tmp_path, text) == '15: pages[0].modules[0].continue: continues article "a" before it starts'
    assert hint_of(tmp_path, text) == ("it starts at pages[0].modules[1] (line 16); a continuation goes on "
                                       "a later page, or after it on the same page")


def test_continue_on_an_earlier_page_number(tmp_path):
    text = variant(("  - number: 1", "  - number: 3"),
                   insert_pages=PAGE_2 + "      - {continue: a, col: 1, line: 1, cols: 2, lines: 10}\n")
    assert first_line(tmp_path, text) == '19: pages[1].modules[0].continue: continues article "a" before it starts'


def test_continue_after_its_article_is_fine(tmp_path):
    text = variant(insert_pages=PAGE_2 + "      - {continue: a, col: 1, line: 1, cols: 2, lines: 10}\n")
    chain = [m.kind for page in load_issue(write(tmp_path, text)).pages for m in page.modules]
    assert chain == ["article", "image", "continue"]


def test_article_never_placed(tmp_path):
    text = variant(append="  b: {headline: 乙, body: 乙。}\n")
    assert first_line(tmp_path, text) == '23: articles.b: article "b" is never placed'


def test_empty_body(tmp_path):
    assert first_line(tmp_path, variant(("body: 正文。", 'body: ""'))) == "22: articles.a.body: empty body"
    assert first_line(tmp_path, variant(("body: 正文。", "body:"))) == "22: articles.a.body: empty body"
    assert first_line(tmp_path, variant(("body: 正文。", "body: |\n\n      \n"))) == "22: articles.a.body: empty body"


def test_duplicate_page_numbers(tmp_path):
    text = variant(("  - number: 1", "  - number: 1"),
                   insert_pages="  - number: 1\n    modules:\n      - {image: p, col: 1, line: 1, cols: 1, lines: 1}\n")
    assert first_line(tmp_path, text) == "17: pages[1].number: page 1 is defined twice"
    assert hint_of(tmp_path, text) == "first at pages[0] (line 13)"


def test_missing_image_file(tmp_path):
    text = variant(("file: photo.jpg", "file: missing.jpg"))
    assert first_line(tmp_path, text) == '18: images.p.file: no file "missing.jpg"'
    assert hint_of(tmp_path, text) == f"looked for {tmp_path / 'missing.jpg'}"


def test_style_font_role_not_in_fonts(tmp_path):
    text = variant(("  body: {font: song, size: 10pt, leading: 12pt}\n",
                    "  body: {font: song, size: 10pt, leading: 12pt}\n  kicker: {font: songg}\n"))
    assert first_line(tmp_path, text) == '12: styles.kicker.font: no font role "songg" in fonts'
    assert hint_of(tmp_path, text) == 'did you mean "song"?'


def test_unknown_style_name(tmp_path):
    text = variant(("  body: {font: song, size: 10pt, leading: 12pt}\n",
                    "  body: {font: song, size: 10pt, leading: 12pt}\n  headlines: {size: 20pt}\n"))
    assert first_line(tmp_path, text) == '12: styles: unknown key "headlines"'


def test_jump_template_needs_page(tmp_path):
    text = variant(append="jumps: {from: （上接第版）}\n")
    assert first_line(tmp_path, text) == '23: jumps.from: "（上接第版）" has no {page}'
    text = variant(append="jumps: {to: '（下转第{page}版{pg}）'}\n")
    assert first_line(tmp_path, text) == "23: jumps.to: unknown placeholder {pg}"


def test_margins_and_columns_must_leave_room(tmp_path):
    assert first_line(tmp_path, variant(("inside: 10mm", "inside: 90mm"))) == \
        "6: format.margins: the margins leave no type area"
    assert first_line(tmp_path, variant(("columns: 4", "columns: 40"))) == \
        "7: format.columns: 40 columns with 10 pt gutters do not fit the type width of 226.77 pt"


# --- Fixtures: each broken spec names its expected first line in an `# expect:` comment ---------------

@pytest.mark.parametrize("fixture", sorted(BAD.glob("*.yaml")), ids=lambda p: p.stem)
def test_bad_fixture(fixture):
    expected = next(line for line in fixture.read_text(encoding="utf-8").splitlines() if line.startswith("# expect: "))
    with pytest.raises(SpecError) as caught:
        load_issue(str(fixture))
    assert str(caught.value).splitlines()[0] == f"{fixture}:{expected.removeprefix('# expect: ')}"
    assert caught.value.exit_code == 2
