package dev.jsing.common;

/**
 * This machine's CPU architecture, the one place that reads {@code os.arch}. Named as Go's {@code GOARCH} does, which
 * is also the OCI platform name ({@code amd64}, {@code arm64}, ...) and the SIF architecture name (image-sif's
 * {@code Arch.host()} maps it to the SIF code).
 */
public final class HostArch {
    private HostArch() {}

    /** The Go/OCI name of this machine's architecture; the JVM's {@code os.arch} itself when it has no mapping. */
    public static String goName() {
        return goName(System.getProperty("os.arch", ""));
    }

    /** The Go/OCI name for a JVM {@code os.arch} value. */
    public static String goName(String osArch) {
        switch (osArch) {
            case "amd64":
            case "x86_64":
                return "amd64";
            case "aarch64":
            case "arm64":
                return "arm64";
            case "x86":
            case "i386":
            case "i686":
                return "386";
            default:
                // ppc64le, ppc64, s390x, riscv64, arm, loong64, mips...: the JVM already uses the Go name
                return osArch;
        }
    }
}
