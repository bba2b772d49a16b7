"""The cache folder stays bounded (layout/cache.py): converted photos are evicted least recently used
first past BROADSHEET_CACHE_MAX, never one in use; temp files of killed writes
are removed; `broadsheet cache --info/--clean` shows and cleans it."""
from __future__ import annotations

import fcntl
import json
import os
import time
from pathlib import Path

import pytest
from click.testing import CliRunner
from PIL import Image

from layout.fonts import cache
from layout.desk.cache import cache_command
from layout.fonts.cache import IN_USE_SECONDS, STALE_TEMP_SECONDS
from layout.press.colour import NEWSPRINT_PROFILE, convert_to_cmyk

HOUR = 3600.0


def photo_entry(images: Path, stem: str, size: int, used: float) -> list[Path]:
    images.mkdir(parents=True, exist_ok=True)
    files = [images / f"{stem}.jpg", images / f"{stem}.json"]
    files[0].write_bytes(b"j" * size)
    files[1].write_text("{}")
    for f in files:
        os.utime(f, (used, used))
    return files


def test_least_recently_used_photos_go_first(tmp_path):
    now = time.time()
    images = tmp_path / "images"
    old = photo_entry(images, "old", 1000, now - 5 * HOUR)
    middle = photo_entry(images, "middle", 1000, now - 3 * HOUR)
    recent = photo_entry(images, "recent", 1000, now - 2 * HOUR)
    removed = cache.bound(images, 2100, now=now)
    assert [e.stem for e in removed] == ["old"]
    assert not any(f.exists() for f in old)
    assert all(f.exists() for f in middle + recent)


def test_photos_in_use_are_never_evicted(tmp_path):
    now = time.time()
    images = tmp_path / "images"
    photo_entry(images, "a", 1000, now - IN_USE_SECONDS / 2)  # a render that may still be running
    kept = photo_entry(images, "b", 1000, now - 5 * HOUR)
    assert cache.bound(images, 0, now=now, keep=[kept[0]]) == []
    assert len(list(images.iterdir())) == 4


def test_a_render_touches_what_it_uses_and_bounds_the_cache(tmp_path, monkeypatch):
    """Each new conversion checks the bound; a cache hit counts as a use (its mtime is set)."""
    images = tmp_path / "images"
    sources = []
    for i, colour in enumerate([(200, 30, 30), (30, 200, 30), (30, 30, 200)]):
        sources.append(tmp_path / f"p{i}.png")
        Image.new("RGB", (64, 48), colour).save(sources[-1])
    first, second = (convert_to_cmyk(s, NEWSPRINT_PROFILE, 240.0, images).path for s in sources[:2])
    long_ago = time.time() - 10 * HOUR
    for path in images.iterdir():
        os.utime(path, (long_ago, long_ago))
    assert convert_to_cmyk(sources[0], NEWSPRINT_PROFILE, 240.0, images).path == first  # a hit
    assert first.stat().st_mtime > long_ago + HOUR
    monkeypatch.setenv("BROADSHEET_CACHE_MAX", "1")  # 1 byte: only what is in use stays
    third = convert_to_cmyk(sources[2], NEWSPRINT_PROFILE, 240.0, images).path
    assert first.exists() and third.exists()
    assert not second.exists() and not second.with_suffix(".json").exists()


@pytest.mark.parametrize("text, value", [("2G", 2 * 2**30), ("500M", 500 * 2**20), ("1.5g", 3 * 2**29),
                                         ("800000000", 800_000_000), ("64MiB", 64 * 2**20), ("", 2**31)])
def test_the_bound_is_read_from_the_environment(text, value):
    assert cache.max_bytes(text) == value


def test_a_bad_bound_is_a_usage_error(tmp_path, monkeypatch):
    monkeypatch.setenv("BROADSHEET_CACHE", str(tmp_path))
    monkeypatch.setenv("BROADSHEET_CACHE_MAX", "lots")
    result = CliRunner().invoke(cache_command, [])
    assert result.exit_code == 2
    assert "BROADSHEET_CACHE_MAX='lots': expected a size like 2G, 500M or 800000000 (bytes)" in result.output


def test_old_temp_files_of_killed_writes_are_removed(tmp_path):
    now = time.time()
    old, fresh = tmp_path / "x.jpg.abc.tmp", tmp_path / "y.jpg.def.tmp"
    for path, age in ((old, STALE_TEMP_SECONDS + 60), (fresh, 60)):
        path.write_bytes(b"partial")
        os.utime(path, (now - age, now - age))
    assert cache.remove_stale_temps(tmp_path, now=now) == [old]
    assert fresh.exists()


def test_cache_info_and_clean(tmp_path, monkeypatch):
    monkeypatch.setenv("BROADSHEET_CACHE", str(tmp_path))
    monkeypatch.delenv("BROADSHEET_CACHE_MAX", raising=False)
    now = time.time()
    photo_entry(tmp_path / "images", "old", 3 * 2**20 - 2, now - 5 * HOUR)
    photo_entry(tmp_path / "images", "busy", 2**20 - 2, now)
    faces = tmp_path / "faces"
    faces.mkdir()
    (faces / "Gone-0-abc.json").write_text(json.dumps({"source": str(tmp_path / "uninstalled.otf")}))
    (faces / "Gone-0-abc.ttf").write_bytes(b"t" * 2**20)
    result = CliRunner().invoke(cache_command, ["--info"])
    assert result.exit_code == 0, result.output
    assert result.output.splitlines() == [
        f"cache {tmp_path}",
        "  photos: 2 converted, 4.0 MB (bound 2,048.0 MB, BROADSHEET_CACHE_MAX; least recently used "
        "evicted first)",
        "  other:  0.0 MB",
        "  old font copies: 1.0 MB (made by an earlier Broadsheet, unused: `broadsheet cache --clean` "
        "removes them)",
    ]
    result = CliRunner().invoke(cache_command, ["--clean"])
    assert result.exit_code == 0, result.output
    assert result.output.splitlines() == [f"cache {tmp_path}: removed 4 file(s), 4.0 MB freed"]
    assert sorted(p.name for p in (tmp_path / "images").iterdir()) == ["busy.jpg", "busy.json"]
    assert not faces.exists()
