"""A bounded, in-memory LRU of composed paragraphs, so that a process that renders an edition again
(`broadsheet watch` after a save) composes only the paragraphs that changed.

Composition is a pure function of its inputs, so a key that holds every input gives back exactly
what composing afresh would. The caller builds the key with `paragraph_key` from the paragraph's
text (or runs), everything that shapes its lines (face identity, size, rules, measure, indent,
alignment, breaking method) and the Broadsheet version; values are tuples of frozen lines, shared,
never copied. Nothing here reads files or clocks.
"""
from __future__ import annotations

from collections import OrderedDict
from typing import Hashable, Generic, TypeVar

V = TypeVar("V")

# About 30 editions of 8 pages (≈ 80,000 characters each): a desk's working set, a few MB of keys
# beyond the lines the plans hold anyway.
DEFAULT_MAX_CHARS = 2_500_000

KEY_VERSION = 1  # the shape of the key; part of every key
# Broadsheet's version (pyproject.toml; a test keeps them equal), here as a constant because
# importlib.metadata costs ~40 ms a process to ask.
VERSION = "0.1.0"


class LRU(Generic[V]):
    """A map of at most `max_weight` total weight (a paragraph weighs its length in characters,
    at least 1), evicting the least recently used entries first."""

    def __init__(self, max_weight: int = DEFAULT_MAX_CHARS):
        self.max_weight = max_weight
        self._items: OrderedDict[Hashable, tuple[V, int]] = OrderedDict()
        self._weight = 0
        self.hits = 0
        self.misses = 0

    def __len__(self) -> int:
        return len(self._items)

    @property
    def weight(self) -> int:
        return self._weight

    def get(self, key: Hashable) -> V | None:
        found = self._items.get(key)
        if found is None:
            self.misses += 1
            return None
        self._items.move_to_end(key)
        self.hits += 1
        return found[0]

    def put(self, key: Hashable, value: V, weight: int = 1) -> None:
        weight = max(1, weight)
        if weight > self.max_weight:
            return  # would evict everything else and still not fit
        old = self._items.pop(key, None)
        if old is not None:
            self._weight -= old[1]
        self._items[key] = (value, weight)
        self._weight += weight
        while self._weight > self.max_weight:
            _, (_, dropped) = self._items.popitem(last=False)
            self._weight -= dropped

    def clear(self) -> None:
        self._items.clear()
        self._weight = 0
        self.hits = self.misses = 0


def paragraph_key(text: str | tuple, setting: tuple, face: Hashable,
                  version: str = VERSION) -> tuple:
    """The cache key of one composed paragraph: its text (a string, or a tuple of (text, style)
    runs), `setting` (size, rules, measure, indent, alignment, method, … as plain values), the
    identity of the face that measures it (`face`: its key and file identity) and the Broadsheet
    version that composed it."""
    return (KEY_VERSION, version, face, setting, text)


_SHARED: LRU = LRU()


def shared() -> LRU:
    """The process's cache (one per process: a watch loop's renders share it)."""
    return _SHARED
