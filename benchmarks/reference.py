"""The reference edition (`issue_specs/xuchang-2022-06-16.yaml`) as Typst source, so that the
benchmark compares Broadsheet and Typst setting the same text (issue 14: reference whole process
≤ 0.8 × Typst's in the same run).

Same approach as the editions (`benchmarks/generate.py`): every module at its grid position, the
stories in `columns(n)` with the same fonts, sizes, leading and indent, headline blocks of the same
estimated height, a jumping story split between its two modules by the same estimate, the jump
lines written in. Besides the stories: the masthead's texts (paper name, the date line with the
lunar date, numbers and names), the index box's items (with `详见第二版`), the two photos at their
modules (copied beside the .typ file, as Typst reads files under its root only) with their captions.
"""
from __future__ import annotations

import shutil
from pathlib import Path

from .generate import (REFERENCE, Geometry, Part, Story, _length, _typ_str, chinese_numeral,
                       fullwidth, headline_block_lines, load_reference, split_story, styles_pt,
                       write_typst)

NAME = "reference"


def _box(geo: Geometry, rect: tuple[int, int, int, int], body: list[str]) -> list[str]:
    col, cols, line, lines = rect
    return ([f"#place(top + left, dx: {geo.x(col):.3f}pt, dy: {geo.y(line):.3f}pt, "
             f"block(width: {geo.span(cols):.3f}pt, height: {lines * geo.leading:.3f}pt, spacing: 0pt)["]
            + ["  " + b for b in body] + ["])"])


def _masthead(data: dict) -> list[str]:
    from layout.util.dates import masthead_date

    paper, issue = data["paper"], data["issue"]
    small = [masthead_date(issue["date"]),
             "　".join(x for x in (paper.get("organ_of"), paper.get("rating")) if x),
             "　".join(x for x in (paper.get("sponsor"), paper.get("publisher")) if x),
             f"第{issue['number']}期　今日{issue['pages_total']}版",
             f"国内统一刊号：{paper['serial']}", f"总编辑：{paper['editor_in_chief']}"]
    out = [f"#align(center)[#hei(96pt, {_typ_str(paper['name'])})]",
           f"#align(center)[#song(12pt, {_typ_str(paper.get('name_latin', ''))})]",
           "#v(1fr)", "#line(length: 100%, stroke: 1.2pt)"]
    out += [f"#par(first-line-indent: 0pt)[#song(10.5pt, {_typ_str(t)})]" for t in small if t]
    return out


def _index(data: dict, index_id: str) -> list[str]:
    index = data["indexes"][index_id]
    out = [f"#align(center)[#hei(16pt, {_typ_str(index.get('title', ''))})]"]
    for item in index["items"]:
        for key, font, size in (("kicker", "song", 9), ("headline", "hei", 12), ("subtitle", "song", 9)):
            if item.get(key):
                out.append(f"#par(first-line-indent: 0pt)[#{font}({size}pt, {_typ_str(fullwidth(item[key]))})]")
        if item.get("page"):
            out.append(f"#align(right, song(9pt, \"详见第{chinese_numeral(item['page'])}版\"))")
    return out


def _picture(data: dict, geo: Geometry, image_id: str, lines: int, out_dir: Path) -> list[str]:
    image = data["images"][image_id]
    source = REFERENCE.parent / image["file"]
    target = out_dir / source.name
    if not target.exists() or target.stat().st_size != source.stat().st_size:
        shutil.copyfile(source, target)
    out = [f"#image({_typ_str(source.name)}, width: 100%, height: {(lines - 1) * geo.leading:.3f}pt, "
           "fit: \"cover\")"]
    if image.get("caption"):
        out.append(f"#align(center, kai(8pt, {_typ_str(fullwidth(image['caption']))}))")
    return out


def reference_pages(data: dict, geo: Geometry, out_dir: Path) -> tuple[list[Story], dict[int, list[str]]]:
    """The reference's stories as benchmark Stories on their own module rectangles, and the Typst
    lines of each page's masthead, index and pictures."""
    _, _, refs = load_reference()
    by_id = {r.id: r for r in refs}
    styles = styles_pt(data, geo)
    stories: dict[str, Story] = {}
    extras: dict[int, list[str]] = {}
    for page in data["pages"]:
        p = page["number"]
        for k, m in enumerate(page["modules"]):
            rect = (m["col"], m["cols"], m["line"], m["lines"])
            if "article" in m:
                size = _length(m["headline_size"]) if m.get("headline_size") else None
                story = Story(m["article"], by_id[m["article"]], size,
                              [Part(p, f"{k:02d}", "article", rect=rect)])
                story.paragraphs = list(by_id[m["article"]].paragraphs)
                stories[m["article"]] = story
            elif "continue" in m:
                stories[m["continue"]].parts.append(Part(p, f"{k:02d}", "continue", rect=rect))
            elif "image" in m:
                extras.setdefault(p, []).extend(
                    _box(geo, rect, _picture(data, geo, m["image"], m["lines"], out_dir)))
            elif "index" in m:
                extras.setdefault(p, []).extend(_box(geo, rect, _index(data, m["index"])))
            elif m.get("masthead"):
                extras.setdefault(p, []).extend(_box(geo, rect, _masthead(data)))
    for story in stories.values():
        for k, part in enumerate(story.parts):
            _col, cols, _line, lines = part.rect
            disp, by = headline_block_lines(story.ref, geo.span(cols), geo, styles,
                                            story.headline_size if k == 0 else None, k > 0)
            part.head_lines = disp + by
            part.capacity = cols * (lines - part.head_lines) - ((k > 0) + (k + 1 < len(story.parts)))
        split_story(story, geo, data.get("jumps") or {}, "typst")
    return list(stories.values()), extras


def write_reference(out_dir: Path) -> Path:
    """Write `reference.typ` (and its photos) into `out_dir`; returns its path."""
    data, geo, _ = load_reference()
    out_dir.mkdir(parents=True, exist_ok=True)
    stories, extras = reference_pages(data, geo, out_dir)
    text = write_typst(stories, len(data["pages"]), geo, data, styles_pt(data, geo), extras)
    path = out_dir / f"{NAME}.typ"
    if not path.exists() or path.read_text(encoding="utf-8") != text:
        path.write_text(text, encoding="utf-8")
    return path
