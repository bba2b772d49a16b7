"""`broadsheet new`: a starter spec that renders as written — masthead, one page, two stories of filler
text and a picture module with a generated placeholder — for a broadsheet, berliner or tabloid page,
in Simplified or Traditional Chinese.

The page is laid out with the grid arithmetic of format v1 (conventions 1–3), then the filler text of
each story is lengthened or shortened, sentence by sentence, until the planner sets it `FILL_LOW`–
`FILL_HIGH` of its module: the starter looks like a page, and every number in it is one a renderer
accepts. Nothing is written until it is planned: the spec goes to a temporary file beside the target
and is renamed at the end.
"""
from __future__ import annotations

import datetime as dt
import math
import os
import tempfile
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import Callable

import click

from ..util.atomic import write_atomically
from ..util.units import PT_PER_MM
from .stacks import CAPTION_GAP
from .starter_content import FORMATS, LANGS, SCRIPTS, PaperFormat, Script, Story

BODY_PT, LEADING_PT, GUTTER_EM = 9.0, 11.5, 1  # 小五号 on an 11.5 pt grid, as the reference edition
FILL_LOW, FILL_HIGH, FILL_AIM = 0.93, 0.99, 0.965  # inside the 92–100 % a desk calls full
MAX_PLANS = 14
MIN_COLUMN_EM = 6  # narrower columns set too loosely to be a starter


class StarterError(Exception):
    """A starter that cannot be written (the file exists, the grid is impossible)."""

    def __init__(self, message: str, hint: str | None = None):
        super().__init__(message)
        self.message, self.hint = message, hint

    def __str__(self) -> str:
        return self.message + (f"\n  {self.hint}" if self.hint else "")


# --------------------------------------------------------------------------------------------------
# The page: grid arithmetic of format v1 on the starter's format


@dataclass(frozen=True)
class Box:
    kind: str  # masthead, article, image
    ref: str | None
    col: int
    line: int
    cols: int
    lines: int
    headline_size: int | None = None


@dataclass(frozen=True)
class PageLayout:
    lines: int  # grid lines of the page
    column_width: float  # pt
    boxes: tuple[Box, ...]
    picture: tuple[float, float]  # the picture area of the image module, pt

    def box(self, ref: str) -> Box:
        return next(b for b in self.boxes if b.ref == ref)


def grid_lines(fmt: PaperFormat) -> int:
    """Convention 3, with the same epsilon as layout.grid.lines_per_page."""
    return math.floor((fmt.height - fmt.top - fmt.bottom) * PT_PER_MM / LEADING_PT + 1e-9)


def column_width(fmt: PaperFormat, columns: int) -> float:
    """Convention 2, in pt (gutter 1 em of the body)."""
    gutter = GUTTER_EM * BODY_PT
    return ((fmt.width - fmt.inside - fmt.outside) * PT_PER_MM - (columns - 1) * gutter) / columns


def lay_out(fmt: PaperFormat, columns: int) -> PageLayout:
    """Masthead across the top; under it the lead story on the left three fifths with its picture
    above it, the second story down the rest."""
    width = column_width(fmt, columns)
    if columns < 2 or width < MIN_COLUMN_EM * BODY_PT:
        measure = (fmt.width - fmt.inside - fmt.outside) * PT_PER_MM
        widest = math.floor((measure + GUTTER_EM * BODY_PT)
                            / ((MIN_COLUMN_EM + GUTTER_EM) * BODY_PT))
        raise StarterError(f"--columns {columns}: a {fmt.name} page takes 2 to {widest} columns",
                           f"columns narrower than {MIN_COLUMN_EM} characters do not set well; "
                           f"the default is {fmt.columns}")
    lines = grid_lines(fmt)
    lead_cols = max(1, min(columns - 1, round(columns * 0.6)))
    span = lead_cols * width + (lead_cols - 1) * GUTTER_EM * BODY_PT
    top = fmt.masthead_lines + 1
    picture_lines = max(6, round(span / 1.5 / LEADING_PT))  # a 3:2 landscape picture
    image_lines = picture_lines + 1  # and one line of caption
    picture = (span, (image_lines - 1 - CAPTION_GAP) * LEADING_PT)
    lead_line = top + image_lines
    boxes = (
        Box("masthead", None, 1, 1, columns, fmt.masthead_lines),
        Box("image", "photo", 1, top, lead_cols, image_lines),
        Box("article", "lead", 1, lead_line, lead_cols, lines - lead_line + 1, fmt.lead_headline_pt),
        Box("article", "second", lead_cols + 1, top, columns - lead_cols, lines - top + 1),
    )
    return PageLayout(lines, width, boxes, picture)


