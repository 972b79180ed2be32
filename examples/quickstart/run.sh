#!/usr/bin/env bash
# The quickstart main job: build a small SIF from rootfs/ and list it.  Usage: run.sh PATH/TO/jsing
set -euo pipefail
jsing=${1:?usage: run.sh PATH/TO/jsing}
here=$(cd "$(dirname "$0")" && pwd)
work=$(mktemp -d "${TMPDIR:-/tmp}/jsing-quickstart.XXXXXX")
trap 'rm -rf "$work"' EXIT
mksquashfs "$here/rootfs" "$work/rootfs.squashfs" -noappend -quiet -comp gzip -all-root >/dev/null
out=${QUICKSTART_OUT:-$here/../../quickstart.sif}
rm -f "$out"
"$jsing" sif new "$out"
"$jsing" sif add --datatype 4 --parttype 2 --partfs 1 --partarch 2 --groupid 1 "$out" "$work/rootfs.squashfs"
"$jsing" sif list "$out"
echo "quickstart: wrote $out"
