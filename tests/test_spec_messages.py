"""Messages of the spec loader that lead to the fix (issue 11, §2) and its hardening (issue 12): each
with its exact text; every independent problem of a spec in one run; furniture text bounded before
anything sets it."""
from __future__ import annotations

import os
import resource
import subprocess
import sys
from pathlib import Path

import pytest

from layout.util.errors import SpecError, SpecProblems, escape
from layout.spec.convert import LIMITS
from layout.spec.load import load_issue

from editions import MINIMAL_SPEC

ROOT = Path(__file__).resolve().parents[1]

# A small valid spec. Line numbers matter: the messages below name them.
SPEC = MINIMAL_SPEC
# Type height 80 mm = 226.77 pt, ÷ 12 pt leading = 18 lines per page.


def write(folder: Path, *edits: tuple[str, str], append: str = "") -> Path:
    text = SPEC
    for old, new in edits:
        assert old in text, old
        text = text.replace(old, new, 1)
    (folder / "photo.jpg").write_bytes(b"")
    spec = folder / "spec.yaml"
    spec.write_text(text + append, encoding="utf-8")
    return spec


def problem(folder: Path, *edits: tuple[str, str], append: str = "") -> SpecError:
    spec = write(folder, *edits, append=append)
    with pytest.raises(SpecError) as caught:
        load_issue(spec)
    return caught.value


def message(folder: Path, *edits: tuple[str, str], append: str = "") -> str:
    """The whole message, without the `<folder>/spec.yaml:` of its first line."""
    return str(problem(folder, *edits, append=append)).removeprefix(f"{folder / 'spec.yaml'}:")


def run_cli(*args: object, **options) -> subprocess.CompletedProcess:
    """`python -m layout …` as a user runs it, with this checkout first on the path."""
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    return subprocess.run([sys.executable, "-m", "layout", *map(str, args)], capture_output=True,
                          text=True, env=env, **options)


# --- Issue 11: messages that name the real cause -------------------------------------------------------

def test_a_tab_in_the_indentation_is_named_at_its_line(tmp_path):
    assert message(tmp_path, ("  columns: 4", "\tcolumns: 4")) == (
        "7: YAML syntax error: this line is indented with a tab; YAML forbids tabs for indentation\n"
        "  indent with spaces (the tab is at column 1)")
    assert message(tmp_path, ("    body: 正文。", "  \tbody: 正文。")) == (
        "22: YAML syntax error: this line is indented with a tab; YAML forbids tabs for indentation\n"
        "  indent with spaces (the tab is at column 3)")


def test_a_tab_inside_a_text_block_is_text(tmp_path):
    spec = write(tmp_path, ("    body: 正文。", "    body: |\n      正文\n      \t第二行。"))
    assert load_issue(spec).articles["a"].paragraphs == ("正文第二行。",)  # lines joined (convention 9)


def test_a_day_the_month_does_not_have(tmp_path):
    assert message(tmp_path, ("date: 2024-01-02", "date: 2024-11-31")) == \
        "3: issue.date: 2024-11-31 does not exist: November 2024 has 30 days"
    assert message(tmp_path, ("date: 2024-01-02", "date: '2023-02-29'")) == \
        "3: issue.date: 2023-02-29 does not exist: February 2023 has 28 days"
    assert message(tmp_path, ("date: 2024-01-02", "date: 2024-13-02")) == \
        "3: issue.date: expected a date like 2022-06-16, found 2024-13-02"


def test_modules_off_the_page_say_where_the_lines_come_from(tmp_path):
    # 12mm (34.02 pt) where 12pt was meant: 6 lines on the page instead of 18.
    found = message(tmp_path, ("leading: 12pt", "leading: 12mm"),
                    ("{image: p, col: 3, line: 1, cols: 2, lines: 10}", "{image: p, col: 3, line: 5, cols: 2, lines: 1}"),
                    ("{article: a, col: 1, line: 1, cols: 2, lines: 10}", "{article: a, col: 1, line: 2, cols: 2, lines: 6}"))
    assert found == (
        "15: pages[0].modules[0].lines: lines 2-7 on a 6-line page\n"
        "  starting at line 2, the module can take at most 5 lines; lines per page = floor(type height "
        "226.77 pt ÷ body leading 12mm = 34.02 pt) = 6; did you mean leading: 12pt?")