# --------------------------------------------------------------------------------------------------
# Filler text


def filler(story: Story, count: int) -> list[str]:
    """`count` sentences of the story's pool as paragraphs of 2–4 sentences, the first opened by the
    dateline. Past the end of the pool the sentences come round again in another order, so that
    long modules do not repeat whole paragraphs."""
    pool = story.sentences
    order: list[str] = []
    rnd = 0
    while len(order) < count:
        step = (5, 7, 3, 11)[rnd % 4] if rnd else 1  # steps prime to the pool sizes (16, 24)
        order.extend(pool[(i * step + rnd) % len(pool)] for i in range(len(pool)))
        rnd += 1
    order = order[:max(1, count)]
    sizes = (3, 2, 4, 3, 2, 3)
    paragraphs, i, k = [], 0, 0
    while i < len(order):
        paragraphs.append("".join(order[i:i + sizes[k % len(sizes)]]))
        i += sizes[k % len(sizes)]
        k += 1
    paragraphs[0] = story.opening + paragraphs[0]
    return paragraphs


def first_guess(story: Story, box: Box, column_width_pt: float) -> int:
    """Sentences to fill the module about FILL_AIM full, by characters per line (headline block
    guessed at a fifth of the module)."""
    per_line = column_width_pt / BODY_PT
    slots = box.cols * box.lines * 0.85 * FILL_AIM
    mean = sum(map(len, story.sentences)) / len(story.sentences)
    return max(2, round(slots * per_line * 0.88 / mean))


# --------------------------------------------------------------------------------------------------
# The spec text


def _q(text: str) -> str:
    return f'"{text}"' if any(c in text for c in ":#{}[],&*!|>'\"%@`") else text


def schema_line(folder: Path) -> str:
    """The yaml-language-server line, pointing at the package's schema relative to the spec's folder
    (as issue_specs/ do); absolute where no relative path exists (another drive)."""
    schema = Path(str(resources.files("layout").joinpath("spec.schema.json"))).resolve()
    try:
        target = os.path.relpath(schema, folder.resolve())
    except ValueError:
        target = schema.as_uri()
    return f"# yaml-language-server: $schema={Path(target).as_posix()}"


def spec_text(fmt: PaperFormat, columns: int, script: Script, layout: PageLayout,
              bodies: dict[str, list[str]], image_file: str, schema: str, today: dt.date) -> str:
    out = [*_preamble(fmt, columns, script, layout, schema, today), *_style_lines(script),
           *_page_lines(script, layout, image_file), *_article_lines(script, bodies)]
    return "\n".join(out) + "\n"


def _preamble(fmt: PaperFormat, columns: int, script: Script, layout: PageLayout, schema: str,
              today: dt.date) -> list[str]:
    """The schema line, the comment on what the starter is, paper, issue, format and fonts."""
    pitch = layout.column_width / BODY_PT
    return [
        schema,
        f"# Starter spec written by `broadsheet new`: a {fmt.name} page ({fmt.chinese}, "
        f"{fmt.width:g} × {fmt.height:g} mm) of {columns} columns, in {script.lang}.",
        "# The stories are filler text and the picture a placeholder: replace them with your own,",
        "# then `broadsheet report` shows how full each module is and `broadsheet fit` proposes",
        "# module heights that fill them. Every key is described in docs/spec.md.",
        "spec_version: 1",
        "",
        "paper:",
        *(f"  {k}: {_q(v)}" for k, v in script.paper),
        "",
        "issue:",
        f"  date: {today.isoformat()}",
        "  number: 1",
        "",
        "format:",
        f"  trim: {{width: {fmt.width:g}mm, height: {fmt.height:g}mm}}",
        "  bleed: 3mm",
        f"  margins: {{top: {fmt.top:g}mm, bottom: {fmt.bottom:g}mm, inside: {fmt.inside:g}mm, "
        f"outside: {fmt.outside:g}mm}}",
        f"  columns: {columns:<15} # {columns} columns of {pitch:.1f} characters, {layout.lines} lines",
        "  gutter: 1em",
        "  column_rules: true",
        "",
        "fonts:",
        *(f"  {role}: {face:<26} # {comment}" for role, face, comment in script.fonts),
        "",
    ]


