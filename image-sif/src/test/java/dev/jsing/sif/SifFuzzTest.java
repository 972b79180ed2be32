package dev.jsing.sif;

import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jsing.common.fuzz.Fuzz;
import dev.jsing.sif.text.SiftoolText;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Bounded fuzzing of the SIF reader and editor (issue #17): mutated copies of the corpus images (header and
 * descriptor fields set to edge values, random bytes, truncation, growth) are opened, rendered as {@code siftool}
 * does, their objects read, then edited (set primary, delete). The only outcomes allowed are a result or a one-line
 * {@link SifException}: no other exception, no hang, no OutOfMemoryError. Seed and count: see {@link Fuzz}.
 */
class SifFuzzTest {
    @TempDir
    Path dir;

    private static final int HEADER = 128;
    private static final int DESCRIPTOR = 585;
    /** Offsets of the header's 64-bit fields: ctime, mtime, dfree, dtotal, descroff, descrlen, dataoff, datalen. */
    private static final int[] HEADER_FIELDS = {64, 72, 80, 88, 96, 104, 112, 120};
    /** Offsets within a descriptor of its fields: type, used, id, group, link, offset, size, padded size, times... */
    private static final int[] DESCRIPTOR_FIELDS = {0, 4, 5, 9, 13, 17, 25, 33, 41, 49, 57, 65, 73, 201, 205, 209};

    private static final long[] EDGES = {
        0,
        1,
        -1,
        127,
        128,
        4096,
        4095,
        32176,
        Integer.MAX_VALUE,
        Integer.MIN_VALUE,
        0xffffffffL,
        Long.MAX_VALUE,
        Long.MIN_VALUE,
        Long.MAX_VALUE - 4096,
        1L << 40,
        48,
        49,
        0x4001,
        0x4002,
        0x4005,
        0x4006,
        0x4007
    };

    private List<byte[]> corpus() throws IOException {
        List<byte[]> out = new ArrayList<>();
        Path root;
        try {
            root = Path.of(SifFuzzTest.class.getResource("/corpus").toURI());
        } catch (java.net.URISyntaxException e) {
            throw new IllegalStateException(e);
        }
        try (Stream<Path> s = Files.list(root)) {
            for (Path p : s.filter(p -> p.toString().endsWith(".sif")).sorted().toList()) {
                out.add(Files.readAllBytes(p));
            }
        }
        out.add(Files.readAllBytes(TestImages.fiveObjects(dir.resolve("five.sif"))));
        return out;
    }

    @Test
    void mutatedImagesGiveAResultOrOneLineError() throws IOException {
        List<byte[]> corpus = corpus();
        Path file = dir.resolve("fuzz.sif");
        Fuzz.Report r = Fuzz.run(Fuzz.Settings.of("sif-reader", 17L, 1500, Duration.ofSeconds(10)), (rnd, i) -> {
            byte[] input = mutate(corpus.get(rnd.nextInt(corpus.size())), rnd);
            Files.write(file, input);
            String keep = System.getProperty("jsing.fuzz.keep"); // a directory: keep each input (as fixtures)
            if (keep != null) {
                Files.write(Files.createDirectories(Path.of(keep)).resolve("sif-" + i + ".sif"), input);
            }
            return exercise(file, rnd);
        });
        if (r.inputs() >= 100) {
            assertTrue(r.results() > r.inputs() / 20, "too few mutants still open, the fuzzing exercises little: " + r);
            assertTrue(r.errors() > r.inputs() / 20, "too few mutants refused, the mutations are too weak: " + r);
        }
    }

