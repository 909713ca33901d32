#!/usr/bin/env bash
# SPDX-License-Identifier: EUPL-1.2
# Installs the Debian packages bereik needs, when missing:
#   scripts/install-deps.sh          what building and running need (scripts/run.sh)
#   scripts/install-deps.sh --test   and the test tools as well (scripts/test.sh)
#   scripts/install-deps.sh --package  and what building the Debian package needs
# As root it runs apt-get; otherwise through sudo when available; otherwise it prints
# the exact apt-get line and stops.
set -euo pipefail
# building and running
packages=(build-essential cmake pkg-config libsqlite3-dev libcsv-dev libsodium-dev libcmocka-dev
          libpq-dev libmicrohttpd-dev liboath-dev libjansson-dev libxlsxwriter-dev libcairo2-dev
          libpango1.0-dev librsvg2-dev fonts-dejavu-core libqrencode-dev libpwquality-dev
          cracklib-runtime libcurl4-openssl-dev libcjose-dev zlib1g-dev)
if [ "${1:-}" = --test ]; then
  # the test tools: databases and their clients, browser and node packages, analysers,
  # fuzzing, the security and load tools, nginx with a throwaway certificate
  packages+=(sqlite3 postgresql curl chromium nodejs python3 python3-openpyxl poppler-utils time
             clang clang-format clang-tidy cppcheck libclang-rt-14-dev sqlmap wrk nginx
             openssl tzdata git zbar-tools librsvg2-bin python3-aiosmtpd)
  # nodejs from Debian 12 ships npm as its own package; a newer nodejs (e.g. NodeSource)
  # brings npm and conflicts with it
  command -v npm >/dev/null 2>&1 || packages+=(npm)
elif [ "${1:-}" = --package ]; then
  # building the Debian package (scripts/package.sh)
  packages+=(debhelper dpkg-dev lintian git)
elif [ $# -gt 0 ]; then
  echo "usage: scripts/install-deps.sh [--test|--package]" >&2
  exit 2
fi
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
