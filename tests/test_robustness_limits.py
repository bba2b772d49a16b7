"""Inputs past what a page can hold, found by probing with broken and extreme specs: each gets a
clear message with its line and key, never an internal error, a crash or a page printed over itself.
Uses the small valid spec of test_robustness.py (its line numbers are asserted here too)."""
from __future__ import annotations

import os
import subprocess
import sys

import pytest

from layout.pages.furniture import Overflow

from test_robustness import BASE, assert_message, render, spec_file

INDEX = """\
indexes:
  daodu:
    title: 今日导读
    items:
      - {headline: 第一条导读标题比较长需要两行, page: 2}
      - {headline: 第二条导读标题比较长需要两行, page: 2}
      - {headline: 第三条导读标题比较长需要两行, page: 2}
      - {headline: 第四条导读标题比较长需要两行, page: 2}
"""
INDEX_MODULE = "      - {index: daodu, col: 5, line: 21, cols: 2, lines: 4}\n"


def with_module(module: str) -> tuple[tuple[str, str], ...]:
    anchor = "      - {image: photo, col: 5, line: 1, cols: 4, lines: 20}\n"
    return ((anchor, anchor + module),)


@pytest.mark.parametrize("value, message, hint", [
    ("0.004pt", 'expected a type size of at least 4 pt, found "0.004pt"',
     "type smaller than that cannot be printed on newsprint or read (八号 is 5pt)"),
    ("3pt", 'expected a type size of at least 4 pt, found "3pt"',
     "type smaller than that cannot be printed on newsprint or read (八号 is 5pt)"),
])
def test_type_size_has_a_floor(tmp_path, value, message, hint):
    spec = spec_file(tmp_path, (("size: 9pt, leading: 11.5pt", f"size: {value}, leading: 11.5pt"),))
    code, lines, _ = render("render", spec, "-o", tmp_path / "out")
    assert code == 2
    assert_message(lines, f"{spec}:11: styles.body.size: {message}", hint)


def test_headline_size_has_the_same_floor(tmp_path):
    spec = spec_file(tmp_path, (("cols: 4, lines: 20}\n      - {image",
                                 "cols: 4, lines: 20, headline_size: 0.3em}\n      - {image"),))
    code, lines, _ = render("render", spec, "-o", tmp_path / "out")
    assert code == 2
    assert lines[0] == (f'{spec}:15: pages[0].modules[0].headline_size: expected a type size of at '
                        f'least 4 pt, found "0.3em"')


def test_leading_below_the_size(tmp_path):
    spec = spec_file(tmp_path, (("leading: 11.5pt", "leading: 8pt"),))
    code, lines, _ = render("render", spec, "-o", tmp_path / "out")
    assert code == 2
    assert_message(lines, f"{spec}:11: styles.body.leading: a leading of 8 pt is less than the type "
                          "size of 9 pt",
                   "lines would overprint; a leading is usually 1.2–1.5 × the size")


def test_indent_wider_than_the_column(tmp_path):
    spec = spec_file(tmp_path, (("leading: 11.5pt}", "leading: 11.5pt, indent: 500em}"),))
    code, lines, _ = render("render", spec, "-o", tmp_path / "out")
    assert code == 2
    assert lines[0].startswith(f"{spec}:11: styles.body.indent: an indent of 4500 pt is as wide as "
                               "the column or wider (")


@pytest.mark.parametrize("edit, key", [
    (("trim: {width: 390mm", "trim: {width: 6000mm"), "format.trim.width"),
    (("gutter: 1em", "gutter: 1em\n  bleed: 3000mm"), "format.bleed"),
])
def test_page_larger_than_pdf_allows(tmp_path, edit, key):
    spec = spec_file(tmp_path, (edit,))
    code, lines, _ = render("render", spec, "-o", tmp_path / "out")
    assert code == 2
    assert f": {key}: a sheet of " in lines[0] and "larger than a PDF page can be (14400 pt" in lines[0]


def test_spec_file_size_is_bounded(tmp_path):
    spec = tmp_path / "huge.yaml"
    spec.write_bytes(BASE.encode() + b"#" * (33 * 2**20))
    code, lines, _ = render("render", spec, "-o", tmp_path / "out")
    assert code == 2
    assert_message(lines, f"{spec}: the spec is larger than 32 MB",
                   "a spec is text: a whole 24-page edition is under 1 MB")


@pytest.mark.parametrize("opening", ["[", "- "])
def test_very_deep_nesting_does_not_crash_libyaml(tmp_path, opening):
    """50,000 levels crashed libyaml's recursive composer (a segfault, no message): run as a user
    does, in a process of its own."""
    spec = tmp_path / "deep.yaml"
    body = "[" * 50_000 + "]" * 50_000 if opening == "[" else "\n" + "- " * 50_000 + "x"
    spec.write_text(BASE + "x: " + body + "\n", encoding="utf-8")
    env = {**os.environ, "PYTHONDONTWRITEBYTECODE": "1"}
    done = subprocess.run([sys.executable, "-m", "layout", "render", str(spec), "-o", str(tmp_path / "out")],
                          capture_output=True, text=True, timeout=120, env=env)
    assert done.returncode == 2, done.stderr
    assert done.stderr.startswith(f"{spec}:")
    # With libyaml the depth check words it; PyYAML's pure-Python parser runs out of recursion first.
    assert ("the spec is nested more than 64 levels deep" in done.stderr
            or "the spec is nested too deeply to read" in done.stderr), done.stderr


