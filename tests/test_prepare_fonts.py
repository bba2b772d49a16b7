"""scripts/prepare_fonts.py: set-up can prepare every installed Chinese Noto CJK face, or those of
chosen regions (a Traditional Chinese edition's TC faces), so no render converts one on first use."""
from __future__ import annotations

import importlib.util
from pathlib import Path

import pytest

from layout.util.errors import FontError
from layout.fonts.book import find_font

SCRIPT = Path(__file__).resolve().parent.parent / "scripts" / "prepare_fonts.py"


@pytest.fixture(scope="module")
def script():
    spec = importlib.util.spec_from_file_location("prepare_fonts", SCRIPT)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_the_installed_traditional_chinese_faces(script):
    try:
        find_font("Noto Serif CJK TC")
    except FontError:
        pytest.skip("fonts-noto-cjk is not installed")
    assert script.installed_cjk_faces({"TC"}) == [
        "Noto Sans CJK TC", "Noto Sans CJK TC Bold", "Noto Serif CJK TC", "Noto Serif CJK TC Bold"]
    chinese = script.installed_cjk_faces(set(script.CHINESE_REGIONS))
    assert {"Noto Serif CJK SC", "Noto Sans CJK HK Bold"} <= set(chinese)
    assert not any("Mono" in name or " JP" in name for name in chinese)


def test_a_region_with_no_face_is_an_error(script, capsys):
    assert script.main(["--all-installed-cjk", "--regions", "XX"]) == 2
    assert capsys.readouterr().err == "fonts: no installed Noto CJK face of XX\n"
