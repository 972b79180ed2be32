package dev.jsing.runner.sif;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.jsing.runner.testing.Commands;
import dev.jsing.runner.testing.HostArch;
import dev.jsing.runner.testing.Prerequisites;
import dev.jsing.runner.testing.Result;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A squashfs partition jsing adds is mountable in place with {@code squashfuse -o offset=N}. */
class SifSquashfuseIT {
    @TempDir
    Path tmp;

    @Test
    void addedPartitionMountsAtItsOffset() throws Exception {
        Prerequisites.require(Files.exists(Path.of("/dev/fuse")), "/dev/fuse");
        Path root = Files.createDirectories(tmp.resolve("rootfs/etc"));
        Files.writeString(root.resolve("motd"), "hello from jsing\n");
        Path squash = tmp.resolve("rootfs.squashfs");
        Commands.ok(
                "mksquashfs",
                tmp.resolve("rootfs").toString(),
                squash.toString(),
                "-noappend",
                "-quiet",
                "-comp",
                "gzip",
                "-all-root");
        Path img = tmp.resolve("img.sif");
        assertEquals(0, SifFixtures.jsing("sif", "new", img.toString()).exitCode());
        Path text = Files.writeString(tmp.resolve("x.txt"), "abc"); // an unaligned object first
        assertEquals(
                0,
                SifFixtures.jsing("sif", "add", "--datatype", "7", img.toString(), text.toString())
                        .exitCode());
        Result add = SifFixtures.jsing(
                "sif",
                "add",
                "--datatype",
                "4",
                "--parttype",
                "2",
                "--partfs",
                "1",
                "--partarch",
                HostArch.partarch(),
                "--groupid",
                "1",
                img.toString(),
                squash.toString());
        assertEquals(0, add.exitCode(), add.describe());

        String offset = SifFixtures.jsing("sif", "info", "2", img.toString())
                .stdout()
                .lines()
                .filter(l -> l.trim().startsWith("Offset:"))
                .map(l -> l.trim().split("\\s+")[1])
                .findFirst()
                .orElseThrow();
        assertEquals(0, Long.parseLong(offset) % 4096);
        Path mnt = Files.createDirectories(tmp.resolve("mnt"));
        Commands.ok("squashfuse", "-o", "offset=" + offset, img.toString(), mnt.toString());
        try {
            assertEquals("hello from jsing\n", Files.readString(mnt.resolve("etc/motd")));
        } finally {
            Commands.ok("fusermount3", "-u", mnt.toString());
        }
    }
}
