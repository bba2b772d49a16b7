"""The keys of a story module's own layout (issue 15): `body_cols`, `photos`, `pull_quote`, and
the checks that need the module (an inset inside it, insets apart, body columns it can hold).

Every problem is recorded at its own line, so a module with several is reported in one run.
"""
from __future__ import annotations

from typing import Any, Mapping

from ..model.wrap import Inset, PullQuote, StoryLayout, StoryPhoto
from ..util.errors import SpecError
from .articles import inline_paragraph
from .convert import TEXT, count, ident, scalar_text
from .nodes import Item, list_items
from .shapes import Key, ListOf, Record, fields_of, read_record, scalar, shaped

PLACE = {
    "col": Key(count, required=True),
    "line": Key(count, required=True),
    "cols": Key(count, required=True),
    "lines": Key(count, required=True),
}
PHOTO = {"image": Key(ident, required=True), **PLACE}
QUOTE_LIMIT = 1000  # characters of a pull quote


@scalar({"type": TEXT, "maxLength": QUOTE_LIMIT}, "expected text")
def quote_text(item: Item) -> str:
    """A pull quote's text: set in its one style, so any markup in it is an error (printed, the
    asterisks would be a misprint); backslash escapes print the mark."""
    value = scalar_text(item, "expected text")
    if len(value) > QUOTE_LIMIT:
        item.fail(f"a pull quote of {len(value)} characters is too long: at most {QUOTE_LIMIT}",
                  "a pull quote is a sentence or two from the story")
    paragraph = inline_paragraph(item, value, "pull quote", "write the quote, or remove pull_quote")
    if not paragraph.plain:
        item.fail("a pull quote is set in its own style: no **strong** or *emphasis* in it",
                  r"remove the marks, or write `\*` to print an asterisk")
    return paragraph.text


PULL_QUOTE = {"text": Key(quote_text, required=True), **PLACE}


@shaped(lambda _: ListOf(Record(PHOTO, name="photo"), "photos"))
def photos(item: Item) -> tuple[StoryPhoto, ...]:
    """`photos:` — each an image of `images:` at a place counted within the module."""
    return tuple(StoryPhoto(source=e.source, **read_record(e, PHOTO))
                 for e in list_items(item, "photos"))


@shaped(lambda _: Record(PULL_QUOTE, name="pull quote"))
def pull_quote(item: Item) -> PullQuote:
    return PullQuote(source=item.source, **read_record(item, PULL_QUOTE))


LAYOUT_KEYS = ("body_cols", "photos", "pull_quote")
STORY_KINDS = ("article", "continue")


def story_layout(kind: str, fields: Mapping[str, Item], values: Mapping[str, Any],
                 images: Any, record) -> StoryLayout:
    """The module's StoryLayout; each problem is given to `record` (the module is still read)."""
    given = [key for key in LAYOUT_KEYS if key in fields]
    if kind not in STORY_KINDS:
        for key in given:
            record(fields[key].error(
                f"{'an' if kind[0] in 'aeiou' else 'a'} {kind} module has no body for {key}",
                f"{key} applies to article and continue modules"))
        return StoryLayout()
    if values.get("direction") == "vertical":  # refused by spec/vertical.py, once
        return StoryLayout()
    cols, lines = values["cols"], values["lines"]
    body_cols = values.get("body_cols")
    if body_cols is not None and body_cols > cols:
        record(fields["body_cols"].error(
            f"{body_cols} body columns in a module {cols} grid column{'s' if cols > 1 else ''} wide",
            f"at most {cols}: body_cols sets the body in fewer, wider columns (2 over 3)"))
        body_cols = None
    found = list(values.get("photos") or ())
    quote = values.get("pull_quote")
    insets: list[Inset] = [*found, *((quote,) if quote else ())]
    items = _inset_items(fields)
    good = []
    for inset, item in zip(insets, items):
        problem = _outside(inset, item, cols, lines)
        if problem is None and isinstance(inset, StoryPhoto):
            problem = _unknown_image(inset, item, images)
        if problem is not None:
            record(problem)
            continue
        clash = next((o for o, _ in good if _overlap(o, inset)), None)
        if clash is not None:
            record(item.error(f"{_what(inset)} overlaps {_what(clash)} (line {clash.source.line})"
                              if clash.source else f"{_what(inset)} overlaps {_what(clash)}",
                              "insets of a module cover different grid cells; move or shrink one"))
            continue
        good.append((inset, item))
    kept = [i for i, _ in good]
    return StoryLayout(body_cols, tuple(i for i in kept if isinstance(i, StoryPhoto)),
                       next((i for i in kept if isinstance(i, PullQuote)), None))


def _inset_items(fields: Mapping[str, Item]) -> list[Item]:
    out = list_items(fields["photos"], "photos") if "photos" in fields else []
    return out + ([fields["pull_quote"]] if "pull_quote" in fields else [])


def _what(inset: Inset) -> str:
    return f'photo "{inset.image}"' if isinstance(inset, StoryPhoto) else "the pull quote"


def _outside(inset: Inset, item: Item, cols: int, lines: int) -> SpecError | None:
    fields = fields_of(item, PHOTO if isinstance(inset, StoryPhoto) else PULL_QUOTE)
    if inset.col + inset.cols - 1 > cols:
        return fields["cols"].error(
            f"{_what(inset)} takes columns {inset.col}-{inset.col + inset.cols - 1} of a module "
            f"{cols} column{'s' if cols > 1 else ''} wide",
            "positions count within the module (its first column is col 1); "
            f"from col {inset.col} it can take at most {max(cols - inset.col + 1, 0)}")
    if inset.line + inset.lines - 1 > lines:
        return fields["lines"].error(
            f"{_what(inset)} takes lines {inset.line}-{inset.line + inset.lines - 1} of a module "
            f"{lines} lines deep",
            "positions count within the module (its first line is line 1); "
            f"from line {inset.line} it can take at most {max(lines - inset.line + 1, 0)}")
    return None


def _unknown_image(photo: StoryPhoto, item: Item, images: Any) -> SpecError | None:
    if images is None or not images.can_tell(photo.image) or photo.image in images.records:
        return None
    known = ", ".join(sorted(images.records)[:12])
    return fields_of(item, PHOTO)["image"].error(
        f'no image "{photo.image}" in images',
        f"images has: {known}" if known else "the spec has no images; add it under images:")


def _overlap(a: Inset, b: Inset) -> bool:
    return (a.col < b.col + b.cols and b.col < a.col + a.cols
            and a.line < b.line + b.lines and b.line < a.line + a.lines)
