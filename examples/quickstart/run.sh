#!/usr/bin/env bash
# The quickstart main job, as the calling (unprivileged) user: build examples/quickstart/hello.def into a SIF with
# `jsing build` (a user-namespace build: %post installs a package with apt), then run it with `jsing run` and
# `jsing exec`, and list its SIF objects.   Usage: run.sh PATH/TO/jsing [OUT.sif]
set -euo pipefail
jsing=${1:?usage: run.sh PATH/TO/jsing [OUT.sif]}
here=$(cd "$(dirname "$0")" && pwd)
out=${2:-$PWD/hello.sif}
if [ "$(id -u)" = 0 ]; then
  echo "quickstart: run this as an ordinary user (scripts/quickstart.sh does)" >&2
  exit 64
fi
cd "$here"
"$jsing" build --force "$out" hello.def
"$jsing" sif list "$out"
cd "$HOME"
"$jsing" run "$out" "jsing works"
"$jsing" exec "$out" sh -c 'echo "inside: uid=$(id -u) home=$HOME $(. /etc/os-release; echo "$PRETTY_NAME")"'
echo "outside: uid=$(id -u) home=$HOME"
echo "quickstart: built and ran $out"
