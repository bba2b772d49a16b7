"""Copies of the reference edition for tests that render it, edited as text where a test needs."""
from __future__ import annotations

import shutil
import textwrap
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


# A small valid spec (one page, an article beside a picture). Line numbers matter: the message
# tests that use it name them. Type height 80 mm = 226.77 pt, ÷ 12 pt leading = 18 lines per page.
MINIMAL_SPEC = textwrap.dedent("""\
    spec_version: 1
    paper: {name: 测试日报}
    issue: {date: 2024-01-02}
    format:
      trim: {width: 100mm, height: 100mm}
      margins: {top: 10mm, bottom: 10mm, inside: 10mm, outside: 10mm}
      columns: 4
      gutter: 1em
    fonts: {song: Noto Serif CJK SC}
    styles:
      body: {font: song, size: 10pt, leading: 12pt}
    pages:
      - number: 1
        modules:
          - {article: a, col: 1, line: 1, cols: 2, lines: 10}
          - {image: p, col: 3, line: 1, cols: 2, lines: 10}
    images:
      p: {file: photo.jpg}
    articles:
      a:
        headline: 标题
        body: 正文。
    """)


def cache_copy(target: Path) -> Path:
    """The shared cache's index of installed faces under another path (hard links where possible):
    the only font data a render caches."""
    from layout.fonts.book import default_cache_dir
    import os

    source = default_cache_dir()
    target.mkdir()

    def link(src: str, dst: str) -> None:
        try:
            os.link(src, dst)
        except OSError:
            shutil.copy2(src, dst)

    for index in source.glob("fonts-index-*.json"):
        link(str(index), str(target / index.name))
    return target
