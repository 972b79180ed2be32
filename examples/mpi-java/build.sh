#!/usr/bin/env bash
# Build the mpi-java image: compile Ring.java against mpi.jar on the host, then `jsing build` mpijava.def.
#   examples/mpi-java/build.sh OUT.sif MPI_JAR   (MPI_JAR from scripts/build-mpi-jar.sh; JSING: the jsing to use)
set -euo pipefail
out=$(realpath -m "${1:?usage: build.sh OUT.sif MPI_JAR}")
jar=$(realpath "${2:?usage: build.sh OUT.sif MPI_JAR}")
here=$(cd "$(dirname "$0")" && pwd)
jsing=${JSING:-jsing}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cp "$jar" "$work/mpi.jar"
javac --release 17 -cp "$work/mpi.jar" -d "$work" "$here/Ring.java"
cp "$here/mpijava.def" "$work/"
cd "$work"
"$jsing" build --force "$out" mpijava.def