def test_damaged_font_file_is_a_spec_error(tmp_path):
    source = "/usr/share/fonts/truetype/lxgw-wenkai/LXGWWenKai-Regular.ttf"
    if not os.path.exists(source):
        pytest.skip("LXGW WenKai is not installed")
    with open(source, "rb") as f:
        (tmp_path / "cut.ttf").write_bytes(f.read(20_000))
    spec = spec_file(tmp_path, (("fonts: {song: Noto Serif CJK SC}", "fonts: {song: cut.ttf}"),))
    code, lines, _ = render("render", spec, "-o", tmp_path / "out")
    assert code == 2
    assert lines[0] == (f"{spec}:9: fonts.song: cannot read font file {tmp_path / 'cut.ttf'} (face 0): "
                        "its 'BASE' table ends at byte 15,594,298, past the end of the file (20,000 bytes)")
    assert lines[1] == "  the file is damaged or not a font; use another copy or another face"


def test_truncated_photo_is_named_at_its_key(tmp_path):
    spec = spec_file(tmp_path, (("file: photo.jpg", "file: cut.jpg"),))
    data = (tmp_path / "photo.jpg").read_bytes()
    (tmp_path / "cut.jpg").write_bytes(data[:len(data) // 3])
    code, lines, _ = render("render", spec, "-o", tmp_path / "out")
    assert code == 2
    assert lines[0].startswith(f"{spec}:18: images.photo.file: cannot use image cut.jpg: cannot convert "
                               "to CMYK: image file is truncated")


def test_output_that_is_a_folder_is_named_not_its_temporary_file(tmp_path):
    spec = spec_file(tmp_path)
    (tmp_path / "out" / "issue.pdf").mkdir(parents=True)
    code, lines, _ = render("render", spec, "-o", tmp_path / "out")
    assert code == 2
    assert_message(lines, f"{spec}: cannot write output: Is a directory: {tmp_path / 'out' / 'issue.pdf'}",
                   None)
    assert sorted(p.name for p in (tmp_path / "out").iterdir()) == ["issue.pdf"]


def test_module_too_short_for_body_text_says_why(tmp_path):
    spec = spec_file(tmp_path, (("cols: 4, lines: 20}\n      - {image",
                                 "cols: 4, lines: 3}\n      - {image"),))
    code, lines, _ = render("render", spec, "-o", tmp_path / "out")
    assert code == 1
    assert lines[0].endswith("module of story 'a' leaves 0 lines for body text, and needs at least 2: "
                             "its headline block takes 4 of its 3 lines")


# --- Furniture that does not fit prints over its neighbours: refused like overset -------------------

def test_index_box_that_overflows_is_refused(tmp_path):
    spec = spec_file(tmp_path, with_module(INDEX_MODULE), append=INDEX)
    code, lines, _ = render("render", spec, "-o", tmp_path / "out")
    assert code == 1
    assert lines[0].startswith(f"{spec}:17: pages[0].modules[2]: the index box 'daodu' needs ")
    assert lines[0].endswith(" lines, its module gives it 4")
    assert lines[1] == ("  give the module more lines or columns, or shorten its text "
                        "(--allow-overset renders it anyway)")
    assert not (tmp_path / "out" / "issue.pdf").exists()
    code, lines, _ = render("render", spec, "-o", tmp_path / "out", "--allow-overset")
    assert code == 0 and lines[0].startswith("warning: ") and (tmp_path / "out" / "issue.pdf").exists()


def test_index_box_that_fits_is_drawn(tmp_path):
    spec = spec_file(tmp_path, with_module(INDEX_MODULE.replace("lines: 4", "lines: 40")), append=INDEX)
    assert render("render", spec, "-o", tmp_path / "out")[0] == 0


def test_caption_may_take_half_the_picture_module(tmp_path):
    spec = spec_file(tmp_path, (("caption: 图片说明", "caption: " + "很长的图片说明文字" * 150),))
    code, lines, _ = render("render", spec, "-o", tmp_path / "out")
    assert code == 1
    assert lines[0].startswith(f"{spec}:16: pages[0].modules[1]: the caption of image 'photo' needs ")
    assert lines[0].endswith(" lines, its module gives it 10")


def test_masthead_too_small_is_refused(tmp_path):
    spec = spec_file(tmp_path, with_module("      - {masthead: true, col: 1, line: 21, cols: 1, lines: 2}\n"))
    code, lines, _ = render("render", spec, "-o", tmp_path / "out")
    assert code == 1
    assert lines[0].startswith(f"{spec}:17: pages[0].modules[2]: the masthead needs ")


def test_overflow_reads_as_grid_lines():
    assert Overflow("the masthead", 14.2, 14).lines == 14


def test_continuation_the_story_never_reaches_is_a_warning(tmp_path):
    page2 = "  - number: 2\n    modules:\n      - {continue: a, col: 1, line: 1, cols: 4, lines: 20}\n"
    spec = spec_file(tmp_path, (("images:\n", page2 + "images:\n"),))
    code, lines, _ = render("render", spec, "-o", tmp_path / "out")
    assert code == 0
    assert lines[0] == (f"warning: {spec}: story 'a' ends before its continuation module on page 2, "
                        "which stays empty")


def test_font_path_that_is_missing_or_a_folder(tmp_path):
    spec = spec_file(tmp_path, (("fonts: {song: Noto Serif CJK SC}", "fonts: {song: fonts/none.ttf}"),))
    code, lines, _ = render("render", spec, "-o", tmp_path / "out")
    assert code == 2
    assert_message(lines, f"{spec}:9: fonts.song: no font file '{tmp_path / 'fonts' / 'none.ttf'}'",
                   f"looked for {tmp_path / 'fonts' / 'none.ttf'}")
    (tmp_path / "fonts" / "none.ttf").mkdir(parents=True)
    code, lines, _ = render("render", spec, "-o", tmp_path / "out")
    assert code == 2
    assert_message(lines, f"{spec}:9: fonts.song: font file '{tmp_path / 'fonts' / 'none.ttf'}' is not a "
                          "regular file", "name a .ttf, .otf or .ttc file, or a face by its full name")


def test_image_that_is_a_folder(tmp_path):
    spec = spec_file(tmp_path, (("file: photo.jpg", "file: shots.jpg"),))
    (tmp_path / "shots.jpg").mkdir()
    code, lines, _ = render("render", spec, "-o", tmp_path / "out")
    assert code == 2
    assert_message(lines, f'{spec}:18: images.photo.file: "shots.jpg" is not a regular file',
                   f"{tmp_path / 'shots.jpg'} is there but is not an image file")


def test_missing_glyph_in_a_headline_is_listed_once_without_a_continuation(tmp_path):
    spec = spec_file(tmp_path, (("headline: 标题", "headline: 标题\U00010000"),))
    code, lines, _ = render("render", spec, "-o", tmp_path / "out")
    assert code == 1
    assert "article a (headline)" in lines[0] and "continued headline" not in "\n".join(lines)


def test_report_and_preview_show_furniture_that_does_not_fit(tmp_path):
    import json

    spec = spec_file(tmp_path, with_module(INDEX_MODULE), append=INDEX)
    code, lines, out = render("report", spec, "--json")
    assert code == 1
    data = json.loads(out)
    assert not data["ok"] and data["crowded"][0].startswith(f"{spec}:17: pages[0].modules[2]: the index box")
    row = next(m for m in data["modules"] if m["label"] == "index daodu")
    assert row["crowded_lines"] > 0 and row["status"] == f"超 {row['crowded_lines']} 行"


def test_report_and_fonts_judge_missing_glyphs_as_render_does(tmp_path):
    """Under typography.missing_glyphs: warn a render passes (with a warning), so report and fonts
    show the characters but exit 0; under the default they exit 1, as the render does."""
    edits = (("body: 正文。", "body: 正文\U00010000。"),)
    strict = spec_file(tmp_path, edits, name="strict.yaml")
    lenient = spec_file(tmp_path, edits, name="lenient.yaml",
                        append="typography: {missing_glyphs: warn}\n")
    for command in ("report", "fonts"):
        assert render(command, strict)[0] == 1
        code, _, out = render(command, lenient)
        assert code == 0 and ("U+10000" if command == "fonts" else "missing_glyphs: warn") in out
    assert render("render", lenient, "-o", tmp_path / "out")[0] == 0


def test_a_style_leading_is_checked_against_its_default_size(tmp_path):
    spec = spec_file(tmp_path, append="", edits=(
        ("  body: {font: song, size: 9pt, leading: 11.5pt}",
         "  body: {font: song, size: 9pt, leading: 11.5pt}\n  headline: {leading: 15pt}"),))
    code, lines, _ = render("render", spec, "-o", tmp_path / "out")
    assert code == 2
    assert lines[0] == f"{spec}:12: styles.headline.leading: a leading of 15 pt is less than the type size of 20 pt"


def test_a_pipe_as_the_spec_does_not_hang(tmp_path):
    fifo = tmp_path / "spec.yaml"
    os.mkfifo(fifo)
    code, lines, _ = render("render", fifo, "-o", tmp_path / "out")
    assert code == 2
    assert_message(lines, f"{fifo}: cannot read the spec: not a regular file", None)
