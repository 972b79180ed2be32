#!/usr/bin/env bash
# A synthetic GPU driver for jsing's --nv/--rocm/CDI integration tests on machines without a GPU (run as root, by
# scripts/setup-host.sh --test). Nothing here is a real driver, and everything is named so: the libraries live
# under /opt/jsing-test-gpu (registered in the ld.so cache by /etc/ld.so.conf.d/zz-jsing-test-gpu.conf), the
# programs under /opt/jsing-test-gpu/bin (never on the system PATH: the tests put it on theirs), and /dev/nvidia0,
# /dev/nvidiactl are character nodes of NVIDIA's major (195) with no driver behind them (opening them fails with
# ENXIO; the tests check that they are there, and usable as nodes). Skipped, with a line, on a host that has a real
# NVIDIA driver. Idempotent.
#
#   scripts/setup-test-gpu.sh           create or refresh
#   scripts/setup-test-gpu.sh --remove  remove everything it made
set -euo pipefail

top=/opt/jsing-test-gpu
conf=/etc/ld.so.conf.d/zz-jsing-test-gpu.conf
marker=$top/JSING-SYNTHETIC-DRIVER

if [ "${1:-}" = --remove ]; then
  # the nodes first: their markers live under $top
  for n in /dev/nvidia0 /dev/nvidiactl; do
    if [ -c "$n" ] && [ -e "$marker.$(basename "$n")" ]; then rm -f "$n"; fi
  done
  rm -rf "$top" "$conf"
  ldconfig
  exit 0
fi

if [ -e /proc/driver/nvidia/version ]; then
  echo "setup-test-gpu: a real NVIDIA driver is loaded here; not installing the synthetic one"
  exit 0
fi
command -v gcc >/dev/null || { echo "setup-test-gpu: gcc is needed" >&2; exit 1; }

src=$(mktemp -d /tmp/jsing-gpu-setup-XXXXXX)
trap 'rm -rf "$src"' EXIT
mkdir -p "$top/lib" "$top/bin" "$top/nvccli-bin"

# libcuda.so.1: the driver API entry points a CUDA program calls first, reporting two devices.
cat > "$src/cuda.c" <<'C'
int cuInit(unsigned int flags) { (void)flags; return 0; }
int cuDriverGetVersion(int *v) { *v = 12040; return 0; }
int cuDeviceGetCount(int *n) { *n = 2; return 0; }
const char *jsing_synthetic_driver(void) { return "jsing synthetic libcuda (no GPU)"; }
C
# libnvidia-ml.so.1: what nvidia-smi uses.
cat > "$src/nvml.c" <<'C'
#include <string.h>
int nvmlInit_v2(void) { return 0; }
int nvmlDeviceGetCount_v2(unsigned int *n) { *n = 2; return 0; }
int nvmlSystemGetDriverVersion(char *v, unsigned int len) { strncpy(v, "0.0-jsing-synthetic", len); return 0; }
C
# libamdocl64.so.1: a name of rocmliblist.conf, for --rocm.
cat > "$src/amd.c" <<'C'
const char *jsing_synthetic_rocm(void) { return "jsing synthetic ROCm library (no GPU)"; }
C
gcc -shared -fPIC -O2 -Wl,-soname,libcuda.so.1 -o "$top/lib/libcuda.so.1.0-jsing" "$src/cuda.c"
gcc -shared -fPIC -O2 -Wl,-soname,libnvidia-ml.so.1 -o "$top/lib/libnvidia-ml.so.1.0-jsing" "$src/nvml.c"
gcc -shared -fPIC -O2 -Wl,-soname,libamdocl64.so.1 -o "$top/lib/libamdocl64.so.1.0-jsing" "$src/amd.c"

# nvidia-smi: loads libnvidia-ml.so.1 through the dynamic loader (LD_LIBRARY_PATH in a container), as the real one.
cat > "$src/smi.c" <<'C'
#include <dlfcn.h>
#include <stdio.h>
#include <string.h>
int main(int argc, char **argv)
{
   void *h = dlopen("libnvidia-ml.so.1", RTLD_NOW);
   int (*init)(void);
   int (*count)(unsigned int *);
   unsigned int n = 0;
   if (h == NULL) {
      fprintf(stderr, "NVIDIA-SMI has failed because it couldn't communicate with the NVIDIA driver: %s\n", dlerror());
      return 9;
   }
   init = (int (*)(void))dlsym(h, "nvmlInit_v2");
   count = (int (*)(unsigned int *))dlsym(h, "nvmlDeviceGetCount_v2");
   if (init == NULL || count == NULL || init() != 0 || count(&n) != 0)
      return 9;
   for (unsigned int i = 0; i < n; i++)
      if (argc > 1 && !strcmp(argv[1], "-L"))
         printf("GPU %u: jsing synthetic GPU (UUID: GPU-jsing-synthetic-%u)\n", i, i);
   if (argc <= 1)
      printf("jsing synthetic nvidia-smi: %u GPUs (no real driver)\n", n);
   return 0;
}
C
gcc -O2 -o "$top/bin/nvidia-smi" "$src/smi.c" -ldl
printf '#!/bin/sh\necho "jsing synthetic rocm-smi (no GPU)"\n' > "$top/bin/rocm-smi"
# nvidia-container-cli stand-in (its own directory: a test puts it on PATH only to test --nvccli): records its
# arguments and environment in the container's root (its last argument), as the real one configures that root.
cat > "$top/nvccli-bin/nvidia-container-cli" <<'SH'
#!/bin/sh
for root; do :; done
{ echo "args: $*"; env | grep '^NVIDIA_' | sort; } > "$root/jsing-nvccli-ran"
SH
chmod 755 "$top/bin/"* "$top/nvccli-bin/"*
echo "A synthetic GPU driver for jsing's tests, made by scripts/setup-test-gpu.sh. Not a driver." > "$marker"
chmod -R a+rX "$top"

echo "$top/lib" > "$conf"
ldconfig

for spec in "nvidia0 0" "nvidiactl 255"; do
  set -- $spec
  if [ ! -e "/dev/$1" ]; then
    mknod -m 0666 "/dev/$1" c 195 "$2"
    touch "$marker.$1"
  fi
done
echo "setup-test-gpu: synthetic driver in $top ($(ldconfig -p | grep -c "$top") libraries in the ld.so cache)"
