package dev.jsing.sif;

import dev.jsing.common.HostArch;
import java.util.Optional;

/**
 * A CPU architecture, stored as a two-digit ASCII code plus NUL ({@code "02\0"} is amd64) in the header and in
 * partition descriptors. Codes are permanent. The names are the Go runtime's GOARCH names, as the reference prints.
 */
public enum Arch {
    UNKNOWN("00", "unknown"),
    I386("01", "386"),
    AMD64("02", "amd64"),
    ARM("03", "arm"),
    ARM64("04", "arm64"),
    PPC64("05", "ppc64"),
    PPC64LE("06", "ppc64le"),
    MIPS("07", "mips"),
    MIPSLE("08", "mipsle"),
    MIPS64("09", "mips64"),
    MIPS64LE("10", "mips64le"),
    S390X("11", "s390x"),
    RISCV64("12", "riscv64"),
    LOONG64("13", "loong64");

    private final String code;
    private final String goName;

    Arch(String code, String goName) {
        this.code = code;
        this.goName = goName;
    }

    /** The two ASCII digits stored on disk (without the NUL). */
    public String code() {
        return code;
    }

    /** The Go runtime name ({@code amd64}, {@code arm64}, ...). */
    public String goName() {
        return goName;
    }

    /** The arch for the on-disk digits (NULs trimmed); {@link #UNKNOWN} for anything else. */
    public static Arch ofCode(String code) {
        for (Arch a : values()) {
            if (a.code.equals(code)) {
                return a;
            }
        }
        return UNKNOWN;
    }

    /** The arch with this Go name, if any. */
    public static Optional<Arch> ofGoName(String name) {
        for (Arch a : values()) {
            if (a != UNKNOWN && a.goName.equals(name)) {
                return Optional.of(a);
            }
        }
        return Optional.empty();
    }

    /** The arch of this machine ({@link HostArch#goName()}); {@link #UNKNOWN} if it has no SIF code. */
    public static Arch host() {
        return ofGoName(HostArch.goName()).orElse(UNKNOWN);
    }

    @Override
    public String toString() {
        return goName;
    }
}
