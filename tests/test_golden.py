"""Golden dumps: the composed output of every spec in issue_specs/ and of a fake-font corpus, pinned
line by line (layout/dump.py), so that a changed break, column or glyph position shows as a diff even
when every invariant still holds.

Refresh on purpose only: `pytest tests/test_golden.py --update-golden` (or
`python scripts/update_golden.py`). A spec's dump is keyed by the hashes of the font files it used:
with other font files the test says so instead of showing a diff of every glyph.
"""
from __future__ import annotations

import difflib
import hashlib
import os
import shutil
import subprocess
import sys
from functools import lru_cache
from pathlib import Path

import fontTools
import pytest
import reportlab

from fakefont import FakeFace
from editions import cache_copy
from layout.compose.paragraph import Paragraph
from layout.desk.dump import FontStamp, adjustment, dump_edition, dump_paragraph
from layout.fonts.book import FontBook, default_cache_dir
from layout.model.issue import Issue
from layout.desk.render import plan_spec
from layout.pages.planner import face_language

ROOT = Path(__file__).resolve().parent.parent
GOLDEN = ROOT / "tests" / "golden"
SPECS = sorted((ROOT / "issue_specs").glob("*.yaml"))
CORPUS = GOLDEN / "fakefont-corpus.in"
CORPUS_DUMP = "fakefont-corpus"
CORPUS_SIZE = 10.0
REFRESH = "pytest tests/test_golden.py --update-golden"
DIFF_LINES = 40


# --------------------------------------------------------------------------------------------------
# Building the dumps


@lru_cache(maxsize=None)
def _sha12(path: str) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()[:12]


def font_stamps(issue: Issue, fontbook: FontBook) -> list[FontStamp]:
    """The faces of the spec's font roles, by the installed file each came from."""
    stamps = []
    for role, name in issue.fonts.items():
        face = fontbook.face(name, face_language(issue))  # the key the plan names it by
        source, index = fontbook.finder.find(name)  # the installed file, not the cached conversion
        stamps.append(FontStamp(role, name, face.key, source.name, index, _sha12(str(source))))
    return stamps


def tools() -> str:
    """The libraries that measure the fonts (reportlab's advances, fontTools' halt and conversion)."""
    return f"fontTools {fontTools.version}, reportlab {reportlab.Version}"


def spec_dump(spec: Path, fontbook: FontBook) -> str:
    issue, plan = plan_spec(spec, fontbook)
    return dump_edition(issue, plan, font_stamps(issue, fontbook),
                        title=spec.relative_to(ROOT).as_posix(), tools=tools())


def parse_corpus(text: str) -> list[tuple[str, dict[str, str], str]]:
    """(name, options, paragraph) for each `## name key=value…` block of the corpus file."""
    out = []
    head: list[str] | None = None
    for line in text.splitlines():
        if line.startswith("## "):
            head = line[3:].split()
        elif head is not None and line.strip():
            options = dict(kv.split("=", 1) for kv in head[1:])
            out.append((head[0], options, line.rstrip("\n")))
            head = None
    return out


def _set_corpus_paragraph(name: str, options: dict[str, str], text: str) -> list[str]:
    display = options.get("display", "0") == "1"
    align = options.get("align", "center" if display else "justify")
    indent = float(options.get("indent", "2")) * CORPUS_SIZE
    para = Paragraph(text, FakeFace(), CORPUS_SIZE, prohibition=options.get("prohibition", "basic"),
                     latin_spacing=float(options.get("latin_spacing", "0.25")), display=display)
    out = []
    for measure in options.get("measures", "10,13,17").split(","):
        width = float(measure) * CORPUS_SIZE
        lines = para.set(width, indent=indent, align=align)
        adjust = [adjustment(para, line, width, indent, align == "justify") for line in lines]
        out += dump_paragraph(name, f"{measure}em {align}", lines, adjust)
    return out


def corpus_dump() -> str:
    head = ["# golden dump of the fake-font corpus tests/golden/fakefont-corpus.in "
            "(layout.desk.dump, paragraphs set by layout.compose.paragraph.Paragraph)",
            f"# font: tests/fakefont.py FakeFace at {CORPUS_SIZE:g} pt (Han and CJK marks 1 em, "
            "Latin 0.5 em)",
            "# paragraph | measure align | line | text | adjustment | glyph x: first, then steps "
            "| width"]
    body = []
    for name, options, text in parse_corpus(CORPUS.read_text(encoding="utf-8")):
        body += _set_corpus_paragraph(name, options, text)
    return "\n".join(head + body) + "\n"


