"""Names of picture XObjects: the PDF writer names each image after its source file, so that
`broadsheet check` can say "image photo-1.jpg" where it would otherwise say "/FormXob.0bd9cc…".

A picture's XObject is registered (prefixed `FormXob.`, the name reportlab gave, kept so earlier PDFs read the same) as

    <key>.<source>      e.g.  FormXob.5c991bcb.photo-1.jpg

- `key`: the first 8 hex digits of the converted file's content key (colour.py names the cached
  CMYK JPEG by it), so the same photo placed at two sizes gets two names, and the name never
  depends on the cache's folder, the machine or the time: the PDF's bytes stay reproducible.
- `source`: the picture's file name (no folders) in UTF-8, with every byte outside
  `A–Z a–z 0–9 . _ -` written `~XX` (hex). names are written unescaped into content streams
  but escapes `#` in dictionaries, so PDF's own `#XX` escape cannot be used; `~` is a regular PDF
  name character. Cut to keep the whole name within PDF's 127-byte name limit.

Pure functions, no PDF library: the writer and the preflight both use them.
"""
from __future__ import annotations

import re
import string

PREFIX = "FormXob."  # in front of every picture's XObject name
KEY_DIGITS = 8
MAX_NAME_BYTES = 127  # PDF 1.7, Annex C: the longest name readers must accept
_PLAIN = frozenset((string.ascii_letters + string.digits + "._-").encode())
_NAME = re.compile(rf"/?{re.escape(PREFIX)}(?P<key>[0-9a-f]{{{KEY_DIGITS}}})"
                   r"\.(?P<source>[A-Za-z0-9._~-]+)")
_ESCAPE = re.compile(r"~([0-9A-F]{2})")


def image_xobject_name(source_name: str, content_key: str) -> str:
    """The name to register a picture's image XObject under (without the prefix):
    `content_key` is the converted file's stem (hex), `source_name` the picture's file name."""
    key = content_key[:KEY_DIGITS].lower()
    if len(key) != KEY_DIGITS or any(c not in string.hexdigits for c in key):
        raise ValueError(f"expected a hex content key, got {content_key!r}")
    room = MAX_NAME_BYTES - len(PREFIX) - len(key) - 1
    encoded = ""
    for ch in source_name:
        part = "".join(chr(b) if b in _PLAIN else f"~{b:02X}" for b in ch.encode("utf-8"))
        if len(encoded) + len(part) > room:
            break  # whole characters only
        encoded += part
    return f"{key}.{encoded or '~3F'}"


def source_of_xobject(name: str) -> str | None:
    """The picture's file name in an XObject name made by `image_xobject_name` (with or without
    the leading "/" and the prefix as a PDF shows it); None for any other name."""
    found = _NAME.fullmatch(str(name))
    if not found:
        return None
    source, data, pos = found["source"], bytearray(), 0
    for escape in _ESCAPE.finditer(source):
        data += source[pos:escape.start()].encode("ascii")
        data.append(int(escape[1], 16))
        pos = escape.end()
    data += source[pos:].encode("ascii")
    return data.decode("utf-8", "replace")
