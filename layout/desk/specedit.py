"""Editing a spec's text in place for `broadsheet fit --write`: the modules' `line`/`lines` numbers
are changed where ruamel.yaml's round-trip parser says they were written, and every other byte is
kept (comments, key order, the alignment of columns of values)."""
from __future__ import annotations

import re

def _positions(text: str, moves: dict[str, tuple[int, int]]) -> list[tuple[int, int, str]]:
    """(offset, length of the old number, new number) of each `line`/`lines` value to change, from
    ruamel.yaml's round-trip parse (which knows where every value was written)."""
    from ruamel.yaml import YAML

    data = YAML(typ="rt").load(text)
    starts = [0]  # offset of each line, with YAML's line breaks (not str.splitlines' many)
    starts.extend(m.end() for m in re.finditer(r"\r\n|\r|\n", text))
    out = []
    for path, (line, lines) in moves.items():
        pi, mi = map(int, re.fullmatch(r"pages\[(\d+)\]\.modules\[(\d+)\]", path).groups())
        node = data["pages"][pi]["modules"][mi]
        for key, value in (("line", line), ("lines", lines)):
            row, col = node.lc.value(key)
            offset = starts[row] + col
            old = str(node[key])
            if text[offset:offset + len(old)] != old:  # a number written another way (0x10, "…")
                raise ValueError(f"{path}.{key}: cannot find its value {old} in the text")
            if int(old) != value:
                out.append((offset, len(old), str(value)))
    return out


def splice(text: str, moves: dict[str, tuple[int, int]]) -> str:
    """The spec's text with the modules' `line`/`lines` changed and nothing else: where a number
    gets shorter or longer, the run of spaces after the next comma (or before a comment) gives or
    takes the difference, so aligned columns stay aligned."""
    for offset, size, new in sorted(_positions(text, moves), reverse=True):
        end = offset + size
        delta = len(new) - size
        text = text[:offset] + new + text[end:]
        text = _realign(text, offset + len(new), delta)
    return text


def _realign(text: str, at: int, delta: int) -> str:
    """After a number at `at` that grew by `delta` characters, take them from (or give them to) the
    spaces before what follows it on the line — where those spaces are padding: more than one, or
    what follows is aligned with the line above or below."""
    if not delta:
        return text
    m = re.compile(r"[,}\]]*( +)(?=[^\s])").match(text, at)
    if m is None:
        return text
    spaces = m.group(1)
    if len(spaces) < 2 and not _aligned(text, m.end(1), m.end(1) - delta):
        return text
    keep = max(1, len(spaces) - delta)
    return text[:m.start(1)] + " " * keep + text[m.end(1):]


def _aligned(text: str, at: int, was: int) -> bool:
    """The word at `at` (at offset `was` before the edit) stands at the same column on the line
    above or below."""
    word = re.compile(r"[^\s,{}\[\]]+").match(text, at)
    if word is None:
        return False
    start, end = _line_span(text, at)
    column = was - start
    neighbours = ([_line_span(text, start - 1)] if start else []) + \
        ([_line_span(text, end + 1)] if end + 1 < len(text) else [])
    return any(text[a + column:a + column + len(word.group())] == word.group() and a + column < b
               for a, b in neighbours)


def _line_span(text: str, offset: int) -> tuple[int, int]:
    """Start and end (before its line break) of the line holding `offset`."""
    start = text.rfind("\n", 0, offset) + 1
    end = text.find("\n", offset)
    return start, len(text) if end < 0 else end
