package dev.jsing.oci;

import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jsing.common.fs.Trees;
import dev.jsing.common.fuzz.Fuzz;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.apache.commons.compress.compressors.gzip.GzipCompressorOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Bounded fuzzing of layer application (issue #17): two random layers of hostile entries (names climbing out or
 * absolute, symlinks and hard links to the host, whiteouts of odd names, devices, FIFOs, odd modes, owners, times and
 * xattrs), sometimes gzip-compressed, sometimes with corrupted or truncated bytes, applied to a root beside a host
 * directory the entries aim at. The only outcomes allowed are a result or a one-line {@link OciException}; and whatever
 * the outcome, nothing outside the root changed. Seed and count: see {@link Fuzz}.
 */
class LayerFuzzTest {
    @TempDir
    Path tmp;

    /** A name under the host's /tmp that entries aim at through symlinks to "/tmp": it must never appear. */
    private static final String HOST_PROBE = "jsing-reliab-fuzz-probe";

    /** Names of ordinary entries, most of each layer. */
    private static final String[] PLAIN = {"a", "a/b", "a/b/c", "d", "d/e", "f", "a/f", "d/e/g", "link", "hl"};

    /** Names of hostile entries. */
    private static final String[] NAMES = {
        "a",
        "a/b",
        "a/b/c",
        "d",
        "d/e",
        "link",
        "link/x",
        "abs",
        "abs/x",
        "up",
        "up/x",
        "host",
        "host/secret",
        "host/new",
        "tmp",
        "tmp/" + HOST_PROBE,
        "loop",
        "loop/x",
        "hl",
        "fifo",
        "dev",
        "./a",
        "a/./b",
        "a//b",
        "..",
        "../x",
        "a/../../x",
        "/etc/x",
        "/",
        ".",
        ".wh.a",
        ".wh.host",
        "a/.wh.b",
        "a/.wh..wh..opq",
        ".wh..wh..opq",
        ".wh..",
        ".wh.",
        "x\u00e9\u2028",
        "n".repeat(120) + "/" + "m".repeat(150),
        "a/b\\c"
    };

    private String[] targets(Path outside) {
        return new String[] {
            "/",
            "/etc",
            "..",
            "../..",
            "../outside",
            "../outside/secret",
            outside.toString(),
            outside + "/secret",
            "/tmp",
            "a",
            "a/b",
            "loop",
            "link/x",
            "host",
            "/host/secret",
            "nowhere",
            "",
            "../" + HOST_PROBE
        };
    }

    @Test
    void hostileLayersWriteNothingOutsideTheRoot() throws IOException {
        Path work = tmp.resolve("w");
        Fuzz.Report r = Fuzz.run(Fuzz.Settings.of("oci-layers", 17L, 250, Duration.ofSeconds(20)), (rnd, i) -> {
            Trees.deleteQuietly(work);
            Path root = Files.createDirectories(work.resolve("root"));
            Path outside = Files.createDirectories(work.resolve("outside"));
            Files.writeString(outside.resolve("secret"), "s");
            Files.createSymbolicLink(root.resolve("host"), outside); // a lower layer's absolute link
            TreeMap<String, String> before = snapshot(work, root);
            Fuzz.Outcome o = Fuzz.Outcome.result();
            try {
                LayerApplier a = new LayerApplier(root, false);
                for (int layer = 0; layer < 2 && !o.isError(); layer++) {
                    byte[] blob = layer(rnd, outside);
                    try {
                        a.apply(new ByteArrayInputStream(blob), "layer " + layer);
                    } catch (OciException e) {
                        o = Fuzz.Outcome.error(e.kind(), e.getMessage());
                    }
                }
            } finally {
                TreeMap<String, String> after = snapshot(work, root);
                if (!after.equals(before)) {
                    throw new AssertionError("outside the root changed: " + before + " -> " + after);
                }
                if (Files.exists(Path.of("/tmp", HOST_PROBE), LinkOption.NOFOLLOW_LINKS)) {
                    Files.deleteIfExists(Path.of("/tmp", HOST_PROBE));
                    throw new AssertionError("a layer wrote the host's /tmp/" + HOST_PROBE);
                }
            }
            return o;
        });
        if (r.inputs() >= 100) {
            assertTrue(r.results() > r.inputs() / 15, "too few layers applied, the fuzzing exercises little: " + r);
            assertTrue(r.errors() > r.inputs() / 20, "too few layers refused, the layers are too tame: " + r);
        }
    }

    /** Every path under {@code work} outside {@code root}, with its type, mode and content. */
    private static TreeMap<String, String> snapshot(Path work, Path root) throws IOException {
        TreeMap<String, String> m = new TreeMap<>();
        try (Stream<Path> s = Files.walk(work)) {
            for (Path p : s.filter(p -> !p.startsWith(root)).toList()) {
                String v;
                if (Files.isSymbolicLink(p)) {
                    v = "-> " + Files.readSymbolicLink(p);
                } else if (Files.isRegularFile(p, LinkOption.NOFOLLOW_LINKS)) {
                    v = Files.readString(p) + " " + Files.getPosixFilePermissions(p, LinkOption.NOFOLLOW_LINKS);
                } else {
                    v = "dir " + Files.getPosixFilePermissions(p, LinkOption.NOFOLLOW_LINKS);
                }
                m.put(work.relativize(p).toString(), v);
            }
        }
        return m;
    }

