"""Reading a spec file and composing its YAML, within limits, with errors in the spec's own words.

Composed only (safe loader, no Python objects, no constructor): the node tree is converted by the
loader so that every value keeps its line. Refused before or while composing: files that are not
regular, larger than MAX_SPEC_BYTES, not UTF-8, nested deeper than MAX_DEPTH; syntax errors are
worded with their line (a tab used for indentation is named as such).
"""
from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import yaml

from ..util.errors import SpecError
from .nodes import Item, join_path
from .problems import SpecContext


MAX_SPEC_BYTES = 32 * 2**20
MAX_DEPTH = 64  # nesting of mappings and lists; a spec needs 6
_UNCOMPOSED = object()  # libyaml's composer failed: the pure-Python one words the error


def _compose_fast(source: str) -> Any:
    """libyaml's composer when PyYAML has it (about 5× faster); `_UNCOMPOSED` on any error, which the
    pure-Python composer then reports in its own (tested) words."""
    loader = getattr(yaml, "CSafeLoader", None)
    if loader is None:
        return _UNCOMPOSED
    try:
        return yaml.compose(source, Loader=loader)
    except (yaml.YAMLError, RecursionError, ValueError):
        return _UNCOMPOSED


def _check_depth(file: str, source: str) -> None:
    """Refuse a spec nested more than MAX_DEPTH levels before composing it: libyaml's composer
    recurses in C and a few ten thousand levels crash the process. The parser is iterative, so
    its events are followed instead (~1 ms for a spec), keeping the key path for the message; a
    syntax error is left to the composer to word."""
    loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    frames: list[list] = []  # per open collection: [path, is_mapping, expecting_key, key or index]
    try:
        for event in yaml.parse(source, Loader=loader):
            if isinstance(event, yaml.CollectionEndEvent):
                frames.pop()
                continue
            if not isinstance(event, (yaml.NodeEvent)):
                continue
            path = ""
            if frames:
                frame = frames[-1]
                if frame[1] and frame[2]:  # a mapping key: scalars in a spec, but YAML allows more
                    frame[2], frame[3] = False, getattr(event, "value", "?")
                    if isinstance(event, yaml.CollectionStartEvent):  # `? [k]`: its own frame
                        frames.append([f"{frame[0]}?", isinstance(event, yaml.MappingStartEvent),
                                       True, 0])
                    continue
                if frame[1]:
                    frame[2] = True
                    path = join_path(frame[0], str(frame[3]))
                else:
                    path = f"{frame[0]}[{frame[3]}]"
                    frame[3] += 1
                if len(frames) > MAX_DEPTH:
                    raise SpecError(file, event.start_mark.line + 1, path,
                                    f"the spec is nested more than {MAX_DEPTH} levels deep")
            if isinstance(event, yaml.CollectionStartEvent):
                frames.append([path, isinstance(event, yaml.MappingStartEvent), True, 0])
    except (yaml.YAMLError, ValueError, RecursionError):
        return


def compose_spec(file: str, path: Path) -> Item:
    try:
        if path.exists() and not path.is_file() and not path.is_dir():  # a pipe would block forever
            raise SpecError(file, None, "", "cannot read the spec: not a regular file")
        with open(path, "rb") as f:  # bounded: a device or a runaway file must not fill the memory
            data = f.read(MAX_SPEC_BYTES + 1)
    except OSError as error:
        raise SpecError(file, None, "", f"cannot read the spec: {error.strerror or error}") from None
    if len(data) > MAX_SPEC_BYTES:
        raise SpecError(file, None, "", f"the spec is larger than {MAX_SPEC_BYTES // 2**20} MB",
                        "a spec is text: a whole 24-page edition is under 1 MB")
    try:
        source = data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        line = data[:error.start].count(b"\n") + 1
        raise SpecError(file, line, "", "the spec is not UTF-8 text") from None
    _check_depth(file, source)
    node = _compose_fast(source)
    try:
        if node is _UNCOMPOSED:  # let the pure-Python loader phrase the error, with its line
            node = yaml.compose(source, Loader=yaml.SafeLoader)
    except yaml.MarkedYAMLError as error:
        raise _tab_error(file, source, error) or _yaml_error(file, error) from None
    except yaml.reader.ReaderError as error:  # a character YAML does not allow (control characters)
        line = source[:error.position].count("\n") + 1
        what = f"U+{error.character:04X}" if isinstance(error.character, int) else repr(error.character)
        raise SpecError(file, line, "", f"YAML syntax error: unacceptable character {what}: {error.reason}",
                        "YAML text may not contain control characters; remove it") from None
    except yaml.YAMLError as error:  # any other unmarked error
        raise SpecError(file, None, "", f"YAML syntax error: {error}") from None
    except RecursionError:  # PyYAML composes nested collections recursively
        raise SpecError(file, None, "", "the spec is nested too deeply to read",
                        f"a spec needs a few levels; at most {MAX_DEPTH} are allowed") from None
    if node is None:
        raise SpecError(file, 1, "", "the spec is empty")
    return Item(node, "", 1, SpecContext(file, path.resolve().parent))


_TAB_INDENT = re.compile(r"^[ ]*\t[ \t]*(?=\S)", re.MULTILINE)
_TAB_REACH = 2  # lines before the error at which a tab is still its cause


def _tab_error(file: str, source: str, error: yaml.MarkedYAMLError) -> SpecError | None:
    """A spec that does not parse, with a line indented with a tab at or just before the error
    (PyYAML words it "mapping values are not allowed here", on the next line): the error is that
    line's tab. Only then, and only near the error: a tab may stand in the text of a `|` block."""
    mark = error.problem_mark or error.context_mark
    last = mark.line + 1 if mark else source.count("\n") + 1
    line, at, counted = None, 1, 0
    for match in _TAB_INDENT.finditer(source):
        at += source.count("\n", counted, match.start())  # counted on from the last match: linear
        counted = match.start()
        if at > last:
            break
        line, column = at, match.group().index("\t") + 1
    if line is None or line < last - _TAB_REACH:
        return None
    return SpecError(file, line, "", "YAML syntax error: this line is indented with a tab; YAML forbids tabs "
                     "for indentation", f"indent with spaces (the tab is at column {column})")


def _yaml_error(file: str, error: yaml.MarkedYAMLError) -> SpecError:
    mark = error.problem_mark or error.context_mark
    line = mark.line + 1 if mark else None
    hint = None
    if error.context and error.context_mark and error.context_mark.line + 1 != line:
        hint = f"{error.context} at line {error.context_mark.line + 1}"
    elif error.context:
        hint = error.context
    return SpecError(file, line, "", f"YAML syntax error: {error.problem or error.context}", hint)
