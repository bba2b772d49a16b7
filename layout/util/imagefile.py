"""Image files as a render first meets them: a pixel size read without decoding, and the limits
(file kind and size, sides, pixels, PNG chunks) that keep a hostile or damaged picture from costing
memory or time. The loader and the planner look at every `images:` file with `image_size` before
any work is done; press (colour.py) checks again before it converts."""
from __future__ import annotations

import contextlib
import math
import os
import re
import stat
import struct
import warnings
import zlib
from pathlib import Path
from typing import Iterator

# Pillow is imported where a picture is opened, not here: a spec without pictures never pays for it.

# Limits on what a render host decodes (docs/spec.md, "Limits"). Together they keep the peak memory
# of converting any accepted picture under ~1 GB: at most two full-size 4-byte-per-pixel copies live
# at once (the conversion works in bands of rows), and libjpeg's 65,500-pixel side limit is never hit.
# Limits on what a render host decodes (docs/spec.md, "Limits"). Together they keep the peak memory
# of converting any accepted picture under ~1 GB: at most two full-size 4-byte-per-pixel copies live
# at once (the conversion works in bands of rows), and libjpeg's 65,500-pixel side limit is never hit.
MAX_IMAGE_SIDE = 30_000  # pixels per side: 2.5 m at 300 ppi, far past any press
MAX_IMAGE_PIXELS = 89_478_485  # Pillow's own decompression-bomb threshold (about 89 megapixels)
MAX_IMAGE_BYTES = 256 * 2**20  # file size: a 100-megapixel camera JPEG is ~50 MB


class ImageFileError(Exception):
    """An image or profile file that cannot be used (unreadable, not an image, over a limit).
    `image` is the picture at fault, None when the file is a profile."""

    def __init__(self, message: str, image: Path | None = None):
        super().__init__(message)
        self.image = image


def image_size(path: Path) -> tuple[int, int]:
    """Pixel size without decoding the image. Raises ImageFileError (naming the file) for anything a
    render could not use: not a regular file, too large a file, not an image Pillow can read, a
    damaged header, sides or pixels over MAX_IMAGE_SIDE / MAX_IMAGE_PIXELS. Meant for the first
    look at every `images:` file (loader, planner), so these are found at the image's key before
    any work is done; convert_to_cmyk checks it again."""
    from PIL import Image

    path = Path(path)
    regular_file(path, "image", MAX_IMAGE_BYTES)
    with pillow_errors(path), warnings.catch_warnings():
        warnings.simplefilter("ignore", Image.DecompressionBombWarning)  # worded below, with sizes
        with Image.open(path) as im:
            size = im.size
    check_image_size(path, size)
    return size


def check_image_size(path: Path, size: tuple[int, int]) -> None:
    """ImageFileError when a picture's pixel size is over the limits (the message says them)."""
    w, h = size
    if w < 1 or h < 1:
        raise ImageFileError(f"{path}: the image has no pixels ({w}×{h})", path)
    if max(w, h) > MAX_IMAGE_SIDE:
        raise ImageFileError(f"{path}: the image is {w}×{h} pixels; its sides may be at most "
                          f"{MAX_IMAGE_SIDE} pixels", path)
    if w * h > MAX_IMAGE_PIXELS:
        raise ImageFileError(f"{path}: the image is {w}×{h} pixels ({w * h / 1e6:.0f} megapixels); "
                          f"it may have at most {MAX_IMAGE_PIXELS / 1e6:.0f} megapixels", path)


def regular_file(path: Path, what: str, max_bytes: int) -> os.stat_result:
    """The file's stat, when it is a regular file of at most `max_bytes`; ImageFileError otherwise.
    A FIFO, a device (/dev/zero) or a folder is refused without being opened, so nothing blocks
    and nothing endless is read."""
    image = path if what == "image" else None
    try:
        st = path.stat()
    except OSError as e:
        raise ImageFileError(f"{path}: cannot read {what}: {e.strerror or e}", image) from None
    if not stat.S_ISREG(st.st_mode):
        so = "" if image else f", so not an {what}"
        raise ImageFileError(f"{path}: not a regular file ({_file_kind(st.st_mode)}){so}", image)
    if st.st_size > max_bytes:
        size_mb = math.ceil(st.st_size / 2**20)
        raise ImageFileError(f"{path}: the file is {size_mb:,} MB; an {what} may be at most "
                          f"{max_bytes // 2**20} MB", image)
    return st


