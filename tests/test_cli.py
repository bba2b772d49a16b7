"""`broadsheet render` as a user runs it: exit codes, messages, atomic output, several specs."""
from __future__ import annotations

import subprocess
import sys

from click.testing import CliRunner

from layout.desk.cli import main
from editions import edition, overset_edit



def run(*args):
    return CliRunner().invoke(main, [str(a) for a in args])


def test_render_writes_the_pdf(tmp_path):
    spec = edition(tmp_path)
    result = run("render", spec, "-o", tmp_path / "out")
    assert result.exit_code == 0, result.output
    pdf = tmp_path / "out" / "ed.pdf"
    assert pdf.read_bytes().startswith(b"%PDF")
    assert not list((tmp_path / "out").glob(".*tmp"))


def test_overset_story_fails_naming_the_story(tmp_path):
    spec = edition(tmp_path, edit=overset_edit)
    result = run("render", spec, "-o", tmp_path / "out")
    assert result.exit_code == 1
    first = result.output.splitlines()[0]
    assert "story 'zhongkao' is overset by" in first and "characters" in first
    assert not (tmp_path / "out" / "ed.pdf").exists()
    assert "Traceback" not in result.output


def test_allow_overset_renders_and_still_reports(tmp_path):
    spec = edition(tmp_path, edit=overset_edit)
    result = run("render", spec, "-o", tmp_path / "out", "--allow-overset")
    assert result.exit_code == 0
    assert "warning: " in result.output and "pages[0].modules[9]: story 'zhongkao' is overset by" in result.output
    assert (tmp_path / "out" / "ed.pdf").exists()


def test_bad_spec_exits_2_with_file_line_and_key_path(tmp_path):
    spec = edition(tmp_path, edit=lambda t: t.replace("  columns: 8 ", "  colums: 8 "))
    result = run("render", spec, "-o", tmp_path / "out")
    assert result.exit_code == 2
    line = result.output.splitlines()[0]
    assert line.startswith(f"{spec}:") and 'format: unknown key "colums"' in line
    assert 'did you mean "columns"?' in result.output


def test_failed_render_keeps_the_previous_pdf(tmp_path):
    spec = edition(tmp_path)
    out = tmp_path / "out"
    assert run("render", spec, "-o", out).exit_code == 0
    before = (out / "ed.pdf").read_bytes()
    spec.write_text(overset_edit(spec.read_text(encoding="utf-8")), encoding="utf-8")
    assert run("render", spec, "-o", out).exit_code == 1
    assert (out / "ed.pdf").read_bytes() == before
    assert sorted(p.name for p in out.iterdir()) == ["ed.pdf"]


def test_several_specs_good_ones_still_render(tmp_path):
    good = edition(tmp_path, "good.yaml")
    bad = edition(tmp_path, "bad.yaml", edit=lambda t: t.replace("spec_version: 1", "spec_version: 7"))
    result = run("render", bad, good, "-o", tmp_path / "out")
    assert result.exit_code == 2
    assert (tmp_path / "out" / "good.pdf").exists()
    assert not (tmp_path / "out" / "bad.pdf").exists()
    assert "spec_version" in result.output


def test_output_folder_not_writable(tmp_path):
    spec = edition(tmp_path)
    blocker = tmp_path / "file"
    blocker.write_text("not a folder")
    result = run("render", spec, "-o", blocker / "sub")
    assert result.exit_code == 2
    assert "cannot write output" in result.output


def test_missing_spec_file(tmp_path):
    result = run("render", tmp_path / "nope.yaml")
    assert result.exit_code == 2


def test_console_script_no_traceback(tmp_path):
    spec = edition(tmp_path, edit=lambda t: t.replace("columns: 8 ", 'columns: "eight" '))
    proc = subprocess.run([sys.executable, "-m", "layout.desk.cli", "render", str(spec), "-o",
                           str(tmp_path)], capture_output=True, text=True)
    assert proc.returncode == 2
    assert "Traceback" not in proc.stderr
    assert "format.columns" in proc.stderr.splitlines()[0]
