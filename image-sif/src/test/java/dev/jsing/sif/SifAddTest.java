package dev.jsing.sif;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Add, checked against golden bytes. The goldens were cross-checked with Debian's siftool 2.8.3: starting from the
 * same deterministic empty image, {@code siftool add} of the same five objects gives the same bytes except the
 * timestamps (siftool 2.8.3 always records the current time; the current reference keeps the zero time of
 * deterministic images, as this library does). SifWriteCompatIT repeats that check on every build.
 */
class SifAddTest {
    @TempDir
    Path dir;

    @Test
    void fiveObjectsMatchGolden() throws Exception {
        Path f = TestImages.fiveObjects(dir.resolve("a.sif"));
        Golden.assertMatches("SifAddTest", "FiveObjects", Files.readAllBytes(f));
    }

    @Test
    void layoutFollowsAlignmentAndGroups() throws Exception {
        Path f = TestImages.fiveObjects(dir.resolve("a.sif"));
        try (SifImage img = SifImage.open(f)) {
            var ds = img.descriptors();
            assertEquals(5, ds.size());
            assertEquals(32176, ds.get(0).offset());
            assertEquals(0, ds.get(0).groupId());
            assertEquals(32768, ds.get(1).offset()); // partition: 4096-aligned
            assertEquals(32768 - 32181 + 4096, ds.get(1).sizeWithPadding());
            assertEquals(1, ds.get(1).groupId());
            assertEquals(36864, ds.get(2).offset()); // signature: unaligned
            assertEquals(2, ds.get(2).linkedId());
            assertEquals(false, ds.get(2).isLinkedToGroup());
            assertEquals(36928, ds.get(3).offset()); // 64-aligned
            assertEquals("sbom.json", ds.get(3).name());
            assertEquals(3, ds.get(3).groupId());
            assertEquals(40960, ds.get(4).offset());
            assertEquals(Arch.AMD64, img.header().arch());
            assertEquals(43, img.header().descriptorsFree());
            assertEquals(45056 - 32176, img.header().dataSize());
            assertEquals(45056, Files.size(f));
        }
    }

    @Test
    void objectBytesStreamBack() throws Exception {
        Path f = TestImages.fiveObjects(dir.resolve("a.sif"));
        try (SifImage img = SifImage.open(f)) {
            Descriptor prim = img.primaryPartition().orElseThrow();
            try (InputStream in = img.openStream(prim)) {
                assertArrayEquals(TestImages.fakeSquashfs(), in.readAllBytes());
            }
            try (InputStream in = img.openStream(img.descriptor(1).orElseThrow())) {
                assertEquals("hello", new String(in.readAllBytes()));
            }
        }
    }

    @Test
    void objectFromFileWithTimeAndGroupLink() throws Exception {
        Path f = dir.resolve("a.sif");
        Path payload = Files.write(dir.resolve("p.json"), "{}".getBytes());
        try (SifImage img = SifImage.create(f, TestImages.bare())) {
            img.add(ObjectInput.of(DataType.GENERIC_JSON, payload)
                    .withTime(TestImages.T1)
                    .withName("data.json"));
            img.add(TestImages.bytes(DataType.SIGNATURE, "sig")
                    .withNoGroup()
                    .withLinkedGroupId(1)
                    .withSignature(HashType.SHA384, new byte[20]));
            img.add(TestImages.bytes(DataType.OCI_BLOB, "blob").withOciDigest("sha256:abc"));
            img.add(TestImages.bytes(DataType.CRYPTO_MESSAGE, "m")
                    .withCryptoMessage(CryptoFormat.PEM, CryptoMessageType.RSA_OAEP));
        }
        Golden.assertMatches("SifAddTest", "TimeGroupLinkOci", Files.readAllBytes(f));
        try (SifImage img = SifImage.open(f)) {
            Descriptor d = img.descriptor(1).orElseThrow();
            assertEquals(TestImages.T1, d.createdAt());
            assertEquals(Instant.ofEpochSecond(-62135596800L), img.header().modifiedAt());
            Descriptor sig = img.descriptor(2).orElseThrow();
            assertEquals(1, sig.linkedId());
            assertEquals(true, sig.isLinkedToGroup());
            assertEquals("", sig.signature().orElseThrow().entity());
            assertEquals(HashType.SHA384, sig.signature().orElseThrow().hashType());
            assertEquals(
                    "sha256:abc", img.descriptor(3).orElseThrow().ociDigest().orElseThrow());
            assertEquals(
                    CryptoMessageType.RSA_OAEP,
                    img.descriptor(4)
                            .orElseThrow()
                            .cryptoMessage()
                            .orElseThrow()
                            .messageType());
        }
    }

    @Test
    void secondPrimaryPartitionIsRefused() throws Exception {
        Path f = TestImages.fiveObjects(dir.resolve("a.sif"));
        try (SifImage img = SifImage.openWritable(f)) {
            SifException e = assertThrows(
                    SifException.class,
                    () -> img.add(TestImages.bytes(DataType.PARTITION, "x")
                            .withPartition(FsType.SQUASHFS, PartType.PRIM_SYS, Arch.AMD64)));
            assertEquals(SifException.Reason.PRIMARY_PARTITION_EXISTS, e.reason());
            assertEquals(f + ": image already contains a primary partition", e.getMessage());
        }
    }

    @Test
    void fullDescriptorTableIsRefused() throws Exception {
        Path f = dir.resolve("a.sif");
        try (SifImage img = SifImage.create(f, TestImages.bare().withDescriptorCapacity(1))) {
            img.add(TestImages.bytes(DataType.GENERIC, "a"));
            SifException e = assertThrows(SifException.class, () -> img.add(TestImages.bytes(DataType.GENERIC, "b")));
            assertEquals(SifException.Reason.NO_FREE_DESCRIPTOR, e.reason());
        }
    }

    @Test
    void readOnlyImageRefusesEdits() throws Exception {
        Path f = TestImages.fiveObjects(dir.resolve("a.sif"));
        try (SifImage img = SifImage.open(f)) {
            assertThrows(IllegalStateException.class, () -> img.add(TestImages.bytes(DataType.GENERIC, "a")));
        }
    }

    @Test
    void zeroBlocksPastTheEndBecomeHolesWithTheSameBytes() throws Exception {
        Path f = dir.resolve("a.sif");
        byte[] payload = new byte[3 << 16];
        payload[payload.length - 1] = 9;
        try (SifImage img = SifImage.create(f, TestImages.bare())) {
            img.add(ObjectInput.of(DataType.GENERIC, new java.io.ByteArrayInputStream(payload)));
            img.add(ObjectInput.of(DataType.GENERIC, new java.io.ByteArrayInputStream(new byte[1 << 17])));
        }
        try (SifImage img = SifImage.open(f)) {
            try (InputStream in = img.openStream(img.descriptor(1).orElseThrow())) {
                assertArrayEquals(payload, in.readAllBytes());
            }
            Descriptor second = img.descriptor(2).orElseThrow();
            assertEquals(1 << 17, second.size());
            assertEquals(second.offset() + second.size(), Files.size(f));
        }
    }
}
