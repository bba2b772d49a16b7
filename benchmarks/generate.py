"""Benchmark editions, written three ways from the same text, grid, fonts and sizes.

`python -m benchmarks.generate` writes into `benchmarks/generated/` (deterministic, not committed):

- `edition-8.yaml`, `edition-24.yaml`: Broadsheet issue specs of 8 and 24 pages built from the stories
  of the reference edition (`issue_specs/xuchang-2022-06-16.yaml`), repeated to fill the pages;
- `edition-N.typ`: the same pages as Typst source (modules placed on the same grid, `columns()` in
  each, same fonts, sizes, leading, indent, jump lines);
- `edition-N.html`: the same pages as HTML/CSS for WeasyPrint (absolutely placed modules with
  `column-count`);
- `edition-N-flow.typ` / `edition-N-flow.html`: the same stories, whole, as one continuous 8-column
  flow (no modules, no jumps): the setting the issue's first measurements used;
- `reference.typ` (with copies of its photos): the reference edition itself for Typst, the same
  modules on the same grid (`benchmarks/reference.py`);
- `manifest.json`: what was generated (pages, stories, characters).

Every page has the reference format (390 × 545 mm, margins 27/28/18.5/18.5 mm, 8 columns of 117.2 pt
with 9 pt gutters, 120 lines of 11.5 pt) and four modules:

    lines 1-64    A: columns 1-5 (lead story, 28 pt headline)   B: columns 6-8
    lines 65-120  C: columns 1-3                                D: columns 4-8

A and B open stories that continue on the next page (A → D, B → C), so every story but those of page
1's bottom row and the last page's top row (which stand alone) has one jump. Story lengths are sized
with a character-count estimate of the column lines (`--check` compares it with Broadsheet's own
composition), so nothing is overset and the modules are nearly full.

Typst and WeasyPrint have no linked text frames, so their text of a jumping story is split between
the two modules by the same estimate (Broadsheet flows it itself); the jump lines are written in.
"""
from __future__ import annotations

import argparse
import html
import json
import math
import re
import sys
from dataclasses import dataclass, field
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent
REFERENCE = ROOT / "issue_specs" / "xuchang-2022-06-16.yaml"
OUT = Path(__file__).resolve().parent / "generated"
EDITIONS = {"edition-8": 8, "edition-24": 24}

PT_PER_MM = 72 / 25.4

# Fonts: the reference's roles. Typst and WeasyPrint find the same installed files by family name.
FONT_DIRS = ("/usr/share/fonts/opentype/noto", "/usr/share/fonts/truetype/lxgw-wenkai")
SONG = "Noto Serif CJK SC"
HEI = "Noto Sans CJK SC"  # weight bold = "Noto Sans CJK SC Bold"
KAI = "LXGW WenKai"

# Module slots of every page: name → (first column, columns, first line, lines).
TOP_LINES = 64
SLOTS = {
    "A": (1, 5, 1, TOP_LINES),
    "B": (6, 3, 1, TOP_LINES),
    "C": (1, 3, TOP_LINES + 1, 120 - TOP_LINES),
    "D": (4, 5, TOP_LINES + 1, 120 - TOP_LINES),
}
CONTINUES_IN = {"A": "D", "B": "C"}  # opening slot → its continuation's slot on the next page
LEAD_HEADLINE = 28.0  # pt, slot A

# Sizing: fraction of the estimated capacity a story's last module is filled to, and lines kept
# free in the first module's split for Typst/WeasyPrint (their breaking differs a little).
FILL = 0.88
SPLIT_MARGIN_PER_COLUMN = 0.5
# Lines each renderer needs for the reference paragraphs in a 13-em column, relative to the estimate
# (measured: Broadsheet 405, Typst 401, WeasyPrint 421 lines; estimate 408): WeasyPrint compresses no
# punctuation, so its split gives its first module less text.
LINE_FACTOR = {"typst": 1.0, "html": 1.045}

# Headline block (mirrors layout/furniture.py: headline_block).
HEADLINE_LINE_HEIGHT = 1.25
BLOCK_PAD = 0.5


# --------------------------------------------------------------------------------------------------
# The reference: format, styles and stories


def _length(value, em: float = 9.0) -> float:
    m = re.fullmatch(r"\s*([0-9.]+)\s*(mm|pt|em)\s*", str(value))
    if not m:
        raise ValueError(f"not a length: {value!r}")
    n, unit = float(m.group(1)), m.group(2)
    return n * {"mm": PT_PER_MM, "pt": 1.0, "em": em}[unit]


@dataclass(frozen=True)
class Geometry:
    trim_w: float
    trim_h: float
    top: float
    bottom: float
    inside: float
    outside: float
    columns: int
    gutter: float
    body_size: float
    leading: float
    indent: float

    @property
    def type_w(self) -> float:
        return self.trim_w - self.inside - self.outside

    @property
    def column_w(self) -> float:
        return (self.type_w - (self.columns - 1) * self.gutter) / self.columns

    @property
    def lines(self) -> int:
        return math.floor((self.trim_h - self.top - self.bottom) / self.leading + 1e-9)

    @property
    def chars_per_line(self) -> float:
        return self.column_w / self.body_size

    def x(self, col: int) -> float:
        return (col - 1) * (self.column_w + self.gutter)

    def y(self, line: int) -> float:
        return (line - 1) * self.leading

    def span(self, cols: int) -> float:
        return cols * self.column_w + (cols - 1) * self.gutter


