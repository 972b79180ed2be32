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

    /** Issue #17: a header and a descriptor with times outside {@link Instant}'s range print as siftool prints them. */
    @Test
    void headerAndInfoWithExtremeTimes() throws Exception {
        Path f = image();
        try (java.nio.channels.FileChannel ch =
                java.nio.channels.FileChannel.open(f, java.nio.file.StandardOpenOption.WRITE)) {
            java.nio.ByteBuffer b = java.nio.ByteBuffer.allocate(8).order(java.nio.ByteOrder.LITTLE_ENDIAN);
            ch.write(b.putLong(0, Long.MAX_VALUE), 64); // header: created
            b.clear();
            ch.write(b.putLong(0, Long.MIN_VALUE), 4096 + 41); // descriptor 1: created
        }
        try (SifImage img = SifImage.open(f)) {
            String h = SiftoolText.header(img.header());
            assertEquals(true, h.contains("Created At:           292277026596-12-04 15:30:07 +0000 UTC\n"), h);
            String i = SiftoolText.info(img.descriptor(1).orElseThrow()).orElseThrow();
            assertEquals(true, i.contains("  Created At:       292277026596-12-04 15:30:08 +0000 UTC\n"), i);
        }
    }

    /**
     * Issue #17: extreme timestamps (outside {@link java.time.Instant}'s range) made {@code sif header}/{@code sif info}
     * fail with an internal error; siftool 2.8.3 prints them. Each row: seconds, then what {@code siftool header}
     * printed for a header with that creation time (recorded on Debian bookworm's siftool).
     */
    @org.junit.jupiter.api.Test
    void extremeTimesPrintAsSiftoolPrintsThem() {
        String[] rows = {
            "-9223372036854775808	292277026596-12-04 15:30:08 +0000 UTC",
            "9223372036854775807	292277026596-12-04 15:30:07 +0000 UTC",
            "-1	1969-12-31 23:59:59 +0000 UTC",
            "0	1970-01-01 00:00:00 +0000 UTC",
            "1	1970-01-01 00:00:01 +0000 UTC",
            "253402300799	9999-12-31 23:59:59 +0000 UTC",
            "253402300800	10000-01-01 00:00:00 +0000 UTC",
            "-62135596801	0000-12-31 23:59:59 +0000 UTC",
            "-62135596799	0001-01-01 00:00:01 +0000 UTC",
            "-62167219200	0000-01-01 00:00:00 +0000 UTC",
            "-62167219201	-0001-12-31 23:59:59 +0000 UTC",
            "31556889864403199	1000000000-12-31 23:59:59 +0000 UTC",
            "31556889864403200	1000000001-01-01 00:00:00 +0000 UTC",
            "-31557014167219200	-1000000000-01-01 00:00:00 +0000 UTC",
            "-31557014167219201	-1000000001-12-31 23:59:59 +0000 UTC",
            "67767976233316800	2147483647-12-29 12:00:00 +0000 UTC",
            "-67768040609740800	-2147481748-01-01 00:00:00 +0000 UTC",
            "4611686018427387904	146138514283-06-19 07:45:04 +0000 UTC",
            "-4611686018427387904	-146138510344-07-14 16:14:56 +0000 UTC",
            "9223372036854775000	292277026596-12-04 15:16:40 +0000 UTC",
            "-9223372036854775000	292277026596-12-04 15:43:36 +0000 UTC",
            "1700000000	2023-11-14 22:13:20 +0000 UTC",
            "951782400	2000-02-29 00:00:00 +0000 UTC",
            "951868800	2000-03-01 00:00:00 +0000 UTC"
        };
        for (String row : rows) {
            String[] f = row.split("\t");
            assertEquals(f[1], SiftoolText.goTime(Long.parseLong(f[0])), "seconds " + f[0]);
        }
    }
}
