package dev.jsing.sif.corpus;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jsing.sif.Arch;
import dev.jsing.sif.Descriptor;
import dev.jsing.sif.Header;
import dev.jsing.sif.SifImage;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Reads every committed corpus image back with the library and checks its header and descriptors. The expected rows
 * agree with {@code siftool list} (2.8.3) of the same files; the padded sizes follow from the offsets.
 *
 * <p>Row format: {@code id type group link offset+size/padded [name] [metadata]}, {@code g0} for no group, {@code l0}
 * for no link, {@code lG<n>} for a link to group n.
 */
class CorpusReadTest {
    static List<String> names() {
        return CorpusGenerator.names();
    }

    private static Path file(String name) {
        return CorpusGenerator.COMMITTED.resolve(name);
    }

    static String row(Descriptor d) {
        StringBuilder b = new StringBuilder();
        b.append(d.id()).append(' ').append(d.dataType().name());
        b.append(" g").append(d.groupId());
        b.append(d.isLinkedToGroup() ? " lG" : " l").append(d.linkedId());
        b.append(' ')
                .append(d.offset())
                .append('+')
                .append(d.size())
                .append('/')
                .append(d.sizeWithPadding());
        if (!d.name().isEmpty()) {
            b.append(" name=").append(d.name());
        }
        d.partition()
                .ifPresent(p -> b.append(' ')
                        .append(p.fsType())
                        .append('/')
                        .append(p.partType())
                        .append('/')
                        .append(p.arch().goName()));
        d.signature()
                .ifPresent(s -> b.append(' ').append(s.hashType()).append('/').append(s.entity()));
        d.cryptoMessage()
                .ifPresent(c -> b.append(' ').append(c.format()).append('/').append(c.messageType()));
        d.sbomFormat().ifPresent(f -> b.append(' ').append(f));
        d.ociDigest().ifPresent(g -> b.append(' ').append(g));
        return b.toString();
    }

    private record Expect(Arch arch, long free, long total, long dataSize, long fileSize, List<String> rows) {}

    private static Expect expected(String name) {
        return switch (name) {
            case "empty.sif" -> new Expect(Arch.UNKNOWN, 48, 48, 0, 32176, List.of());
            case "one-partition.sif" ->
                new Expect(
                        Arch.UNKNOWN,
                        7,
                        8,
                        4024,
                        12800,
                        List.of("1 PARTITION g1 l0 12288+512/4024 Squashfs/System/386"));
            case "primary-partition.sif" ->
                new Expect(
                        Arch.AMD64,
                        7,
                        8,
                        4024,
                        12800,
                        List.of("1 PARTITION g1 l0 12288+512/4024 name=rootfs.squashfs Squashfs/*System/amd64"));
            case "groups-links.sif" ->
                new Expect(
                        Arch.AMD64,
                        1,
                        8,
                        16970 - 8776,
                        16970,
                        List.of(
                                "1 PARTITION g1 l0 12288+512/4024 Squashfs/*System/amd64",
                                "2 DEFFILE g1 l0 12800+36/36",
                                "3 PARTITION g2 l0 16384+512/4060 Ext3/System/arm64",
                                "4 SIGNATURE g0 lG1 16896+20/20 SHA-256/433FE984155206BD962725E20E8713472A879943",
                                "5 SIGNATURE g0 l3 16916+21/21 SHA-512/433FE984155206BD962725E20E8713472A879943",
                                "6 GENERIC g3 l0 16960+6/29 name=notes.txt",
                                "7 CRYPTO_MESSAGE g3 l6 16966+4/4 OpenPGP/Clear Signature"));
            case "metadata-objects.sif" ->
                new Expect(
                        Arch.UNKNOWN,
                        0,
                        8,
                        8948 - 8776,
                        8948,
                        List.of(
                                "1 DEFFILE g1 l0 8776+36/36",
                                "2 ENV_VAR g1 l0 8812+20/20",
                                "3 LABELS g1 l0 8832+41/41",
                                "4 GENERIC g0 l0 8873+13/13",
                                "5 GENERIC_JSON g1 l0 8886+2/2 name=data.json",
                                "6 SBOM g1 l0 8888+25/25 cyclonedx-json",
                                "7 SBOM g2 l0 8913+26/26 spdx-json",
                                "8 GENERIC g2 l0 8944+4/9"));
            case "oci-objects.sif" ->
                new Expect(
                        Arch.UNKNOWN,
                        6,
                        8,
                        8847 - 8776,
                        8847,
                        List.of(
                                "1 OCI_ROOT_INDEX g1 l0 8776+34/34 "
                                        + CorpusGenerator.sha256(CorpusGenerator.OCI_INDEX),
                                "2 OCI_BLOB g1 l0 8810+37/37 " + CorpusGenerator.sha256(CorpusGenerator.OCI_BLOB)));
            case "deleted.sif" ->
                // the deleted object's 6 bytes stay in the file and in the data size, as after siftool del
                new Expect(
                        Arch.UNKNOWN, 6, 8, 16, 8792, List.of("1 GENERIC g1 l0 8776+5/5", "3 GENERIC g1 l0 8787+5/5"));
            case "deleted-zero.sif" ->
                new Expect(
                        Arch.UNKNOWN,
                        5,
                        8,
                        12807 - 8776,
                        12807,
                        List.of("1 GENERIC g1 l0 8776+5/5", "2 LABELS g1 l0 12805+2/2", "3 GENERIC g1 l0 12800+5/5"));
            case "deleted-compact.sif" ->
                new Expect(
                        Arch.AMD64,
                        6,
                        8,
                        12800 - 8776,
                        12800,
                        List.of("1 GENERIC g1 l0 8776+5/5", "2 PARTITION g1 l0 12288+512/4019 Squashfs/*System/amd64"));
            case "deleted-compact-partition.sif" ->
                new Expect(Arch.UNKNOWN, 7, 8, 5, 8781, List.of("1 GENERIC g1 l0 8776+5/5"));
            case "set-primary.sif" ->
                new Expect(
                        Arch.ARM64,
                        6,
                        8,
                        16896 - 8776,
                        16896,
                        List.of(
                                "1 PARTITION g1 l0 12288+512/4024 Squashfs/System/amd64",
                                "2 PARTITION g2 l0 16384+512/4096 Ext3/*System/arm64"));
            default -> throw new AssertionError("no expectation for " + name);
        };
    }

