#!/usr/bin/env bash
# Installs Debian's chromium for the explorer's browser test
# (test/e2e/explorer_test.go), unless a chromium is already on PATH.
# Needs root (apt-get); prints the browser's path and version.
set -euo pipefail
find_chromium() { command -v chromium || command -v chromium-browser || true; }
bin=$(find_chromium)
if [ -z "$bin" ]; then
  if [ "$(id -u)" != 0 ]; then
    echo "install-chromium: chromium is not installed and this is not root (run: sudo apt-get install -y chromium)" >&2
    exit 1
  fi
  echo "install-chromium: apt-get install chromium (Debian's package)" >&2
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq >/dev/null
  apt-get install -y -qq chromium >/dev/null
  bin=$(find_chromium)
fi
[ -n "$bin" ] || { echo "install-chromium: chromium still not found after apt-get" >&2; exit 1; }
echo "$bin"
"$bin" --version >&2 || true
