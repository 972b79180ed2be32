#!/usr/bin/env bash
# Install the built jsing distribution into PREFIX (default: dist/ in the checkout).
#   PREFIX=/opt/jsing scripts/install.sh
# Layout: PREFIX/bin/jsing, PREFIX/lib/jsing/*.jar, PREFIX/libexec/jsing/jsing-starter.
# JSING_APPTAINER_NAMES=1 also links PREFIX/bin/apptainer and PREFIX/bin/singularity to jsing, for a site whose batch
# scripts and workflow engines call those names (jsing then answers --version as Apptainer does).
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
prefix=${PREFIX:-$root/dist}
src=$root/runner/target/jsing-dist
[ -x "$src/bin/jsing" ] || { echo "install: $src is missing; build first (./mvnw -DskipTests package)" >&2; exit 1; }
rm -rf "$prefix/lib/jsing" "$prefix/libexec/jsing"
mkdir -p "$prefix"
cp -R "$src/." "$prefix/"
# The environment wrapper's interpreter (README "Environment scripts"): a statically linked bash, bundled so that the
# nodes need no bash-static package of their own. Without one, jsing falls back to the /bin/bash-static of each host.
if bs=$(command -v bash-static); then
  cp "$bs" "$prefix/libexec/jsing/bash"
else
  echo "install: warning: bash-static not found: images' env scripts will need the nodes' bash-static or /bin/sh" >&2
fi
# Startup cost (README "Launch latency"): unpack jffi's native library once, so it is not extracted to a temporary
# file on every launch, and record a class-data-sharing archive from a training launch of a tiny squashfs image
# (Java does everything but the final exec). Both are optional: bin/jsing works without them, only slower.
lib=$prefix/lib/jsing
case $(uname -m) in x86_64) jarch=x86_64 ;; aarch64) jarch=aarch64 ;; *) jarch=$(uname -m) ;; esac
if command -v unzip >/dev/null && ls "$lib"/jffi-*-native.jar >/dev/null 2>&1; then
  mkdir -p "$lib/native"
  unzip -q -j -o "$lib"/jffi-*-native.jar "jni/$jarch-Linux/*" -d "$lib/native" 2>/dev/null || rm -rf "$lib/native"
fi
if command -v mksquashfs >/dev/null && command -v unsquashfs >/dev/null; then
  train=$(mktemp -d)
  mkdir -p "$train/root/etc" "$train/root/bin" "$train/cache"
  echo "root:x:0:0:root:/root:/bin/sh" > "$train/root/etc/passwd"
  echo "root:x:0:" > "$train/root/etc/group"
  : > "$train/root/bin/sh"
  mksquashfs "$train/root" "$train/img.sqfs" -quiet -noappend >/dev/null
  (cd "$train" && JSING_CACHEDIR="$train/cache" JSING_TMPDIR="$train" \
    JSING_NO_FAST=1 JSING_JAVA_OPTS="-XX:ArchiveClassesAtExit=$lib/jsing.jsa -Djsing.cds.training=true" \
    "$prefix/bin/jsing" exec "$train/img.sqfs" /bin/true >/dev/null 2>&1) || rm -f "$lib/jsing.jsa"
  rm -rf "$train"
fi
# A man page per command (jsing.1, jsing-exec.1, ...), from the same text as --help.
"$prefix/bin/jsing" man "$prefix/share/man/man1" || echo "install: warning: man pages not written" >&2
if [ "${JSING_APPTAINER_NAMES:-0}" = 1 ]; then
  ln -sfn jsing "$prefix/bin/apptainer"
  ln -sfn jsing "$prefix/bin/singularity"
fi
chmod -R a+rX "$prefix"
echo "install: jsing installed in $prefix (run $prefix/bin/jsing)"
