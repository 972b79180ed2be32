#!/usr/bin/env bash
# Launch of a job step: wall time of `srun -n 8 -O <runner> true` on one node (8 ranks on however many cores), with
# jsing joining (one container per node: the default in a step; fast path, replaying the plan an earlier step of the
# same shape recorded), the same on the full path (JSING_NO_FAST=1, a JVM per rank), jsing --no-join (a container per
# rank), and
# Charliecloud's ch-run on the same squashfs (plain, and with its --join), medians of RUNS runs, interleaved; plus
# the FUSE servers per node while the 8 ranks run (squashfuse_ll daemons for jsing, ch-run's own FUSE processes).
#
#   bench/srun-launch.sh [IMAGE.sif]    # as root: runs as $JSING_TEST_USER (default jsingtest)
#
# IMAGE defaults to the mpi-hello image the tests cache (/var/tmp/jsing-test-cache/mpihello-*.sif). Needs the Slurm
# cluster of scripts/start-slurm.sh, siftool, charliecloud-runtime (scripts/setup-host.sh --test) and a built dist;
# JSING_BENCH_PREFIX=DIR uses an installed jsing (scripts/install.sh, with its class-data archive) instead. The row
# "bare" is `srun -n 8 -O true` without a container.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cache=${JSING_TEST_CACHE:-/var/tmp/jsing-test-cache}
user=${JSING_TEST_USER:-jsingtest}
runs=${RUNS:-5}
ranks=${RANKS:-8}
jsing_dist=$root/runner/target/jsing-dist
[ -x "$jsing_dist/bin/jsing" ] || (cd "$root" && ./mvnw -B -q -DskipTests package)

as_user() {
  if [ "$(id -u)" = 0 ]; then
    setpriv --reuid="$(id -u "$user")" --regid="$(id -g "$user")" --init-groups -- \
      env -i HOME="$(getent passwd "$user" | cut -d: -f6)" USER="$user" PATH=/usr/local/bin:/usr/bin:/bin LANG=C.UTF-8 "$@"
  else
    "$@"
  fi
}

work=$(mktemp -d /tmp/jsing-bench-srun-XXXXXX)
trap 'rm -rf "$work"' EXIT
img=${1:-$(ls -t "$cache"/mpihello-*.sif 2>/dev/null | head -n1 || true)}
[ -n "$img" ] || { echo "srun-launch: no image; run the tests or pass one" >&2; exit 1; }
cp -r "$jsing_dist" "$work/jsing"
J=$work/jsing/bin/jsing
# An installed jsing (scripts/install.sh records the class-data archive; used in place: the archive names its jars).
[ -n "${JSING_BENCH_PREFIX:-}" ] && J=$JSING_BENCH_PREFIX/bin/jsing
# The same squashfs for ch-run: the SIF's system partition.
part=$(siftool list "$img" | awk -F'|' '/FS \(Squashfs/ {gsub(/ /, "", $1); print $1; exit}')
siftool dump "$part" "$img" >"$work/img.sqfs"
chmod -R a+rX "$work"
[ "$(id -u)" = 0 ] && chown -R "$user" "$work"
cd "$work"

declare -A cmd=(
  [bare]=""
  [jsing-join]="$J exec $img"
  [jsing-full]="env JSING_NO_FAST=1 $J exec $img"
  [jsing-nojoin]="$J exec --no-join $img"
  [ch-run]="ch-run $work/img.sqfs --"
  [ch-run-join]="ch-run --join $work/img.sqfs --"
)
order=(bare jsing-join jsing-full jsing-nojoin ch-run ch-run-join)

timed() {  # prints the wall time in ms of one srun
  as_user bash -c 's=$(date +%s%N); cd "$0"; srun -n '"$ranks"' -O $1 true >/dev/null 2>&1 || exit 1; echo $(( ($(date +%s%N) - s) / 1000000 ))' \
    "$work" "$1"
}
servers() {  # most FUSE servers of the user seen at once while the ranks sleep
  local pattern=$2 max=0 n
  as_user bash -c 'cd "$0"; srun -n '"$ranks"' -O $1 sleep 3 >/dev/null 2>&1' "$work" "$1" &
  local pid=$!
  while kill -0 "$pid" 2>/dev/null; do
    n=$(ps -u "$user" -o stat=,comm=,args= | awk -v p="$pattern" -v img="$3" '$1 !~ /^Z/ && $2 == p && index($0, img)' | wc -l)
    [ "$n" -gt "$max" ] && max=$n
    sleep 0.05
  done
  wait "$pid" || true
  echo "$max"
}

as_user bash -c "cd $work; srun -n 1 $J exec $img true" >/dev/null   # warm the page cache
# One step of each shape first: it records the plans that later steps replay (jsing-join and jsing-nojoin).
as_user bash -c "cd $work; srun -n $ranks -O $J exec $img true; srun -n $ranks -O $J exec --no-join $img true" >/dev/null
for r in $(seq 1 "$runs"); do
  for v in "${order[@]}"; do echo "$v $(timed "${cmd[$v]}")"; done
done >"$work/times.txt"
declare -A fuse
fuse[bare]=0
fuse[jsing-join]=$(servers "${cmd[jsing-join]}" squashfuse_ll "$img")
fuse[jsing-full]=$(servers "${cmd[jsing-full]}" squashfuse_ll "$img")
fuse[jsing-nojoin]=$(servers "${cmd[jsing-nojoin]}" squashfuse_ll "$img")
fuse[ch-run]=$(servers "${cmd[ch-run]}" ch-run "$work/img.sqfs")
fuse[ch-run-join]=$(servers "${cmd[ch-run-join]}" ch-run "$work/img.sqfs")

echo "srun -n $ranks -O <runner> true on $(nproc) cores, median of $runs runs:"
for v in "${order[@]}"; do
  med=$(awk -v v="$v" '$1 == v {print $2}' "$work/times.txt" | sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}')
  printf '  %-13s %6s ms   FUSE server processes per node: %s\n' "$v" "$med" "${fuse[$v]}"
done
medof() { awk -v v="$1" '$1 == v {print $2}' "$work/times.txt" | sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }
awk -v j="$(medof jsing-join)" -v c="$(medof ch-run-join)" -v f="$(medof jsing-full)" \
  'BEGIN {printf "  jsing (joining, fast path) / ch-run --join = %.2fx; full path (JVM) / ch-run --join = %.2fx\n", j / c, f / c}'
echo "  (ch-run's count is its processes: with a SquashFS image each ch-run stays as the FUSE server of its container)"
