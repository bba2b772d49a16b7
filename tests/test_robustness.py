"""Every bad input gets a clear error: one test per case, through `broadsheet render` as a user runs it
(exit code, exact message on stderr, never a traceback), atomic output, and a fuzz run of the loader.

Exit codes: 0 rendered; 1 layout problem (overset, missing glyphs under the strict policy); 2 bad spec
or usage. Messages: `file:line: key.path: what is wrong`, then an indented hint line.
"""
from __future__ import annotations

import errno
import os
import re
import shutil
import struct
import subprocess
import sys
import textwrap
import zlib
from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from layout.desk.cli import main
from layout.util.errors import SpecError
from layout.model.issue import STYLE_NAMES, Issue
from layout.spec.load import load_issue
from layout.spec.shapes import ListOf, MapOf, Record
from layout.spec.structure import MAX_VALUES
from layout.spec.tables import ROOT
from layout.spec.yamlread import MAX_DEPTH

HERE = Path(__file__).resolve().parent
BAD = HERE / "fixtures" / "bad"
PHOTO = HERE.parent / "issue_specs" / "photo-1.jpg"
FUZZ_EXAMPLES = int(os.environ.get("BROADSHEET_FUZZ_EXAMPLES", "150"))
FUZZ_EXPLORE = os.environ.get("BROADSHEET_HYPOTHESIS_EXPLORE", "") not in ("", "0")

# A valid spec that renders in well under a second. Line numbers matter: messages name them.
BASE = textwrap.dedent("""\
    spec_version: 1
    paper: {name: 测试日报}
    issue: {date: 2024-01-02}
    format:
      trim: {width: 390mm, height: 545mm}
      margins: {top: 27mm, bottom: 28mm, inside: 18.5mm, outside: 18.5mm}
      columns: 8
      gutter: 1em
    fonts: {song: Noto Serif CJK SC}
    styles:
      body: {font: song, size: 9pt, leading: 11.5pt}
    pages:
      - number: 1
        modules:
          - {article: a, col: 1, line: 1, cols: 4, lines: 20}
          - {image: photo, col: 5, line: 1, cols: 4, lines: 20}
    images:
      photo: {file: photo.jpg, caption: 图片说明}
    articles:
      a:
        headline: 标题
        body: 正文。
    """)


def spec_file(folder: Path, edits: tuple[tuple[str, str], ...] = (), append: str = "",
              name: str = "issue.yaml") -> Path:
    text = BASE
    for old, new in edits:
        assert old in text, old
        text = text.replace(old, new, 1)
    shutil.copy(PHOTO, folder / "photo.jpg")
    spec = folder / name
    spec.write_text(text + append, encoding="utf-8")
    return spec


def render(*args: object) -> tuple[int, list[str], str]:
    """Run `broadsheet` in-process: (exit code, stderr lines, stdout)."""
    result = CliRunner().invoke(main, [str(a) for a in args])
    assert "Traceback" not in result.stderr
    if result.exception and not isinstance(result.exception, SystemExit):
        raise result.exception
    return result.exit_code, result.stderr.splitlines(), result.stdout


def assert_message(lines: list[str], first: str, hint: str | None) -> None:
    assert lines[0] == first
    if hint is None:
        assert len(lines) == 1, lines
    else:
        assert lines[1:] == [f"  {hint}"]


# --- Bad specs: exit 2, `file:line: key.path: problem` and the hint -----------------------------------

