#!/usr/bin/env bash
# Benchmark: `jsing sif list` on a tiny SIF and on a 4 GiB sparse SIF. Listing reads only the header and the
# descriptor table, so the big/tiny ratio should stay close to 1.
#   bench/sif-list.sh [PATH/TO/jsing]     (default: dist/bin/jsing)
# Prints the median of each and the ratio big/tiny, measured in the same run (hyperfine if present, else a loop).
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
jsing=${1:-$root/dist/bin/jsing}
[ -x "$jsing" ] || { echo "sif-list: $jsing is not executable; build and install first" >&2; exit 1; }
work=$(mktemp -d "${TMPDIR:-/tmp}/jsing-bench-sif.XXXXXX")
trap 'rm -rf "$work"' EXIT

# Tiny: one 4 KiB object.
head -c 4096 /dev/zero | tr '\0' 'x' > "$work/small.bin"
"$jsing" sif new "$work/tiny.sif"
"$jsing" sif add --datatype 7 "$work/tiny.sif" "$work/small.bin"

# Big: a 4 GiB partition object from a sparse file (zero blocks stay holes, so it takes no disk space).
truncate -s 4G "$work/big.img"
"$jsing" sif new "$work/big.sif"
"$jsing" sif add --datatype 4 --parttype 2 --partfs 4 --partarch 2 --groupid 1 "$work/big.sif" "$work/big.img"
rm -f "$work/big.img"
"$jsing" sif list "$work/big.sif"
echo "big.sif: $(stat -c %s "$work/big.sif") bytes apparent, $(du -k "$work/big.sif" | cut -f1) KiB on disk"

runs=${RUNS:-15}
if command -v hyperfine >/dev/null; then
  hyperfine -N --warmup 3 --runs "$runs" --export-json "$work/h.json" \
    "$jsing sif list $work/tiny.sif" "$jsing sif list $work/big.sif" >/dev/null
  read -r tiny big < <(python3 -c '
import json,sys
r=json.load(open(sys.argv[1]))["results"]
print(r[0]["median"], r[1]["median"])' "$work/h.json")
else
  median() {
    local f=$1 i
    for i in $(seq "$runs"); do
      local s e
      s=$(date +%s%N); "$jsing" sif list "$f" >/dev/null; e=$(date +%s%N)
      echo $(( e - s ))
    done | sort -n | awk '{a[NR]=$1} END {printf "%.6f\n", a[int((NR+1)/2)]/1e9}'
  }
  tiny=$(median "$work/tiny.sif")
  big=$(median "$work/big.sif")
fi
python3 -c '
import sys
t,b=float(sys.argv[1]),float(sys.argv[2])
print("jsing sif list, tiny SIF (32 KiB):  median %.1f ms" % (t*1000))
print("jsing sif list, 4 GiB sparse SIF:   median %.1f ms" % (b*1000))
print("ratio big/tiny: %.2f" % (b/t))' "$tiny" "$big"
