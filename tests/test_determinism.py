"""Same spec, same inputs, same Broadsheet and fonts → the same PDF bytes on any machine: whatever the
cache folder's path, the working folder, the time zone and the locale."""
from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from layout.fonts.book import default_cache_dir

from editions import REF, ROOT, edition, cache_copy


def _render(spec: Path, cache: Path, cwd: Path, out: Path, tz: str, lang: str,
            options: tuple[str, ...]) -> dict[str, bytes]:
    env = {**os.environ, "BROADSHEET_CACHE": str(cache), "TZ": tz, "LANG": lang, "LC_ALL": lang,
           "PYTHONPATH": os.pathsep.join([str(ROOT), os.environ.get("PYTHONPATH", "")])}
    cwd.mkdir(parents=True)
    done = subprocess.run([sys.executable, "-m", "layout", "render", str(spec), "-o", str(out),
                           *options], cwd=cwd, env=env, capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    return {p.name: p.read_bytes() for p in sorted(out.iterdir())}


@pytest.mark.parametrize("options", [(), ("--pdfx", "--marks", "--split-pages")])
def test_same_bytes_with_other_cache_folder_working_folder_time_zone_and_locale(tmp_path, options):
    """The second render reads a copy of the spec and its photos in another folder too, as another
    machine would."""
    (tmp_path / "copy").mkdir()
    copy = edition(tmp_path / "copy", REF.name)
    a = _render(REF, cache_copy(tmp_path / "cache-a"), tmp_path / "work-a", tmp_path / "out-a",
                "UTC", "C.UTF-8", options)
    b = _render(copy, cache_copy(tmp_path / "a much longer cache folder, b"),
                tmp_path / "w" / "work-b", tmp_path / "out-b", "Asia/Shanghai", "zh_CN.UTF-8", options)
    assert sorted(a) == sorted(f"{REF.stem}{s}.pdf" for s in (["", "-p01", "-p02"] if options else [""]))
    assert a == b
    assert b"/FormXob." in a[f"{REF.stem}.pdf"]  # the photos are there, as XObjects named by content