def build_dumps(fontbook: FontBook | None = None) -> dict[str, str]:
    """Every golden dump by name, computed afresh."""
    fontbook = fontbook or FontBook()
    dumps = {spec.stem: spec_dump(spec, fontbook) for spec in SPECS}
    dumps[CORPUS_DUMP] = corpus_dump()
    return dumps


# --------------------------------------------------------------------------------------------------
# Comparing


def _fonts_in(header: list[str]) -> dict[str, str]:
    """role → "file#index sha" from a dump's `# font role: name = file#index sha256 hex` lines."""
    out = {}
    for line in header:
        if line.startswith("# font ") and " = " in line and " sha256 " in line:
            role = line[len("# font "):].split(":", 1)[0]
            file, _, sha = line.split(" = ", 1)[1].partition(" sha256 ")
            out[role] = f"{file} {sha}"
    return out


def _header(text: str) -> list[str]:
    return [line for line in text.splitlines() if line.startswith("#")]


def font_mismatch(expected: str, actual: str) -> str | None:
    """The message for a dump made with other font files than this machine's, else None."""
    old, new = _fonts_in(_header(expected)), _fonts_in(_header(actual))
    if old == new:
        return None
    changes = [f"{role} {old.get(role, 'none')} ≠ {new.get(role, 'none')}"
               for role in sorted(set(old) | set(new)) if old.get(role) != new.get(role)]
    return (f"golden dump made with other font files ({'; '.join(changes)}): refresh with "
            f"pytest --update-golden if the change is expected")


def short_diff(expected: str, actual: str, name: str) -> str:
    diff = list(difflib.unified_diff(expected.splitlines(), actual.splitlines(),
                                     f"tests/golden/{name}.txt (golden)", f"{name} (now)",
                                     n=1, lineterm=""))
    more = f"\n… {len(diff) - DIFF_LINES} more diff lines" if len(diff) > DIFF_LINES else ""
    return "\n".join(diff[:DIFF_LINES]) + more


def mismatch(name: str, expected: str | None, actual: str) -> str | None:
    """Why a dump does not match its golden file (None when it does)."""
    if expected is None:
        return f"no golden file tests/golden/{name}.txt: make it with {REFRESH}"
    fonts = font_mismatch(expected, actual)
    if fonts:
        return fonts
    body = lambda t: [line for line in t.splitlines() if not line.startswith("# tools:")]  # noqa: E731
    if body(expected) == body(actual):
        return None
    tools_note = ""
    old_tools = [line for line in _header(expected) if line.startswith("# tools:")]
    if old_tools and old_tools[0] != f"# tools: {tools()}" and name != CORPUS_DUMP:
        tools_note = f" (the golden dump was made with {old_tools[0][len('# tools: '):]})"
    return (f"composed output of {name} differs from tests/golden/{name}.txt{tools_note}:\n"
            f"{short_diff(expected, actual, name)}\n"
            f"if the change is intended, refresh with: {REFRESH}")


def golden_path(name: str) -> Path:
    return GOLDEN / f"{name}.txt"


def write_golden(name: str, text: str) -> None:
    path = golden_path(name)
    if not path.exists() or path.read_text(encoding="utf-8") != text:
        path.write_text(text, encoding="utf-8", newline="\n")


# --------------------------------------------------------------------------------------------------
# Tests


@pytest.fixture(scope="module")
def dumps() -> dict[str, str]:
    return build_dumps()


NAMES = [spec.stem for spec in SPECS] + [CORPUS_DUMP]


@pytest.mark.parametrize("name", NAMES)
def test_composed_output_matches_golden_dump(name, dumps, request):
    if request.config.getoption("--update-golden"):
        write_golden(name, dumps[name])
        return
    path = golden_path(name)
    expected = path.read_text(encoding="utf-8") if path.exists() else None
    problem = mismatch(name, expected, dumps[name])
    if problem:
        pytest.fail(problem, pytrace=False)


def test_every_golden_file_has_a_source(request):
    """A spec removed from issue_specs/ takes its golden dump with it (--update-golden removes it)."""
    stale = sorted(p for p in GOLDEN.glob("*.txt") if p.stem not in NAMES)
    if request.config.getoption("--update-golden"):
        for path in stale:
            path.unlink()
        return
    assert [p.name for p in stale] == [], f"golden dumps without a spec: remove them with {REFRESH}"