def test_a_body_size_in_mm_that_was_meant_in_pt(tmp_path):
    found = problem(tmp_path, ("size: 10pt, leading: 12pt", "size: 10mm"))
    assert found.problem == "10 lines on a 6-line page"
    assert found.hint == ("lines per page = floor(type height 226.77 pt ÷ body leading 34.02 pt (1.2 × the "
                          "body size)) = 6; did you mean size: 10pt?")


def test_a_leading_in_mm_that_is_one_gets_no_suggestion(tmp_path):
    found = problem(tmp_path, ("leading: 12pt", "leading: 5mm"), ("lines: 10}", "lines: 20}"))
    assert found.hint == "lines per page = floor(type height 226.77 pt ÷ body leading 5mm = 14.17 pt) = 16"


def test_a_comma_in_a_flow_mapping_suggests_quoting(tmp_path):
    assert message(tmp_path, ("p: {file: photo.jpg}", "p: {file: photo.jpg, caption: 成交額20,953點}")) == (
        '18: images.p: unknown key "953點"\n'
        '  the comma in 成交額20,953點 ends the value inside {…}; quote the text: caption: "成交額20,953點"')


def test_a_pdf_is_not_a_picture(tmp_path):
    (tmp_path / "ad.pdf").write_bytes(b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n")
    assert message(tmp_path, ("file: photo.jpg", "file: ad.pdf")) == (
        '18: images.p.file: "ad.pdf" is a PDF, not a picture file (JPEG or PNG)\n'
        "  an ad is placed by an ad: module, whole and at its own size: list it under ads: "
        "(ads: {ID: {file: ad.pdf}}) and place it with {ad: ID, col: …}")


# --- Issue 11: every independent problem in one run -----------------------------------------------------

SEVERAL = (
    ("paper: {name: 测试日报}", "paper: {name: 测试日报, nmae_latin: X}"),
    ("date: 2024-01-02", "date: 2024-11-31"),
    ("{article: a, col: 1, line: 1, cols: 2, lines: 10}", "{article: a, col: 1, line: 1, cols: 2, lines: 19}"),
    ("{image: p, col: 3, line: 1, cols: 2, lines: 10}", "{image: p, col: 3, line: 1, cols: 3, lines: 10}"),
    ("p: {file: photo.jpg}", "p: {file: missing.jpg}"),
    ("    headline: 标题", "    headline: 标题\n    kickr: 引题"),
)


def test_render_lists_every_independent_problem(tmp_path):
    spec = write(tmp_path, *SEVERAL, append="typography: {prohibition: gbb}\n")
    out = tmp_path / "out"
    result = run_cli("render", spec, "-o", out, timeout=120)
    assert result.returncode == 2
    assert result.stderr.splitlines() == [
        f'{spec}:2: paper: unknown key "nmae_latin"',
        '  did you mean "name_latin"?',
        f"{spec}:3: issue.date: 2024-11-31 does not exist: November 2024 has 30 days",
        f"{spec}:15: pages[0].modules[0].lines: 19 lines on an 18-line page",
        "  lines per page = floor(type height 226.77 pt ÷ body leading 12 pt) = 18",
        f"{spec}:16: pages[0].modules[1].cols: columns 3-5 on a 4-column grid",
        "  starting at column 3, the module can take at most 2 columns",
        f'{spec}:18: images.p.file: no file "missing.jpg"',
        f"  looked for {tmp_path / 'missing.jpg'}",
        f'{spec}:22: articles.a: unknown key "kickr"',
        '  did you mean "kicker"?',
        f'{spec}:24: typography.prohibition: expected one of none, basic, gb, strict, found "gbb"',
        '  did you mean "gb"?',
        "7 problems",
    ]
    assert not out.exists() or not list(out.iterdir())


def test_one_problem_is_reported_as_before(tmp_path):
    found = problem(tmp_path, ("date: 2024-01-02", "date: 2024-11-31"))
    assert type(found) is SpecError and found.line == 3 and found.path == "issue.date"


def test_the_first_problem_stays_the_error_s_attributes(tmp_path):
    found = problem(tmp_path, *SEVERAL)
    assert isinstance(found, SpecProblems) and len(found.problems) == 6
    assert (found.line, found.path, found.problem) == (2, "paper", 'unknown key "nmae_latin"')
    assert found.hint == 'did you mean "name_latin"?'


def test_what_depends_on_a_broken_part_is_not_checked(tmp_path):
    # A broken article is not "missing" where a module names it; a bad body size (the em) stops
    # format, styles and pages, but not the articles.
    assert message(tmp_path, ("    body: 正文。", "    body: [正文。]"), ("size: 10pt", "size: 10px")) == (
        f'11: styles.body.size: expected a length in mm, pt or em, found "10px"\n'
        f"{tmp_path / 'spec.yaml'}:22: articles.a.body: expected text, found a list\n"
        "2 problems")


def test_at_most_twenty_problems_are_shown(tmp_path):
    modules = "".join(f"      - {{image: p, col: 1, line: {19 + k}, cols: 1, lines: 1}}\n" for k in range(25))
    found = str(problem(tmp_path, ("      - {image: p, col: 3", modules + "      - {image: p, col: 3")))
    lines = found.splitlines()
    assert len([line for line in lines if ": pages[0].modules[" in line]) == 20
    assert lines[-2:] == ["…and 5 more", "25 problems"]


def test_problems_in_several_pages_and_an_overlap(tmp_path):
    page_2 = ("  - number: 2\n    modules:\n"
              "      - {image: p, col: 1, line: 1, cols: 2, lines: 2}\n"
              "      - {image: p, col: 2, line: 2, cols: 2, lines: 2}\n"
              "      - {image: q, col: 4, line: 1, cols: 1, lines: 1}\n")
    found = message(tmp_path, ("images:\n", page_2 + "images:\n"), ("col: 1, line: 1, cols: 2", "col: 0, line: 1, cols: 2"))
    spec = tmp_path / "spec.yaml"
    assert found == (
        "15: pages[0].modules[0].col: expected an integer of at least 1, found 0\n"
        f'{spec}:20: pages[1].modules[1]: image "p" overlaps image "p" at pages[1].modules[0] (line 19)\n'
        "  both take column 2, line 2\n"
        f'{spec}:21: pages[1].modules[2].image: no image "q" in images\n'
        "  images has: p\n"
        "3 problems")


# --- Issue 12: tags on keys, jump templates, control characters, page size ---------------------------

def test_a_tag_on_a_key_is_refused_like_a_tag_on_a_value(tmp_path):
    assert message(tmp_path, ("paper: {name: 测试日报}", "paper: {!!python/object:os.system name: 测试日报}")) == (
        "2: paper.name: unsupported YAML tag !!python/object:os.system\n"
        "  a spec is plain YAML: mappings, lists, text, numbers, true/false and dates")
    assert load_issue(write(tmp_path, ("paper: {name: 测试日报}", "paper: {!!str name: 测试日报}"))).paper.name == "测试日报"


@pytest.mark.parametrize("template, found", [
    ("（下转第{page}版）{page:>99999999}", "unknown placeholder {page:>99999999}"),
    ("（下转第{page}版）{x}", "unknown placeholder {x}"),
    ("（下转第{page!r}版）", "unknown placeholder {page!r}"),
    ("（下转第{page}版{", 'a lone "{" in "（下转第{page}版{"'),
    ("（下转第{page}版}", 'a lone "}" in "（下转第{page}版}"'),
])
def test_jump_templates_allow_only_page_and_doubled_braces(tmp_path, template, found):
    assert message(tmp_path, append=f"jumps: {{to: '{template}'}}\n") == (
        f"23: jumps.to: {found}\n"
        "  a jump template allows only {page}, and {{ and }} for literal braces")


def test_doubled_braces_are_braces(tmp_path):
    spec = write(tmp_path, append="jumps: {to: '{{转第{page}版}}', from: '{{page}}接{page}'}\n")
    assert load_issue(spec).jumps.to == "{{转第{page}版}}"
    assert message(tmp_path, append="jumps: {to: '{{page}}'}\n").splitlines()[0] == \
        '23: jumps.to: "{{page}}" has no {page}'


def test_control_characters_in_keys_and_file_names_are_escaped(tmp_path):
    spec = write(tmp_path, ("paper: {name: 测试日报}", 'paper: {name: 测试日报, "\\e]0;pwned\\aX": 1}'),
                 ("file: photo.jpg", 'file: "\\e[2Jx.jpg"'))
    spec.write_text(spec.read_text(encoding="utf-8") + '  "b\\e[1m": {body: 乙。}\n', encoding="utf-8")
    result = run_cli("render", spec, "-o", tmp_path / "out", timeout=120)
    assert result.returncode == 2
    assert "\x1b" not in result.stderr and "\x07" not in result.stderr
    lines = result.stderr.splitlines()
    assert lines[0] == f'{spec}:2: paper: unknown key "\\x1b]0;pwned\\x07X"'
    assert lines[2:4] == [f'{spec}:18: images.p.file: no file "\\x1b[2Jx.jpg"',
                          f"  looked for {tmp_path}/\\x1b[2Jx.jpg"]
    assert lines[4:] == [f'{spec}:23: articles["b\\x1b[1m"]: article "b\\x1b[1m" is never placed',
                         '  place it with an "article: b\\x1b[1m" module, or remove it', "3 problems"]


def test_escape_is_idempotent_and_keeps_text():
    assert escape("要闻\x1b]0;x\x07\u202e") == "要闻\\x1b]0;x\\x07\\u202e"
    assert escape(escape("a\nb")) == "a\\x0ab"


def test_a_sheet_of_exactly_the_largest_pdf_page_is_accepted(tmp_path):
    exact = write(tmp_path, ("width: 100mm", "width: 5074mm"), ("  columns: 4", "  bleed: 3mm\n  columns: 4"))
    assert load_issue(exact).format.trim_width == pytest.approx(5074 * 72 / 25.4)
    assert message(tmp_path, ("width: 100mm", "width: 5074.001mm"), ("  columns: 4", "  bleed: 3mm\n  columns: 4")) == (
        "7: format.bleed: a sheet of 14400.003 pt with its bleed is larger than a PDF page can be "
        "(14400 pt, 5080 mm)\n"
        "  trim width 14382.995 pt, bleed 8.504 pt on each side")


# --- Issue 12: furniture text is bounded before it is set ---------------------------------------------

@pytest.mark.parametrize("edit, key, what, kind", [
    (("    headline: 标题", "    headline: " + "长" * 1001), "articles.a.headline", "a headline", "headline"),
    (("    headline: 标题", "    headline: 标题\n    byline: " + "记" * 1001), "articles.a.byline", "a byline", "byline"),
    (("paper: {name: 测试日报}", "paper: {name: " + "报" * 2001 + "}"), "paper.name", "a paper name", "paper.name"),
    (("paper: {name: 测试日报}", "paper: {name: 测试日报, serial: " + "C" * 2001 + "}"), "paper.serial",
     "a masthead text", "paper.*"),
    (("p: {file: photo.jpg}", "p: {file: photo.jpg, caption: " + "图" * 5001 + "}"), "images.p.caption", "a caption",
     "caption"),
    (("  - number: 1", "  - number: 1\n    section: " + "要" * 1001), "pages[0].section", "a section name", "section"),
])
def test_furniture_text_longer_than_its_limit(tmp_path, edit, key, what, kind):
    found = problem(tmp_path, edit)
    limit = LIMITS[kind]
    assert found.path == key
    assert found.problem == f"{what} of {limit + 1} characters is too long: at most {limit}"
    assert found.hint == "furniture is set on a few lines of its module; docs/spec.md (Limits) lists every text limit"


def test_text_at_its_limit_is_accepted(tmp_path):
    spec = write(tmp_path, ("    headline: 标题", "    headline: " + "长" * LIMITS["headline"]))
    assert len(load_issue(spec).articles["a"].headline) == LIMITS["headline"]


def test_a_jump_template_longer_than_its_limit(tmp_path):
    assert message(tmp_path, append=f"jumps: {{from: '{'接' * 200}{{page}}'}}\n") == (
        "23: jumps.from: a jump template of 206 characters is too long: at most 200\n"
        "  a jump line is one line of a column, e.g. （下转第{page}版）")


def _limit_memory() -> None:
    resource.setrlimit(resource.RLIMIT_AS, (1536 * 2**20, 1536 * 2**20))


@pytest.mark.parametrize("key, text, line", [
    ("byline", "记者" * (15 * 2**20 // 3), 22),  # 30 MB of UTF-8, under the 32 MB spec limit
    ("headline", "标题" * (2**20 // 6), 21),  # 1 MB
])
def test_huge_furniture_is_refused_under_a_memory_cap(tmp_path, key, text, line):
    edit = ("    headline: 标题", f"    headline: {text}") if key == "headline" else \
        ("    headline: 标题", f"    headline: 标题\n    byline: {text}")
    spec = write(tmp_path, edit)
    result = run_cli("render", spec, "-o", tmp_path / "out", timeout=60, preexec_fn=_limit_memory)
    assert result.returncode == 2, result.stderr[-2000:]
    assert result.stderr.splitlines()[0] == (
        f"{spec}:{line}: articles.a.{key}: a {key} of {len(text)} characters is too long: at most 1000")


def test_a_spec_file_name_with_control_characters_is_escaped(tmp_path):
    spec = write(tmp_path, ("date: 2024-01-02", "date: 2024-11-31"))
    odd = spec.rename(tmp_path / "\x1b]0;x\x07.yaml")
    result = run_cli("render", odd, "-o", tmp_path / "out", timeout=120)
    assert result.returncode == 2
    assert result.stderr.splitlines() == [
        f"{tmp_path}/\\x1b]0;x\\x07.yaml:3: issue.date: 2024-11-31 does not exist: November 2024 has 30 days"]


def test_docs_state_every_text_limit():
    docs = (ROOT / "docs" / "spec.md").read_text(encoding="utf-8")
    limits = docs[docs.index("## Limits"):docs.index("## The JSON schema")]
    rows = {
        "paper.name": "| `paper.name` |",
        "paper.*": "| the other `paper` texts",
        "section": "| `pages[].section` |",
        "kicker": "| `kicker`, `headline`, `subtitle`",
        "headline": "| `kicker`, `headline`, `subtitle`",
        "subtitle": "| `kicker`, `headline`, `subtitle`",
        "byline": "`byline` |",
        "caption": "| `images.*.caption` |",
        "lead": "| `articles.*.lead` |",
        "index title": "| `indexes.*.title` |",
        "jump": "| `jumps.to`, `jumps.from` |",
        "body": "| `articles.*.body` ",
        "bodies": "| all `articles.*.body` of one spec together",
    }
    assert set(rows) == set(LIMITS)
    for key, row in rows.items():
        line = next(line for line in limits.splitlines() if row in line)
        assert line.rstrip().endswith(f"| {LIMITS[key]} characters |") or \
            line.rstrip().endswith(f"| {LIMITS[key]} characters each |"), (key, line)


def test_a_tab_in_a_text_block_far_from_a_syntax_error_is_not_blamed(tmp_path):
    found = message(tmp_path, ("    body: 正文。", "    body: |\n      正文\n      \t第二行。"),
                    append="typography:\n  prohibition: gb\n  latin_spacing: 0.25em\njumps: [x\n")
    assert found.splitlines()[0] == "29: YAML syntax error: expected ',' or ']', but got '<stream end>'"


def test_a_pipe_as_the_profile_is_not_called_an_image(tmp_path):
    os.mkfifo(tmp_path / "profile.icc")
    assert message(tmp_path, append="output: {profile: profile.icc}\n") == (
        '23: output.profile: "profile.icc" is not a regular file\n'
        f"  {tmp_path / 'profile.icc'} is there but is not an ICC profile file")


def test_a_body_of_megabytes_is_refused_before_it_is_set(tmp_path):
    """Once: a 20 MB body took 75 s and 1.46 GB to end in "overset by 6974046 characters"."""
    spec = tmp_path / "issue.yaml"
    spec.write_text(MINIMAL_SPEC.replace("body: 正文。", "body: " + "正文" * 100_001), encoding="utf-8")
    (tmp_path / "photo.jpg").write_bytes((ROOT / "issue_specs" / "photo-1.jpg").read_bytes())
    with pytest.raises(SpecError) as caught:
        load_issue(spec)
    assert str(caught.value).splitlines() == [
        f"{spec}:22: articles.a.body: a body of 200002 characters is too long: at most 200000",
        "  a story that long is a mistake (a pasted file?); split it into articles"]


def test_many_bodies_each_within_its_bound_are_bounded_together(tmp_path):
    """32 MB of bodies, each under 200 000 characters, would take minutes and gigabytes to set."""
    spec = tmp_path / "issue.yaml"
    more = "".join(f"  b{k}:\n    headline: 标题\n    body: {'正文' * 95_000}\n" for k in range(6))
    spec.write_text(MINIMAL_SPEC + more, encoding="utf-8")
    (tmp_path / "photo.jpg").write_bytes((ROOT / "issue_specs" / "photo-1.jpg").read_bytes())
    with pytest.raises(SpecError) as caught:
        load_issue(spec)
    assert str(caught.value).splitlines()[:2] == [  # then: the six are never placed
        f"{spec}:19: articles: the articles hold 1,140,003 characters of body text: at most "
        "1,000,000 in one issue",
        "  a 100-page daily holds about a million; split the edition into several specs"]