CASES = {
    # fixture: (first line without the file name, hint)
    "syntax-error": ("10: YAML syntax error: expected ',' or ']', but got ':'",
                     "while parsing a flow sequence at line 9"),
    "unknown-key": ('21: articles.a: unknown key "headlin"', 'did you mean "headline"?'),
    "wrong-type": ('9: format.columns: expected an integer, found "eight"', None),
    "bad-unit": ('10: format.gutter: expected a length in mm, pt or em, found "12px"', None),
    "spec-version": ("3: spec_version: unsupported spec version 2", "this Broadsheet reads spec_version 1"),
    "off-grid": ("18: pages[0].modules[1].cols: 9 columns on an 8-column grid", None),
    "overlap": ('18: pages[0].modules[1]: article "b" overlaps article "a" at pages[0].modules[0] (line 17)',
                "both take column 4, lines 11-20"),
    "unknown-article": ('18: pages[0].modules[1].article: no article "bb" in articles', 'did you mean "b"?'),
    "unknown-image": ('19: pages[0].modules[2].image: no image "foto" in images', 'did you mean "photo"?'),
    "unknown-index": ('19: pages[0].modules[2].index: no index "daodu" in indexes', "the spec has no indexes"),
    "placed-twice": ('21: pages[1].modules[0].article: article "a" is placed twice',
                     'first at pages[0].modules[0] (line 17); use "continue: a" for the rest of the story'),
    "continue-first": ('21: pages[1].modules[0].continue: continues article "a" before it starts',
                       "it starts at pages[0].modules[0] (line 17); a continuation goes on a later page, "
                       "or after it on the same page"),
    "continue-missing-page": ("19: pages[1].number: page 3 in a 2-page issue", "issue.pages_total is 2 (line 5)"),
    "never-placed": ('26: articles.c: article "c" is never placed',
                     'place it with an "article: c" module, or remove it'),
    "empty-body": ("25: articles.b.body: empty body", "an article needs its text; remove the article if it has none"),
    "missing-image": ('28: images.photo.file: no file "missing.jpg"', f"looked for {BAD / 'missing.jpg'}"),
}


@pytest.mark.parametrize("fixture", sorted(CASES))
def test_bad_spec(fixture, tmp_path):
    spec = BAD / f"{fixture}.yaml"
    first, hint = CASES[fixture]
    code, lines, stdout = render("render", spec, "-o", tmp_path)
    assert code == 2
    assert_message(lines, f"{spec}:{first}", hint)
    assert stdout == "" and list(tmp_path.iterdir()) == []


def test_every_fixture_has_a_cli_case():
    assert {path.stem for path in BAD.glob("*.yaml")} == set(CASES)


def test_unknown_font_face(tmp_path):
    spec = spec_file(tmp_path, (("fonts: {song: Noto Serif CJK SC}", "fonts: {song: Noto Serif CJK SX}"),))
    code, lines, _ = render("render", spec, "-o", tmp_path / "out")
    assert code == 2
    assert lines[0] == f"{spec}:9: fonts.song: font 'Noto Serif CJK SX' not found"
    assert lines[1].startswith("  did you mean 'Noto Serif CJK SC'")


def test_unreadable_image(tmp_path):
    spec = spec_file(tmp_path, (("file: photo.jpg", "file: broken.jpg"),))
    (tmp_path / "broken.jpg").write_bytes(b"not a picture")
    code, lines, _ = render("render", spec, "-o", tmp_path / "out")
    assert code == 2
    assert_message(lines, f"{spec}:18: images.photo.file: cannot use image broken.jpg: "
                          "not an image file Pillow can read (JPEG, PNG, TIFF, …)",
                   "give a readable JPEG or PNG file of at most 89 megapixels and sides of at most 30000 pixels")


def _png_header(width: int, height: int) -> bytes:
    """A PNG that claims a size: Pillow checks the pixel count when it opens the file."""
    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, 1, 0, 0, 0, 0))
            + chunk(b"IDAT", zlib.compress(b"")) + chunk(b"IEND", b""))


@pytest.mark.parametrize("side", [10_000, 20_000])  # past the warning limit, past the error limit
def test_oversized_image_decompression_bomb(tmp_path, side):
    spec = spec_file(tmp_path, (("file: photo.jpg", "file: bomb.png"),))
    (tmp_path / "bomb.png").write_bytes(_png_header(side, side))
    code, lines, _ = render("render", spec, "-o", tmp_path / "out")
    assert code == 2
    found = {10_000: "is 10000×10000 pixels (100 megapixels)", 20_000: "has 400 megapixels"}[side]
    assert lines[0] == (f"{spec}:18: images.photo.file: cannot use image bomb.png: the image {found}; "
                        "it may have at most 89 megapixels")
    assert lines[1:] == ["  give a readable JPEG or PNG file of at most 89 megapixels and sides of at most 30000 pixels"]


def test_character_no_font_has_is_an_error_by_default(tmp_path):
    spec = spec_file(tmp_path, (("body: 正文。", "body: 正文\U00010000。"),))
    code, lines, _ = render("render", spec, "-o", tmp_path / "out")
    assert code == 1
    assert_message(lines, f"{spec}:20: articles.a: article a: characters missing from Noto Serif CJK SC: "
                          "U+10000 '\U00010000'",
                   "install a face that has them, or set typography.missing_glyphs: warn")
    assert not (tmp_path / "out" / "issue.pdf").exists()


