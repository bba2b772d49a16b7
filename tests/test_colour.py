"""Photos for press (layout/press/colour.py): RGB and grey → CMYK through the newsprint profile, within
the total ink limit, cached; and reportlab draws the CMYK JPEGs with the right colours."""
from __future__ import annotations

import colorsys
import io
import shutil
import subprocess
from pathlib import Path

import pytest
from PIL import Image, ImageCms

from layout.press import colour
from layout.press.colour import NEWSPRINT_PROFILE, ColourError, convert_to_cmyk, effective_dpi, to_cmyk_jpeg
from layout.press.ink import INK_TOLERANCE, total_ink

pytestmark = pytest.mark.skipif(not NEWSPRINT_PROFILE.is_file(),
                                reason="layout/profiles/newsprint-tr002-240.icc not built")


def hue_sweep(path: Path, width: int = 180, height: int = 60) -> Path:
    """Every hue at full saturation, bright (top), dark (middle) and greys (bottom)."""
    im = Image.new("RGB", (width, height))
    px = im.load()
    for x in range(width):
        for y in range(height):
            if y < height // 3:
                rgb = colorsys.hsv_to_rgb(x / width, 1.0, 1.0)
            elif y < 2 * height // 3:
                rgb = colorsys.hsv_to_rgb(x / width, 1.0, 0.35)
            else:
                rgb = (x / width,) * 3
            px[x, y] = tuple(round(v * 255) for v in rgb)
    im.save(path)
    return path


def max_ink(path: Path) -> float:
    with Image.open(path) as im:
        assert im.mode == "CMYK"
        return total_ink(im).getextrema()[1] * 100 / 255


@pytest.fixture()
def sweep(tmp_path):
    return hue_sweep(tmp_path / "sweep.png")


def test_rgb_becomes_cmyk_within_the_ink_limit(sweep, tmp_path):
    out = to_cmyk_jpeg(sweep, NEWSPRINT_PROFILE, 240, tmp_path / "cache")
    assert out.suffix == ".jpg" and out.parent == tmp_path / "cache"
    with Image.open(out) as im:
        assert im.format == "JPEG" and im.mode == "CMYK" and im.size == (180, 60)
        assert "adobe" in im.info  # Adobe-style CMYK: what reportlab's /Decode [1 0 …] expects
    assert max_ink(out) <= 240 + INK_TOLERANCE


def test_a_tighter_limit_is_enforced(sweep, tmp_path):
    result = convert_to_cmyk(sweep, NEWSPRINT_PROFILE, 160, tmp_path / "cache")
    assert result.enforced and result.converted and result.source_mode == "RGB"
    assert max_ink(result.path) <= 160 + INK_TOLERANCE
    assert result.within_limit and result.over_fraction == 0.0


def test_check_only_measures_without_changing(sweep, tmp_path):
    """With a user's own profile the limit is checked, not enforced."""
    free = convert_to_cmyk(sweep, NEWSPRINT_PROFILE, 240, tmp_path / "a", enforce=False)
    checked = convert_to_cmyk(sweep, NEWSPRINT_PROFILE, 150, tmp_path / "b", enforce=False)
    assert not checked.enforced
    assert checked.path.read_bytes() == free.path.read_bytes()
    assert checked.max_ink > 150 + INK_TOLERANCE
    assert not checked.within_limit and 0 < checked.over_fraction < 1
    assert "exceeds the 150 % limit" in checked.message("sweep.png")


def test_grey_goes_to_the_black_plate_only(tmp_path):
    ramp = Image.linear_gradient("L").rotate(90).resize((256, 4))  # black (left) → white (right)
    ramp.save(tmp_path / "grey.png")
    out = to_cmyk_jpeg(tmp_path / "grey.png", NEWSPRINT_PROFILE, 240, tmp_path / "cache")
    with Image.open(out) as im:
        c, m, y, k = (ch.resize((256, 1)).tobytes() for ch in im.split())
    assert max(c) <= 2 and max(m) <= 2 and max(y) <= 2  # JPEG noise only
    assert k[0] >= 250 and k[-1] <= 3
    assert all(k[i] >= k[i + 8] - 3 for i in range(0, 248, 8))  # lighter grey, less black
    assert 100 < k[128] < 180  # mid-grey: a mid-tone dot, not solid and not empty


