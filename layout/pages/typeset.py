"""Setting text in a named style: the bridge between the spec's styles/fonts and the composer."""
from __future__ import annotations

import os
import unicodedata
from dataclasses import dataclass, field
from typing import Hashable, Iterable, Mapping, Sequence

from ..compose import cache as composed
from ..compose.display import balance
from ..compose.paragraph import Paragraph
from ..compose.rules import PHRASE_SEPARATOR
from ..compose.types import Align, Breaking, ComposedLine, Run as ComposeRun
from ..model.issue import Style, Typography
from ..model.story import SPAN_STYLES
from .marks import horizontal_marks
from .plan import BLACK, Dots, Ink, MarkLine, Placement, TextLine, ink
from ..util.text import fullwidth


@dataclass(frozen=True)
class StyledLine(ComposedLine):
    """A set line of a paragraph of runs (or of a block in a style other than `body`): which
    style each stretch of its glyphs is set in (a TextLine is one face and size)."""

    styles: tuple[tuple[int, str], ...] = ()  # (index of the first glyph, style), in glyph order


# (text, style) of each run of a paragraph, in order
Runs = tuple[tuple[str, str], ...]


@dataclass(frozen=True)
class Setter:
    faces: Mapping[str, object]  # role → Face (fonts.Face)
    styles: Mapping[str, Style]
    typography: Typography
    breaking: Breaking = "total-fit"  # "first-fit" only to measure total-fit against it
    # Composed paragraphs, shared by every Setter of the process (a watch loop's renders): None
    # composes everything afresh. Results are the same either way (compose/cache.py).
    cache: composed.LRU | None = field(default_factory=composed.shared, compare=False)
    _face_ids: dict[str, Hashable] = field(default_factory=dict, init=False, repr=False,
                                           compare=False)
    # Each text as set (full-width punctuation), once: the glyph check and composition both ask.
    _as_set: dict[str, str] = field(default_factory=dict, init=False, repr=False, compare=False)
    # Paragraphs widow and orphan control re-breaks, measured once for their tries (one line
    # more, one less): each try would otherwise prepare the text again.
    _rebroken: dict[tuple[str, str], Paragraph] = field(default_factory=dict, init=False,
                                                        repr=False, compare=False)

    def face(self, style: str):
        return self.faces[self.styles[style].font]

    def _cache_key(self, text: str, style: str, size: float | None, how: tuple) -> tuple | None:
        """The key of `text` set in `style` as `how` says (measure, indent, …), or None when the
        face cannot be identified (then nothing is cached)."""
        if self.cache is None:
            return None
        font = self.styles[style].font
        if font not in self._face_ids:
            self._face_ids[font] = face_identity(self.faces[font])
        face = self._face_ids[font]
        if face is None:
            return None
        t = self.typography
        setting = (how, size or self.styles[style].size, t.fullwidth_punctuation, t.prohibition,
                   0.0 if style in AS_WRITTEN else t.latin_spacing, self.breaking)
        return composed.paragraph_key(text, setting, face)

    def prepare_text(self, text: str) -> str:
        if not self.typography.fullwidth_punctuation:
            return text
        found = self._as_set.get(text)
        if found is None:
            found = self._as_set[text] = fullwidth(text)
        return found

    def story_key(self, paras: tuple[tuple[object, str], ...], how: tuple,
                  styles: Iterable[str] = ()) -> tuple | None:
        """The cache key of what a whole story's paragraphs ((text, style) each) give when set as
        `how` says (its flow through a chain of boxes): each style's face and setting are in it
        (and those of `styles`, the styles of runs inside the paragraphs)."""
        names = {s for _, s in paras} | set(styles)
        # the Style itself too: a quote's inset and indent change its lines, not its face
        settings = tuple((self._cache_key("", s, None, ()), self.styles[s]) for s in sorted(names))
        if self.cache is None or any(k is None for k, _ in settings):
            return None
        return composed.paragraph_key(paras, (how, settings), "story")

    def lines(self, text: str, style: str, width: float, *, align: Align = "left",
              size: float | None = None, indent: float = 0.0,
              display: bool = False) -> list[ComposedLine]:
        key = self._cache_key(text, style, size, ("lines", width, align, indent, display))
        found = None if key is None else self.cache.get(key)
        if found is not None:
            return list(found)
        para = self.paragraph(text, style, size=size, display=display)
        lines = para.set(width, indent=indent, align=align, method=self.breaking)
        if key is not None:
            self.cache.put(key, tuple(lines), len(text))
        return lines

    def lines_exactly(self, text: str, style: str, width: float, count: int, *,
                      indent: float = 0.0) -> list[ComposedLine] | None:
        """`text` justified in exactly `count` lines, or None when that needs lines looser or
        tighter than the desk accepts (flow.py's widow control asks for one line more or less)."""
        key = self._cache_key(text, style, None, ("exactly", width, count, indent))
        found = None if key is None else self.cache.get(key)
        if found is not None:
            return None if found[0] is None else list(found[0])
        para = self._rebroken.get((text, style))
        if para is None:
            para = self._rebroken[(text, style)] = self.paragraph(text, style)
        breaks = para.breaks_exactly(width, count, indent)
        lines = None if breaks is None else para.set_breaks(breaks, width, indent=indent)
        if key is not None:  # stored as a 1-tuple: "no such breaking" is an answer too
            self.cache.put(key, (None if lines is None else tuple(lines),), len(text))
        return lines

    def _runs_key(self, runs: Runs, how: tuple) -> tuple | None:
        """The cache key of a paragraph of runs set as `how` says (each run style's setting too)."""
        settings = tuple(self._cache_key("", s, None, ()) for s in sorted({s for _, s in runs}))
        if self.cache is None or any(k is None for k in settings):
            return None
        return composed.paragraph_key(runs, (how, settings), "runs")

    def run_paragraph(self, runs: Runs) -> Paragraph:
        """A paragraph of runs in several styles, measured once (full-width punctuation decided on
        the whole text, so a mark at a run's edge sees its neighbour in the next run)."""
        whole = self.prepare_text("".join(text for text, _ in runs))
        pieces, at = [], 0
        for text, style in runs:  # `fullwidth` keeps every character's place
            st = self.styles[style]
            pieces.append(ComposeRun(whole[at:at + len(text)], self.faces[st.font], st.size))
            at += len(text)
        return Paragraph.of_runs(pieces, prohibition=self.typography.prohibition,
                                 latin_spacing=self.typography.latin_spacing)

    def run_lines(self, runs: Runs, width: float, *, indent: float = 0.0,
                  align: Align = "justify") -> list[StyledLine]:
        """A paragraph of runs broken and set at `width`, each line knowing the style of each of
        its glyphs; cached like `lines`."""
        key = self._runs_key(runs, ("runs", width, align, indent))
        found = None if key is None else self.cache.get(key)
        if found is not None:
            return list(found)
        para = self.run_paragraph(runs)
        lines = _styled(para, runs, para.set(width, indent=indent, align=align,
                                             method=self.breaking))
        if key is not None:
            self.cache.put(key, tuple(lines), sum(len(text) for text, _ in runs))
        return lines

    def run_lines_exactly(self, runs: Runs, width: float, count: int, *,
                          indent: float = 0.0) -> list[StyledLine] | None:
        """`run_lines` in exactly `count` lines, or None (as `lines_exactly`)."""
        key = self._runs_key(runs, ("runs-exactly", width, count, indent))
        found = None if key is None else self.cache.get(key)
        if found is not None:
            return None if found[0] is None else list(found[0])
        para = self.run_paragraph(runs)
        breaks = para.breaks_exactly(width, count, indent)
        lines = None if breaks is None else \
            _styled(para, runs, para.set_breaks(breaks, width, indent=indent))
        if key is not None:
            self.cache.put(key, (None if lines is None else tuple(lines),),
                           sum(len(text) for text, _ in runs))
        return lines

    def natural_width(self, text: str, style: str, *, size: float | None = None) -> float:
        """The width `text` takes set on one line, unjustified (pt)."""
        lines = self.lines(text, style, 1e6, align="left", size=size)
        return max((line.width for line in lines), default=0.0)

    def paragraph(self, text: str, style: str, *, size: float | None = None,
                  display: bool = False, phrases_only: bool = False) -> Paragraph:
        spacing = 0.0 if style in AS_WRITTEN else self.typography.latin_spacing
        return Paragraph(self.prepare_text(text), self.face(style), size or self.styles[style].size,
                         prohibition=self.typography.prohibition, latin_spacing=spacing,
                         display=display, phrases_only=phrases_only)

    def _widest_phrase(self, text: str, style: str, width: float, size: float | None) -> float:
        """When the writer separated the phrases of a display line with U+3000 and each fits a
        line, the width of the widest (the line then breaks only there); else 0."""
        phrases = [p for p in text.strip().split(PHRASE_SEPARATOR) if p]
        if len(phrases) < 2:
            return 0.0
        widest = max(self.natural_width(p, style, size=size) for p in phrases)
        return widest if widest <= width + 0.01 else 0.0

    def balanced(self, text: str, style: str, width: float, *, size: float | None = None,
                 align: Align = "center") -> list[ComposedLine]:
        """Display lines (headlines): as few lines as the full width needs, of even length, broken
        between phrases where possible (compose.display.balance)."""
        key = self._cache_key(text, style, size, ("balanced", width, align))
        found = None if key is None else self.cache.get(key)
        if found is not None:
            return list(found)
        widest = self._widest_phrase(text, style, width, size)
        para = self.paragraph(text, style, size=size, display=True, phrases_only=widest > 0)
        lines = balance(para, width, widest, align, self.breaking)
        if key is not None:
            self.cache.put(key, tuple(lines), len(text))
        return lines

    def missing_chars(self, text: str, style: str) -> tuple[str, ...]:
        """The characters of `text` as set (full-width punctuation applied) that the style's face
        lacks, each once, in text order; spaces are never missing."""
        key = self._cache_key(text, style, None, ("missing",))
        found = None if key is None else self.cache.get(key)
        if found is not None:
            return found
        face = self.face(style)
        text = self.prepare_text(text)
        lacking = getattr(face, "lacking", None)  # fonts.Face; a stand-in face has only `has`
        chars = lacking(text) if lacking is not None else \
            [ch for ch in dict.fromkeys(text) if not face.has(ch)]
        missing = tuple(ch for ch in chars if not ch.isspace())
        if key is not None:
            self.cache.put(key, missing, len(text))
        return missing

    def place(self, line: ComposedLine, x: float, baseline: float, style: str, *,
              size: float | None = None, color: Ink | None = None, role: str = "",
              story: str | None = None, at: Placement | None = None) -> TextLine:
        if color is None:  # the style's colour (styles.*.colour), else black
            colour = self.styles[style].colour
            color = BLACK if colour is None else ink(colour)
        return TextLine(x, baseline, self.face(style).key, size or self.styles[style].size,
                        line.glyphs, color, role or style, story, at)


    def place_styled(self, line: StyledLine, x: float, baseline: float, *, role: str = "body",
                     story: str | None = None,
                     at: Placement | None = None) -> list[TextLine | Dots | MarkLine]:
        """A line of several styles on its baseline: one TextLine per stretch of one style (a
        TextLine is one face and size), the 着重号 of stretches whose style has `mark: dots`, the
        专名号/书名号 of those with `mark: line`/`wave`."""
        out: list[TextLine | Dots | MarkLine] = []
        bounds = [a for a, _ in line.styles] + [len(line.glyphs)]
        for (a, style), b in zip(line.styles, bounds[1:]):
            glyphs = line.glyphs[a:b]
            if not glyphs:
                continue
            st = self.styles[style]
            color = BLACK if st.colour is None else ink(st.colour)
            out.append(TextLine(x, baseline, self.face(style).key, st.size, glyphs, color, role,
                                story, at))
            if st.mark == "dots":
                dots = emphasis_dots(glyphs, self.face(style), st.size, x, baseline,
                                     self.styles["body"].leading or 1.2 * st.size, color)
                if dots.centres:
                    out.append(dots)
            elif st.mark in ("line", "wave"):  # 专名号, 书名号: under the characters
                face = self.face(style)
                cells = [(ch, x + gx, x + gx + face.advance(ch) * st.size) for ch, gx in glyphs]
                out.extend(horizontal_marks(cells, baseline + 0.12 * st.size, st.size, st.mark,
                                            color))
        return out


