#!/usr/bin/env bash
# Install the built jsing distribution into PREFIX (default: dist/ in the checkout).
#   PREFIX=/opt/jsing scripts/install.sh
# Layout: PREFIX/bin/jsing, PREFIX/lib/jsing/*.jar, PREFIX/libexec/jsing/jsing-starter.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
prefix=${PREFIX:-$root/dist}
src=$root/runner/target/jsing-dist
[ -x "$src/bin/jsing" ] || { echo "install: $src is missing; build first (./mvnw -DskipTests package)" >&2; exit 1; }
rm -rf "$prefix/lib/jsing" "$prefix/libexec/jsing"
mkdir -p "$prefix"
cp -R "$src/." "$prefix/"
chmod -R a+rX "$prefix"
echo "install: jsing installed in $prefix (run $prefix/bin/jsing)"