def test_cmyk_source_is_passed_through(tmp_path):
    src = tmp_path / "cmyk.jpg"
    Image.new("CMYK", (40, 30), (255, 255, 255, 255)).save(src, quality=95)  # 400 %: over the limit
    result = convert_to_cmyk(src, NEWSPRINT_PROFILE, 240, tmp_path / "cache")
    assert not result.converted and not result.enforced
    assert result.path.read_bytes() == src.read_bytes()
    assert result.max_ink > 390 and not result.within_limit


def test_alpha_is_flattened_onto_white(tmp_path):
    im = Image.new("RGBA", (20, 20), (0, 0, 0, 0))
    im.paste((200, 0, 0, 255), (0, 0, 10, 20))
    im.save(tmp_path / "alpha.png")
    out = to_cmyk_jpeg(tmp_path / "alpha.png", NEWSPRINT_PROFILE, 240, tmp_path / "cache")
    with Image.open(out) as cmyk:
        assert max(cmyk.getpixel((15, 10))) <= 3  # transparent → paper white
        c, m, y, _ = cmyk.getpixel((5, 10))
        assert m > 150 and y > 100 and c < 60  # red


def test_cache_by_content_profile_and_limit(sweep, tmp_path):
    cache = tmp_path / "cache"
    first = to_cmyk_jpeg(sweep, NEWSPRINT_PROFILE, 240, cache)
    inode = first.stat().st_ino  # a new conversion replaces the file (atomic rename)
    copy = tmp_path / "renamed.png"
    shutil.copyfile(sweep, copy)
    assert to_cmyk_jpeg(copy, NEWSPRINT_PROFILE, 240, cache) == first  # same bytes, same entry
    assert first.stat().st_ino == inode  # not converted again
    assert to_cmyk_jpeg(sweep, NEWSPRINT_PROFILE, 200, cache) != first
    assert convert_to_cmyk(sweep, NEWSPRINT_PROFILE, 240, cache) == \
        convert_to_cmyk(sweep, NEWSPRINT_PROFILE, 240, cache)


def test_the_conversion_is_deterministic(sweep, tmp_path):
    a = to_cmyk_jpeg(sweep, NEWSPRINT_PROFILE, 240, tmp_path / "a")
    b = to_cmyk_jpeg(sweep, NEWSPRINT_PROFILE, 240, tmp_path / "b")
    assert a.read_bytes() == b.read_bytes()


def test_an_rgb_profile_is_refused(sweep, tmp_path):
    srgb = tmp_path / "srgb.icc"
    srgb.write_bytes(ImageCms.ImageCmsProfile(ImageCms.createProfile("sRGB")).tobytes())
    with pytest.raises(ColourError, match="must be CMYK"):
        to_cmyk_jpeg(sweep, srgb, 240, tmp_path / "cache")
    with pytest.raises(ColourError, match="cannot read image"):
        to_cmyk_jpeg(tmp_path / "missing.png", NEWSPRINT_PROFILE, 240, tmp_path / "cache")


def test_effective_dpi():
    assert effective_dpi((1800, 1100), (648.0, 396.0)) == pytest.approx(200.0)
    assert effective_dpi((1800, 1100), (648.0, 792.0)) == pytest.approx(100.0)  # the lower axis
    assert effective_dpi((300, 300), (72.0, 72.0)) == pytest.approx(300.0)
    with pytest.raises(ValueError):
        effective_dpi((10, 10), (0.0, 5.0))


