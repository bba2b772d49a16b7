"""Where a render may write: never over one of its own inputs, and when a folder cannot be used the
message says what the path is and what to do (exit 2, nothing written, no temp file named)."""
from __future__ import annotations

import errno
import os
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from layout.desk.cli import main
from layout.press.colour import NEWSPRINT_PROFILE
from editions import edition

HINT = "  render into another folder (-o)"


def render(*args: object) -> tuple[int, list[str]]:
    result = CliRunner().invoke(main, ["render", *(str(a) for a in args)])
    assert "Traceback" not in result.stderr
    return result.exit_code, result.stderr.splitlines()


def test_a_spec_named_like_its_pdf_is_not_overwritten(tmp_path):
    out = tmp_path / "out"
    out.mkdir()
    spec = edition(out, "issue.pdf")
    before = spec.read_bytes()
    code, lines = render(spec, "-o", out)
    assert code == 2
    assert lines == [f"{spec}: cannot write output: {out / 'issue.pdf'} is the spec itself", HINT]
    assert spec.read_bytes() == before
    assert sorted(p.name for p in out.iterdir()) == sorted(["issue.pdf", "photo-1.jpg", "photo-2.jpg"])


def test_the_same_file_by_another_path_or_a_hard_link(tmp_path):
    spec = edition(tmp_path, "ed.pdf")
    code, lines = render(spec, "-o", tmp_path / "sub" / "..")  # the spec's folder, spelt otherwise
    assert code == 2 and lines[0].endswith(" is the spec itself")
    (tmp_path / "out").mkdir()
    os.link(spec, tmp_path / "out" / "ed.pdf")
    code, lines = render(spec, "-o", tmp_path / "out")
    assert code == 2
    assert lines == [f"{spec}: cannot write output: {tmp_path / 'out' / 'ed.pdf'} is the spec itself",
                     HINT]


def test_a_photo_a_font_file_or_the_profile_is_not_overwritten(tmp_path):
    out = tmp_path / "out"
    out.mkdir()
    shutil.copy(Path(__file__).parent.parent / "issue_specs" / "photo-2.jpg", out / "ed.pdf")
    spec = edition(tmp_path, edit=lambda t: t.replace("photo-2.jpg", "out/ed.pdf"))
    code, lines = render(spec, "-o", out)
    assert code == 2
    assert lines == [f"{spec}: cannot write output: {out / 'ed.pdf'} is the image file of images.campus",
                     HINT]

    font = tmp_path / "fonts" / "ed.pdf"  # never loaded: the check comes first
    font.parent.mkdir()
    font.write_bytes(b"not read")
    spec = edition(tmp_path, edit=lambda t: t.replace("song: Noto Serif CJK SC", "song: fonts/ed.pdf#0"))
    code, lines = render(spec, "-o", font.parent)
    assert code == 2
    assert lines == [f"{spec}: cannot write output: {font} is the font file of fonts.song", HINT]


def test_page_files_are_checked_too(tmp_path):
    shutil.copy(NEWSPRINT_PROFILE, tmp_path / "ed-p02.pdf")
    spec = edition(tmp_path, edit=lambda t: t.replace("\nfonts:", "\noutput: {profile: ed-p02.pdf}\nfonts:", 1))
    code, lines = render(spec, "-o", tmp_path, "--split-pages")
    assert code == 2
    assert lines == [f"{spec}: cannot write output: {tmp_path / 'ed-p02.pdf'} is the output profile "
                     "(output.profile)", HINT]
    assert not (tmp_path / "ed.pdf").exists()
    code, _ = render(spec, "-o", tmp_path)  # without page files, nothing clashes
    assert code == 0 and (tmp_path / "ed.pdf").exists()


# --- Folders that cannot be used ----------------------------------------------------------------------

def test_a_broken_link_as_the_output_folder(tmp_path):
    spec = edition(tmp_path)
    (tmp_path / "out").symlink_to(tmp_path / "gone")
    for folder in (tmp_path / "out", tmp_path / "out" / "sub"):
        code, lines = render(spec, "-o", folder)
        assert code == 2
        assert lines == [f"{spec}: cannot write output: {tmp_path / 'out'} is a broken link "
                         f"(to {tmp_path / 'gone'})",
                         "  create the folder it points to, or remove the link"]


def test_a_device_as_the_output_folder(tmp_path):
    spec = edition(tmp_path)
    code, lines = render(spec, "-o", "/dev/null")
    assert code == 2
    assert lines == [f"{spec}: cannot write output: /dev/null is a character device, not a folder",
                     "  give a folder to render into (-o)"]


def test_a_read_only_folder_names_the_pdf_not_the_temp_file(tmp_path, monkeypatch):
    import tempfile

    spec = edition(tmp_path)
    out = tmp_path / "out"
    out.mkdir()
    real = tempfile.mkstemp

    def read_only(*args, dir=None, **kw):  # what the kernel says on a read-only mount
        if Path(dir) == out:
            name = os.path.join(dir, kw.get("prefix", "") + "oebzakjy" + kw.get("suffix", ""))
            raise OSError(errno.EROFS, os.strerror(errno.EROFS), name)
        return real(*args, dir=dir, **kw)

    monkeypatch.setattr("layout.util.atomic.tempfile.mkstemp", read_only)
    code, lines = render(spec, "-o", out)
    assert code == 2
    assert lines == [f"{spec}: cannot write output: {out / 'ed.pdf'}: {out} is on a read-only file system",
                     "  render into a writable folder (-o)"]
    assert list(out.iterdir()) == []


@pytest.mark.skipif(os.geteuid() == 0, reason="root may write anywhere")
def test_a_folder_without_write_permission(tmp_path):
    spec = edition(tmp_path)
    out = tmp_path / "out"
    out.mkdir(mode=0o555)
    code, lines = render(spec, "-o", out)
    assert code == 2
    assert lines == [f"{spec}: cannot write output: {out / 'ed.pdf'}: no permission to write in {out}",
                     "  render into a folder you may write in (-o)"]


def test_preview_pngs_never_overwrite_an_input(tmp_path):
    shutil.copy(Path(__file__).parent.parent / "issue_specs" / "photo-1.jpg", tmp_path / "ed-p02.png")
    spec = edition(tmp_path, edit=lambda t: t.replace("photo-1.jpg", "ed-p02.png"))
    before = (tmp_path / "ed-p02.png").read_bytes()
    result = CliRunner().invoke(main, ["preview", str(spec), "-o", str(tmp_path), "--dpi", "10"])
    assert result.exit_code == 2
    assert result.stderr.splitlines() == [
        f"{spec}: cannot write output: {tmp_path / 'ed-p02.png'} is the image file of images.street", HINT]
    assert (tmp_path / "ed-p02.png").read_bytes() == before
    assert not (tmp_path / "ed-p01.png").exists()
