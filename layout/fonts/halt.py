"""The GPOS `halt` feature (half-width CJK punctuation): which lookups, which adjustments, read with
fontTools when a face is prepared and kept in its sidecar."""
from __future__ import annotations

from typing import Iterator


# GPOS features whose positioning the sidecar records: half-width CJK punctuation.
HALT_FEATURE = "halt"
# Script/language systems whose `halt` lookups we prefer (simplified Chinese first).
HALT_LANGSYS_PREFERENCE = (("hani", "ZHS "), ("hani", None), ("DFLT", None))


def read_halt(font) -> dict[int, tuple[int, int]]:
    """Codepoint → (x placement, x advance) in font units from the GPOS `halt` feature (single
    adjustment lookups, formats 1 and 2, also behind extension lookups). Empty without GPOS."""
    gpos = font["GPOS"].table if "GPOS" in font else None
    if gpos is None or gpos.FeatureList is None or gpos.LookupList is None:
        return {}
    by_glyph: dict[str, tuple[int, int]] = {}
    for lookup_index in _halt_lookups(gpos):
        lookup = gpos.LookupList.Lookup[lookup_index]
        done: set[str] = set()  # within a lookup, the first subtable that covers a glyph applies
        for subtable in _single_pos_subtables(lookup):
            for glyph, value in _single_adjustments(subtable):
                if glyph in done or value is None:
                    continue
                done.add(glyph)
                xp, xa = by_glyph.get(glyph, (0, 0))  # lookups add up
                by_glyph[glyph] = (xp + getattr(value, "XPlacement", 0), xa + getattr(value, "XAdvance", 0))
    cmap = font.getBestCmap() or {}
    return {cp: by_glyph[g] for cp, g in cmap.items() if g in by_glyph and by_glyph[g] != (0, 0)}


def _halt_lookups(gpos) -> list[int]:
    """Lookups of `halt` under the preferred script/language system, else under any."""
    features = gpos.FeatureList.FeatureRecord
    scripts = {record.ScriptTag: record.Script
               for record in (gpos.ScriptList.ScriptRecord if gpos.ScriptList else [])}
    for script_tag, lang_tag in HALT_LANGSYS_PREFERENCE:
        script = scripts.get(script_tag)
        if script is None:
            continue
        langsys = script.DefaultLangSys if lang_tag is None else next(
            (r.LangSys for r in script.LangSysRecord if r.LangSysTag == lang_tag), None)
        if langsys is None:
            continue
        indices = [i for i in langsys.FeatureIndex if features[i].FeatureTag == HALT_FEATURE]
        if indices:
            return sorted({j for i in indices for j in features[i].Feature.LookupListIndex})
    return sorted({j for r in features if r.FeatureTag == HALT_FEATURE for j in r.Feature.LookupListIndex})


def _single_pos_subtables(lookup) -> list:
    """Single adjustment (type 1) subtables of a lookup, unwrapping extension (type 9) ones."""
    if lookup.LookupType == 9:
        return [st.ExtSubTable for st in lookup.SubTable if st.ExtensionLookupType == 1]
    return list(lookup.SubTable) if lookup.LookupType == 1 else []


def _single_adjustments(subtable) -> Iterator[tuple[str, object]]:
    glyphs = subtable.Coverage.glyphs
    if subtable.Format == 1:
        for glyph in glyphs:
            yield glyph, subtable.Value
    elif subtable.Format == 2:
        yield from zip(glyphs, subtable.Value)
