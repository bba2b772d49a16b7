"""A render killed while it writes leaves no partial file behind: SIGTERM, SIGHUP and Ctrl-C remove
the temp file before the process ends (128 + the signal); after SIGKILL, which nothing can catch, the
next render into the folder removes it. The folder that goes to the plate-maker holds whole PDFs only.

The child renders really run `python -m layout render`; BROADSHEET_TEST_PAUSE_IN_WRITE stops the
write of the named file half-way, so the test kills the child while its temp file exists."""
from __future__ import annotations

import fcntl
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pypdf
import pytest

from layout.util.atomic import PAUSE_ENV, STALE_UNNAMED_SECONDS, TEMP_WITH_PID
from editions import ROOT, edition, overset_edit

WAIT = 60  # s: the longest the test waits for the child (it never hangs)


def start(spec: Path, out: Path, pause: str | None = None, *extra: str) -> subprocess.Popen:
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(ROOT), os.environ.get("PYTHONPATH", "")])}
    env.pop(PAUSE_ENV, None)
    if pause:
        env[PAUSE_ENV] = pause
    return subprocess.Popen([sys.executable, "-m", "layout", "render", str(spec), "-o", str(out), *extra],
                            env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                            preexec_fn=_default_signals)


def _default_signals() -> None:
    """A render started in the background of a non-interactive shell (as CI and a fresh machine's
    login shell run the tests) inherits SIGINT ignored, and rightly keeps ignoring it, as `nohup`
    would; the child here is a render started from a terminal, with Ctrl-C live."""
    signal.signal(signal.SIGINT, signal.SIG_DFL)


def temp_files(out: Path) -> list[Path]:
    return sorted(p for p in out.glob(".*.tmp")) if out.is_dir() else []


def wait_for_temp(child: subprocess.Popen, out: Path, name: str = "") -> Path:
    """The child's temp file (of the file `name`, when given: the one its write pauses in), once
    half the PDF is in it. Naming it matters where a render writes several files: the temp file of
    one written earlier may exist for a moment too, and a kill then would catch two."""
    deadline = time.monotonic() + WAIT
    while time.monotonic() < deadline:
        for tmp in temp_files(out):
            if (not name or tmp.name.startswith(f".{name}.")) and tmp.stat().st_size > 0:
                return tmp
        if child.poll() is not None:
            raise AssertionError(f"the render ended first: {child.returncode} {child.stderr.read()}")
        time.sleep(0.01)
    child.kill()
    raise AssertionError("no temp file appeared")


def finish(child: subprocess.Popen) -> tuple[int, str]:
    _, err = child.communicate(timeout=WAIT)
    return child.returncode, err


def assert_only_whole_pdfs(out: Path, names: list[str]) -> None:
    assert sorted(p.name for p in out.iterdir()) == sorted(names)
    for name in names:
        assert len(pypdf.PdfReader(out / name).pages) >= 1


@pytest.mark.parametrize("signum, code", [(signal.SIGTERM, 143), (signal.SIGHUP, 129),
                                          (signal.SIGINT, 130)])
def test_a_caught_signal_removes_the_temp_file(tmp_path, signum, code):
    spec, out = edition(tmp_path), tmp_path / "out"
    child = start(spec, out, "ed.pdf")
    tmp = wait_for_temp(child, out)
    assert TEMP_WITH_PID.fullmatch(tmp.name) and f".{child.pid}." in tmp.name
    child.send_signal(signum)
    returncode, err = finish(child)
    assert returncode == code, err
    assert not out.exists() or list(out.iterdir()) == []
    if signum == signal.SIGINT:
        assert err == f"{spec}: interrupted; the previous PDF, if any, is unchanged\n"
    else:
        name = signal.Signals(signum).name
        assert err == (f"{out / 'ed.pdf'}: not written, terminated by {name}; "
                       "the previous file, if any, is unchanged\n")


def test_after_sigkill_the_next_render_removes_the_stale_temp_file(tmp_path):
    spec, out = edition(tmp_path), tmp_path / "out"
    assert finish(start(spec, out))[0] == 0  # a good PDF already there, as on a production host
    before = (out / "ed.pdf").read_bytes()
    child = start(spec, out, "ed.pdf")
    tmp = wait_for_temp(child, out)
    child.kill()
    assert finish(child)[0] == -signal.SIGKILL
    assert temp_files(out) == [tmp]  # nothing could remove it …
    with pytest.raises(pypdf.errors.PdfReadError):
        pypdf.PdfReader(tmp)  # … and it is half a PDF
    assert (out / "ed.pdf").read_bytes() == before  # the previous PDF is whole

    overset = edition(tmp_path, "other.yaml", edit=overset_edit)
    code, err = finish(start(overset, out))  # any render into the folder, even one that fails
    assert code == 1, err
    assert_only_whole_pdfs(out, ["ed.pdf"])
    assert (out / "ed.pdf").read_bytes() == before


def test_split_pages_killed_while_writing_a_page_file(tmp_path):
    spec, out = edition(tmp_path), tmp_path / "out"
    child = start(spec, out, "ed-p02.pdf", "--split-pages")
    wait_for_temp(child, out, "ed-p02.pdf")
    child.kill()
    finish(child)
    assert len(temp_files(out)) == 1
    assert finish(start(spec, out, None, "--split-pages"))[0] == 0
    assert_only_whole_pdfs(out, ["ed.pdf", "ed-p01.pdf", "ed-p02.pdf"])


def test_only_temp_files_no_live_process_holds_are_removed(tmp_path):
    spec, out = edition(tmp_path), tmp_path / "out"
    out.mkdir()
    dead = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"],
                          capture_output=True, text=True).stdout.strip()
    old = time.time() - STALE_UNNAMED_SECONDS - 60
    files = {
        f".ed.pdf.{dead}.abcd1234.tmp": False,  # its process is gone: removed
        f".x.png.{dead}.abcd1234.tmp": False,  # any file of our naming in the folder
        f".ed.pdf.{os.getpid()}.abcd1234.tmp": True,  # a live process (this test) holds it
        ".ed.pdf.oebzakjy.tmp": False,  # the old naming, without a pid, old: removed
        ".fresh.pdf.oebzakjy.tmp": True,  # … but not while it may still be written
        ".notes.tmp": True,  # not ours
        f".ed.txt.{dead}.abcd1234.tmp": True,  # not a kind of file we write
        f".locked.pdf.{dead}.abcd1234.tmp": True,  # a writer we cannot see (another pid namespace)
    }
    for name in files:
        (out / name).write_bytes(b"%PDF-1.4 partial")
    os.utime(out / ".ed.pdf.oebzakjy.tmp", (old, old))
    with open(out / f".locked.pdf.{dead}.abcd1234.tmp", "rb") as held:
        fcntl.flock(held.fileno(), fcntl.LOCK_EX)
        assert finish(start(spec, out))[0] == 0
    left = {p.name for p in out.iterdir()} - {"ed.pdf"}
    assert left == {name for name, kept in files.items() if kept}