def _styled(para: Paragraph, runs: Runs, lines: Sequence[ComposedLine]) -> list[StyledLine]:
    """The lines of a paragraph of runs, each with the style of each stretch of its glyphs."""
    out = []
    for line in lines:
        stretches: list[tuple[int, str]] = []
        last = -1
        for i, k in enumerate(para.glyph_runs(line)):
            # a new stretch where the style changes, and where one marked span (专名, 书名)
            # follows another: each keeps a mark of its own
            if not stretches or stretches[-1][1] != runs[k][1] or \
                    (k != last and runs[k][1] in SPAN_STYLES):
                stretches.append((i, runs[k][1]))
            last = k
        out.append(StyledLine(line.glyphs, line.width, line.start, line.end, line.first,
                              line.last, tuple(stretches)))
    return out


DOT_RADIUS = 0.07  # em of the marked text: a 着重号 about a seventh of the character's width


def emphasis_dots(glyphs: Sequence[tuple[str, float]], face, size: float, x: float,
                  baseline: float, leading: float, color: Ink = BLACK) -> Dots:
    """着重号 (clreq): a dot centred under each marked character, none under punctuation or space,
    below the ideographic em box's bottom (0.12 em under the baseline) and above the next line."""
    r = DOT_RADIUS * size
    gap = max(leading - size, 2.2 * r)  # the white between this line's em box and the next's
    y = baseline + 0.12 * size + gap / 2
    centres = tuple((round(x + gx + face.advance(ch) * size / 2, 3), round(y, 3))
                    for ch, gx in glyphs if _dotted(ch))
    return Dots(centres, round(r, 3), color)


def _dotted(ch: str) -> bool:
    """Characters that take a 着重号: not punctuation, symbols' spaces or other blanks."""
    return not ch.isspace() and unicodedata.category(ch)[0] not in "PZC"


def face_identity(face) -> Hashable | None:
    """What a face's measurements depend on: its key (the cache entry), face index, and the file
    it measures from as the file system has it now (device, inode, size, modification time: a
    cheap stand-in for the file's hash, so a font replaced between two renders of a watch is
    measured afresh). None for a face without a key or a file (nothing of it is cached)."""
    key, path = getattr(face, "key", None), getattr(face, "path", None)
    if key is None or path is None:
        return None
    try:
        st = os.stat(path)
    except (OSError, TypeError, ValueError):
        return None
    return (key, getattr(face, "index", 0), str(path), st.st_dev, st.st_ino, st.st_size,
            st.st_mtime_ns)


# Styles whose text is a template the desk wrote character by character: set as written, with no
# automatic Han–Latin gap (`（轉A3版）`, not `（轉 A3 版）`).
AS_WRITTEN = frozenset({"jump"})
