#!/usr/bin/env bash
# Installs Debian's chromium, and a small CJK font (fonts-wqy-microhei) so
# that Chinese pages render as text rather than boxes in screenshots, for
# the explorer's browser test (test/e2e/explorer_test.go). Installs only
# what is missing; needs root for apt-get. Prints the browser's path.
set -euo pipefail
find_chromium() { command -v chromium || command -v chromium-browser || true; }
need=()
[ -n "$(find_chromium)" ] || need+=(chromium)
dpkg -s fonts-wqy-microhei >/dev/null 2>&1 || need+=(fonts-wqy-microhei)
if [ ${#need[@]} -gt 0 ]; then
  if [ "$(id -u)" != 0 ]; then
    echo "install-chromium: missing ${need[*]} and this is not root (run: sudo apt-get install -y ${need[*]})" >&2
    [ -n "$(find_chromium)" ] || exit 1
  else
    echo "install-chromium: apt-get install ${need[*]} (Debian's packages)" >&2
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq >/dev/null
    apt-get install -y -qq "${need[@]}" >/dev/null
  fi
fi
bin=$(find_chromium)
[ -n "$bin" ] || { echo "install-chromium: chromium still not found after apt-get" >&2; exit 1; }
echo "$bin"
"$bin" --version 2>/dev/null >&2 || true