def _file_kind(mode: int) -> str:
    kinds = ((stat.S_ISDIR, "a folder"), (stat.S_ISFIFO, "a pipe"), (stat.S_ISCHR, "a device"),
             (stat.S_ISBLK, "a device"), (stat.S_ISSOCK, "a socket"))
    return next((name for test, name in kinds if test(mode)), "not a file")


# Pillow's own words → what a desk can act on
_PILLOW_REASONS = (
    ("MAX_TEXT_CHUNK", "a compressed chunk unpacks to more than 1 MB: the PNG is damaged or made "
                       "to exhaust memory"),
    ("MAX_TEXT_MEMORY", "its text chunks hold more than 64 MB: the PNG is damaged or made to "
                        "exhaust memory"),
    ("cannot identify image file", "not an image file Pillow can read (JPEG, PNG, TIFF, …)"),
)


@contextlib.contextmanager
def pillow_errors(path: Path, doing: str = "") -> Iterator[None]:
    """Whatever Pillow raises or warns about while opening or decoding `path` becomes a ImageFileError
    naming it (`doing` leads the reason): damaged files raise OSError, ValueError, SyntaxError,
    struct.error, EOFError …"""
    from PIL import Image, ImageCms

    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # Pillow's advice (palette transparency…): handled here
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            yield
    except ImageFileError:
        raise
    except (Image.DecompressionBombWarning, Image.DecompressionBombError) as e:
        # Past twice its limit Pillow refuses to open the file at all: its count is all there is
        found = re.search(r"\((\d+) pixels\)", str(e))
        has = f"has {int(found[1]) / 1e6:.0f} megapixels" if found else "has too many pixels"
        raise ImageFileError(f"{path}: the image {has}; it may have at most "
                          f"{MAX_IMAGE_PIXELS / 1e6:.0f} megapixels", path) from None
    except MemoryError:
        raise ImageFileError(f"{path}: not enough memory to decode the image", path) from None
    except (OSError, ValueError, SyntaxError, EOFError, IndexError, KeyError, TypeError,
            ImageCms.PyCMSError, struct.error, zlib.error) as e:
        text = str(e) or type(e).__name__
        reason = next((why for key, why in _PILLOW_REASONS if key in text), text)
        if "MAX_TEXT_CHUNK" in text:
            reason = reason.replace("a compressed chunk", _oversized_png_chunk(path))
        raise ImageFileError(f"{path}: {doing}{reason}", path) from None


_PNG_CHUNKS = {b"zTXt": "compressed text", b"iTXt": "international text",
               b"iCCP": "embedded colour profile"}


def _oversized_png_chunk(path: Path, limit: int = 2**20) -> str:
    """Which chunk of a PNG unpacks past `limit` ("its iCCP chunk (embedded colour profile)"), read
    chunk by chunk up to the image data; "a compressed chunk" when it cannot tell."""
    try:
        with open(path, "rb") as f:
            f.seek(8)
            while True:
                head = f.read(8)
                if len(head) < 8:
                    break
                length, kind = struct.unpack(">I4s", head)
                if kind == b"IDAT":
                    break
                if kind not in _PNG_CHUNKS:
                    f.seek(length + 4, os.SEEK_CUR)
                    continue
                body = f.read(length)
                f.seek(4, os.SEEK_CUR)  # CRC
                unpacker = zlib.decompressobj()
                with contextlib.suppress(zlib.error):
                    unpacker.decompress(_zlib_part(kind, body), limit)
                    if unpacker.unconsumed_tail:
                        return f"its {kind.decode()} chunk ({_PNG_CHUNKS[kind]})"
    except (OSError, struct.error):
        pass
    return "a compressed chunk"


def _zlib_part(kind: bytes, body: bytes) -> bytes:
    """The compressed data of a zTXt/iCCP chunk (name, NUL, method, data) or of an iTXt one
    (keyword, NUL, flag, method, language, NUL, translated keyword, NUL, text)."""
    after_name = body.split(b"\0", 1)[-1]
    if kind != b"iTXt":
        return after_name[1:]
    return after_name[2:].split(b"\0", 2)[-1]