@pytest.mark.skipif(shutil.which("pdftoppm") is None, reason="poppler-utils not installed")
def test_reportlab_draws_the_cmyk_jpeg_with_the_right_colours(tmp_path):
    """Pillow stores CMYK JPEGs inverted (Adobe); reportlab writes /Decode [1 0 …]: poppler must
    show red as red and white as white, not their inverse."""
    from reportlab.pdfgen.canvas import Canvas

    patches = {"red": (220, 20, 20), "blue": (20, 40, 200), "green": (20, 160, 40),
               "white": (255, 255, 255), "black": (0, 0, 0)}
    src = Image.new("RGB", (50 * len(patches), 50))
    for i, rgb in enumerate(patches.values()):
        src.paste(rgb, (50 * i, 0, 50 * i + 50, 50))
    src.save(tmp_path / "patches.png")
    jpeg = to_cmyk_jpeg(tmp_path / "patches.png", NEWSPRINT_PROFILE, 240, tmp_path / "cache")
    buf = io.BytesIO()
    c = Canvas(buf, pagesize=(src.width, src.height), invariant=1)
    c.drawImage(str(jpeg), 0, 0, src.width, src.height)
    c.showPage()
    c.save()
    (tmp_path / "p.pdf").write_bytes(buf.getvalue())
    subprocess.run(["pdftoppm", "-r", "72", "-png", "-singlefile", str(tmp_path / "p.pdf"),
                    str(tmp_path / "p")], check=True)
    shown = Image.open(tmp_path / "p.png").convert("RGB")
    seen = {name: shown.getpixel((50 * i + 25, 25)) for i, name in enumerate(patches)}
    r, g, b = seen["red"]
    assert r > g + 60 and r > b + 60
    r, g, b = seen["blue"]
    assert b > r + 40 and b > g + 20
    r, g, b = seen["green"]
    assert g > r + 30 and g > b + 10
    assert min(seen["white"]) > 240
    assert max(seen["black"]) < 90


def test_version_is_part_of_the_cache_key(sweep, tmp_path, monkeypatch):
    first = to_cmyk_jpeg(sweep, NEWSPRINT_PROFILE, 240, tmp_path / "cache")
    monkeypatch.setattr(colour, "VERSION", colour.VERSION + "-next")
    assert to_cmyk_jpeg(sweep, NEWSPRINT_PROFILE, 240, tmp_path / "cache") != first


def test_the_committed_profile():
    data = NEWSPRINT_PROFILE.read_bytes()
    assert data[36:40] == b"acsp" and data[12:24] == b"prtrCMYKLab "
    assert data[24:36] == bytes.fromhex("07d000010001000000000000")  # 2000-01-01 00:00:00
    prof = ImageCms.getOpenProfile(str(NEWSPRINT_PROFILE))
    assert "240%" in ImageCms.getProfileDescription(prof)
    assert "TR 002" in ImageCms.getProfileCopyright(prof)


def test_the_build_script_pins_the_header_date():
    import importlib.util
    from datetime import datetime, timezone

    script = Path(__file__).resolve().parent.parent / "scripts" / "build_icc_profile.py"
    spec = importlib.util.spec_from_file_location("build_icc_profile", script)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    data = NEWSPRINT_PROFILE.read_bytes()
    moved = module.fix_header(data, datetime(2031, 12, 24, 10, 11, 12, tzinfo=timezone.utc))
    assert moved[:24] == data[:24] and moved[36:] == data[36:]
    assert moved[24:36] == bytes.fromhex("07ef000c0018000a000b000c")
    assert module.fix_header(moved, module.FIXED_DATE) == data


def test_a_camera_original_is_scaled_down_to_what_prints(tmp_path):
    """A photo with far more pixels than its placed size needs is converted at `size` (covering it,
    proportions kept), so a 48-megapixel original costs neither minutes nor gigabytes."""
    big = tmp_path / "big.jpg"
    Image.new("RGB", (4000, 3000), (200, 120, 40)).save(big, quality=90)
    size = colour.print_size((240.0, 120.0))  # a picture placed 240 × 120 pt
    assert size == (1000, 500)
    out = convert_to_cmyk(big, NEWSPRINT_PROFILE, 240.0, tmp_path / "cache", size=size)
    with Image.open(out.path) as im:
        assert im.mode == "CMYK" and im.size == (1000, 750)  # covers 1000 × 500 at 4:3
    small = convert_to_cmyk(big, NEWSPRINT_PROFILE, 240.0, tmp_path / "cache", size=(3000, 2000))
    with Image.open(small.path) as im:
        assert im.size == (4000, 3000)  # less than 1.5× what is needed: left as it is


def test_a_large_16_bit_grey_png_is_scaled_too(tmp_path):
    big = tmp_path / "grey16.png"
    Image.new("I;16", (3000, 1200), 30000).save(big)
    out = convert_to_cmyk(big, NEWSPRINT_PROFILE, 240.0, tmp_path / "cache", size=(300, 100))
    with Image.open(out.path) as im:
        assert im.mode == "CMYK" and im.size == (300, 120)
