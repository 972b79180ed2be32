package dev.jsing.sif;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Corrupted copies of a valid image: each must fail fast with a one-line message naming the file and the problem. */
class SifBadInputTest {
    @TempDir
    Path dir;

    private static final int DESC = 4096;
    private static final int D = 585;

    private Path corrupt(Consumer<ByteBuffer> edit) throws Exception {
        Path good = TestImages.fiveObjects(dir.resolve("good.sif"));
        ByteBuffer b = ByteBuffer.wrap(Files.readAllBytes(good)).order(ByteOrder.LITTLE_ENDIAN);
        edit.accept(b);
        Path bad = dir.resolve("bad.sif");
        Files.write(bad, Arrays.copyOf(b.array(), b.limit()));
        return bad;
    }

    private static void assertBad(Path f, String problem) {
        SifFormatException e =
                assertThrows(SifFormatException.class, () -> SifImage.open(f).close());
        assertEquals(f + ": " + problem, e.getMessage());
        assertFalse(e.getMessage().contains("\n"));
        assertEquals(SifException.Reason.MALFORMED, e.reason());
    }

    @Test
    void truncatedHeader() throws Exception {
        Path f = corrupt(b -> b.limit(100));
        assertBad(f, "truncated file: 100 bytes, shorter than the 128-byte SIF header");
    }

    @Test
    void truncatedDescriptorTable() throws Exception {
        Path f = corrupt(b -> b.limit(5000));
        assertBad(f, "descriptor table at offset 4096 (28080 bytes) lies outside the file (5000 bytes)");
    }

    @Test
    void truncatedData() throws Exception {
        Path f = corrupt(b -> b.limit(40000));
        assertBad(f, "data section at offset 32176 (12880 bytes) extends past the end of the file (40000 bytes)");
    }

    @Test
    void wrongMagic() throws Exception {
        Path f = corrupt(b -> b.put(32, (byte) 'X'));
        assertBad(f, "not a SIF file (bad magic)");
    }

    @Test
    void wrongVersion() throws Exception {
        Path f = corrupt(b -> b.put(43, (byte) '2'));
        assertBad(f, "unsupported SIF version \"02\" (want \"01\")");
    }

    @Test
    void absurdDescriptorCount() throws Exception {
        Path f = corrupt(b -> b.putLong(88, 1L << 31));
        assertBad(f, "absurd descriptor count 2147483648 (want 1..65536)");
    }

    @Test
    void negativeDescriptorCount() throws Exception {
        Path f = corrupt(b -> b.putLong(88, -1));
        assertBad(f, "absurd descriptor count -1 (want 1..65536)");
    }

    @Test
    void descriptorSizeMismatch() throws Exception {
        Path f = corrupt(b -> b.putLong(104, 1000));
        assertBad(f, "descriptor table size 1000 does not match 48 descriptors of 585 bytes");
    }

    @Test
    void objectOffsetPastEnd() throws Exception {
        Path f = corrupt(b -> b.putLong(DESC + D + 17, 1L << 40)); // object 2's offset
        assertBad(f, "object 2 (offset 1099511627776, size 4096) extends past the end of the file (45056 bytes)");
    }

    @Test
    void objectSizePastEnd() throws Exception {
        Path f = corrupt(b -> b.putLong(DESC + 4 * D + 25, Long.MAX_VALUE)); // object 5's size
        assertBad(
                f, "object 5 (offset 40960, size 9223372036854775807) extends past the end of the file (45056 bytes)");
    }

    @Test
    void overlappingObjects() throws Exception {
        Path f = corrupt(b -> b.putLong(DESC + 2 * D + 17, 36000)); // object 3 into object 2
        assertBad(f, "objects 2 (32768-36864) and 3 (36000-36005) overlap");
    }

    @Test
    void objectOverDescriptorTable() throws Exception {
        Path f = corrupt(b -> b.putLong(DESC + 17, 5000)); // object 1 inside the table
        assertBad(f, "object 1 (offset 5000, size 5) overlaps the header or descriptor table");
    }

    @Test
    void unknownDataTypeIsListedNotRejected() throws Exception {
        Path f = corrupt(b -> b.putInt(DESC, 0x4777)); // as siftool: "Unknown", not an error
        try (SifImage img = SifImage.open(f)) {
            Descriptor d = img.descriptor(1).orElseThrow();
            assertEquals(DataType.UNKNOWN, d.dataType());
            assertEquals(0x4777, d.dataTypeCode());
        }
    }

    @Test
    void notAFile() {
        assertThrows(java.nio.file.NoSuchFileException.class, () -> SifImage.open(dir.resolve("missing.sif")));
    }
}
