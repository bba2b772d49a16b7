"""An overset of one line says "1 line" (release QA: the render's warning and the copyfit report
said "(1 lines)"), read from the render and report commands' own output."""
from __future__ import annotations

import re
import shutil
import subprocess
import sys
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[1]
EDITION = ROOT / "issue_specs" / "jiangcheng-2024-12-04.yaml"


def _one_tier(folder: Path) -> Path:
    """The vertical story in one tier: it oversets by a single line."""
    text = EDITION.read_text(encoding="utf-8").replace("direction: vertical,\n         tiers: 2}",
                                                       "direction: vertical,\n         tiers: 1}")
    assert "tiers: 1}" in text
    for photo in ("photo-1.jpg", "photo-2.jpg"):
        shutil.copy(ROOT / "issue_specs" / photo, folder / photo)
    spec = folder / "one-tier.yaml"
    spec.write_text(text, encoding="utf-8")
    yaml.safe_load(text)
    return spec


def _run(*args: str) -> str:
    done = subprocess.run([sys.executable, "-m", "layout", *args], capture_output=True, text=True,
                          cwd=ROOT)
    return done.stdout + done.stderr


def test_one_line_of_overset_is_one_line(tmp_path):
    spec = _one_tier(tmp_path)
    rendered = _run("render", str(spec), "-o", str(tmp_path / "out"))
    reported = _run("report", str(spec))
    assert re.search(r"story 'dongyun' is overset by \d+ characters \(1 line\) after", rendered)
    assert re.search(r"\d+ characters \(1 line\) overset", reported)
    for said in (rendered, reported):
        assert not re.search(r"\b1 (lines|characters)\b", said)