@dataclass(frozen=True)
class RefStory:
    id: str
    kicker: str | None
    headline: str | None
    subtitle: str | None
    byline: str | None
    paragraphs: tuple[str, ...]


def load_reference(path: Path = REFERENCE) -> tuple[dict, Geometry, list[RefStory]]:
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    fmt, body = data["format"], data["styles"]["body"]
    em = _length(body["size"])
    geo = Geometry(
        _length(fmt["trim"]["width"]), _length(fmt["trim"]["height"]),
        _length(fmt["margins"]["top"]), _length(fmt["margins"]["bottom"]),
        _length(fmt["margins"]["inside"]), _length(fmt["margins"]["outside"]),
        int(fmt["columns"]), _length(fmt["gutter"], em), em,
        _length(body["leading"], em), _length(body.get("indent", "0pt"), em))
    stories = []
    for sid, a in data["articles"].items():
        paras = tuple(" ".join(line.strip() for line in p.strip().splitlines())
                      for p in re.split(r"\n\s*\n", a["body"]) if p.strip())
        stories.append(RefStory(sid, a.get("kicker"), a.get("headline"), a.get("subtitle"),
                                a.get("byline"), paras))
    return data, geo, stories


# --------------------------------------------------------------------------------------------------
# Text: the composer's full-width conversion, and a width estimate


def fullwidth(text: str) -> str:
    """What `typography.fullwidth_punctuation` makes of the text (Broadsheet's own function)."""
    try:
        from layout.util.text import fullwidth as fw
    except Exception:  # the package is being edited: the reference only needs the simple case
        def fw(t: str) -> str:
            table = {",": "，", ":": "：", ";": "；", "(": "（", ")": "）", "?": "？", "!": "！"}
            return "".join(table.get(c, c) if _beside_cjk(t, i) else c for i, c in enumerate(t))
    return fw(text)


def _beside_cjk(t: str, i: int) -> bool:
    return any(0 <= j < len(t) and ord(t[j]) >= 0x2E80 for j in (i - 1, i + 1))


def _is_latin(ch: str) -> bool:
    return ord(ch) < 0x2000 and not ch.isspace()


# Full-width punctuation with a blank half: Broadsheet (and Typst) compress some of it, at line ends
# and where two meet; 0.8 em on average fits Broadsheet's line counts of the reference paragraphs.
COMPRESSIBLE = frozenset("，。、；：？！“”‘’《》（）「」")
PUNCT_EM = 0.8


def em_width(text: str) -> float:
    """Width in em: CJK and full-width forms 1 (compressible punctuation PUNCT_EM), Latin and digits
    about 0.55 (Noto's proportional Latin), spaces 0.25 (U+3000 is 1), plus the 0.25 em gap
    Broadsheet puts between Han and Latin."""
    w = 0.0
    prev = None
    for ch in text:
        if ch in COMPRESSIBLE:
            w += PUNCT_EM
        elif ch == " ":
            w += 0.25
        elif ch == "—":
            w += 0.9
        elif _is_latin(ch):
            w += 0.55
        else:
            w += 1.0
        cur = _is_latin(ch)
        if prev is not None and ch != " " and cur != prev:
            w += 0.25
        prev = None if ch == " " else cur
    return w


def text_lines(text: str, chars_per_line: float, indent_em: float) -> int:
    return max(1, math.ceil((indent_em + em_width(text)) / chars_per_line - 1e-9))


# --------------------------------------------------------------------------------------------------
# The edition plan


@dataclass
class Part:
    page: int
    slot: str
    kind: str  # "article" | "continue"
    head_lines: int = 0  # grid lines of the headline block (incl. byline)
    capacity: int = 0  # body lines (jump lines excluded)
    # tool ("typst", "html") → this module's text as [(paragraph, indented)]
    split: dict[str, list[tuple[str, bool]]] = field(default_factory=dict)
    jump: str | None = None  # "to"/"from" line text written into this part
    rect: tuple[int, int, int, int] | None = None  # (col, cols, line, lines) where not a SLOTS slot


def slot_rect(part: Part) -> tuple[int, int, int, int]:
    """(col, cols, line, lines) of a part's module: its own rectangle (the reference edition's
    modules) or its slot's."""
    return part.rect or SLOTS[part.slot]


@dataclass
class Story:
    id: str
    ref: RefStory
    headline_size: float | None
    parts: list[Part]
    paragraphs: list[str] = field(default_factory=list)  # as in the spec (ASCII punctuation)


