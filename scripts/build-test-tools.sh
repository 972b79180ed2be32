#!/usr/bin/env bash
# Build the test tools under test-tools/ (Go programs over Debian's Go packages, offline: GOPATH mode, no module
# downloads) into a cache keyed by their source, so a changed source is rebuilt and an unchanged one is not.
#   scripts/build-test-tools.sh [CACHE_DIR]   default ${JSING_TEST_CACHE:-/var/tmp/jsing-test-cache}/test-tools
# Writes CACHE_DIR/sif-verify-<first 16 hex of the SHA-256 of test-tools/sif-verify/main.go> (the reference SIF
# library verifying signatures; needs golang-go and golang-github-sylabs-sif-dev, installed by setup-host.sh --test).
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
out=${1:-${JSING_TEST_CACHE:-/var/tmp/jsing-test-cache}/test-tools}
mkdir -p "$out"
src=$root/test-tools/sif-verify/main.go
key=$(sha256sum "$src" | cut -c1-16)
bin=$out/sif-verify-$key
if [ -x "$bin" ]; then
  echo "build-test-tools: $bin is up to date"
  exit 0
fi
gocode=/usr/share/gocode
[ -d "$gocode/src/github.com/sylabs/sif/pkg/integrity" ] || {
  echo "build-test-tools: $gocode has no github.com/sylabs/sif (apt-get install golang-github-sylabs-sif-dev)" >&2; exit 1; }
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
# Debian installs the module github.com/sylabs/sif/v2 without its /v2 directory: a private GOPATH entry adds it.
mkdir -p "$work/gopath/src/github.com/sylabs/sif" "$work/gopath/src/jsing/sif-verify"
ln -s "$gocode/src/github.com/sylabs/sif" "$work/gopath/src/github.com/sylabs/sif/v2"
cp "$src" "$work/gopath/src/jsing/sif-verify/"
(cd "$work/gopath/src/jsing/sif-verify" &&
  GOPATH="$work/gopath:$gocode" GO111MODULE=off GOPROXY=off GOCACHE="$work/cache" GOFLAGS= \
    go build -o "$work/sif-verify" .)
mv "$work/sif-verify" "$bin"
chmod 755 "$bin"
echo "build-test-tools: built $bin"
