"""Colour spaces as preflight sees them: a content stream's operand resolved through the resources,
and classified (gray, cmyk, rgb, lab, spot, pattern, other) with a label for messages."""
from __future__ import annotations

from pikepdf import Array, Dictionary, Name, Stream

PROCESS_COLORANTS = {"/Cyan", "/Magenta", "/Yellow", "/Black", "/All", "/None"}
_ABBREV = {"/G": "/DeviceGray", "/RGB": "/DeviceRGB", "/CMYK": "/DeviceCMYK", "/I": "/Indexed"}
_NAMED = {"/DeviceGray": "gray", "/DeviceCMYK": "cmyk", "/DeviceRGB": "rgb", "/Pattern": "pattern",
          "/CalRGB": "rgb", "/CalGray": "gray", "/Lab": "lab"}


def lookup_cs(name, resources):
    """A colour space operand (name) → the colour space object (a Name or an Array)."""
    if isinstance(name, Name):
        n = _ABBREV.get(str(name), str(name))
        if n in ("/DeviceGray", "/DeviceRGB", "/DeviceCMYK", "/Pattern"):
            return Name(n)
        spaces = resources.get("/ColorSpace") if isinstance(resources, Dictionary) else None
        if isinstance(spaces, Dictionary) and n in spaces:
            return spaces[n]
    return name


def classify(cs, resources, depth: int = 0) -> tuple[str, str]:
    """(kind, label) of a colour space: gray, cmyk, rgb, lab, spot, pattern or other."""
    cs = lookup_cs(cs, resources)
    if depth > 4 or cs is None:
        return "other", "?"
    if isinstance(cs, Name):
        n = str(cs)
        return _NAMED.get(n, "other"), n
    if isinstance(cs, Array) and len(cs):
        return _classify_family(cs, resources, depth)
    return "other", str(cs)


def _classify_family(cs: Array, resources, depth: int) -> tuple[str, str]:
    family = str(cs[0])
    if family == "/ICCBased":
        stream = cs[1] if len(cs) > 1 else None
        n = int(stream.get("/N", 0)) if isinstance(stream, Stream) else 0
        return {1: "gray", 3: "rgb", 4: "cmyk"}.get(n, "other"), f"ICCBased, N={n}"
    if family in ("/CalRGB",):
        return "rgb", family
    if family == "/CalGray":
        return "gray", family
    if family == "/Lab":
        return "lab", family
    if family == "/Indexed" and len(cs) > 1:
        kind, label = classify(cs[1], resources, depth + 1)
        return kind, f"Indexed over {label}"
    if family == "/Pattern":
        if len(cs) > 1:
            kind, label = classify(cs[1], resources, depth + 1)
            return ("pattern" if kind not in ("rgb", "lab") else kind), f"Pattern over {label}"
        return "pattern", family
    if family in ("/Separation", "/DeviceN") and len(cs) > 2:
        return _classify_colorants(family, cs, resources, depth)
    return "other", family


def _classify_colorants(family: str, cs: Array, resources, depth: int) -> tuple[str, str]:
    names = [str(cs[1])] if family == "/Separation" else [str(x) for x in cs[1]]
    alt_kind, alt_label = classify(cs[2], resources, depth + 1)
    if alt_kind in ("rgb", "lab") and not set(names) <= PROCESS_COLORANTS:
        return alt_kind, f"{family} {' '.join(names)} with alternate {alt_label}"
    if not set(names) <= PROCESS_COLORANTS:
        return "spot", f"{family} {' '.join(n[1:] for n in names)}"
    return "cmyk", f"{family} {' '.join(names)}"