def headline_block_lines(ref: RefStory, width: float, geo: Geometry, styles: dict,
                         headline_size: float | None, continued: bool) -> tuple[int, int]:
    """(display lines of the block in grid lines, byline lines): furniture.headline_block, estimated."""
    display = []
    if continued:
        if ref.headline:
            display.append((ref.headline, styles["continued_headline"]))
    else:
        for text, size in ((ref.kicker, styles["kicker"]), (ref.headline, headline_size or styles["headline"]),
                           (ref.subtitle, styles["subtitle"])):
            if text:
                display.append((text, size))
    lines = 0
    if display:
        y = BLOCK_PAD * geo.leading
        for k, (text, size) in enumerate(display):
            y += 0.25 * size if k else 0.0
            n = math.ceil(em_width(fullwidth(text)) * size / width - 1e-9)
            y += n * size * HEADLINE_LINE_HEIGHT
        lines = math.ceil((y + BLOCK_PAD * geo.leading) / geo.leading - 1e-6)
    by = 0
    if ref.byline and not continued:
        size = styles["byline"]
        by = math.ceil((geo.indent + em_width(fullwidth(ref.byline)) * size) / width - 1e-9)
    return lines, by


def styles_pt(data: dict, geo: Geometry) -> dict:
    st = data["styles"]
    get = lambda name, default: _length(st.get(name, {}).get("size", default), geo.body_size)  # noqa: E731
    headline = get("headline", "20pt")
    return {"kicker": get("kicker", "12pt"), "headline": headline, "subtitle": get("subtitle", "12pt"),
            "byline": get("byline", f"{geo.body_size}pt"),
            # Broadsheet's derived default (layout/spec.py): 14.4 pt for the reference.
            "continued_headline": round(max(1.6 * geo.body_size, 0.6 * headline), 2)}


def plan_edition(pages: int, geo: Geometry, refs: list[RefStory], styles: dict) -> list[Story]:
    stories: list[Story] = []
    pending: dict[str, Story] = {}  # continuation slot on this page → story
    for p in range(1, pages + 1):
        here: dict[str, Story] = {}
        for slot in ("A", "B"):
            n = len(stories)
            story = Story(f"p{p:02d}{slot.lower()}_{refs[n % len(refs)].id}", refs[n % len(refs)],
                          LEAD_HEADLINE if slot == "A" else None, [Part(p, slot, "article")])
            if p < pages:
                here[CONTINUES_IN[slot]] = story
            stories.append(story)
        for slot in ("C", "D"):
            if p == 1:
                n = len(stories)
                stories.append(Story(f"p{p:02d}{slot.lower()}_{refs[n % len(refs)].id}",
                                     refs[n % len(refs)], None, [Part(p, slot, "article")]))
            else:
                pending[slot].parts.append(Part(p, slot, "continue"))
        pending = here
    for story in stories:
        for k, part in enumerate(story.parts):
            _col, cols, _line, lines = slot_rect(part)
            disp, by = headline_block_lines(story.ref, geo.span(cols), geo, styles,
                                            story.headline_size if k == 0 else None, k > 0)
            part.head_lines = disp + by
            jumps = (k > 0) + (k + 1 < len(story.parts))
            part.capacity = cols * (lines - part.head_lines) - jumps
    return stories


def _all_paragraphs(refs: list[RefStory]) -> tuple[list[str], dict[str, int]]:
    paras, start = [], {}
    for r in refs:
        start[r.id] = len(paras)
        paras.extend(r.paragraphs)
    return paras, start


def _cut(paragraph: str, room_lines: int, geo: Geometry, indent_em: float) -> str | None:
    """The longest head of the paragraph that ends a sentence and fits `room_lines` lines."""
    best = None
    for m in re.finditer(r"[。！？!?]”?", paragraph):
        head = paragraph[:m.end()]
        if text_lines(fullwidth(head), geo.chars_per_line, indent_em) <= room_lines:
            best = head
        else:
            break
    return best


_OPEN, _CLOSE = "（(“‘《「『", "）)”’》」』"


