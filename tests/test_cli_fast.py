"""The click-free fast path of `broadsheet render SPEC [-o DIR]` (desk/cli.py): it takes only the
command lines it can run exactly as click would, and its messages, exit codes and PDFs are click's."""
from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from layout.desk.cli import FastRender, fast_render_args
from editions import edition, overset_edit

CLICK_ONLY = ("import sys; from layout.desk.cli import _click_main; "
              "sys.exit(_click_main())")


@pytest.mark.parametrize("argv, expected", [
    (["render", "a.yaml"], FastRender(Path("a.yaml"), Path("out"), frozenset())),
    (["render", "a.yaml", "-o", "d"], FastRender(Path("a.yaml"), Path("d"), frozenset())),
    (["render", "-od", "a.yaml"], FastRender(Path("a.yaml"), Path("d"), frozenset())),
    (["render", "--output=d", "a.yaml", "--allow-overset"],
     FastRender(Path("a.yaml"), Path("d"), frozenset({"--allow-overset"}))),
    (["render", "a.yaml", "--output", "d", "--pdfx", "--marks"],
     FastRender(Path("a.yaml"), Path("d"), frozenset({"--pdfx", "--marks"}))),
])
def test_fast_path_takes_a_plain_render(argv, expected):
    assert fast_render_args(argv) == expected


@pytest.mark.parametrize("argv", [
    [], ["check", "a.pdf"], ["render"], ["render", "a.yaml", "b.yaml"],
    ["render", "a.yaml", "-o"], ["render", "a.yaml", "-o", "d", "-o", "e"],
    ["render", "a.yaml", "-o", "--pdfx"], ["render", "a.yaml", "-j", "2"],
    ["render", "a.yaml", "--split-pages"], ["render", "--", "a.yaml"], ["render", "--help"],
    ["render", "a.yaml", "--out", "d"], ["--version"], ["render", ""],
])
def test_fast_path_leaves_everything_else_to_click(argv):
    assert fast_render_args(argv) is None


def test_an_output_that_is_a_file_is_clicks_usage_error(tmp_path):
    (tmp_path / "file").write_text("x")
    assert fast_render_args(["render", "a.yaml", "-o", str(tmp_path / "file")]) is None


def _run(args: list[str], click_only: bool) -> subprocess.CompletedProcess:
    head = ["-c", CLICK_ONLY] if click_only else ["-m", "layout.desk.cli"]
    return subprocess.run([sys.executable, *head, *args], capture_output=True, text=True)


@pytest.mark.parametrize("case", ["good", "overset", "allow-overset", "bad spec", "missing spec",
                                  "output is a file"])
def test_fast_path_answers_as_click_does(tmp_path, case):
    edit = {"overset": overset_edit, "allow-overset": overset_edit,
            "bad spec": lambda t: t.replace("columns: 8 ", 'columns: "eight" ')}.get(case)
    spec = edition(tmp_path, edit=edit)
    if case == "missing spec":
        spec = tmp_path / "nope.yaml"
    (tmp_path / "a-file").write_text("x")
    results = {}
    for click_only in (False, True):
        out = tmp_path / ("a-file" if case == "output is a file" else f"out-{click_only}")
        args = ["render", str(spec), "-o", str(out)] + (["--allow-overset"]
                                                         if case == "allow-overset" else [])
        proc = _run(args, click_only)
        pdf = out / f"{spec.stem}.pdf"
        results[click_only] = (proc.returncode,
                               proc.stderr.replace(str(out), "OUT"),
                               pdf.read_bytes() if pdf.is_file() else None)
    assert results[False] == results[True]
    assert "Traceback" not in results[False][1]
    assert results[False][0] == {"good": 0, "overset": 1, "allow-overset": 0}.get(case, 2)


def test_fast_path_never_imports_click(tmp_path):
    spec = edition(tmp_path)
    code = ("import sys; from layout.desk import cli; "
            f"code = cli.fast_render(['render', {str(spec)!r}, '-o', {str(tmp_path)!r}]); "
            "print(code, 'click' in sys.modules, 'lunar_python' in sys.modules)")
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert proc.stdout.split() == ["0", "False", "True"]  # the masthead prints the lunar date


def test_shell_completion_is_clicks(tmp_path, monkeypatch):
    from layout.desk.cli import fast_render

    monkeypatch.setenv("_BROADSHEET_COMPLETE", "bash_complete")
    assert fast_render(["render", str(tmp_path / "a.yaml")]) is None
