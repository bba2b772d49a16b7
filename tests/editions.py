"""Copies of the reference edition for tests that render it, edited as text where a test needs."""
from __future__ import annotations

import shutil
from pathlib import Path
from typing import Callable

ROOT = Path(__file__).resolve().parent.parent
REF = ROOT / "issue_specs" / "xuchang-2022-06-16.yaml"
ZHONGKAO = "{article: zhongkao,           col: 6, line: 81,  cols: 3, lines: 26}"


def edition(folder: Path, name: str = "ed.yaml", edit: Callable[[str], str] | None = None) -> Path:
    """The reference spec (with its photos) written into `folder` as `name`."""
    for photo in REF.parent.glob("photo-*.jpg"):
        if not (folder / photo.name).exists():
            shutil.copy(photo, folder)
    text = REF.read_text(encoding="utf-8")
    spec = folder / name
    spec.write_text(edit(text) if edit else text, encoding="utf-8")
    return spec


def overset_edit(text: str) -> str:
    """Shrink the zhongkao module so that its story is overset."""
    assert ZHONGKAO in text
    return text.replace(ZHONGKAO, ZHONGKAO.replace("lines: 26", "lines: 12"))
