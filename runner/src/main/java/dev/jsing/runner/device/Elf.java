package dev.jsing.runner.device;

/** The part of an ELF header that tells a library's class and machine. */
final class Elf {
    private Elf() {}

    /** e_machine of the JVM's architecture ({@code os.arch}); -1 when unknown. */
    static int machine(String osArch) {
        return switch (osArch) {
            case "amd64", "x86_64" -> 62;
            case "aarch64", "arm64" -> 183;
            case "ppc64le", "ppc64" -> 21;
            case "riscv64" -> 243;
            case "s390x" -> 22;
            default -> -1;
        };
    }

    /** Whether the first 20 bytes of a file are an ELF header of a 64-bit object for {@code osArch}. */
    static boolean matchesHost(byte[] h, String osArch) {
        if (h.length < 20 || h[0] != 0x7f || h[1] != 'E' || h[2] != 'L' || h[3] != 'F' || h[4] != 2) {
            return false;
        }
        int m = h[5] == 2 ? ((h[18] & 0xff) << 8) | (h[19] & 0xff) : (h[18] & 0xff) | ((h[19] & 0xff) << 8);
        return m == machine(osArch);
    }
}
