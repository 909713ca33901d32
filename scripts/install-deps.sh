#!/usr/bin/env bash
# SPDX-License-Identifier: EUPL-1.2
# Installs the Debian packages bereik needs to build and test, when missing.
# As root it runs apt-get; otherwise through sudo when available; otherwise it prints
# the exact apt-get line and stops.
set -euo pipefail
packages=(build-essential cmake pkg-config libsqlite3-dev sqlite3 libcsv-dev libsodium-dev
          libcmocka-dev libpq-dev postgresql libmicrohttpd-dev liboath-dev libjansson-dev curl chromium nodejs python3 time clang-format clang-tidy cppcheck
          clang libclang-rt-14-dev sqlmap wrk
          libxlsxwriter-dev libcairo2-dev libpango1.0-dev fonts-dejavu-core python3-openpyxl poppler-utils
          librsvg2-dev
          libpwquality-dev cracklib-runtime libqrencode-dev)
missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
[ ${#missing[@]} -eq 0 ] && exit 0
echo "install-deps: installing ${missing[*]}" >&2
if [ "$(id -u)" -eq 0 ]; then
  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null
elif command -v sudo >/dev/null 2>&1 && sudo -n true 2>/dev/null; then
  sudo apt-get update -qq && sudo DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null
else
  echo "install-deps: missing packages; run as root:" >&2
  echo "  apt-get install -y ${missing[*]}" >&2
  exit 1
fi
