package dev.jsing.runner.testing;

import dev.jsing.sif.Arch;

/**
 * This machine's architecture, as the tests need it: the OCI/Go name jsing's main code uses ({@link
 * dev.jsing.common.HostArch#goName()}), its SIF code for {@code siftool add --partarch}, and an architecture that is not this one.
 */
public final class HostArch {
    private HostArch() {}

    /** The OCI (Go) name: {@code amd64}, {@code arm64}, ... */
    public static String oci() {
        return dev.jsing.common.HostArch.goName();
    }

    /** The SIF architecture of this machine; fails when SIF has no code for it. */
    public static Arch sif() {
        return Arch.ofGoName(oci())
                .orElseThrow(() -> new IllegalStateException("no SIF architecture code for " + oci()));
    }

    /** The {@code --partarch} value for this machine ({@code 2} on amd64). */
    public static String partarch() {
        return String.valueOf(Integer.parseInt(sif().code()));
    }

    /** An architecture that is not this machine's (arm64 on amd64, amd64 elsewhere). */
    public static Arch foreign() {
        return sif() == Arch.AMD64 ? Arch.ARM64 : Arch.AMD64;
    }

    /** The {@code --partarch} value for {@link #foreign()}. */
    public static String foreignPartarch() {
        return String.valueOf(Integer.parseInt(foreign().code()));
    }
}
