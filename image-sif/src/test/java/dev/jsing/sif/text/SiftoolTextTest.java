package dev.jsing.sif.text;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.jsing.sif.Arch;
import dev.jsing.sif.CreateOptions;
import dev.jsing.sif.DataType;
import dev.jsing.sif.FsType;
import dev.jsing.sif.ObjectInput;
import dev.jsing.sif.PartType;
import dev.jsing.sif.SifImage;
import java.io.ByteArrayInputStream;
import java.nio.file.Path;
import java.time.Instant;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Expected texts are siftool 2.8.3's output for the same images (see SifTextCompatIT for the live comparison). */
class SiftoolTextTest {
    @TempDir
    Path dir;

    private Path image() throws Exception {
        Path f = dir.resolve("a.sif");
        CreateOptions o = CreateOptions.defaults()
                .withId(UUID.fromString("6ecc76b7-a497-4f7f-9ebd-8da2a04c6be1"))
                .withTime(Instant.ofEpochSecond(1590175859L));
        try (SifImage img = SifImage.create(f, o)) {
            img.add(ObjectInput.of(DataType.PARTITION, new ByteArrayInputStream(new byte[4096]))
                    .withPartition(FsType.SQUASHFS, PartType.PRIM_SYS, Arch.I386)
                    .withName("root.squashfs")
                    .withTime(Instant.ofEpochSecond(1590175859L)));
            img.add(ObjectInput.of(DataType.OCI_BLOB, new ByteArrayInputStream(new byte[3]))
                    .withNoGroup()
                    .withLinkedGroupId(1)
                    .withOciDigest("sha256:00"));
        }
        return f;
    }

    @Test
    void header() throws Exception {
        try (SifImage img = SifImage.open(image())) {
            String want = "Launch Script:        #!/usr/bin/env run-singularity\n"
                    + "Version:              01\n"
                    + "Primary Architecture: 386\n"
                    + "ID:                   6ecc76b7-a497-4f7f-9ebd-8da2a04c6be1\n"
                    + "Created At:           2020-05-22 19:30:59 +0000 UTC\n"
                    + "Modified At:          " + SiftoolText.goTime(img.header().modifiedAt()) + "\n"
                    + "Descriptors Free:     46\n"
                    + "Descriptors Total:    48\n"
                    + "Descriptors Offset:   4096\n"
                    + "Descriptors Size:     27 KiB\n"
                    + "Data Offset:          32176\n"
                    + "Data Size:            5 KiB\n";
            assertEquals(want, SiftoolText.header(img.header()));
        }
    }

    @Test
    void list() throws Exception {
        try (SifImage img = SifImage.open(image())) {
            String want = "------------------------------------------------------------------------------\n"
                    + "ID   |GROUP   |LINK    |SIF POSITION (start-end)  |TYPE\n"
                    + "------------------------------------------------------------------------------\n"
                    + "1    |1       |NONE    |32768-36864               |FS (Squashfs/*System/386)\n"
                    + "2    |NONE    |1   (G) |36864-36867               |Unknown\n";
            assertEquals(want, SiftoolText.list(img.descriptors()));
        }
    }

    @Test
    void info() throws Exception {
        try (SifImage img = SifImage.open(image())) {
            String want = "  Data Type:        FS\n"
                    + "  ID:               1\n"
                    + "  Group ID:         1\n"
                    + "  Linked ID:        NONE\n"
                    + "  Offset:           32768\n"
                    + "  Size:             4096\n"
                    + "  Created At:       2020-05-22 19:30:59 +0000 UTC\n"
                    + "  Modified At:      2020-05-22 19:30:59 +0000 UTC\n"
                    + "  Name:             root.squashfs\n"
                    + "  Filesystem Type:  Squashfs\n"
                    + "  Partition Type:   *System\n"
                    + "  Architecture:     386\n";
            assertEquals(want, SiftoolText.info(img.descriptor(1).orElseThrow()).orElseThrow());
        }
    }

    @Test
    void readableSizeRoundsLikeSiftool() {
        assertEquals("0 B", SiftoolText.readableSize(0));
        assertEquals("1023 B", SiftoolText.readableSize(1023));
        assertEquals("27 KiB", SiftoolText.readableSize(28080));
        assertEquals("268 KiB", SiftoolText.readableSize(274048));
        assertEquals("4 GiB", SiftoolText.readableSize(4L << 30));
    }
}