def test_character_no_font_has_warns_under_the_warn_policy(tmp_path):
    spec = spec_file(tmp_path, (("body: 正文。", "body: 正文\U00010000。"),),
                     append="typography: {missing_glyphs: warn}\n")
    code, lines, _ = render("render", spec, "-o", tmp_path / "out")
    assert code == 0
    assert lines[0] == (f"warning: {spec}:20: articles.a: article a: characters missing from Noto Serif CJK SC: "
                        "U+10000 '\U00010000' (drawn as .notdef)")
    assert (tmp_path / "out" / "issue.pdf").exists()


def test_overset_story(tmp_path):
    spec = spec_file(tmp_path, (("body: 正文。", "body: " + "一篇放不下的长稿。" * 400),))
    code, lines, _ = render("render", spec, "-o", tmp_path / "out")
    assert code == 1
    assert re.fullmatch(rf"{re.escape(str(spec))}:\d+: pages\[0\]\.modules\[0\]: story 'a' is overset by "
                        r"\d+ characters \(\d+ lines\) after its last module on page 1", lines[0]), lines[0]
    assert lines[1:] == ["  cut the story, enlarge its modules, add a continue: module, or pass --allow-overset"]
    assert not (tmp_path / "out").exists() or list((tmp_path / "out").iterdir()) == []


def test_output_folder_not_writable(tmp_path):
    spec = spec_file(tmp_path)
    (tmp_path / "file").write_text("not a folder")
    code, lines, _ = render("render", spec, "-o", tmp_path / "file" / "out")
    assert code == 2
    assert_message(lines, f"{spec}: cannot write output: {tmp_path / 'file'} is a file, not a folder",
                   "give a folder to render into (-o)")


def test_spec_not_found_and_usage_errors(tmp_path):
    code, lines, _ = render("render", tmp_path / "nope.yaml", "-o", tmp_path)
    assert code == 2
    assert_message(lines, f"{tmp_path / 'nope.yaml'}: cannot read the spec: No such file or directory", None)
    assert render("render")[0] == 2  # no spec: usage
    assert render("render", "--no-such-option")[0] == 2
    assert render("nonsense")[0] == 2


def test_no_traceback_unless_debug(tmp_path):
    spec = BAD / "wrong-type.yaml"
    command = [sys.executable, "-m", "layout.desk.cli", "render", str(spec), "-o", str(tmp_path)]
    quiet = subprocess.run(command, capture_output=True, text=True, env={**os.environ, "BROADSHEET_DEBUG": ""})
    assert quiet.returncode == 2 and "Traceback" not in quiet.stderr
    assert quiet.stderr.splitlines()[0] == f'{spec}:9: format.columns: expected an integer, found "eight"'
    debug = subprocess.run(command, capture_output=True, text=True, env={**os.environ, "BROADSHEET_DEBUG": "1"})
    assert debug.returncode == 2 and "Traceback (most recent call last)" in debug.stderr


# --- Atomic output -------------------------------------------------------------------------------------

def _rendered_once(tmp_path: Path) -> tuple[Path, Path, bytes]:
    spec = spec_file(tmp_path)
    out = tmp_path / "out"
    assert render("render", spec, "-o", out)[0] == 0
    return spec, out, (out / "issue.pdf").read_bytes()


def test_interrupted_render_leaves_the_previous_pdf(tmp_path, monkeypatch):
    spec, out, before = _rendered_once(tmp_path)
    spec.write_text(spec.read_text(encoding="utf-8").replace("正文。", "改过的正文。"), encoding="utf-8")

    def interrupt(fd):
        raise KeyboardInterrupt
    monkeypatch.setattr("layout.util.atomic.os.fsync", interrupt)  # in the middle of writing the new PDF
    second = spec.with_name("second.yaml")
    second.write_text(spec.read_text(encoding="utf-8"), encoding="utf-8")
    code, lines, _ = render("render", spec, second, "-o", out)
    assert code == 130
    assert lines[0] == f"{spec}: interrupted; the previous PDF, if any, is unchanged"
    assert any("0 of 2 specs rendered" in line for line in lines)  # and the batch stops
    assert (out / "issue.pdf").read_bytes() == before
    assert sorted(p.name for p in out.iterdir()) == ["issue.pdf"]