def vary(paragraph: str, k: int) -> str:
    """The k-th reuse of a reference paragraph, made a different paragraph with the same characters:
    its clauses (split after ，；。！？ outside brackets and quotes) rotated by k, the punctuation
    staying in place. So no two paragraphs of an edition are the same text (a composition cache keyed
    on the paragraph cannot make the benchmark faster than a real edition), while the length, the
    character mix and the line count stay those of the reference."""
    if k == 0:
        return paragraph
    bodies, puncts, cur, depth = [], [], [], 0
    for ch in paragraph:
        if ch in _OPEN:
            depth += 1
        elif ch in _CLOSE:
            depth = max(0, depth - 1)
        if depth == 0 and ch in "，；。！？,;":
            bodies.append("".join(cur))
            puncts.append(ch)
            cur = []
        else:
            cur.append(ch)
    if cur:
        bodies.append("".join(cur))
        puncts.append("")
    n = len(bodies)
    if n < 2:
        return paragraph
    # the k-th permutation of the clauses other than the identity (factorial number system)
    k = k % (math.factorial(n) - 1) + 1 if n < 13 else k
    pool, order = list(range(n)), []
    for m in range(n, 0, -1):
        f = math.factorial(m - 1)
        order.append(pool.pop((k // f) % m))
        k %= f
    return "".join(bodies[j] + p for j, p in zip(order, puncts))


def fill_story(story: Story, geo: Geometry, paras: list[str], start: int, uses: dict[int, int]) -> None:
    """Body text for the story: paragraphs of the reference, from the story's own onwards, cyclically,
    until the estimated lines fill its modules (the last one to FILL). `uses` counts the reuses of
    each reference paragraph in the edition (see `vary`)."""
    caps = [p.capacity for p in story.parts]
    target = sum(caps[:-1]) + math.floor(caps[-1] * FILL)
    indent_em = geo.indent / geo.body_size
    used, i = 0, start
    body: list[str] = []
    while True:
        idx = i % len(paras)
        para = vary(paras[idx], uses.get(idx, 0))
        uses[idx] = uses.get(idx, 0) + 1
        n = text_lines(fullwidth(para), geo.chars_per_line, indent_em)
        if used + n > target:
            head = _cut(para, target - used, geo, indent_em)
            if head:
                body.append(head)
            break
        body.append(para)
        used += n
        i += 1
    story.paragraphs = body


def split_story(story: Story, geo: Geometry, jumps: dict, tool: str) -> None:
    """Typst/WeasyPrint text of each module: the story's paragraphs cut where the estimate fills the
    opening module, with the jump lines Broadsheet would write."""
    indent_em = geo.indent / geo.body_size
    cpl = geo.chars_per_line
    queue = [(fullwidth(p), True) for p in story.paragraphs]
    for k, part in enumerate(story.parts):
        last = k + 1 == len(story.parts)
        if k > 0:
            part.jump = jumps["from"].replace("{page}", chinese_numeral(story.parts[k - 1].page))
        if last:
            part.split[tool], queue = queue, []
            break
        part.jump = jumps["to"].replace("{page}", chinese_numeral(story.parts[k + 1].page))
        cols = slot_rect(part)[1]
        room = math.floor(part.capacity / LINE_FACTOR[tool]) - math.ceil(SPLIT_MARGIN_PER_COLUMN * cols)
        taken: list[tuple[str, bool]] = []
        while queue:
            text, indented = queue[0]
            ind = indent_em if indented else 0.0
            n = text_lines(text, cpl, ind)
            if n <= room:
                taken.append(queue.pop(0))
                room -= n
                continue
            if room > 0:
                limit = room * cpl - ind
                w, cut = 0.0, 0
                for j, ch in enumerate(text):
                    w += em_width(ch)
                    if w > limit:
                        break
                    cut = j + 1
                while cut > 0 and _is_latin(text[cut - 1]) and cut < len(text) and _is_latin(text[cut]):
                    cut -= 1  # never inside a number or word
                if cut > 0:
                    taken.append((text[:cut], indented))
                    queue[0] = (text[cut:], False)
            break
        part.split[tool] = taken


_DIGITS = "零一二三四五六七八九"


def chinese_numeral(n: int) -> str:
    if n < 10:
        return _DIGITS[n]
    if n < 20:
        return "十" + (_DIGITS[n % 10] if n % 10 else "")
    return _DIGITS[n // 10] + "十" + (_DIGITS[n % 10] if n % 10 else "")


# --------------------------------------------------------------------------------------------------
# Writers


def _q(text: str) -> str:
    """A YAML double-quoted scalar (JSON strings are YAML)."""
    return json.dumps(text, ensure_ascii=False)


def write_spec(stories: list[Story], pages: int, data: dict) -> str:
    out = [
        f"# Benchmark edition: {pages} pages of the reference stories (benchmarks/generate.py; generated,",
        "# do not edit). Format, fonts and styles are the reference edition's.",
        "spec_version: 1",
        "",
        "paper:",
    ]
    out += [f"  {k}: {_q(str(v))}" for k, v in data["paper"].items()]
    issue = data["issue"]
    out += ["", "issue:", f"  date: {issue['date']}", f"  number: {issue['number']}",
            f"  pages_total: {pages}", ""]
    ref_text = REFERENCE.read_text(encoding="utf-8")
    # format, fonts, styles, typography and jumps exactly as the reference writes them
    m = re.search(r"^format:.*?(?=^pages:)", ref_text, re.S | re.M)
    out.append(m.group(0).rstrip())
    out += ["", "pages:"]
    by_page: dict[int, list[tuple[Part, Story]]] = {}
    for s in stories:
        for part in s.parts:
            by_page.setdefault(part.page, []).append((part, s))
    for p in range(1, pages + 1):
        out += [f"  - number: {p}", "    section: 要闻", "    modules:"]
        for part, s in sorted(by_page[p], key=lambda ps: ps[0].slot):
            col, cols, line, lines = slot_rect(part)
            extra = f", headline_size: {s.headline_size:g}pt" if part.kind == "article" and s.headline_size else ""
            out.append(f"      - {{{part.kind}: {s.id}, col: {col}, line: {line}, cols: {cols}, "
                       f"lines: {lines}{extra}}}")
    out += ["", "articles:"]
    for s in stories:
        out.append(f"  {s.id}:")
        for key in ("kicker", "headline", "subtitle", "byline"):
            value = getattr(s.ref, key)
            if value:
                out.append(f"    {key}: {_q(value)}")
        out.append("    body: |")
        for k, para in enumerate(s.paragraphs):
            if k:
                out.append("")
            out.append("      " + para)
    return "\n".join(out) + "\n"


def _typ_str(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


def _page_header_text(data: dict) -> tuple[str, str]:
    d = data["issue"]["date"]
    wd = "星期" + "一二三四五六日"[d.weekday()]
    return "要闻", f"{data['paper']['name']}　{d.year}年{d.month}月{d.day}日　{wd}"


def _typ_preamble(geo: Geometry, data: dict, *, page_columns: int | None = None) -> list[str]:
    section, inner = _page_header_text(data)
    cols = f", columns: {page_columns}" if page_columns else ""
    return [
        "// Generated by benchmarks/generate.py: the benchmark edition for Typst. Do not edit.",
        f"#set page(width: {geo.trim_w:.3f}pt, height: {geo.trim_h:.3f}pt, margin: (top: {geo.top:.3f}pt, "
        f"bottom: {geo.bottom:.3f}pt, inside: {geo.inside:.3f}pt, outside: {geo.outside:.3f}pt){cols},",
        "  header: context {",
        "    let n = counter(page).get().first()",
        "    if n > 1 {",
        "      set text(size: 10.5pt)",
        f"      grid(columns: (1fr, 1fr), [第#(n)版　{section}], align(right)[{inner}])",
        "      v(-6pt)",
        "      line(length: 100%, stroke: 0.75pt)",
        "    }",
        "  })",
        f"#set columns(gutter: {geo.gutter:g}pt)",
        f'#set text(font: "{SONG}", size: {geo.body_size:g}pt, lang: "zh", region: "cn", '
        "top-edge: 0.88em, bottom-edge: -0.12em)",
        f"#set par(leading: {geo.leading - geo.body_size:g}pt, spacing: {geo.leading - geo.body_size:g}pt, "
        f"justify: true, first-line-indent: (amount: {geo.indent / geo.body_size:g}em, all: true))",
        f'#let hei(size, body) = text(font: "{HEI}", weight: "bold", size: size, body)',
        f'#let kai(size, body) = text(font: "{KAI}", size: size, body)',
        "#let song(size, body) = text(size: size, body)",
    ]


def _typ_display(s: Story, k: int, styles: dict) -> list[str]:
    """The centred display lines of a headline block, as Typst content."""
    items = []
    if k > 0:
        if s.ref.headline:
            items.append(("hei", styles["continued_headline"], s.ref.headline))
    else:
        for font, text, size in (("song", s.ref.kicker, styles["kicker"]),
                                 ("hei", s.ref.headline, s.headline_size or styles["headline"]),
                                 ("kai", s.ref.subtitle, styles["subtitle"])):
            if text:
                items.append((font, size, text))
    out = []
    for n, (font, size, text) in enumerate(items):
        gap = f"#v({0.25 * size:g}pt)" if n else ""
        out.append(f"{gap}#par(first-line-indent: 0pt, justify: false, leading: {0.25 * size:g}pt)"
                   f"[#{font}({size:g}pt, {_typ_str(fullwidth(text))})]")
    return out


def write_typst(stories: list[Story], pages: int, geo: Geometry, data: dict, styles: dict,
                extras: dict[int, list[str]] | None = None) -> str:
    """The pages as Typst source; `extras` adds Typst lines to a page (the reference edition's
    masthead, index and pictures)."""
    out = _typ_preamble(geo, data)
    by_page: dict[int, list[tuple[int, Part, Story]]] = {}
    for s in stories:
        for k, part in enumerate(s.parts):
            by_page.setdefault(part.page, []).append((k, part, s))
    for p in range(1, pages + 1):
        if p > 1:
            out.append("#pagebreak()")
        for k, part, s in sorted(by_page[p], key=lambda t: t[1].slot):
            col, cols, line, lines = slot_rect(part)
            x, y, w = geo.x(col), geo.y(line), geo.span(cols)
            disp, by = headline_block_lines(s.ref, w, geo, styles, s.headline_size if k == 0 else None, k > 0)
            body_h = (lines - part.head_lines) * geo.leading
            out.append(f"#place(top + left, dx: {x:.3f}pt, dy: {y:.3f}pt, block(width: {w:.3f}pt, "
                       f"height: {lines * geo.leading:.3f}pt, spacing: 0pt)[")
            if disp:
                out.append(f"  #block(width: 100%, height: {disp * geo.leading:.3f}pt, spacing: 0pt, "
                           "align(center + horizon)[")
                out += ["    " + line for line in _typ_display(s, k, styles)]
                out.append("  ])")
            if by:
                out.append(f"  #block(width: 100%, height: {by * geo.leading:.3f}pt, spacing: 0pt)"
                           f"[#par(justify: false)[#kai({styles['byline']:g}pt, {_typ_str(fullwidth(s.ref.byline))})]]")
            out.append(f"  #block(width: 100%, height: {body_h:.3f}pt, spacing: 0pt, "
                       f"columns({cols})[")
            if part.jump and k > 0:
                out.append(f"    #par(first-line-indent: 0pt)[#{_typ_str(part.jump)}]")
                out.append("")
            for text, indented in part.split["typst"]:
                if indented:
                    out.append(f"    #{_typ_str(text)}")
                else:
                    out.append(f"    #par(first-line-indent: 0pt)[#{_typ_str(text)}]")
                out.append("")
            if part.jump and k + 1 < len(s.parts):
                out.append(f"    #align(right, par(first-line-indent: 0pt)[#{_typ_str(part.jump)}])")
            out.append("  ])")
            # column rules in the gutters of the body area
            for c in range(1, cols):
                gx = x + c * (geo.column_w + geo.gutter) - geo.gutter / 2
                out.append(f"  #place(top + left, dx: {gx - x:.3f}pt, dy: {part.head_lines * geo.leading:.3f}pt, "
                           f"line(length: {body_h:.3f}pt, angle: 90deg, stroke: 0.3pt))")
            out.append("])")
        out += (extras or {}).get(p, [])
    return "\n".join(out) + "\n"


def write_typst_flow(stories: list[Story], geo: Geometry, data: dict, styles: dict) -> str:
    out = _typ_preamble(geo, data, page_columns=geo.columns)
    for s in stories:
        out.append(f"#block(width: 100%, spacing: {geo.leading - geo.body_size:g}pt, above: {geo.leading:g}pt)[")
        out += ["  " + line for line in _typ_display(s, 0, styles)]
        out.append("]")
        if s.ref.byline:
            out.append(f"#par(justify: false)[#kai({styles['byline']:g}pt, {_typ_str(fullwidth(s.ref.byline))})]")
            out.append("")
        for para in s.paragraphs:
            out.append(f"#{_typ_str(fullwidth(para))}")
            out.append("")
    return "\n".join(out) + "\n"


def _css(geo: Geometry, data: dict, styles: dict, *, flow: bool) -> str:
    section, inner = _page_header_text(data)
    mm = lambda v: f"{v:.3f}pt"  # noqa: E731
    lead = geo.leading
    rules = [
        f"@page {{ size: {mm(geo.trim_w)} {mm(geo.trim_h)}; "
        f"margin: {mm(geo.top)} {mm(geo.outside)} {mm(geo.bottom)} {mm(geo.inside)};",
        f"  @top-left {{ content: \"第\" counter(page) \"版　{section}\"; font: 10.5pt \"{SONG}\"; "
        "vertical-align: bottom; border-bottom: 0.75pt solid black; padding-bottom: 3pt; }",
        f"  @top-right {{ content: \"{inner}\"; font: 10.5pt \"{SONG}\"; vertical-align: bottom; "
        "border-bottom: 0.75pt solid black; padding-bottom: 3pt; } }",
        "@page :first { @top-left { content: none; border: none } @top-right { content: none; border: none } }",
        f"html {{ font-family: \"{SONG}\"; font-size: {geo.body_size:g}pt; line-height: {lead:g}pt; }}",
        "body { margin: 0; }",
        f"p {{ margin: 0; text-indent: {geo.indent / geo.body_size:g}em; text-align: justify; "
        "orphans: 1; widows: 1; }",
        "p.cont { text-indent: 0; }",
        "p.jump-to { text-indent: 0; text-align: right; }",
        "p.jump-from { text-indent: 0; text-align: left; }",
        ".d { text-align: center; text-indent: 0; margin: 0; }",
        f".kicker {{ font-size: {styles['kicker']:g}pt; line-height: {styles['kicker'] * 1.25:g}pt; }}",
        f".sub {{ font-family: \"{KAI}\"; font-size: {styles['subtitle']:g}pt; "
        f"line-height: {styles['subtitle'] * 1.25:g}pt; }}",
        f".hl {{ font-family: \"{HEI}\"; font-weight: bold; }}",
        f".by {{ font-family: \"{KAI}\"; font-size: {styles['byline']:g}pt; text-align: left; }}",
    ]
    if flow:
        rules += [f"body {{ column-count: {geo.columns}; column-gap: {geo.gutter:g}pt; "
                  "column-fill: auto; }",
                  f".head {{ margin-top: {lead:g}pt; }}"]
    else:
        rules += [f".page {{ position: relative; height: {geo.lines * lead:.3f}pt; }}",
                  ".page + .page { break-before: page; }",
                  ".m { position: absolute; }",
                  ".head { overflow: hidden; }",
                  f".body {{ column-gap: {geo.gutter:g}pt; column-fill: auto; "
                  "column-rule: 0.3pt solid black; }"]
    return "\n".join(rules)


def _html_display(s: Story, k: int, styles: dict, width: float) -> tuple[list[str], float]:
    """Display lines as HTML, and their height (estimated lines × 1.25 size + gaps) for centring."""
    items = []
    if k > 0:
        if s.ref.headline:
            items.append(("hl", styles["continued_headline"], s.ref.headline))
    else:
        for cls, text, size in (("kicker", s.ref.kicker, styles["kicker"]),
                                ("hl", s.ref.headline, s.headline_size or styles["headline"]),
                                ("sub", s.ref.subtitle, styles["subtitle"])):
            if text:
                items.append((cls, size, text))
    out, height = [], 0.0
    for n, (cls, size, text) in enumerate(items):
        gap = 0.25 * size if n else 0.0
        out.append(f'<p class="d {cls}" style="font-size: {size:g}pt; line-height: {1.25 * size:g}pt; '
                   f'margin-top: {gap:g}pt">{html.escape(fullwidth(text))}</p>')
        lines = max(1, math.ceil(em_width(fullwidth(text)) * size / width - 1e-9))
        height += gap + lines * size * 1.25
    return out, height


def write_html(stories: list[Story], pages: int, geo: Geometry, data: dict, styles: dict) -> str:
    out = ["<!doctype html>", '<html lang="zh-CN"><head><meta charset="utf-8">',
           "<title>Benchmark edition</title>",
           "<!-- Generated by benchmarks/generate.py: the benchmark edition for WeasyPrint. -->",
           "<style>", _css(geo, data, styles, flow=False), "</style></head><body>"]
    by_page: dict[int, list[tuple[int, Part, Story]]] = {}
    for s in stories:
        for k, part in enumerate(s.parts):
            by_page.setdefault(part.page, []).append((k, part, s))
    for p in range(1, pages + 1):
        out.append(f'<div class="page" id="p{p}">')
        for k, part, s in sorted(by_page[p], key=lambda t: t[1].slot):
            col, cols, line, lines = slot_rect(part)
            x, y, w = geo.x(col), geo.y(line), geo.span(cols)
            disp, by = headline_block_lines(s.ref, w, geo, styles, s.headline_size if k == 0 else None, k > 0)
            out.append(f'<div class="m" style="left: {x:.3f}pt; top: {y:.3f}pt; width: {w:.3f}pt; '
                       f'height: {lines * geo.leading:.3f}pt">')
            if disp:
                lines_html, h = _html_display(s, k, styles, w)
                # how many display lines the estimate gave: the rest of the block is padding
                pad = max(0.0, (disp * geo.leading - h) / 2)
                out.append(f'<div class="head" style="height: {disp * geo.leading:.3f}pt; '
                           f'padding-top: {pad:.3f}pt; box-sizing: border-box">')
                out += lines_html
                out.append("</div>")
            if by:
                out.append(f'<p class="by" style="height: {by * geo.leading:.3f}pt">'
                           f"{html.escape(fullwidth(s.ref.byline))}</p>")
            body_h = (lines - part.head_lines) * geo.leading
            out.append(f'<div class="body" style="column-count: {cols}; height: {body_h:.3f}pt">')
            if part.jump and k > 0:
                out.append(f'<p class="jump-from">{html.escape(part.jump)}</p>')
            for text, indented in part.split["html"]:
                cls = "" if indented else ' class="cont"'
                out.append(f"<p{cls}>{html.escape(text)}</p>")
            if part.jump and k + 1 < len(s.parts):
                out.append(f'<p class="jump-to">{html.escape(part.jump)}</p>')
            out.append("</div></div>")
        out.append("</div>")
    out.append("</body></html>")
    return "\n".join(out) + "\n"


def write_html_flow(stories: list[Story], geo: Geometry, data: dict, styles: dict) -> str:
    out = ["<!doctype html>", '<html lang="zh-CN"><head><meta charset="utf-8">',
           "<title>Benchmark edition (flow)</title>",
           "<style>", _css(geo, data, styles, flow=True), "</style></head><body>"]
    for s in stories:
        lines_html, _ = _html_display(s, 0, styles, geo.column_w)
        out.append('<div class="head">')
        out += lines_html
        out.append("</div>")
        if s.ref.byline:
            out.append(f'<p class="by">{html.escape(fullwidth(s.ref.byline))}</p>')
        out += [f"<p>{html.escape(fullwidth(p))}</p>" for p in s.paragraphs]
    out.append("</body></html>")
    return "\n".join(out) + "\n"


# --------------------------------------------------------------------------------------------------


def _count(text: str) -> int:
    """Characters that are set (no spaces)."""
    return sum(1 for ch in text if not ch.isspace())


def build(name: str, pages: int, out_dir: Path = OUT) -> dict:
    data, geo, refs = load_reference()
    styles = styles_pt(data, geo)
    paras, start = _all_paragraphs(refs)
    stories = plan_edition(pages, geo, refs, styles)
    uses: dict[int, int] = {}
    for s in stories:
        fill_story(s, geo, paras, start[s.ref.id], uses)
        for tool in LINE_FACTOR:
            split_story(s, geo, data.get("jumps") or {"to": "（下转第{page}版）", "from": "（上接第{page}版）"}, tool)
    out_dir.mkdir(parents=True, exist_ok=True)
    files = {
        "spec": (f"{name}.yaml", write_spec(stories, pages, data)),
        "typst": (f"{name}.typ", write_typst(stories, pages, geo, data, styles)),
        "html": (f"{name}.html", write_html(stories, pages, geo, data, styles)),
        "typst_flow": (f"{name}-flow.typ", write_typst_flow(stories, geo, data, styles)),
        "html_flow": (f"{name}-flow.html", write_html_flow(stories, geo, data, styles)),
    }
    for fname, text in files.values():
        path = out_dir / fname
        if not path.exists() or path.read_text(encoding="utf-8") != text:
            path.write_text(text, encoding="utf-8")
    body_chars = sum(_count(p) for s in stories for p in s.paragraphs)
    head_chars = sum(_count(t or "") for s in stories
                     for t in (s.ref.kicker, s.ref.headline, s.ref.subtitle, s.ref.byline))
    return {
        "pages": pages, "stories": len(stories),
        "jumping_stories": sum(len(s.parts) > 1 for s in stories),
        "paragraphs": sum(len(s.paragraphs) for s in stories),
        "distinct_paragraphs": len({p for s in stories for p in s.paragraphs}),
        "distinct_share_of_chars": round(sum(len(p) for p in {p for s in stories for p in s.paragraphs})
                                         / max(1, sum(len(p) for s in stories for p in s.paragraphs)), 3),
        "body_chars": body_chars, "headline_chars": head_chars,
        "files": {k: str((out_dir / f).relative_to(ROOT)) for k, (f, _) in files.items()},
        "estimate": {s.id: {"lines": sum(text_lines(fullwidth(p), geo.chars_per_line,
                                                    geo.indent / geo.body_size) for p in s.paragraphs),
                            "capacity": [pt.capacity for pt in s.parts],
                            "head_lines": [pt.head_lines for pt in s.parts]} for s in stories},
    }


def generate(out_dir: Path = OUT) -> dict:
    manifest = {name: build(name, pages, out_dir) for name, pages in EDITIONS.items()}
    from .reference import write_reference

    write_reference(out_dir)  # the reference edition's text for Typst (not an edition of the manifest)
    text = json.dumps(manifest, ensure_ascii=False, indent=1, sort_keys=True) + "\n"
    path = out_dir / "manifest.json"
    if not path.exists() or path.read_text(encoding="utf-8") != text:
        path.write_text(text, encoding="utf-8")
    return manifest


def check(manifest: dict) -> int:
    """Compare the estimate with Broadsheet's composition: headline blocks, lines, fill, overset."""
    sys.path.insert(0, str(ROOT))
    from layout.pages.furniture import headline_block
    from layout.model.grid import page_grid
    from layout.pages.planner import compose_story, plan_issue
    from layout.desk.render import shared_fontbook
    from layout.spec.load import load_issue
    from layout.pages.typeset import Setter
    from layout.flow.jumps import story_chains

    bad = 0
    for name, info in manifest.items():
        issue = load_issue(ROOT / info["files"]["spec"])
        fb = shared_fontbook()
        plan = plan_issue(issue, fb)
        setter = Setter({r: fb.face(n) for r, n in issue.fonts.items()}, issue.styles, issue.typography)
        grid = page_grid(issue.format, issue.styles["body"].leading, 1)
        chains = story_chains(issue)
        est_total = real_total = 0
        worst_fill = 1.0
        for fit in plan.fits:
            est = info["estimate"][fit.story]
            art = issue.articles[fit.story]
            heads = []
            for k, (page, m) in enumerate(chains[fit.story]):
                block = headline_block(setter, art, grid.module_rect(m), grid, art.id,
                                       headline_size=m.headline_size, continued=k > 0)
                heads.append(block.lines)
            if heads != est["head_lines"]:
                print(f"{name}: {fit.story}: headline block lines {heads}, estimated {est['head_lines']}")
                bad += 1
            real = len(compose_story(setter, art, grid.column_width))
            est_total += est["lines"]
            real_total += real
            if fit.overset_chars:
                print(f"{name}: {fit.story}: OVERSET by {fit.overset_lines} lines")
                bad += 1
            avail = sum(a for _, a, _ in fit.modules)
            used = sum(u for _, _, u in fit.modules)
            worst_fill = min(worst_fill, used / avail)
        print(f"{name}: {len(plan.pages)} pages, {len(plan.fits)} stories; body lines estimated "
              f"{est_total}, composed {real_total} ({real_total / est_total - 1:+.1%}); lowest fill of a "
              f"story's modules {worst_fill:.0%}; overset: {len(plan.overset)}")
    return 1 if bad else 0


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="python -m benchmarks.generate", description=__doc__.split("\n")[0])
    ap.add_argument("--check", action="store_true",
                    help="also compare the estimate with Broadsheet's composition (needs the package)")
    args = ap.parse_args(argv)
    manifest = generate()
    for name, info in manifest.items():
        print(f"{name}: {info['pages']} pages, {info['stories']} stories ({info['jumping_stories']} jump), "
              f"{info['body_chars']:,} body characters -> {', '.join(info['files'].values())}")
    return check(manifest) if args.check else 0


if __name__ == "__main__":
    sys.exit(main())