    @ParameterizedTest
    @MethodSource("names")
    void headerAndDescriptorsReadBack(String name) throws IOException {
        Expect want = expected(name);
        try (SifImage img = SifImage.open(file(name))) {
            Header h = img.header();
            assertEquals(new UUID(0, 0), h.id());
            assertEquals(SifImage.ZERO_TIME, h.createdAt());
            assertEquals(SifImage.ZERO_TIME, h.modifiedAt());
            assertTrue(h.isDeterministic());
            assertEquals("01", h.version());
            assertEquals(want.arch(), h.arch(), "arch");
            assertEquals(want.free(), h.descriptorsFree(), "descriptors free");
            assertEquals(want.total(), h.descriptorsTotal(), "descriptors total");
            assertEquals(4096, h.descriptorsOffset());
            assertEquals(want.total() * 585, h.descriptorsSize());
            assertEquals(4096 + want.total() * 585, h.dataOffset());
            assertEquals(want.dataSize(), h.dataSize(), "data size");
            assertEquals(want.fileSize(), Files.size(file(name)), "file size");
            assertEquals(want.total() - want.free(), img.descriptors().size());
            assertEquals(
                    want.rows(),
                    img.descriptors().stream().map(CorpusReadTest::row).toList());
            for (Descriptor d : img.descriptors()) {
                assertEquals(SifImage.ZERO_TIME, d.createdAt(), "created " + d);
                assertEquals(SifImage.ZERO_TIME, d.modifiedAt(), "modified " + d);
            }
            assertEquals(
                    want.rows().stream().anyMatch(r -> r.contains("/*System/")),
                    img.primaryPartition().isPresent());
        }
    }

    @Test
    void launchScriptOnlyWhereSet() throws IOException {
        for (String name : names()) {
            try (SifImage img = SifImage.open(file(name))) {
                String want = name.equals("primary-partition.sif") ? "#!/usr/bin/env run-singularity\n" : "";
                assertEquals(want, img.header().launchScript(), name);
            }
        }
    }

    @Test
    void objectBytesReadBack() throws IOException {
        try (SifImage img = SifImage.open(file("groups-links.sif"))) {
            assertArrayEquals(CorpusGenerator.squashfs(), bytes(img, 1));
            assertEquals(CorpusGenerator.DEFFILE, new String(bytes(img, 2), StandardCharsets.UTF_8));
            assertArrayEquals(CorpusGenerator.ext3(), bytes(img, 3));
            assertEquals("notes\n", new String(bytes(img, 6), StandardCharsets.UTF_8));
        }
        try (SifImage img = SifImage.open(file("set-primary.sif"))) {
            assertArrayEquals(
                    CorpusGenerator.ext3(),
                    bytes(img, img.primaryPartition().orElseThrow().id()));
        }
    }

    @Test
    void deletedDataIsKeptZeroedOrCutAsAsked() throws IOException {
        byte[] kept = Files.readAllBytes(file("deleted.sif"));
        assertEquals("second", new String(kept, 8781, 6, StandardCharsets.US_ASCII));
        byte[] zeroed = Files.readAllBytes(file("deleted-zero.sif"));
        for (int i = 12288; i < 12800; i++) {
            assertEquals(0, zeroed[i], "byte " + i);
        }
        assertEquals("third", new String(zeroed, 12800, 5, StandardCharsets.US_ASCII));
        // compaction cut the partition together with its alignment padding: the file ends after "first"
        byte[] cut = Files.readAllBytes(file("deleted-compact-partition.sif"));
        assertEquals("first", new String(cut, cut.length - 5, 5, StandardCharsets.US_ASCII));
    }

    @Test
    void emptyImageIsTheReferenceLayout() throws IOException {
        byte[] b = Files.readAllBytes(file("empty.sif"));
        assertEquals("SIF_MAGIC", new String(b, 32, 9, StandardCharsets.US_ASCII));
        for (int i = 4096; i < b.length; i++) {
            assertEquals(0, b[i], "descriptor table byte " + i);
        }
    }

    private static byte[] bytes(SifImage img, int id) throws IOException {
        try (InputStream in = img.openStream(img.descriptor(id).orElseThrow())) {
            return in.readAllBytes();
        }
    }
}
