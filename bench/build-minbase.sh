#!/usr/bin/env bash
# Benchmark: `jsing build` of a Debian bookworm minbase definition versus the same work by hand
# (`debootstrap --variant=minbase` + `mksquashfs -comp gzip`), in the same run, both from the same local package
# cache so the network does not dominate. Prints both times, the ratio (target: within 1.15x) and both image sizes.
#
#   bench/build-minbase.sh [RUNS]      (default 1 run each; run as root, or as a user with /etc/subuid ranges)
# Needs: debootstrap, squashfs-tools, a built dist (./mvnw -DskipTests package) and the Debian mirror once.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
jsing=${JSING:-$root/runner/target/jsing-dist/bin/jsing}
runs=${1:-1}
suite=bookworm
mirror=${MIRROR:-http://deb.debian.org/debian}
work=$(mktemp -d "${TMPDIR:-/tmp}/jsing-bench-build-XXXXXX")
cache=${BENCH_CACHE:-/var/tmp/jsing-bench-cache}
mkdir -p "$cache/debootstrap"
if [ "$(id -u)" = 0 ]; then asroot=(); envc=(); else
  asroot=(unshare --map-auto --map-root-user --mount --pid --fork); envc=(env container=lxc); fi
cleanup() { "${asroot[@]:-env}" rm -rf "$work" 2>/dev/null || rm -rf "$work"; }
trap cleanup EXIT

cat > "$work/minbase.def" <<DEF
Bootstrap: debootstrap
OSVersion: $suite
MirrorURL: $mirror
DEF

# Warm the package cache once (not timed).
if ! ls "$cache/debootstrap"/*.deb >/dev/null 2>&1; then
  echo "bench: downloading packages into $cache/debootstrap (not timed)" >&2
  "${envc[@]:-env}" "${asroot[@]:-env}" debootstrap --variant=minbase --download-only \
    --cache-dir="$cache/debootstrap" "$suite" "$work/warm" "$mirror" >/dev/null
  "${asroot[@]:-env}" rm -rf "$work/warm"
fi

now() { date +%s.%N; }
best_manual=; best_jsing=
for i in $(seq "$runs"); do
  t0=$(now)
  "${envc[@]:-env}" "${asroot[@]:-env}" debootstrap --variant=minbase --cache-dir="$cache/debootstrap" \
    "$suite" "$work/rootfs" "$mirror" >/dev/null
  "${asroot[@]:-env}" mksquashfs "$work/rootfs" "$work/manual.sqfs" -noappend -comp gzip -quiet -no-progress >/dev/null
  t1=$(now)
  "${asroot[@]:-env}" rm -rf "$work/rootfs"
  JSING_CACHEDIR=$cache JSING_TMPDIR=$work "$jsing" -q build -F "$work/jsing.sif" "$work/minbase.def"
  t2=$(now)
  m=$(echo "$t1 - $t0" | bc); j=$(echo "$t2 - $t1" | bc)
  echo "run $i: manual ${m}s, jsing ${j}s" >&2
  if [ -z "$best_manual" ] || [ "$(echo "$m < $best_manual" | bc)" = 1 ]; then best_manual=$m; fi
  if [ -z "$best_jsing" ] || [ "$(echo "$j < $best_jsing" | bc)" = 1 ]; then best_jsing=$j; fi
done
ratio=$(echo "scale=3; $best_jsing / $best_manual" | bc)
printf 'debootstrap+mksquashfs by hand: %.1f s, image %d bytes\n' "$best_manual" "$(stat -c %s "$work/manual.sqfs")"
printf 'jsing build (SIF):              %.1f s, image %d bytes\n' "$best_jsing" "$(stat -c %s "$work/jsing.sif")"
printf 'ratio jsing/manual: %sx (target <= 1.15x)\n' "$ratio"
