#!/usr/bin/env bash
# All set-up on a fresh Debian machine (Python 3.11): system fonts and PDF tools, a project venv
# (.venv/, so Debian's PEP 668 system Python is never touched) with the package and its test extras,
# and a `broadsheet` launcher on PATH. Fonts need no preparation: any installed face is embedded as
# it is (CFF as CFF), on its first use.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$(pwd)

if command -v apt-get >/dev/null 2>&1; then
  sudo=""
  [ "$(id -u)" -eq 0 ] || sudo="sudo"
  export DEBIAN_FRONTEND=noninteractive
  $sudo apt-get update -qq
  $sudo apt-get install -y -qq --no-install-recommends \
    fonts-noto-cjk fonts-lxgw-wenkai fonts-dejavu-core poppler-utils qpdf ghostscript \
    build-essential python3-dev \
    chromium chromium-driver >/dev/null
fi

# The project's own environment. A venv whose interpreter is gone (Python upgraded, folder copied
# from another machine) is made anew.
if ! .venv/bin/python -c 'import sys' >/dev/null 2>&1; then
  rm -rf .venv
  if ! python3 -m venv .venv; then
    echo "setup: python3 cannot make a venv; install Debian's python3-venv (apt-get install python3-venv)" >&2
    exit 1
  fi
fi
.venv/bin/python -m pip install -q --disable-pip-version-check -e '.[test]'
# Bytecode once, here: a machine that sets PYTHONDONTWRITEBYTECODE would otherwise compile the
# package from source on every `broadsheet` start (~0.1 s).
.venv/bin/python -m compileall -q layout

# `broadsheet` on PATH: a link to the venv's entry point in the first writable folder of
# /usr/local/bin (root) or ~/.local/bin (a user; say so when that folder is not on PATH).
launcher="$root/.venv/bin/broadsheet"
if [ -w /usr/local/bin ]; then
  bindir=/usr/local/bin
else
  bindir="$HOME/.local/bin"
  mkdir -p "$bindir"
  case ":$PATH:" in
    *":$bindir:"*) ;;
    *) echo "setup: add $bindir to PATH to call broadsheet (export PATH=\"$bindir:\$PATH\")" >&2 ;;
  esac
fi
ln -sfn "$launcher" "$bindir/broadsheet"
hash -r 2>/dev/null || true

