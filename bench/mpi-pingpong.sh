#!/usr/bin/env bash
# Intra-node MPI ping-pong (bench/mpi-pingpong/pingpong.c, 8 B .. 2 MiB, Open MPI's shared-memory BTL only) between
# two ranks of one Slurm step, in one run: bare metal, inside jsing containers with joining (both ranks in one
# container: CMA single-copy works) and without (--no-join: a container per rank; Open MPI turns CMA off), and bare
# metal with CMA turned off (what --no-join amounts to). Each variant runs REPS times, interleaved; the table shows
# medians and the ratios to bare metal.
#
#   bench/mpi-pingpong.sh [IMAGE.sif]    # as root: runs as $JSING_TEST_USER (default jsingtest)
#
# IMAGE defaults to the mpi-hello image the tests cache (/var/tmp/jsing-test-cache/mpihello-*.sif), else it is built
# with examples/mpi-hello/build.sh. Needs the Slurm cluster of scripts/start-slurm.sh and a built dist.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cache=${JSING_TEST_CACHE:-/var/tmp/jsing-test-cache}
user=${JSING_TEST_USER:-jsingtest}
reps=${REPS:-3}
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

work=$(mktemp -d /tmp/jsing-bench-mpi-XXXXXX)
trap 'rm -rf "$work"' EXIT
cp -r "$jsing_dist" "$work/jsing"
img=${1:-$(ls -t "$cache"/mpihello-*.sif 2>/dev/null | head -n1 || true)}
if [ -z "$img" ]; then
  img=$work/mpihello.sif
  JSING=$work/jsing/bin/jsing "$root/examples/mpi-hello/build.sh" "$img" >&2
fi
mpicc -O2 -o "$work/pingpong" "$root/bench/mpi-pingpong/pingpong.c"
chmod -R a+rX "$work"
[ "$(id -u)" = 0 ] && chown -R "$user" "$work"
cd "$work"

run() {  # variant command...  (SC: Open MPI's single-copy mechanism, default: its own choice, CMA here)
  as_user env OMPI_MCA_btl=self,vader ${SC:+OMPI_MCA_btl_vader_single_copy_mechanism=$SC} bash -c 'cd "$0" && srun -n 2 -O --mpi=pmix "$@" 2>/dev/null' "$work" "${@:2}" \
    | awk -v v="$1" '$1 ~ /^[0-9]+$/ {print v, $1, $2, $3}'
}
for r in $(seq 1 "$reps"); do
  run bare "$work/pingpong"
  SC=none run bare-nocma "$work/pingpong"
  run join "$work/jsing/bin/jsing" exec "$img" /opt/pingpong
  run nojoin "$work/jsing/bin/jsing" exec --no-join "$img" /opt/pingpong
done >"$work/all.txt"

python3 - "$work/all.txt" <<'PY'
import statistics, sys
from collections import defaultdict
lat, bw = defaultdict(list), defaultdict(list)
for line in open(sys.argv[1]):
    v, n, l, b = line.split()
    lat[v, int(n)].append(float(l)); bw[v, int(n)].append(float(b))
sizes = sorted({n for _, n in lat})
med = lambda d, v, n: statistics.median(d[v, n])
print(f"{'bytes':>8} | {'lat bare':>9} {'join':>7} {'no-join':>8} (us) | {'bw bare':>8} {'join':>8} {'no-join':>8} {'bare,no CMA':>11} (MB/s) | {'join/bare':>9} {'no-join/bare':>12} {'no-join/bare,no CMA':>19}")
for n in sizes:
    b, j, x, c = (med(bw, v, n) for v in ("bare", "join", "nojoin", "bare-nocma"))
    print(f"{n:>8} | {med(lat,'bare',n):>9.2f} {med(lat,'join',n):>7.2f} {med(lat,'nojoin',n):>8.2f}      | "
          f"{b:>8.0f} {j:>8.0f} {x:>8.0f} {c:>11.0f}        | {j/b:>8.2f}x {x/b:>11.2f}x {x/c:>18.2f}x")
big = [n for n in sizes if n >= 131072]
r = lambda v: statistics.median([med(bw, v, n) / med(bw, "bare", n) for n in big])
r2 = statistics.median([med(bw, "nojoin", n) / med(bw, "bare-nocma", n) for n in big])
print(f"bandwidth ratio to bare metal at >= 128 KiB (median over sizes): join {r('join'):.2f}x, no-join {r('nojoin'):.2f}x"
      f" (no-join vs bare metal without CMA: {r2:.2f}x)")
PY
