"""The key tables: one per spec mapping, from the root down (docs/spec.md documents each key).

`ROOT_SHAPE` is the whole format; the JSON Schema is generated from it (structure.py). Sections
that the loader converts itself, because they need other sections, have `Key(shape=…)` and no converter.
"""
from __future__ import annotations

from ..model.issue import STYLE_NAMES, IndexItem
from ..util.locale import LOCALES
from .articles import ARTICLE
from .convert import (
    LIMITS, body_size, boolean, choice, count, date, em_fraction, font, ident, ink_limit, jump_template,
    length, picture_file, positive_length, profile_file, spec_version, text, type_size,
)
from .shapes import Key, ListOf, MapOf, Record, list_of, nested, record_of
from .datatables import HEADER, RULE, TABLE, label, logo_file
from ..model.issue import RuleSpec


from .ads import AD, ads_from_file
from .colours import COLOURS_SHAPE, box, colour_name
from .wrap import photos, pull_quote
from .vertical import WRITING_KEYS


MODULE_KINDS = ("masthead", "article", "continue", "image", "index", "table", "table_continue", "rule",
                "ad")


PAPER = {
    "name": Key(text("a paper name", LIMITS["paper.name"]), required=True),
    **{key: Key(text("a masthead text", LIMITS["paper.*"]))
       for key in ("name_latin", "organ_of", "rating", "serial", "sponsor", "publisher", "editor_in_chief")},
    "locale": Key(choice(*LOCALES)),
    "logo": Key(logo_file),
}


ISSUE = {
    "date": Key(date, required=True),
    "number": Key(count),
    "pages_total": Key(count),
    "era": Key(choice("gregorian", "roc")),
}


TRIM = {
    "width": Key(positive_length, required=True, attr="trim_width"),
    "height": Key(positive_length, required=True, attr="trim_height"),
}


MARGINS = {
    "top": Key(length, required=True, attr="margin_top"),
    "bottom": Key(length, required=True, attr="margin_bottom"),
    "inside": Key(length, required=True, attr="margin_inside"),
    "outside": Key(length, required=True, attr="margin_outside"),
}


FORMAT = {
    "trim": Key(nested(TRIM), required=True),
    "bleed": Key(length, default=0.0),
    "margins": Key(nested(MARGINS), required=True),
    "columns": Key(count, required=True),
    "gutter": Key(length, required=True),
    "column_rules": Key(boolean),
}


STYLE = {
    "font": Key(ident),
    "size": Key(type_size),
    "leading": Key(positive_length),
    "indent": Key(length),
    "colour": Key(colour_name),
    "inset": Key(length),
    "mark": Key(choice("none", "dots", "line", "wave")),
}
BODY_STYLE = {**STYLE, "font": Key(ident, required=True), "size": Key(body_size, required=True)}
STYLES = {name: Key(required=True, shape=Record(BODY_STYLE)) if name == "body" else
          Key(shape=Record(STYLE, name="style")) for name in STYLE_NAMES}


TYPOGRAPHY = {
    "fullwidth_punctuation": Key(boolean),
    "prohibition": Key(choice("none", "basic", "gb", "strict")),
    "latin_spacing": Key(em_fraction),
    "missing_glyphs": Key(choice("error", "warn")),
}


OUTPUT = {
    "standard": Key(choice("none", "pdf/x-4")),
    "profile": Key(profile_file),
    "ink_limit": Key(ink_limit),
}


JUMPS = {
    "to": Key(jump_template),
    "from": Key(jump_template, attr="from_"),
    "numerals": Key(choice("chinese", "arabic")),
}


IMAGE = {
    "file": Key(picture_file, required=True),
    "caption": Key(text("a caption", LIMITS["caption"])),
}


INDEX_ITEM = {
    "kicker": Key(text("a kicker", LIMITS["kicker"])),
    "headline": Key(text("a headline", LIMITS["headline"]), required=True),
    "subtitle": Key(text("a subtitle", LIMITS["subtitle"])),
    "page": Key(count),
}


INDEX = {
    "title": Key(text("an index title", LIMITS["index title"]), default=None),
    "items": Key(list_of(record_of(IndexItem, INDEX_ITEM), "index items"), required=True),
}


MODULE = {
    "masthead": Key(boolean),
    "article": Key(ident),
    "continue": Key(ident),
    "image": Key(ident),
    "index": Key(ident),
    "table": Key(ident),
    "table_continue": Key(ident),
    "rule": Key(record_of(RuleSpec, RULE)),
    "ad": Key(ident),
    "col": Key(count, required=True),
    "line": Key(count, required=True),
    "cols": Key(count, required=True),
    "lines": Key(count, required=True),
    "headline_size": Key(type_size),
    "headline_colour": Key(colour_name),
    "box": Key(box),
    "body_cols": Key(count),
    "photos": Key(photos),
    "pull_quote": Key(pull_quote),
    **WRITING_KEYS,
}


PAGE = {
    "number": Key(count, required=True),
    "section": Key(text("a section name", LIMITS["section"]), default=None),
    "label": Key(label),
    "modules": Key(required=True, shape=ListOf(Record(MODULE), "modules")),  # converted by the loader
}


ROOT = {
    "spec_version": Key(spec_version, required=True),
    "paper": Key(required=True, shape=Record(PAPER)),
    "issue": Key(required=True, shape=Record(ISSUE)),
    "format": Key(required=True, shape=Record(FORMAT)),
    "fonts": Key(required=True, shape=MapOf(font.shape, "font role", minimum=1)),  # type: ignore[attr-defined]
    "styles": Key(required=True, shape=Record(STYLES)),
    "typography": Key(shape=Record(TYPOGRAPHY)),
    "jumps": Key(shape=Record(JUMPS)),
    "output": Key(shape=Record(OUTPUT)),
    "pages": Key(required=True, shape=ListOf(Record(PAGE), "pages")),
    "images": Key(shape=MapOf(Record(IMAGE), "image")),
    "indexes": Key(shape=MapOf(Record(INDEX), "index")),
    "articles": Key(shape=MapOf(Record(ARTICLE), "article")),
    "tables": Key(shape=MapOf(Record(TABLE), "table")),
    "header": Key(shape=Record(HEADER)),
    "colours": Key(shape=COLOURS_SHAPE),
    "ads": Key(shape=MapOf(Record(AD), "ad")),
    "ads_from": Key(ads_from_file),
    "ad_tolerance": Key(length),
}
ROOT_SHAPE = Record(ROOT)