    /**
     * Inputs the fuzzing found, kept as fixtures ({@code src/test/resources/fuzz}, from {@code -Djsing.fuzz.keep=DIR}),
     * each exercised with 32 edit choices. {@code header-time-beyond-instant.sif}: a header time beyond {@link
     * java.time.Instant}'s range made every edit (set primary, delete) throw DateTimeException; {@code
     * padded-size-beyond-offset.sif}: {@code sif del --compact} of an object whose padded size exceeds its end cut the
     * file at a negative offset (IllegalArgumentException).
     */
    @Test
    void foundInputsStayFixed() throws Exception {
        Path root = Path.of(SifFuzzTest.class.getResource("/fuzz").toURI());
        List<Path> fixtures;
        try (Stream<Path> s = Files.list(root)) {
            fixtures = s.sorted().toList();
        }
        assertTrue(!fixtures.isEmpty());
        for (Path f : fixtures) {
            for (int k = 0; k < 32; k++) {
                Path copy = dir.resolve("fixture.sif");
                Files.copy(f, copy, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
                Fuzz.Outcome o = exercise(copy, new Random(k));
                assertTrue(!o.isError() || !o.message().contains("\n"), f + ": " + o);
            }
        }
        Path f = root.resolve("header-time-beyond-instant.sif");
        try (SifImage img = SifImage.open(f)) {
            assertTrue(
                    img.header().modifiedAtSeconds() < java.time.Instant.MIN.getEpochSecond(), "the fixture's point");
        }
        Path copy = dir.resolve("edit.sif");
        Files.copy(f, copy, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        try (SifImage img = SifImage.openWritable(copy)) {
            img.delete(img.descriptors().get(0).id(), DeleteOptions.defaults());
        }
        Files.copy(
                root.resolve("padded-size-beyond-offset.sif"), copy, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        try (SifImage img = SifImage.openWritable(copy)) {
            SifFormatException e = org.junit.jupiter.api.Assertions.assertThrows(
                    SifFormatException.class,
                    () -> img.delete(1, DeleteOptions.defaults().withCompact(true)));
            org.junit.jupiter.api.Assertions.assertEquals(
                    copy + ": object 1: padded size 8809 does not fit its offset 8776 and size 5", e.getMessage());
        }
    }

    static byte[] mutate(byte[] seed, Random r) {
        byte[] b = seed.clone();
        int edits = 1 + r.nextInt(4);
        for (int e = 0; e < edits; e++) {
            ByteBuffer buf = ByteBuffer.wrap(b).order(ByteOrder.LITTLE_ENDIAN);
            switch (r.nextInt(7)) {
                case 0, 1 -> { // a header field
                    int at = HEADER_FIELDS[r.nextInt(HEADER_FIELDS.length)];
                    if (at + 8 <= b.length) {
                        buf.putLong(at, value(r, b.length));
                    }
                }
                case 2, 3 -> { // a field of one of the first descriptors
                    int at = 4096 + DESCRIPTOR * r.nextInt(6) + DESCRIPTOR_FIELDS[r.nextInt(DESCRIPTOR_FIELDS.length)];
                    if (at + 8 <= b.length) {
                        if (r.nextBoolean()) {
                            buf.putInt(at, (int) value(r, b.length));
                        } else {
                            buf.putLong(at, value(r, b.length));
                        }
                    }
                }
                case 4 -> { // random bytes anywhere in the first 8 KiB
                    int n = 1 + r.nextInt(8);
                    for (int k = 0; k < n; k++) {
                        b[r.nextInt(Math.min(b.length, 8192))] = (byte) r.nextInt(256);
                    }
                }
                case 5 -> b = Arrays.copyOf(b, r.nextInt(b.length + 1)); // truncated
                default -> b = Arrays.copyOf(b, b.length + r.nextInt(8192)); // grown with zeros
            }
            if (b.length == 0) {
                break;
            }
        }
        return b;
    }

    private static long value(Random r, int length) {
        return switch (r.nextInt(4)) {
            case 0 -> EDGES[r.nextInt(EDGES.length)];
            case 1 -> length + r.nextInt(64) - 32;
            case 2 -> r.nextInt(length + 1);
            default -> r.nextLong();
        };
    }

    /** Everything {@code jsing sif} does with an image; a result, or the SifException's reason and message. */
    static Fuzz.Outcome exercise(Path file, Random r) throws IOException {
        try {
            try (SifImage img = SifImage.open(file)) {
                SiftoolText.header(img.header());
                SiftoolText.list(img.descriptors());
                for (Descriptor d : img.descriptors()) {
                    SiftoolText.info(d);
                    d.partition();
                    d.signature();
                    d.cryptoMessage();
                    d.sbomFormat();
                    d.ociDigest();
                    d.toString();
                    readSome(img.openStream(d));
                }
                img.primaryPartition();
            }
            ImageFormat.sniff(file);
            try (SifImage img = SifImage.openWritable(file)) {
                List<Descriptor> ds = img.descriptors();
                int id = ds.isEmpty() || r.nextInt(4) == 0
                        ? r.nextInt(70) - 2
                        : ds.get(r.nextInt(ds.size())).id();
                if (r.nextBoolean()) {
                    img.setPrimaryPartition(id);
                } else {
                    img.delete(
                            id,
                            DeleteOptions.defaults().withZero(r.nextBoolean()).withCompact(r.nextBoolean()));
                }
            }
            try (SifImage img = SifImage.open(file)) {
                SiftoolText.list(img.descriptors());
            }
            return Fuzz.Outcome.result();
        } catch (SifException e) {
            return Fuzz.Outcome.error(e.reason(), e.getMessage());
        } catch (UncheckedIOException e) {
            throw new AssertionError("unchecked I/O error escaped the reader", e);
        }
    }

    private static void readSome(InputStream in) throws IOException {
        byte[] buf = new byte[8192];
        int total = 0;
        int n;
        while (total < (1 << 20) && (n = in.read(buf)) > 0) {
            total += n;
        }
    }
}