def _style_lines(script: Script) -> list[str]:
    """Styles, typography and the jump lines' words."""
    hans = script.lang == "zh-Hans"
    return [
        "styles:",
        f"  body:     {{font: song, size: {BODY_PT:g}pt, leading: {LEADING_PT:g}pt, indent: 2em}}"
        + ("   # 小五号" if hans else "   # 小五號"),
        "  kicker:   {font: song, size: 12pt}",
        "  headline: {font: hei, size: 20pt}",
        f"  subtitle: {{font: {script.caption_font}, size: 12pt}}",
        f"  byline:   {{font: {script.caption_font}, size: 9pt}}",
        f"  caption:  {{font: {script.caption_font}, size: 8pt}}",
        "",
        "typography:",
        "  fullwidth_punctuation: true   # ,:;()?! beside Chinese text are set full-width",
        "",
        "jumps:                           # for continue: modules on later pages",
        f'  to:   "{script.jump_to}"',
        f'  from: "{script.jump_from}"',
        "  numerals: chinese",
        "",
    ]


def _page_lines(script: Script, layout: PageLayout, image_file: str) -> list[str]:
    return [
        "pages:",
        "  - number: 1",
        f"    section: {script.section}",
        "    modules:",
        *(_module_line(b) for b in layout.boxes),
        "",
        "images:                          # files are relative to this spec",
        f"  photo: {{file: {image_file}, caption: {script.caption}}}",
        "",
    ]


def _article_lines(script: Script, bodies: dict[str, list[str]]) -> list[str]:
    out = ["articles:"]
    for ref, story in (("lead", script.lead), ("second", script.second)):
        out.append(f"  {ref}:")
        for key in ("kicker", "headline", "subtitle", "byline"):
            value = getattr(story, key)
            if value:
                out.append(f"    {key}: {_q(value)}")
        out.append("    body: |")
        for k, para in enumerate(bodies[ref]):
            if k:
                out.append("")
            out.append(f"      {para}")
    return out


def _module_line(b: Box) -> str:
    head = "masthead: true" if b.kind == "masthead" else f"{b.kind}: {b.ref}"
    size = f", headline_size: {b.headline_size}pt" if b.headline_size else ""
    return (f"      - {{{head + ',':<18} col: {b.col},{'':<{2 - len(str(b.col))}} "
            f"line: {str(b.line) + ',':<4} cols: {b.cols},{'':<{2 - len(str(b.cols))}} "
            f"lines: {b.lines}{size}}}")


# --------------------------------------------------------------------------------------------------
# Filling: plan, measure, adjust


Measure = Callable[[Path], dict[str, tuple[int, int]]]  # spec → story → (slots needed, available)


def plan_measure(spec: Path) -> dict[str, tuple[int, int]]:
    """Slots each story needs (overset included) and its module gives, as the planner sets it."""
    from .report import plan_spec

    _, plan = plan_spec(spec)
    return {f.story: (f.modules[0][2] + f.overset_lines, f.modules[0][1]) for f in plan.fits}


def _next_count(count: int, need: int, available: int) -> int:
    """The sentence count that should bring `need` to FILL_AIM of `available`."""
    per_sentence = max(need / max(count, 1), 0.5)
    step = round((FILL_AIM * available - need) / per_sentence)
    return max(1, count + (step or (1 if need < FILL_LOW * available else -1)))


def in_range(need: int, available: int) -> bool:
    return FILL_LOW * available <= need <= FILL_HIGH * available + 1e-9


def fill_stories(write: Callable[[dict[str, list[str]]], Path], script: Script, layout: PageLayout,
                 measure: Measure = plan_measure) -> dict[str, tuple[int, int]]:
    """Adjust each story's sentence count until the planner sets it FILL_LOW–FILL_HIGH full (a
    bounded number of plans; the closest fit that is not overset wins). `write` writes the spec
    for the given bodies and returns its path. Returns the final (need, available) per story."""
    stories = {"lead": script.lead, "second": script.second}
    counts = {ref: first_guess(s, layout.box(ref), layout.column_width) for ref, s in stories.items()}
    best: dict[str, tuple[float, int]] = {}  # story → (distance from the aim, count)
    seen: dict[str, set[int]] = {ref: set() for ref in stories}
    result: dict[str, tuple[int, int]] = {}
    for _ in range(MAX_PLANS):
        result = measure(write({ref: filler(s, counts[ref]) for ref, s in stories.items()}))
        done = True
        for ref in stories:
            need, available = result[ref]
            seen[ref].add(counts[ref])
            score = abs(need / available - FILL_AIM) + (10 if need > available else 0)
            if ref not in best or score < best[ref][0]:
                best[ref] = (score, counts[ref])
            if in_range(need, available):
                continue
            nxt = _next_count(counts[ref], need, available)
            while nxt in seen[ref] and nxt > 1:  # never plan a count twice: step past it
                nxt += 1 if need < FILL_AIM * available else -1
            counts[ref] = nxt
            done = False
        if done:
            return result
    counts = {ref: best[ref][1] for ref in stories}
    return measure(write({ref: filler(s, counts[ref]) for ref, s in stories.items()}))