def test_failed_write_leaves_the_previous_pdf(tmp_path, monkeypatch):
    spec, out, before = _rendered_once(tmp_path)

    def disk_full(fd):
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))
    monkeypatch.setattr("layout.util.atomic.os.fsync", disk_full)
    code, lines, _ = render("render", spec, "-o", out)
    assert code == 2
    assert_message(lines, f"{spec}: cannot write output: No space left on device: {out / 'issue.pdf'}", None)
    assert (out / "issue.pdf").read_bytes() == before
    assert sorted(p.name for p in out.iterdir()) == ["issue.pdf"]


def test_failed_render_leaves_the_previous_pdf(tmp_path):
    spec, out, before = _rendered_once(tmp_path)
    spec.write_text(spec.read_text(encoding="utf-8").replace("正文。", "正文" * 3000), encoding="utf-8")
    assert render("render", spec, "-o", out)[0] == 1  # overset
    assert (out / "issue.pdf").read_bytes() == before
    assert sorted(p.name for p in out.iterdir()) == ["issue.pdf"]


# --- Inputs that would upset a YAML reader --------------------------------------------------------------

def load_message(tmp_path: Path, text: str) -> str:
    spec = tmp_path / "issue.yaml"
    shutil.copy(PHOTO, tmp_path / "photo.jpg")
    spec.write_text(text, encoding="utf-8")
    with pytest.raises(SpecError) as caught:
        load_issue(spec)
    return str(caught.value).removeprefix(f"{spec}")


def test_hostile_yaml(tmp_path):
    # libyaml composes it and the depth check stops it at 64 levels (the pure-Python composer, where
    # libyaml is missing, runs out of recursion first): either way one clear message.
    deep = load_message(tmp_path, BASE + "x: " + "[" * 3000 + "]" * 3000 + "\n")
    assert deep in (":23: " + "x" + "[0]" * 64 + ": the spec is nested more than 64 levels deep",
                    ": the spec is nested too deeply to read\n  a spec needs a few levels; at most 64 are allowed")
    assert load_message(tmp_path, BASE + "x: " + "[" * 100 + "]" * 100 + "\n").startswith(
        f":23: x{'[0]' * (MAX_DEPTH)}: the spec is nested more than {MAX_DEPTH} levels deep")
    assert load_message(tmp_path, BASE.replace("paper: {name: 测试日报}", "paper: &p {name: 测试日报, x: *p}")) == (
        ":2: paper.x: this value contains itself (a recursive alias)\n  an alias cannot refer to a value around it")
    laughs = "".join(f"l{i}: &l{i} [{', '.join([f'*l{i - 1}'] * 9) if i else 'ha'}]\n" for i in range(9))
    assert load_message(tmp_path, BASE + laughs).startswith(
        f":28: l5: more than {MAX_VALUES} values once YAML aliases are expanded")
    assert load_message(tmp_path, BASE.replace("columns: 8", "columns: !!python/object:os.system 8")) == (
        ":7: format.columns: unsupported YAML tag !!python/object:os.system\n"
        "  a spec is plain YAML: mappings, lists, text, numbers, true/false and dates")
    assert load_message(tmp_path, BASE.replace("正文。", "正\x07文。")) == (
        ":22: YAML syntax error: unacceptable character U+0007: special characters are not allowed\n"
        "  YAML text may not contain control characters; remove it")
    assert load_message(tmp_path, BASE.replace("正文。", '"正\\ud800文。"')) == (
        ":22: articles.a.body: U+D800 is half of a surrogate pair, not a character\n"
        '  write the character itself, or escape it whole, e.g. "\\U0001F600"')
    assert load_message(tmp_path, BASE.replace("file: photo.jpg", 'file: "a\\0b.jpg"')) == (
        ':18: images.photo.file: cannot use the file name "a\\x00b.jpg"\n  embedded null byte')
    assert load_message(tmp_path, BASE.replace("gutter: 1em", "gutter: " + "9" * 400 + "pt")).startswith(
        ":8: format.gutter: expected a length of at most 10000mm, found")
    assert load_message(tmp_path, BASE.replace("columns: 8", "columns: 0b_")) == (
        ":7: format.columns: expected an integer, found 0b_")
    assert load_message(tmp_path, BASE + "---\nspec_version: 1\n").startswith(
        ":23: YAML syntax error: but found another document")


# --- Fuzz: whatever the YAML, the loader returns an Issue or raises SpecError ----------------------------

