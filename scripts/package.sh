#!/usr/bin/env bash
# SPDX-License-Identifier: EUPL-1.2
# Builds the Debian package the Debian way (debian/, debhelper, dpkg-buildpackage) from a
# clean `git archive` of HEAD, so that only committed files go in, then checks it with
# lintian. Writes the .deb files (and the source package, .buildinfo and .changes) into
# dist/. Install it with: apt-get install ./dist/bereik_*.deb
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/install-deps.sh --package
version=$(dpkg-parsechangelog -S Version)
work=$(mktemp -d /tmp/bereik-package.XXXXXX)
trap 'rm -rf "$work"' EXIT
git archive --format=tar --prefix="bereik-$version/" HEAD | tar -x -C "$work"
[ -z "$(git status --porcelain --untracked-files=no)" ] ||
  echo "package: the working tree has uncommitted changes; they are not in the package" >&2
echo "== dpkg-buildpackage (bereik $version, from git $(git rev-parse --short HEAD))"
(cd "$work/bereik-$version" && dpkg-buildpackage -us -uc) >"$work/build.log" 2>&1 ||
  { tail -40 "$work/build.log"; echo "package: dpkg-buildpackage failed"; exit 1; }
grep -E '^dpkg-deb: building' "$work/build.log"
rm -rf dist
mkdir -p dist
cp "$work"/*.deb "$work"/*.dsc "$work"/*.tar.* "$work"/*.buildinfo "$work"/*.changes dist/
echo "== lintian"
lintian --info --display-info --pedantic --fail-on error dist/*.changes && echo "lintian: no errors"
ls -l dist/
