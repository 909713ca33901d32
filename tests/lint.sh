#!/usr/bin/env bash
# SPDX-License-Identifier: EUPL-1.2
# Static checks of the C sources: formatting (.clang-format), cppcheck and clang-tidy
# (with the compile_commands.json of the build). usage: lint.sh BUILD_DIR
set -u
build=${1:?usage: lint.sh BUILD_DIR}
cd "$(dirname "$0")/.."
sources=$(find src tests/unit fuzz -name "*.[ch]" | sort)
passed=0
failed=0
check() { # name, command...
  local name=$1
  shift
  if out=$("$@" 2>&1); then
    echo "ok $name"
    passed=$((passed + 1))
  else
    echo "FAIL $name"
    echo "$out" | head -40
    failed=$((failed + 1))
  fi
}
# shellcheck disable=SC2086
check clang-format clang-format --dry-run -Werror $sources
check cppcheck cppcheck -q --error-exitcode=1 --enable=warning,portability,performance --std=c11 \
  --suppress=memleak:tests/unit/test_measures.c -I src src tests/unit
tidy() {
  # shellcheck disable=SC2046
  out=$(clang-tidy -p "$build" --quiet \
    --checks='-*,bugprone-*,-bugprone-easily-swappable-parameters,-bugprone-narrowing-conversions,-bugprone-assignment-in-if-condition,-bugprone-suspicious-string-compare,cert-err34-c' \
    $(find src -name "*.c" | sort) 2>&1)
  if echo "$out" | grep -E "(warning|error):"; then return 1; fi
  return 0
}
check clang-tidy tidy
echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
