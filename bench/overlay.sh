#!/usr/bin/env bash
# Benchmark: persistent overlays, measured against a baseline taken in the same run.
#  1. A `pip install`-like workload: untar N small files (default 20000, 1-4 KiB each, in 200 directories) inside
#     a container whose writable layer is an ext3 overlay image (fuse2fs under fuse-overlayfs) versus a plain overlay
#     directory on the same disk (kernel overlayfs). Each run starts from a fresh overlay; the time includes the
#     container start and the write-back (jsing returns once the image is closed).
#  2. Container start: `jsing exec IMAGE true` with an overlay image, with an overlay directory, and with neither.
# Prints best-of-RUNS times and the ratios.
#
#   bench/overlay.sh [RUNS] [FILES]      (default 3 runs, 20000 files; as an unprivileged user)
# Needs: a built dist (./mvnw -DskipTests package), fuse2fs, fuse-overlayfs, mksquashfs, busybox-static.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
jsing=${JSING:-$root/runner/target/jsing-dist/bin/jsing}
runs=${1:-3}
files=${2:-20000}
work=$(mktemp -d "${BENCH_DIR:-/var/tmp}/jsing-bench-overlay-XXXXXX")
trap 'rm -rf "$work"' EXIT
export JSING_TMPDIR=$work

# A busybox image and the tarball (made once, not timed).
mkdir -p "$work/rootfs/bin" "$work/rootfs/tmp"
cp "$(command -v busybox)" "$work/rootfs/bin/busybox"
for a in sh tar true cat rm mkdir; do ln -s busybox "$work/rootfs/bin/$a"; done
mksquashfs "$work/rootfs" "$work/image.sqfs" -quiet -noappend -all-root >/dev/null
python3 - "$work/src" "$files" <<'PY'
import os, random, sys
root, n = sys.argv[1], int(sys.argv[2])
random.seed(1)
for i in range(n):
    d = os.path.join(root, "site-packages", "pkg%03d" % (i % 200))
    os.makedirs(d, exist_ok=True)
    with open(os.path.join(d, "mod%05d.py" % i), "wb") as f:
        f.write(os.urandom(random.randint(1024, 4096)))
PY
tar -C "$work/src" -cf "$work/pkgs.tar" site-packages
rm -rf "$work/src"
size_mb=$(( $(stat -c %s "$work/pkgs.tar") / 1048576 * 3 + 256 ))

now() { date +%s.%N; }
best() { sort -n | head -1; }
untar() {   # $1: the --overlay value
  "$jsing" -q exec --overlay "$1" --bind "$work:/bench" "$work/image.sqfs" tar -C / -xf /bench/pkgs.tar
}

img_times=(); dir_times=()
for i in $(seq "$runs"); do
  rm -rf "$work/ov.img" "$work/ovdir"
  "$jsing" -q overlay create --size "$size_mb" "$work/ov.img"
  mkdir "$work/ovdir"
  t0=$(now); untar "$work/ov.img"; t1=$(now); untar "$work/ovdir"; t2=$(now)
  img_times+=("$(echo "$t1 - $t0" | bc)"); dir_times+=("$(echo "$t2 - $t1" | bc)")
  echo "run $i: untar into image ${img_times[-1]}s, into directory ${dir_times[-1]}s" >&2
done
e2fsck -fn "$work/ov.img" >/dev/null 2>&1 || { echo "bench: e2fsck found the image unclean" >&2; exit 1; }
bi=$(printf '%s\n' "${img_times[@]}" | best); bd=$(printf '%s\n' "${dir_times[@]}" | best)

start() {   # best of 10 starts, seconds; $@: extra options
  for _ in $(seq 10); do
    t0=$(now); "$jsing" -q exec "$@" "$work/image.sqfs" true; t1=$(now); echo "$t1 - $t0" | bc
  done | best
}
s_none=$(start); s_dir=$(start --overlay "$work/ovdir"); s_img=$(start --overlay "$work/ov.img")
s_ro=$(start --overlay "$work/ov.img:ro")

printf 'untar %d files (%s MiB tar), best of %d:\n' "$files" "$(( $(stat -c %s "$work/pkgs.tar") / 1048576 ))" "$runs"
printf '  into an overlay directory (kernel overlayfs): %.2f s\n' "$bd"
printf '  into an ext3 overlay image (fuse2fs + fuse-overlayfs): %.2f s\n' "$bi"
printf '  ratio image/directory: %sx\n' "$(echo "scale=2; $bi / $bd" | bc)"
printf 'container start (jsing exec IMAGE true), best of 10:\n'
printf '  no overlay: %.3f s; overlay directory: %.3f s (%sx); overlay image: %.3f s (%sx); image :ro: %.3f s (%sx)\n' \
  "$s_none" "$s_dir" "$(echo "scale=2; $s_dir / $s_none" | bc)" "$s_img" "$(echo "scale=2; $s_img / $s_none" | bc)" \
  "$s_ro" "$(echo "scale=2; $s_ro / $s_none" | bc)"
