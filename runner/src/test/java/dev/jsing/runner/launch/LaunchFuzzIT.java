package dev.jsing.runner.launch;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jsing.common.fuzz.Fuzz;
import dev.jsing.runner.error.ExitCodes;
import dev.jsing.runner.testing.Commands;
import dev.jsing.runner.testing.MinbaseImage;
import dev.jsing.runner.testing.Result;
import dev.jsing.runner.testing.Siftool;
import dev.jsing.runner.testing.TestDist;
import dev.jsing.runner.testing.TestUser;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Bounded fuzzing of the launch path (issue #17): mutated copies of a reference SIF and squashfs (the busybox image;
 * SIF header and descriptor fields, squashfs superblock fields and metadata bytes, truncation) run through {@code
 * jsing exec IMAGE /bin/sh -c 'echo ok'} as the unprivileged test user, on the full path. The only outcomes allowed:
 * the payload ran (it printed ok, or the image's own program failed or crashed), or one line {@code jsing: error: ...}
 * with one of jsing's exit codes; never an internal error or stack trace, never a hang (a time limit per launch), and
 * nothing left behind: the session directories are gone after each launch and no squashfuse of a mutant outlives the
 * run. Seed and count: see {@link Fuzz} ({@code -Djsing.fuzz.count=N} for a longer run).
 */
class LaunchFuzzIT {
    static TestUser user;
    static Path work;
    static Path tmp;
    static byte[] sif;
    static byte[] sqfs;
    static long partitionOffset;

    /** jsing's own exit codes for a refused launch (INTERNAL is a bug, never allowed). */
    static final Set<Integer> ERRORS = Set.of(
            ExitCodes.USAGE,
            ExitCodes.BAD_IMAGE,
            ExitCodes.NOT_FOUND,
            ExitCodes.UNAVAILABLE,
            ExitCodes.LAUNCH_FAILED,
            ExitCodes.CANT_CREATE,
            ExitCodes.IO_ERROR,
            ExitCodes.BAD_MOUNT,
            ExitCodes.COMMAND_NOT_EXECUTABLE,
            ExitCodes.COMMAND_NOT_FOUND);

    /** Offsets of squashfs superblock fields (inodes, mkfs time, block size, ... the table starts). */
    static final int[] SUPERBLOCK = {4, 8, 12, 16, 20, 22, 24, 26, 28, 30, 32, 40, 48, 56, 64, 72, 80, 88};

    static final long[] EDGES = {0, 1, -1, 96, 4096, 1 << 20, Integer.MAX_VALUE, 0xffffffffL, Long.MAX_VALUE};

    @BeforeAll
    static void setUp() throws Exception {
        user = TestUser.get();
        work = user.newDir("jsing-reliab-launchfuzz-");
        tmp = work.resolve("tmp");
        Commands.ok("mkdir", "-p", tmp.toString());
        Path ref = work.resolve("ref.sif");
        Siftool.primarySif(ref, MinbaseImage.busybox());
        sif = Files.readAllBytes(ref);
        sqfs = Files.readAllBytes(MinbaseImage.busybox());
        partitionOffset = indexOf(sif, new byte[] {'h', 's', 'q', 's'});
        assertTrue(partitionOffset > 0, "the reference SIF holds the squashfs");
        user.own(work);
    }

    @AfterAll
    static void tearDown() {
        if (work != null) {
            Commands.run("rm", "-rf", work.toString());
        }
    }

    static long indexOf(byte[] hay, byte[] needle) {
        outer:
        for (int i = 0; i + needle.length <= hay.length; i++) {
            for (int k = 0; k < needle.length; k++) {
                if (hay[i + k] != needle[k]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }

    @Test
    void mutatedImagesRunOrFailInOneLine() throws Exception {
        Fuzz.Report r = Fuzz.run(Fuzz.Settings.of("launch", 17L, 16, Duration.ofSeconds(90)), (rnd, i) -> {
            boolean asSif = rnd.nextInt(3) > 0;
            byte[] img = asSif ? mutateSif(rnd) : mutateSquashfs(sqfs.clone(), 0, rnd);
            Path file = work.resolve("mutant-" + i + (asSif ? ".sif" : ".sqfs"));
            Files.write(file, img);
            Commands.ok("chmod", "a+r", file.toString());
            String keep = System.getProperty("jsing.fuzz.keep"); // a directory: keep each input (as fixtures)
            if (keep != null) {
                Files.write(Files.createDirectories(Path.of(keep)).resolve(file.getFileName()), img);
            }
            Result res = user.run(
                    TestDist.jsing("exec", file.toString(), "/bin/sh", "-c", "echo ok"),
                    Map.of("JSING_TMPDIR", tmp.toString(), "JSING_NO_FAST", "1"),
                    work,
                    Duration.ofSeconds(60));
            Fuzz.Outcome o = classify(res);
            assertEquals(List.of(), leftovers(), "left in JSING_TMPDIR after " + file + ": " + res.describe());
            Files.delete(file);
            return o;
        });
        // no squashfuse of a mutant outlives the run (the daemon exits within seconds of its container)
        String left = "";
        for (int t = 0; t < 20; t++) {
            left = Commands.run("pgrep", "-af", work.toString()).stdout();
            if (left.isEmpty()) {
                break;
            }
            Thread.sleep(500);
        }
        assertEquals("", left, "processes of the mutants left running");
        if (r.inputs() >= 16) {
            assertTrue(r.results() > 0, "no mutant ran at all, the mutations are too strong: " + r);
            assertTrue(r.errors() > 0, "no mutant was refused, the mutations are too weak: " + r);
        }
    }

    static List<String> leftovers() throws Exception {
        try (Stream<Path> s = Files.list(tmp)) {
            return s.map(p -> p.getFileName().toString()).sorted().toList();
        }
    }

    /** A result when the payload ran, else a one-line error with one of jsing's codes; anything else fails. */
    static Fuzz.Outcome classify(Result r) {
        String err = r.stderr();
        if (err.contains("Exception") || err.contains("\tat ") || err.contains("internal error")) {
            throw new AssertionError("a stack trace or internal error: " + r.describe());
        }
        if (r.exitCode() == 0 && r.stdout().equals("ok\n")) {
            return Fuzz.Outcome.result();
        }
        if (ERRORS.contains(r.exitCode()) && err.startsWith("jsing: error: ")) {
            if (err.lines().count() != 1) {
                throw new AssertionError("an error of more than one line: " + r.describe());
            }
            return Fuzz.Outcome.error(r.exitCode(), err.strip());
        }
        if (!err.contains("jsing:") && (r.exitCode() >= 128 || r.exitCode() == 126 || r.exitCode() == 127)) {
            return Fuzz.Outcome.result(); // the image's own /bin/sh started and failed or crashed
        }
        throw new AssertionError("neither a result nor a one-line jsing error: " + r.describe());
    }

    byte[] mutateSif(Random r) {
        byte[] b = sif.clone();
        ByteBuffer buf = ByteBuffer.wrap(b).order(ByteOrder.LITTLE_ENDIAN);
        switch (r.nextInt(5)) {
            case 0 -> buf.putLong(64 + 8 * r.nextInt(8), edge(r, b.length)); // a header field
            case 1 -> { // a field of the partition's descriptor (type, id, group, link, offset, size, ...)
                int[] fields = {0, 4, 5, 9, 13, 17, 25, 33, 73, 201, 205, 209};
                int at = 4096 + fields[r.nextInt(fields.length)];
                buf.putInt(at, (int) edge(r, b.length));
            }
            case 2, 3 -> b = mutateSquashfs(b, (int) partitionOffset, r);
            default -> b = Arrays.copyOf(b, (int) partitionOffset + r.nextInt(b.length - (int) partitionOffset));
        }
        return b;
    }

    static byte[] mutateSquashfs(byte[] b, int base, Random r) {
        ByteBuffer buf = ByteBuffer.wrap(b).order(ByteOrder.LITTLE_ENDIAN);
        int edits = 1 + r.nextInt(3);
        for (int e = 0; e < edits; e++) {
            switch (r.nextInt(4)) {
                case 0 -> {
                    int at = base + SUPERBLOCK[r.nextInt(SUPERBLOCK.length)];
                    if (at >= 40 + base) {
                        buf.putLong(at, edge(r, b.length));
                    } else {
                        buf.putInt(at, (int) edge(r, b.length));
                    }
                }
                case 1 -> { // metadata: between the inode table start and the end
                    long inodes = buf.getLong(base + 64);
                    int from = inodes > 0 && base + inodes < b.length ? (int) (base + inodes) : base + 96;
                    for (int k = 1 + r.nextInt(16); k > 0; k--) {
                        b[from + r.nextInt(b.length - from)] = (byte) r.nextInt(256);
                    }
                }
                default -> {
                    if (r.nextInt(4) == 0) {
                        return Arrays.copyOf(b, base + 96 + r.nextInt(b.length - base - 96));
                    }
                    // file data (before the inode table): the probe never reads it, squashfuse does
                    long inodes = buf.getLong(base + 64);
                    int end = inodes > 96 && base + inodes < b.length ? (int) (base + inodes) : b.length;
                    for (int k = 1 + r.nextInt(8); k > 0; k--) {
                        b[base + 96 + r.nextInt(end - base - 96)] ^= (byte) (1 << r.nextInt(8));
                    }
                }
            }
        }
        return b;
    }

    static long edge(Random r, int length) {
        return r.nextBoolean() ? EDGES[r.nextInt(EDGES.length)] : r.nextInt(length + 1);
    }
}
