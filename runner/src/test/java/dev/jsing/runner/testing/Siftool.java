package dev.jsing.runner.testing;

import java.nio.file.Path;

/** Test images made with the reference tool, Debian's {@code siftool}, as Apptainer lays them out. */
public final class Siftool {
    private Siftool() {}

    /** A new SIF {@code sif} whose primary system partition (group 1) is {@code squashfs}, for {@code partarch}. */
    public static void primarySif(Path sif, Object squashfs, String partarch) {
        Commands.ok("siftool", "new", sif.toString());
        Commands.ok(
                "siftool",
                "add",
                "--datatype",
                "4",
                "--parttype",
                "2",
                "--partfs",
                "1",
                "--partarch",
                partarch,
                "--groupid",
                "1",
                sif.toString(),
                squashfs.toString());
    }

    /** {@link #primarySif} for this machine's architecture. */
    public static void primarySif(Path sif, Object squashfs) {
        primarySif(sif, squashfs, HostArch.partarch());
    }
}