def _key_names() -> list[str]:
    names: set[str] = set(STYLE_NAMES) | {"a", "b", "photo", "daodu", "song", "hei"}

    def collect(shape) -> None:
        if isinstance(shape, Record):
            for key, spec in shape.table.items():
                if key not in names:
                    names.add(key)
                    collect(spec.kind)
        elif isinstance(shape, (ListOf, MapOf)):
            collect(shape.items if isinstance(shape, ListOf) else shape.values)
    for key, spec in ROOT.items():
        names.add(key)
        collect(spec.kind)
    return sorted(names)


KEYS = st.sampled_from(_key_names()) | st.text(max_size=8)
SCALARS = (st.none() | st.booleans() | st.integers(-10, 200) | st.integers() | st.floats()
           | st.sampled_from(["12pt", "1em", "0mm", "-3mm", "12px", "2em", "2024-01-02", "2024-13-45", "song",
                              "a", "b", "photo", "photo.jpg", "{page}", "（下转第{page}版）", "gb", "warn", "", "~"])
           | st.text(max_size=12))
VALUES = st.recursive(SCALARS, lambda inner: st.lists(inner, max_size=4) | st.dictionaries(KEYS, inner, max_size=5),
                      max_leaves=25)
FUZZ = settings(max_examples=FUZZ_EXAMPLES, deadline=None, derandomize=not FUZZ_EXPLORE, database=None,
                suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture])


def _load(folder: Path, text: str) -> None:
    spec = folder / "fuzz.yaml"
    spec.write_text(text, encoding="utf-8", errors="surrogatepass")
    try:
        assert isinstance(load_issue(spec), Issue)
    except SpecError as error:
        assert str(error).startswith(f"{spec}"), str(error)


@pytest.fixture(scope="module")
def fuzz_folder(tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("fuzz")
    shutil.copy(PHOTO, folder / "photo.jpg")
    return folder


@FUZZ
@given(data=st.dictionaries(KEYS, VALUES, max_size=8))
def test_fuzz_any_yaml_structure(fuzz_folder, data):
    _load(fuzz_folder, yaml.safe_dump(data, allow_unicode=True))


def _paths(value, path=()):
    yield path
    if isinstance(value, dict):
        for key, item in value.items():
            yield from _paths(item, path + (key,))
    elif isinstance(value, list):
        for i, item in enumerate(value):
            yield from _paths(item, path + (i,))


VALID = yaml.safe_load(BASE.replace("date: 2024-01-02", "date: '2024-01-02'"))
VALID_PATHS = [path for path in _paths(VALID) if path]


@FUZZ
@given(edits=st.lists(st.tuples(st.sampled_from(VALID_PATHS), st.sampled_from(["set"] * 4 + ["delete", "add"]),
                                KEYS, st.one_of(SCALARS, SCALARS, VALUES)), min_size=1, max_size=3))
def test_fuzz_edits_of_a_valid_spec(fuzz_folder, edits):
    """Close to a valid spec, so that the checks after the schema (grid, chains, files) are reached."""
    data = yaml.safe_load(yaml.safe_dump(VALID))
    for path, action, key, value in edits:
        parent = data
        try:
            for step in path[:-1]:
                parent = parent[step]
            if action == "set":
                parent[path[-1]] = value
            elif action == "delete":
                del parent[path[-1]]
            elif isinstance(parent[path[-1]], dict):
                parent[path[-1]][key] = value
            elif isinstance(parent[path[-1]], list):
                parent[path[-1]].append(value)
        except (KeyError, IndexError, TypeError):
            continue  # an earlier edit removed or replaced this place
    _load(fuzz_folder, yaml.safe_dump(data, allow_unicode=True))


@FUZZ
@given(edits=st.lists(st.tuples(st.integers(0, len(BASE)), st.integers(0, 3),
                                st.sampled_from(list(":{}[],-&*!|>'\"#?%@` \t\n") + ["\n  ", ": ", "- ", "&a ", "*a"])
                                | st.text(max_size=3)), min_size=1, max_size=4))
def test_fuzz_text_edits_of_a_valid_spec(fuzz_folder, edits):
    """Characters inserted and deleted in the YAML text: syntax errors of every kind."""
    text = BASE
    for at, remove, insert in edits:
        text = text[:at] + insert + text[at + remove:]
    _load(fuzz_folder, text)
