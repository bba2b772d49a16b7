#!/usr/bin/env bash
# All set-up on a fresh Debian machine (Python 3.11): system fonts and PDF tools, the package with
# its test extras, and the font cache (CFF faces converted to TrueType once, ~1–2 minutes).
set -euo pipefail
cd "$(dirname "$0")/.."

if command -v apt-get >/dev/null 2>&1; then
  sudo=""
  [ "$(id -u)" -eq 0 ] || sudo="sudo"
  export DEBIAN_FRONTEND=noninteractive
  $sudo apt-get update -qq
  $sudo apt-get install -y -qq --no-install-recommends \
    fonts-noto-cjk fonts-lxgw-wenkai poppler-utils qpdf ghostscript \
    chromium chromium-driver >/dev/null
fi

python3 -m pip install -q --disable-pip-version-check -e '.[test]'
# Bytecode once, here: a machine that sets PYTHONDONTWRITEBYTECODE would otherwise compile the
# package from source on every `broadsheet` start (~0.1 s).
python3 -m compileall -q layout
python3 scripts/prepare_fonts.py
