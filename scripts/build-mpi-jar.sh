#!/usr/bin/env bash
# Build Open MPI's Java bindings jar (mpi.jar) from Debian's openmpi source package. Debian ships the JNI library
# (libmpi_java.so, in libopenmpi3) but not the jar. The jar is plain Java: compile ompi/mpi/java/java/*.java.
#   scripts/build-mpi-jar.sh OUT_DIR      writes OUT_DIR/mpi.jar (needs deb-src access; adds a deb-src entry as root)
set -euo pipefail
out=${1:?usage: build-mpi-jar.sh OUT_DIR}
mkdir -p "$out"
[ -s "$out/mpi.jar" ] && { echo "build-mpi-jar: $out/mpi.jar exists"; exit 0; }
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
if ! apt-get source --print-uris -qq openmpi >/dev/null 2>&1 || [ -z "$(apt-get source --print-uris -qq openmpi 2>/dev/null)" ]; then
  [ "$(id -u)" = 0 ] || { echo "build-mpi-jar: need root to add a deb-src entry" >&2; exit 1; }
  cat >/etc/apt/sources.list.d/jsing-debian-src.sources <<SRC
Types: deb-src
URIs: http://deb.debian.org/debian
Suites: bookworm
Components: main
Signed-By: /usr/share/keyrings/debian-archive-keyring.gpg
SRC
  apt-get update -qq
fi
(cd "$work" && apt-get source --download-only -qq openmpi >/dev/null 2>&1)
orig=$(ls "$work"/openmpi_*.orig.tar.* | head -n1)
version=$(basename "$orig" | sed -E 's/openmpi_([^.]+\.[^.]+\.[^.]+)\.orig.*/\1/')
tar -xf "$orig" -C "$work" "openmpi-$version/ompi/mpi/java/java"
mkdir -p "$work/classes"
javac -nowarn --release 17 -d "$work/classes" "$work/openmpi-$version/ompi/mpi/java/java/"*.java
jar --create --file "$out/mpi.jar" -C "$work/classes" mpi
echo "build-mpi-jar: wrote $out/mpi.jar (Open MPI $version)"