# --------------------------------------------------------------------------------------------------
# The command's work


@dataclass(frozen=True)
class Written:
    spec: Path
    image: Path
    fills: dict[str, float]  # story → fill %


def target_paths(name: str, folder: Path) -> tuple[Path, Path]:
    """NAME.yaml and NAME-photo.png in `folder` (NAME may carry folders of its own and a .yaml)."""
    path = folder / name
    stem = path.name
    for suffix in (".yaml", ".yml"):
        stem = stem.removesuffix(suffix)
    escapes = ".." in Path(name).parts or Path(name).is_absolute()  # never outside -o's folder
    unprintable = any(not ch.isprintable() for ch in name)  # a name the spec could not hold
    if not name or not stem or stem in (".", "..") or name.endswith(("/", os.sep)) or escapes \
            or unprintable:
        raise StarterError(f"{name!r}: not a spec name", "give a name such as chenbao or "
                           "issues/chenbao (the spec is written as chenbao.yaml)")
    return path.parent / f"{stem}.yaml", path.parent / f"{stem}-photo.png"


def new_spec(name: str, folder: Path, fmt_name: str = "broadsheet", columns: int | None = None,
             lang: str = "zh-Hans", force: bool = False, today: dt.date | None = None,
             measure: Measure = plan_measure) -> Written:
    fmt, script = FORMATS[fmt_name], SCRIPTS[lang]
    columns = columns or fmt.columns
    spec, image = target_paths(name, folder)
    layout = lay_out(fmt, columns)
    if not force:
        for path in (spec, image):
            if path.exists():
                raise StarterError(f"{path}: already exists", "pass --force to overwrite it, or "
                                   "choose another name")
    from .placeholder import write_placeholder  # Pillow: only when a starter is written

    folder = spec.parent
    folder.mkdir(parents=True, exist_ok=True)
    write_placeholder(image, *layout.picture)
    schema = schema_line(folder)
    fd, tmp_name = tempfile.mkstemp(prefix=f".{spec.stem}-", suffix=".yaml", dir=folder)
    os.close(fd)
    tmp = Path(tmp_name)

    def write(bodies: dict[str, list[str]]) -> Path:
        tmp.write_text(spec_text(fmt, columns, script, layout, bodies, image.name, schema,
                                 today or dt.date.today()), encoding="utf-8")
        return tmp

    try:
        result = fill_stories(write, script, layout, measure)
        # Through the project's writer: the spec gets the user's umask, not mkstemp's 0600.
        write_atomically(tmp.read_bytes(), spec)
    finally:
        tmp.unlink(missing_ok=True)
    return Written(spec, image, {ref: round(100 * n / a, 1) for ref, (n, a) in result.items()})


# --------------------------------------------------------------------------------------------------
# The command


@click.command("new")
@click.argument("name")
@click.option("--format", "fmt_name", type=click.Choice(list(FORMATS)), default="broadsheet",
              show_default=True, help="Trim, margins and grid (see docs/desk.md).")
@click.option("--columns", type=click.IntRange(min=1), default=None,
              help="Columns of the grid (default: 8 broadsheet, 6 berliner, 5 tabloid).")
@click.option("--lang", type=click.Choice(list(LANGS)), default="zh-Hans", show_default=True,
              help="Simplified or Traditional Chinese text and faces.")
@click.option("-o", "--dir", "folder", type=click.Path(file_okay=False, path_type=Path),
              default=Path("."), show_default=True, help="Folder for NAME.yaml and its picture.")
@click.option("--force", is_flag=True, help="Overwrite NAME.yaml and NAME-photo.png if they exist.")
def new_command(name: str, fmt_name: str, columns: int | None, lang: str, folder: Path,
                force: bool) -> None:
    """Write the starter spec DIR/NAME.yaml — masthead, one page, two stories of filler text and
    a picture module — with its placeholder picture DIR/NAME-photo.png beside it. It renders as
    written; replace the text and picture with your own. Exit 2 when NAME.yaml exists (--force)."""
    import sys

    from .batch import say_failure

    try:
        written = new_spec(name, folder, fmt_name, columns, lang, force)
    except StarterError as e:
        click.echo(str(e), err=True)
        sys.exit(2)
    except Exception as e:  # noqa: BLE001 - a face that cannot be found, worded as render words it
        sys.exit(say_failure(target_paths(name, folder)[0], e))
    fills = ", ".join(f"{ref} {fill:.0f}%" for ref, fill in written.fills.items())
    click.echo(f"wrote {written.spec} and {written.image.name} ({fills} full)")
    click.echo(f"render it with: broadsheet render {written.spec}")