_CHILD = """
import sys
sys.path[:0] = [sys.argv[1], sys.argv[1] + '/tests']
import test_golden
for name, text in sorted(test_golden.build_dumps().items()):
    sys.stdout.buffer.write(f'=== {name}\\n{text}'.encode('utf-8'))
"""


def test_dumps_are_deterministic_across_runs_folders_time_zones_and_locales(tmp_path, dumps):
    """The same dumps computed again in this process, and in another one with another cache
    folder, working folder, time zone, locale and hash seed."""
    assert build_dumps() == dumps
    cwd = tmp_path / "elsewhere"
    cwd.mkdir()
    env = {**os.environ, "BROADSHEET_CACHE": str(cache_copy(tmp_path / "another cache")),
           "TZ": "Pacific/Kiritimati", "LANG": "C", "LC_ALL": "C", "PYTHONHASHSEED": "4242"}
    done = subprocess.run([sys.executable, "-c", _CHILD, str(ROOT)], cwd=cwd, env=env,
                          capture_output=True, timeout=120)
    assert done.returncode == 0, done.stderr.decode(errors="replace")
    here = "".join(f"=== {name}\n{text}" for name, text in sorted(dumps.items()))
    assert done.stdout.decode("utf-8") == here


# The comparison itself, on small texts.

_DUMP = ("# golden dump of x\n# font song: Noto Serif CJK SC = NotoSerifCJK-Regular.ttc#2 sha256 "
         "a04178ec485d\n# tools: fontTools 1, reportlab 1\np1 | article:a | c1 | 10 | body song 9 | "
         "一二 | 10 9\n")


def test_other_font_files_are_named_not_diffed():
    other = _DUMP.replace("a04178ec485d", "c3d4e5f60718").replace("10 9\n", "10 8.5\n")
    assert mismatch("x", _DUMP, other) == (
        "golden dump made with other font files (song NotoSerifCJK-Regular.ttc#2 a04178ec485d ≠ "
        "NotoSerifCJK-Regular.ttc#2 c3d4e5f60718): refresh with pytest --update-golden if the "
        "change is expected")


def test_a_moved_line_shows_as_a_short_diff_with_the_refresh_command():
    moved = _DUMP.replace("c1 | 10 |", "c2 | 10 |")
    message = mismatch("x", _DUMP, moved)
    assert "-p1 | article:a | c1 | 10 | body song 9 | 一二 | 10 9" in message
    assert "+p1 | article:a | c2 | 10 | body song 9 | 一二 | 10 9" in message
    assert message.endswith("if the change is intended, refresh with: "
                            "pytest tests/test_golden.py --update-golden")


def test_other_library_versions_pass_when_the_output_is_the_same():
    assert mismatch("x", _DUMP, _DUMP.replace("fontTools 1", "fontTools 2")) is None


def test_a_long_diff_is_cut():
    many = "".join(f"p1 | article:a | c1 | {k} | body song 9 | 一 | 10\n" for k in range(100))
    message = mismatch("x", _DUMP, _DUMP + many)
    assert "… 64 more diff lines" in message


# The dump's own pieces.


def test_positions_are_the_first_x_then_rounded_steps_with_runs():
    from layout.desk.dump import fmt, positions

    assert positions([52.444, 61.444, 70.444, 79.444, 83.95, 92.95]) == "52.44 9×3 4.51 9"
    assert positions([10.004, 10.006]) == "10 0.01"  # steps between rounded values add up
    assert positions([]) == "-"
    assert [fmt(h) for h in (13245, 900, 450, -50, 0, -1205)] == \
        ["132.45", "9", "4.5", "-0.5", "0", "-12.05"]


def test_dump_does_not_depend_on_the_order_items_were_placed_in(dumps):
    """Issue 13 may place furniture before stories: the dump reads the same."""
    import random
    from dataclasses import replace

    spec = ROOT / "issue_specs" / "xuchang-2022-06-16.yaml"
    fontbook = FontBook()
    issue, plan = plan_spec(spec, fontbook)
    rng = random.Random(13)
    shuffled = replace(plan, pages=tuple(
        replace(p, items=tuple(rng.sample(p.items, len(p.items)))) for p in plan.pages))
    again = dump_edition(issue, shuffled, font_stamps(issue, fontbook),
                         title=spec.relative_to(ROOT).as_posix(), tools=tools())
    assert again == dumps[spec.stem]