    /** One random layer: entries, then maybe compression and corruption. */
    private byte[] layer(Random r, Path outside) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        String[] targets = targets(outside);
        try (TarArchiveOutputStream tar = new TarArchiveOutputStream(bytes)) {
            tar.setLongFileMode(TarArchiveOutputStream.LONGFILE_POSIX);
            tar.setBigNumberMode(TarArchiveOutputStream.BIGNUMBER_POSIX);
            tar.setAddPaxHeadersForNonAsciiNames(true);
            int n = 1 + r.nextInt(10);
            for (int k = 0; k < n; k++) {
                String name = r.nextInt(8) < 6 ? PLAIN[r.nextInt(PLAIN.length)] : NAMES[r.nextInt(NAMES.length)];
                int kind = r.nextInt(40);
                TarArchiveEntry e;
                byte[] content = new byte[0];
                if (kind < 20) {
                    e = new TarArchiveEntry(name, true);
                    content = new byte[r.nextInt(64)];
                    r.nextBytes(content);
                } else if (kind < 29) {
                    e = new TarArchiveEntry(name.endsWith("/") ? name : name + "/", true);
                } else if (kind < 34) {
                    e = new TarArchiveEntry(name, TarArchiveEntry.LF_SYMLINK, true);
                    e.setLinkName(
                            r.nextBoolean() ? PLAIN[r.nextInt(PLAIN.length)] : targets[r.nextInt(targets.length)]);
                } else if (kind < 37) {
                    e = new TarArchiveEntry(name, TarArchiveEntry.LF_LINK, true);
                    e.setLinkName(
                            r.nextBoolean() ? PLAIN[r.nextInt(PLAIN.length)] : targets[r.nextInt(targets.length)]);
                } else if (kind < 38 && r.nextInt(5) == 0) { // rare: each FIFO is a mkfifo process
                    e = new TarArchiveEntry(name, TarArchiveEntry.LF_FIFO, true);
                } else {
                    e = new TarArchiveEntry(
                            name, r.nextBoolean() ? TarArchiveEntry.LF_CHR : TarArchiveEntry.LF_BLK, true);
                    e.setDevMajor(r.nextInt(10));
                    e.setDevMinor(r.nextInt(10));
                }
                int mode = r.nextInt(8) == 0 ? r.nextInt(010000) : (kind >= 20 && kind < 29 ? 0755 : 0644);
                e.setMode((e.getMode() & ~07777) | mode);
                if (r.nextInt(4) == 0) {
                    e.setIds(r.nextInt(70000), r.nextInt(70000));
                }
                if (r.nextInt(6) == 0) {
                    long[] times = {0, -1, -4_000_000_000L, 253402300799L, 1L << 34};
                    e.setModTime(java.nio.file.attribute.FileTime.from(
                            times[r.nextInt(times.length)], java.util.concurrent.TimeUnit.SECONDS));
                }
                if (r.nextInt(6) == 0) {
                    String[] xattrs = {"user.x", "security.capability", "trusted.x", "user." + "k".repeat(300), "user."
                    };
                    e.addPaxHeader("SCHILY.xattr." + xattrs[r.nextInt(xattrs.length)], "v\u00e9");
                }
                if (!e.isFile()) {
                    content = new byte[0]; // a file name ending in '/' is a directory
                }
                e.setSize(content.length);
                tar.putArchiveEntry(e);
                tar.write(content);
                tar.closeArchiveEntry();
            }
        }
        byte[] b = bytes.toByteArray();
        if (r.nextInt(6) == 0) { // corrupted: bytes of the first headers changed, or cut short
            b = b.clone();
            if (r.nextBoolean()) {
                for (int k = 1 + r.nextInt(6); k > 0; k--) {
                    b[r.nextInt(Math.min(b.length, 2048))] = (byte) r.nextInt(256);
                }
            } else {
                b = Arrays.copyOf(b, r.nextInt(b.length));
            }
        }
        if (r.nextInt(4) == 0) {
            ByteArrayOutputStream z = new ByteArrayOutputStream();
            try (OutputStream gz = new GzipCompressorOutputStream(z)) {
                gz.write(b);
            }
            b = z.toByteArray();
            if (r.nextInt(3) == 0) {
                b = Arrays.copyOf(b, Math.max(2, b.length - 1 - r.nextInt(b.length)));
            }
        }
        return b;
    }

    static String text(byte[] b) {
        return new String(b, StandardCharsets.UTF_8);
    }

    static List<String> list(Path p) throws IOException {
        try (Stream<Path> s = Files.list(p)) {
            return s.map(Path::toString).sorted().toList();
        }
    }
}
