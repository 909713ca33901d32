#!/usr/bin/env bash
# SPDX-License-Identifier: EUPL-1.2
# Builds everything (the program, the tests, the fuzz replays) with gcc and clang in
# Debug, Release and RelWithDebInfo, and once more with Debian's hardening flags
# (dpkg-buildflags with hardening=+all: fortify, stack protector, format-security,
# relro/now, PIE), without -Werror, and counts the compiler warnings of each build.
# Exits 1 when any build fails or warns. Build folders: build-warn/COMPILER-TYPE.
# usage: scripts/warnings.sh [COMPILER...]   (default: gcc clang)
set -uo pipefail
cd "$(dirname "$0")/.."
shared=${SHARED_DIR:-$(cd .. && pwd)/shared}
compilers=("$@")
[ ${#compilers[@]} -gt 0 ] || compilers=(gcc clang)
bad=0
build() { # compiler, name, cmake flags...
  local cc=$1 name=$2
  shift 2
  local dir="build-warn/$cc-$name"
  local log="$dir.log"
  mkdir -p build-warn
  rm -rf "$dir"
  local t0=$SECONDS
  if ! cmake -S . -B "$dir" -DSHARED_DIR="$shared" -DCMAKE_C_COMPILER="$cc" "$@" >"$log" 2>&1 ||
    ! make -C "$dir" -j"$(nproc)" --no-print-directory >>"$log" 2>&1; then
    echo "$cc $name: BUILD FAILED (see $log)"
    bad=1
    return
  fi
  local n
  n=$(grep -c 'warning:' "$log")
  printf '%-6s %-26s %3d warnings  (%ds)\n' "$cc" "$name" "$n" $((SECONDS - t0))
  [ "$n" -eq 0 ] || { grep 'warning:' "$log" | sort -u | head -20; bad=1; }
}
hardening() { # the flag kind (CFLAGS, CPPFLAGS, LDFLAGS) as dpkg-buildflags gives it
  DEB_BUILD_MAINT_OPTIONS=hardening=+all dpkg-buildflags --get "$1"
}
for cc in "${compilers[@]}"; do
  for type in Debug Release RelWithDebInfo; do
    build "$cc" "$type" -DCMAKE_BUILD_TYPE="$type"
  done
  if command -v dpkg-buildflags >/dev/null; then
    build "$cc" "Release-dpkg-hardening" -DCMAKE_BUILD_TYPE=Release \
      "-DCMAKE_C_FLAGS=$(hardening CFLAGS) $(hardening CPPFLAGS)" \
      "-DCMAKE_EXE_LINKER_FLAGS=$(hardening LDFLAGS)"
  fi
done
exit $bad
