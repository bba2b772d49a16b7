"""Pictures and output profiles a shared render host must survive (issue 12): each is checked
before it is read whole or decoded (regular file, file size, header, pixel sides and count), and a
bad one is named at its file, with the limit in the message. Memory is bounded under
resource.setrlimit in a child process; the big images are written by hand (struct + zlib), which
takes milliseconds."""
from __future__ import annotations

import os
import struct
import subprocess
import sys
import textwrap
import zlib
from pathlib import Path

import pytest
from PIL import Image

from layout.press.colour import NEWSPRINT_PROFILE, ColourError, check_profile_file, convert_to_cmyk, read_profile
from layout.util import imagefile
from layout.util.imagefile import MAX_IMAGE_SIDE, image_size

from test_robustness import render, spec_file

ROOT = Path(__file__).resolve().parent.parent
PNG_MAGIC = b"\x89PNG\r\n\x1a\n"
CHANNELS = {0: 1, 2: 3, 3: 1, 4: 2, 6: 4}


def chunk(kind: bytes, data: bytes) -> bytes:
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))


def write_png(path: Path, width: int, height: int, *, depth: int = 8, colour_type: int = 2,
              before_data: bytes = b"", fill: int = 0x55) -> Path:
    """A real PNG of one flat colour, any size: rows compress to almost nothing."""
    row = b"\0" + bytes([fill]) * ((width * depth * CHANNELS[colour_type] + 7) // 8)
    packer = zlib.compressobj(9)
    data = b"".join(packer.compress(row) for _ in range(height)) + packer.flush()
    header = struct.pack(">IIBBBBB", width, height, depth, colour_type, 0, 0, 0)
    path.write_bytes(PNG_MAGIC + chunk(b"IHDR", header) + before_data + chunk(b"IDAT", data)
                     + chunk(b"IEND", b""))
    return path


def bomb(kind: bytes) -> bytes:
    """A zTXt, iTXt or iCCP chunk whose 4 KB unpack to 4 MB (Pillow stops at 1 MB)."""
    packed = zlib.compress(b"x" * 2**22)
    head = {b"zTXt": b"Comment\0\0", b"iCCP": b"icc\0\0", b"iTXt": b"Comment\0\1\0\0\0"}[kind]
    return chunk(kind, head + packed)


PEAK_MB = """
def peak_mb():  # VmHWM starts afresh at exec (ru_maxrss keeps the parent's)
    with open("/proc/self/status") as f:
        return next(int(line.split()[1]) // 1024 for line in f if line.startswith("VmHWM:"))
"""


def run_limited(code: str, limit_bytes: int, *args: str, timeout: float = 60) -> subprocess.CompletedProcess:
    """Python `code` in a child whose address space is capped at `limit_bytes`."""
    prelude = textwrap.dedent(f"""\
        import resource, sys
        resource.setrlimit(resource.RLIMIT_AS, ({limit_bytes}, {limit_bytes}))
        """) + PEAK_MB
    env = {**os.environ, "PYTHONPATH": str(ROOT), "PYTHONDONTWRITEBYTECODE": "1"}
    return subprocess.run([sys.executable, "-c", prelude + textwrap.dedent(code), *args], cwd=ROOT,
                          capture_output=True, text=True, timeout=timeout, env=env)


# --- output profiles --------------------------------------------------------------------------


def test_a_huge_profile_is_refused_by_its_size_without_being_read(tmp_path):
    """A 3 GB file was read whole (41 s, 3.2 GB) before "not an ICC profile". Sparse: no disk used."""
    huge = tmp_path / "huge.icc"
    with open(huge, "wb") as f:
        f.truncate(3 * 2**30)
    done = run_limited("""
        from pathlib import Path
        from layout.press.colour import ColourError, read_profile
        try:
            read_profile(Path(sys.argv[1]))
        except ColourError as e:
            print(e)
        """, 600 * 2**20, str(huge))
    assert done.returncode == 0, done.stderr
    assert done.stdout == f"{huge}: the file is 3,072 MB; an ICC profile may be at most 64 MB\n"


@pytest.mark.parametrize("kind", ["fifo", "device", "folder"])
def test_a_profile_that_is_not_a_regular_file_is_refused_without_blocking(tmp_path, kind):
    if kind == "fifo":
        path = tmp_path / "pipe.icc"
        os.mkfifo(path)  # opening it for reading would block until a writer comes
        what = "a pipe"
    elif kind == "device":
        path, what = Path("/dev/zero"), "a device"
    else:
        path, what = tmp_path, "a folder"
    for check in (check_profile_file, read_profile):
        with pytest.raises(ColourError) as caught:
            check(path)
        assert str(caught.value) == f"{path}: not a regular file ({what}), so not an ICC profile"
        assert caught.value.image is None  # the profile is at fault, not a picture


def test_a_profile_is_recognised_by_its_header(tmp_path):
    fake = tmp_path / "fake.icc"
    fake.write_bytes(b"\0" * 4096)
    with pytest.raises(ColourError) as caught:
        check_profile_file(fake)
    assert str(caught.value) == f"{fake}: not an ICC profile (no 'acsp' signature in its header)"
    check_profile_file(NEWSPRINT_PROFILE)
    assert read_profile(NEWSPRINT_PROFILE) == NEWSPRINT_PROFILE.read_bytes()


def test_a_huge_profile_in_a_render_is_named_at_output_profile(tmp_path):
    """Through render: the picture's conversion checks the profile before reading it."""
    spec = spec_file(tmp_path, (("fonts: {song", "output: {profile: huge.icc}\nfonts: {song"),))
    with open(tmp_path / "huge.icc", "wb") as f:
        f.truncate(3 * 2**30)
    code, lines, _ = render("render", spec, "-o", tmp_path / "out")
    assert code == 2
    assert lines == [f"{spec}:9: output.profile: {tmp_path / 'huge.icc'}: the file is 3,072 MB; an ICC "
                     "profile may be at most 64 MB", "  give a CMYK output profile (.icc)"]


# --- pictures -----------------------------------------------------------------------------------


def test_sides_are_bounded_as_well_as_pixels(tmp_path):
    """89000 × 1000 is under the pixel limit, but past libjpeg's 65,500-pixel side."""
    wide = write_png(tmp_path / "wide.png", 89_000, 1000, depth=1, colour_type=0)
    with pytest.raises(ColourError) as caught:
        image_size(wide)
    assert str(caught.value) == (f"{wide}: the image is 89000×1000 pixels; its sides may be at most "
                                 "30000 pixels")
    assert caught.value.image == wide
    tall = tmp_path / "tall.jpg"
    Image.new("RGB", (8, MAX_IMAGE_SIDE + 1)).save(tall)
    with pytest.raises(ColourError, match=r"8×30001 pixels; its sides may be at most 30000 pixels"):
        image_size(tall)
    assert image_size(write_png(tmp_path / "edge.png", MAX_IMAGE_SIDE, 2)) == (MAX_IMAGE_SIDE, 2)


def test_pixels_are_bounded(tmp_path):
    square = write_png(tmp_path / "square.png", 10_000, 9_000, depth=1, colour_type=0)
    with pytest.raises(ColourError) as caught:
        image_size(square)
    assert str(caught.value) == (f"{square}: the image is 10000×9000 pixels (90 megapixels); it may "
                                 "have at most 89 megapixels")
    huge = write_png(tmp_path / "huge.png", 20_000, 20_000, depth=1, colour_type=0)  # Pillow refuses
    with pytest.raises(ColourError) as caught:
        image_size(huge)
    assert str(caught.value) == f"{huge}: the image has 400 megapixels; it may have at most 89 megapixels"


def test_a_picture_too_wide_for_the_press_is_named_at_its_key_with_no_stray_output(tmp_path):
    """Once: 6.6 s and 3 GB, libjpeg's "Maximum supported image dimension is 65500 pixels" on the
    terminal naming no file, then "cannot convert to CMYK: broken data stream"."""
    spec = spec_file(tmp_path, (("file: photo.jpg", "file: wide.png"),))
    write_png(tmp_path / "wide.png", 89_000, 1000, depth=1, colour_type=0)
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    done = subprocess.run([sys.executable, "-m", "layout", "render", str(spec), "-o", str(tmp_path / "out")],
                          cwd=ROOT, capture_output=True, text=True, timeout=120, env=env)
    assert done.returncode == 2
    assert done.stderr.splitlines() == [
        f"{spec}:18: images.photo.file: cannot use image wide.png: the image is 89000×1000 pixels; "
        "its sides may be at most 30000 pixels",
        "  give a readable JPEG or PNG file of at most 89 megapixels and sides of at most 30000 pixels"]


@pytest.mark.parametrize("kind, what", [(b"zTXt", "zTXt chunk (compressed text)"),
                                        (b"iTXt", "iTXt chunk (international text)"),
                                        (b"iCCP", "iCCP chunk (embedded colour profile)")])
def test_a_png_whose_chunk_unpacks_too_far_is_a_bad_image(tmp_path, kind, what):
    """Was `internal error: ValueError: Decompressed data too large for
    PngImagePlugin.MAX_TEXT_CHUNK` (exit 3)."""
    png = write_png(tmp_path / "chunky.png", 40, 30, before_data=bomb(kind))
    expected = (f"{png}: its {what} unpacks to more than 1 MB: the PNG is damaged or made to "
                "exhaust memory")
    with pytest.raises(ColourError) as caught:
        image_size(png)
    assert str(caught.value) == expected and caught.value.image == png
    with pytest.raises(ColourError) as caught:
        convert_to_cmyk(png, NEWSPRINT_PROFILE, 240.0, tmp_path / "cache")
    assert str(caught.value) == expected


@pytest.mark.parametrize("kind, what", [("fifo", "a pipe"), ("folder", "a folder")])
def test_a_picture_that_is_not_a_regular_file(tmp_path, kind, what):
    path = tmp_path / "photo.png"
    os.mkfifo(path) if kind == "fifo" else path.mkdir()
    with pytest.raises(ColourError) as caught:
        image_size(path)
    assert str(caught.value) == f"{path}: not a regular file ({what})"


def test_a_picture_file_is_bounded_by_size(tmp_path):
    huge = tmp_path / "huge.jpg"
    with open(huge, "wb") as f:
        f.truncate(imagefile.MAX_IMAGE_BYTES + 1)
    with pytest.raises(ColourError) as caught:
        image_size(huge)
    assert str(caught.value) == f"{huge}: the file is 257 MB; an image may be at most 256 MB"


def test_not_an_image(tmp_path):
    text = tmp_path / "notes.png"
    text.write_text("not a picture")
    with pytest.raises(ColourError) as caught:
        image_size(text)
    assert str(caught.value) == f"{text}: not an image file Pillow can read (JPEG, PNG, TIFF, …)"


def test_the_largest_accepted_picture_converts_within_a_gigabyte(tmp_path):
    """30000 × 2980 RGB (89 megapixels, both limits), placed at full size so nothing is scaled
    away: converted in bands, it stays under a 1.5 GB address space (the whole conversion once
    took 2.8 GB resident); its peak resident memory is under 1 GB."""
    big = write_png(tmp_path / "big.png", MAX_IMAGE_SIDE, 2980)
    done = run_limited("""
        from pathlib import Path
        from layout.press.colour import NEWSPRINT_PROFILE, convert_to_cmyk
        result = convert_to_cmyk(Path(sys.argv[1]), NEWSPRINT_PROFILE, 240.0, Path(sys.argv[2]),
                                 size=(30000, 2980))
        print(result.path.stat().st_size > 0, peak_mb())
        """, 1536 * 2**20, str(big), str(tmp_path / "cache"), timeout=120)
    assert done.returncode == 0, done.stderr[-2000:]
    converted, peak_mb = done.stdout.split()
    assert converted == "True" and int(peak_mb) < 1024
    with Image.open(next((tmp_path / "cache").glob("*.jpg"))) as im:
        assert im.size == (30000, 2980) and im.mode == "CMYK"


def test_a_large_jpeg_placed_small_is_decoded_at_reduced_scale(tmp_path):
    """JPEG's DCT scaling (Image.draft): a 10000 × 7000 original placed at 1000 px decodes at 1/8."""
    big = tmp_path / "big.jpg"
    Image.new("RGB", (10_000, 7_000), (30, 90, 160)).save(big, quality=60)
    done = run_limited("""
        from pathlib import Path
        from layout.press.colour import NEWSPRINT_PROFILE, convert_to_cmyk
        convert_to_cmyk(Path(sys.argv[1]), NEWSPRINT_PROFILE, 240.0, Path(sys.argv[2]), size=(1000, 600))
        print(peak_mb())
        """, 1536 * 2**20, str(big), str(tmp_path / "cache"))
    assert done.returncode == 0, done.stderr[-2000:]
    assert int(done.stdout) < 250  # a full decode alone is 280 MB


def test_the_cached_name_depends_on_content_only(tmp_path):
    """Item 6 of the determinism work: the same picture in two folders, two caches: one name."""
    (tmp_path / "a").mkdir()
    (tmp_path / "b").mkdir()
    first = write_png(tmp_path / "a" / "x.png", 60, 40, fill=0x80)
    second = write_png(tmp_path / "b" / "y.png", 60, 40, fill=0x80)
    one = convert_to_cmyk(first, NEWSPRINT_PROFILE, 240.0, tmp_path / "cache1")
    two = convert_to_cmyk(second, NEWSPRINT_PROFILE, 240.0, tmp_path / "cache2")
    assert one.path.name == two.path.name
    assert one.path.read_bytes() == two.path.read_bytes()


def test_a_png_whose_chunk_unpacks_too_far_is_named_at_its_key_by_render(tmp_path):
    spec = spec_file(tmp_path, (("file: photo.jpg", "file: chunky.png"),))
    write_png(tmp_path / "chunky.png", 40, 30, before_data=bomb(b"zTXt"))
    code, lines, _ = render("render", spec, "-o", tmp_path / "out")
    assert (code, lines) == (2, [
        f"{spec}:18: images.photo.file: cannot use image chunky.png: its zTXt chunk (compressed "
        "text) unpacks to more than 1 MB: the PNG is damaged or made to exhaust memory",
        "  give a readable JPEG or PNG file of at most 89 megapixels and sides of at most 30000 pixels"])
