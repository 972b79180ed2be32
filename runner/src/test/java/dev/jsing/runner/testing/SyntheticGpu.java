package dev.jsing.runner.testing;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/**
 * The synthetic GPU driver that {@code scripts/setup-test-gpu.sh} installs (run by {@code setup-host.sh --test}):
 * {@code libcuda.so.1}, {@code libnvidia-ml.so.1} and {@code libamdocl64.so.1} in the ld.so cache, {@code nvidia-smi}
 * and {@code rocm-smi} in {@link #BIN}, a {@code nvidia-container-cli} stand-in in {@link #NVCCLI_BIN}, and the
 * character nodes {@code /dev/nvidia0}, {@code /dev/nvidiactl}. Its {@code nvidia-smi -L} lists two GPUs named "jsing
 * synthetic GPU"; its {@code cuDeviceGetCount} reports 2.
 */
public final class SyntheticGpu {
    public static final Path TOP = Path.of("/opt/jsing-test-gpu");
    public static final Path BIN = TOP.resolve("bin");
    public static final Path NVCCLI_BIN = TOP.resolve("nvccli-bin");

    private SyntheticGpu() {}

    /** Skips (or in CI fails) the test unless the synthetic driver is installed. */
    public static void require() {
        Prerequisites.require(
                Files.exists(TOP.resolve("JSING-SYNTHETIC-DRIVER"))
                        && Files.exists(Path.of("/dev/nvidia0"))
                        && Commands.run("/sbin/ldconfig", "-p").stdout().contains(TOP + "/lib/libcuda.so.1"),
                "the synthetic GPU driver (scripts/setup-test-gpu.sh, run by setup-host.sh --test)");
    }

    /** The environment of a test launch that finds the synthetic programs on PATH (as a driver's are on a node's). */
    public static Map<String, String> path() {
        return Map.of("PATH", BIN + ":/usr/local/bin:/usr/bin:/bin:/usr/sbin:/sbin");
    }
}
