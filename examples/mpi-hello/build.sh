#!/usr/bin/env bash
# Build the mpi-hello image: compile hello.c and the ping-pong benchmark with the host's mpicc, then `jsing build`
# mpihello.def with them in the build directory (%files paths are relative to it, as with Apptainer).
#   examples/mpi-hello/build.sh OUT.sif        (JSING: the jsing to use, default `jsing` on PATH)
set -euo pipefail
out=$(realpath -m "${1:?usage: build.sh OUT.sif}")
here=$(cd "$(dirname "$0")" && pwd)
jsing=${JSING:-jsing}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
mpicc -O2 -o "$work/hello" "$here/hello.c"
mpicc -O2 -o "$work/pingpong" "$here/../../bench/mpi-pingpong/pingpong.c"
cp "$here/mpihello.def" "$work/"
cd "$work"
"$jsing" build --force "$out" mpihello.def
