#!/usr/bin/env bash
# Benchmark: `jsing pull docker://…` (download, verify, apply layers, mksquashfs, SIF) of a ~100 MB image from the
# local registry, versus the same work by hand in the same run: `skopeo copy` to an OCI layout + `umoci unpack` +
# `mksquashfs -comp gzip`. Then a second `jsing pull` of the same image, served from the cache (target: under 1 s).
# Prints both times and the ratio (target: within 1.2x).
#
#   bench/pull-convert.sh [RUNS]     (default 1 run each; run as root; starts the registries with start-registry.sh)
# Needs: a built dist (./mvnw -DskipTests package). The image: a Debian bookworm minbase root filesystem when the
# test cache has one (MinbaseImage), else busybox plus the host's JDK, cut to about 100 MB uncompressed.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
jsing=${JSING:-$root/runner/target/jsing-dist/bin/jsing}
runs=${1:-1}
reg=127.0.0.1:5000
ref=bench/pull-convert:1
work=$(mktemp -d "${TMPDIR:-/tmp}/jsing-bench-pull-XXXXXX")
trap 'rm -rf "$work"' EXIT
bash "$root/scripts/start-registry.sh" >/dev/null

# The image (not timed).
mkdir -p "$work/src/rootfs"
minbase=${JSING_TEST_CACHE:-/var/tmp/jsing-test-cache}/bookworm-minbase.sqfs
if [ -f "$minbase" ]; then
  unsquashfs -q -n -f -d "$work/src/rootfs" "$minbase" >/dev/null
else
  mkdir -p "$work/src/rootfs/bin" "$work/src/rootfs/opt"
  cp /bin/busybox "$work/src/rootfs/bin/"; ln -s busybox "$work/src/rootfs/bin/sh"
  jdk=$(ls -d /usr/lib/jvm/java-17-openjdk-* 2>/dev/null | head -1)
  cp -a "$jdk" "$work/src/rootfs/opt/jdk"
  rm -rf "$work/src/rootfs/opt/jdk/lib/src.zip" "$work/src/rootfs/opt/jdk/jmods"
fi
size=$(du -sm "$work/src/rootfs" | cut -f1)
(cd "$work" && umoci init --layout img && umoci new --image img:1 && umoci unpack --image img:1 b >/dev/null \
  && rm -rf b/rootfs && mv src/rootfs b/rootfs && umoci repack --image img:1 b && rm -rf b)
skopeo copy -q --dest-tls-verify=false "oci:$work/img:1" "docker://$reg/$ref"
blob=$(du -sm "$work/img/blobs" | cut -f1)
rm -rf "$work/img"
echo "image: $size MB unpacked, $blob MB compressed blobs, docker://$reg/$ref"

now() { date +%s.%N; }
best_manual=; best_jsing=; best_cached=
for i in $(seq "$runs"); do
  rm -rf "$work/m" "$work/bundle" "$work/manual.sqfs"
  t0=$(now)
  skopeo copy -q --src-tls-verify=false "docker://$reg/$ref" "oci:$work/m:1"
  umoci unpack --image "$work/m:1" "$work/bundle" >/dev/null
  mksquashfs "$work/bundle/rootfs" "$work/manual.sqfs" -noappend -comp gzip -quiet >/dev/null
  t1=$(now)
  rm -rf "$work/cache" "$work/out.sif"
  JSING_CACHEDIR=$work/cache "$jsing" -q pull --no-https "$work/out.sif" "docker://$reg/$ref"
  t2=$(now)
  JSING_CACHEDIR=$work/cache "$jsing" -q pull -F --no-https "$work/out.sif" "docker://$reg/$ref"
  t3=$(now)
  m=$(echo "$t1 - $t0" | bc); j=$(echo "$t2 - $t1" | bc); c=$(echo "$t3 - $t2" | bc)
  echo "run $i: by hand ${m}s, jsing pull ${j}s, cached pull ${c}s"
  if [ -z "$best_manual" ] || [ "$(echo "$m < $best_manual" | bc)" = 1 ]; then best_manual=$m; fi
  if [ -z "$best_jsing" ] || [ "$(echo "$j < $best_jsing" | bc)" = 1 ]; then best_jsing=$j; fi
  if [ -z "$best_cached" ] || [ "$(echo "$c < $best_cached" | bc)" = 1 ]; then best_cached=$c; fi
done
ratio=$(echo "scale=2; $best_jsing / $best_manual" | bc)
echo "best: by hand ${best_manual}s, jsing pull ${best_jsing}s (ratio ${ratio}x, target <= 1.2x), cached pull ${best_cached}s (target < 1s)"
echo "sizes: manual squashfs $(du -k "$work/manual.sqfs" | cut -f1) KiB, jsing SIF $(du -k "$work/out.sif" | cut -f1) KiB"
