package dev.jsing.sif;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.util.HexFormat;

/** Small deterministic images for tests, built with the library itself. */
final class TestImages {
    static final byte[] FINGERPRINT = HexFormat.of().parseHex("433FE984155206BD962725E20E8713472A879943");
    static final Instant T1 = Instant.ofEpochSecond(1593475316L); // 2020-06-30 00:01:56 UTC

    private TestImages() {}

    /** The options siftool's fixtures use: deterministic, no launch script. */
    static CreateOptions bare() {
        return CreateOptions.defaults().deterministic().withLaunchScript("");
    }

    static ObjectInput bytes(DataType t, String content) {
        return ObjectInput.of(t, new ByteArrayInputStream(content.getBytes(StandardCharsets.UTF_8)));
    }

    /** A 4096-byte fake squashfs ("hsqs" magic then a pattern). */
    static byte[] fakeSquashfs() {
        byte[] b = new byte[4096];
        for (int i = 0; i < b.length; i++) {
            b[i] = (byte) (i * 7);
        }
        b[0] = 'h';
        b[1] = 's';
        b[2] = 'q';
        b[3] = 's';
        return b;
    }

    /**
     * Generic (no group), PrimSys squashfs (group 1), signature linked to 2, SBOM named and 64-aligned in group 3, and
     * an ext3 System partition, the same sequence the siftool comparison in SifAddTest documents.
     */
    static Path fiveObjects(Path file) throws IOException {
        try (SifImage img = SifImage.create(file, bare())) {
            img.add(bytes(DataType.GENERIC, "hello").withNoGroup());
            img.add(ObjectInput.of(DataType.PARTITION, new ByteArrayInputStream(fakeSquashfs()))
                    .withPartition(FsType.SQUASHFS, PartType.PRIM_SYS, Arch.AMD64));
            img.add(bytes(DataType.SIGNATURE, "hello")
                    .withNoGroup()
                    .withLinkedId(2)
                    .withSignature(HashType.SHA256, FINGERPRINT));
            img.add(bytes(DataType.SBOM, "hello")
                    .withGroupId(3)
                    .withSbom(SbomFormat.SPDX_JSON)
                    .withName("sbom.json")
                    .withAlignment(64));
            img.add(ObjectInput.of(DataType.PARTITION, new ByteArrayInputStream(fakeSquashfs()))
                    .withPartition(FsType.EXT3, PartType.SYSTEM, Arch.ARM64)
                    .withNoGroup());
        }
        return file;
    }
}
