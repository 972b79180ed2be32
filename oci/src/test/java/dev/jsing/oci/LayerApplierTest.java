package dev.jsing.oci;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.apache.commons.compress.compressors.gzip.GzipCompressorOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LayerApplierTest {
    @TempDir
    Path tmp;

    /** Builds a tar layer in memory. */
    static final class Layer {
        private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        private final TarArchiveOutputStream tar;

        Layer() {
            tar = new TarArchiveOutputStream(bytes);
            tar.setLongFileMode(TarArchiveOutputStream.LONGFILE_POSIX);
        }

        Layer dir(String name, int mode) throws IOException {
            TarArchiveEntry e = new TarArchiveEntry(name.endsWith("/") ? name : name + "/");
            e.setMode(TarArchiveEntry.DEFAULT_DIR_MODE & ~0777 | mode);
            tar.putArchiveEntry(e);
            tar.closeArchiveEntry();
            return this;
        }

        Layer file(String name, String content, int mode) throws IOException {
            TarArchiveEntry e = new TarArchiveEntry(name, true);
            byte[] b = content.getBytes(StandardCharsets.UTF_8);
            e.setSize(b.length);
            e.setMode(0100000 | mode);
            tar.putArchiveEntry(e);
            tar.write(b);
            tar.closeArchiveEntry();
            return this;
        }

        Layer symlink(String name, String target) throws IOException {
            TarArchiveEntry e = new TarArchiveEntry(name, TarArchiveEntry.LF_SYMLINK);
            e.setLinkName(target);
            tar.putArchiveEntry(e);
            tar.closeArchiveEntry();
            return this;
        }

        Layer hardlink(String name, String target) throws IOException {
            TarArchiveEntry e = new TarArchiveEntry(name, TarArchiveEntry.LF_LINK);
            e.setLinkName(target);
            tar.putArchiveEntry(e);
            tar.closeArchiveEntry();
            return this;
        }

        Layer fifo(String name, int mode, long mtimeSeconds) throws IOException {
            TarArchiveEntry e = new TarArchiveEntry(name, TarArchiveEntry.LF_FIFO);
            e.setMode(0010000 | mode);
            e.setModTime(mtimeSeconds * 1000);
            e.addPaxHeader("SCHILY.xattr.user.k", "v");
            tar.putArchiveEntry(e);
            tar.closeArchiveEntry();
            return this;
        }

        byte[] tar() throws IOException {
            tar.close();
            return bytes.toByteArray();
        }

        byte[] gzip() throws IOException {
            byte[] t = tar();
            ByteArrayOutputStream o = new ByteArrayOutputStream();
            try (GzipCompressorOutputStream gz = new GzipCompressorOutputStream(o)) {
                gz.write(t);
            }
            return o.toByteArray();
        }
    }

    private Path root() throws IOException {
        return Files.createDirectories(tmp.resolve("root"));
    }

    private static List<String> listing(Path root) throws IOException {
        try (Stream<Path> s = Files.walk(root)) {
            return s.map(p -> root.relativize(p).toString()).sorted().collect(Collectors.toList());
        }
    }

    /**
     * Found by LayerFuzzTest: a truncated or corrupt layer was a bare IOException ("Truncated TAR archive", no layer
     * named, exit 74 as an I/O error); it is a bad image naming the layer.
     */
    @Test
    void truncatedOrCorruptLayerIsABadImage() throws IOException {
        byte[] good = new Layer()
                .file("a", "x".repeat(2000), 0644)
                .file("b", "y", 0644)
                .tar();
        byte[] gz = new Layer().file("a", "x".repeat(2000), 0644).gzip();
        for (byte[] bad :
                List.of(java.util.Arrays.copyOf(good, 1000), java.util.Arrays.copyOf(gz, gz.length / 2), new byte[] {
                    0x1f, (byte) 0x8b, 9
                })) {
            Path root = Files.createDirectories(tmp.resolve("r" + bad.length));
            OciException e = assertThrows(
                    OciException.class,
                    () -> new LayerApplier(root, false).apply(new ByteArrayInputStream(bad), "layer 3"));
            assertEquals(OciException.Kind.BAD_IMAGE, e.kind());
            assertTrue(e.getMessage().startsWith("layer 3: corrupt layer: "), e.getMessage());
            assertFalse(e.getMessage().contains("\n"));
        }
    }

    /** Found by LayerFuzzTest: a symlink with an empty target was a NoSuchFileException (reported as a missing file). */
    @Test
    void symlinkWithEmptyTargetIsABadImage() throws IOException {
        byte[] layer = new Layer().symlink("a", "").tar();
        OciException e = assertThrows(
                OciException.class,
                () -> new LayerApplier(root(), false).apply(new ByteArrayInputStream(layer), "layer"));
        assertEquals(OciException.Kind.BAD_IMAGE, e.kind());
        assertEquals("layer: symlink 'a' has an invalid target", e.getMessage());
    }

    @Test
    void appliesFilesDirsSymlinksHardlinksAndModes() throws IOException {
        Path root = root();
        LayerApplier a = new LayerApplier(root, false);
        byte[] layer = new Layer()
                .dir("usr", 0755)
                .dir("usr/bin", 0755)
                .file("usr/bin/tool", "#!/bin/sh\necho hi\n", 04755)
                .file("./etc/motd", "hello\n", 0640)
                .symlink("bin", "usr/bin")
                .hardlink("usr/bin/tool2", "usr/bin/tool")
                .dir("ro", 0555)
                .file("ro/inside", "x", 0444)
                .gzip();
        a.apply(new ByteArrayInputStream(layer), "layer");
        assertEquals("hello\n", Files.readString(root.resolve("etc/motd")));
        assertEquals(04755, mode(root.resolve("usr/bin/tool")));
        assertEquals(0640, mode(root.resolve("etc/motd")));
        assertEquals("usr/bin", Files.readSymbolicLink(root.resolve("bin")).toString());
        assertEquals(
                Files.getAttribute(root.resolve("usr/bin/tool"), "unix:ino"),
                Files.getAttribute(root.resolve("usr/bin/tool2"), "unix:ino"));
        assertEquals(0555, mode(root.resolve("ro")));
        assertEquals("x", Files.readString(root.resolve("ro/inside")));
    }

    /** Issue #17: setting a FIFO's mode or times opened it, and the open blocked forever (postfix images have FIFOs). */
    @Test
    void fifoIsCreatedWithModeAndTimeWithoutOpeningIt() throws Exception {
        Path root = root();
        byte[] layer = new Layer()
                .dir("var", 0755)
                .fifo("var/public", 0622, 1_000_000_000L)
                .fifo("p2", 0600, 0)
                .file("after", "x", 0644)
                .tar();
        LayerApplier a = new LayerApplier(root, false);
        assertTimeoutPreemptively(Duration.ofSeconds(10), () -> a.apply(new ByteArrayInputStream(layer), "layer"));
        Path fifo = root.resolve("var/public");
        assertEquals(
                "fifo",
                Files.getAttribute(fifo, "unix:mode", LinkOption.NOFOLLOW_LINKS) instanceof Integer m
                                && (m & 0170000) == 0010000
                        ? "fifo"
                        : "not a fifo");
        assertEquals(0622, mode(fifo));
        assertEquals(
                1_000_000_000L,
                Files.getLastModifiedTime(fifo, LinkOption.NOFOLLOW_LINKS).toMillis() / 1000);
        assertEquals("x", Files.readString(root.resolve("after")));
    }

    @Test
    void whiteoutAndOpaqueDirectoryRemoveLowerContent() throws IOException {
        Path root = root();
        LayerApplier a = new LayerApplier(root, false);
        a.apply(
                new ByteArrayInputStream(new Layer()
                        .file("keep", "1", 0644)
                        .file("gone", "2", 0644)
                        .dir("d", 0755)
                        .file("d/old1", "x", 0644)
                        .dir("d/sub", 0755)
                        .file("d/sub/old2", "y", 0644)
                        .dir("gonedir", 0755)
                        .file("gonedir/f", "z", 0644)
                        .tar()),
                "lower");
        a.apply(
                new ByteArrayInputStream(new Layer()
                        .file(".wh.gone", "", 0644)
                        .file(".wh.gonedir", "", 0644)
                        .file("d/new", "n", 0644)
                        .file("d/.wh..wh..opq", "", 0644)
                        .gzip()),
                "upper");
        assertEquals(List.of("", "d", "d/new", "keep"), listing(root));
        assertEquals(3, a.stats().whiteouts);
    }

    @Test
    void laterLayerReplacesSymlinkInsteadOfWritingThroughIt() throws IOException {
        Path root = root();
        Path outside = Files.createDirectories(tmp.resolve("outside"));
        Files.writeString(outside.resolve("victim"), "original");
        LayerApplier a = new LayerApplier(root, false);
        a.apply(
                new ByteArrayInputStream(new Layer()
                        .symlink("victim", outside.resolve("victim").toString())
                        .tar()),
                "l1");
        a.apply(
                new ByteArrayInputStream(
                        new Layer().file("victim", "replaced", 0644).tar()),
                "l2");
        assertEquals("original", Files.readString(outside.resolve("victim")));
        assertFalse(Files.isSymbolicLink(root.resolve("victim")));
        assertEquals("replaced", Files.readString(root.resolve("victim")));
    }

    @Test
    void dotDotAndAbsoluteNamesAreRejected() throws IOException {
        Path root = Files.createDirectories(tmp.resolve("a/b/root"));
        LayerApplier a = new LayerApplier(root, false);
        OciException e = assertThrows(
                OciException.class,
                () -> a.apply(
                        new ByteArrayInputStream(
                                new Layer().file("../../evil", "x", 0644).tar()),
                        "bad"));
        assertEquals(OciException.Kind.UNSAFE_PATH, e.kind());
        assertTrue(e.getMessage().contains("../../evil"), e.getMessage());
        OciException abs = assertThrows(
                OciException.class,
                () -> a.apply(
                        new ByteArrayInputStream(
                                new Layer().file("/etc/evil", "x", 0644).tar()),
                        "bad"));
        assertEquals(OciException.Kind.UNSAFE_PATH, abs.kind());
        assertFalse(Files.exists(tmp.resolve("a/evil")));
        assertFalse(Files.exists(tmp.resolve("evil")));
        assertEquals(List.of(""), listing(root));
    }

    @Test
    void symlinkEscapeIsRejectedAndNothingIsWrittenOutside() throws IOException {
        Path root = Files.createDirectories(tmp.resolve("root"));
        Path outside = Files.createDirectories(tmp.resolve("outside"));
        LayerApplier a = new LayerApplier(root, false);
        byte[] layer = new Layer()
                .symlink("up", "../outside")
                .file("up/escaped", "x", 0644)
                .tar();
        OciException e = assertThrows(OciException.class, () -> a.apply(new ByteArrayInputStream(layer), "evil layer"));
        assertEquals(OciException.Kind.UNSAFE_PATH, e.kind());
        assertTrue(e.getMessage().contains("up/escaped"), e.getMessage());
        assertEquals(List.of(""), listing(outside));
    }

    @Test
    void absoluteSymlinkResolvesInsideTheRoot() throws IOException {
        Path root = root();
        LayerApplier a = new LayerApplier(root, false);
        Path fakeEtc = Files.createDirectories(tmp.resolve("hostlike"));
        byte[] layer = new Layer()
                .dir("real", 0755)
                .symlink("abs", fakeEtc.toString())
                .symlink("lib", "/real")
                .file("lib/f", "inside", 0644)
                .file("abs/g", "contained", 0644)
                .tar();
        a.apply(new ByteArrayInputStream(layer), "l");
        assertEquals("inside", Files.readString(root.resolve("real/f")));
        // "abs" points at an absolute host path: it is followed inside the root, never on the host.
        assertEquals(List.of(""), listing(fakeEtc));
        assertEquals(
                "contained",
                Files.readString(root.resolve(fakeEtc.toString().substring(1)).resolve("g")));
    }

    @Test
    void hardLinkOutsideTheRootIsRejected() throws IOException {
        Path root = root();
        LayerApplier a = new LayerApplier(root, false);
        assertThrows(
                OciException.class,
                () -> a.apply(
                        new ByteArrayInputStream(
                                new Layer().hardlink("h", "../x").tar()),
                        "l"));
        Files.createDirectories(tmp.resolve("outside"));
        Files.writeString(tmp.resolve("outside/secret"), "s");
        OciException e = assertThrows(
                OciException.class,
                () -> a.apply(
                        new ByteArrayInputStream(new Layer()
                                .symlink("o", "../outside")
                                .hardlink("h", "o/secret")
                                .tar()),
                        "l"));
        assertEquals(OciException.Kind.UNSAFE_PATH, e.kind());
        assertFalse(Files.exists(root.resolve("h")));
    }

    @Test
    void zstdWithoutZstdJniIsAClearError() {
        byte[] zstdMagic = {0x28, (byte) 0xb5, 0x2f, (byte) 0xfd, 0, 0, 0, 0};
        OciException e = assertThrows(
                OciException.class,
                () -> new LayerApplier(tmp.resolve("z"), false).apply(new ByteArrayInputStream(zstdMagic), "zl"));
        assertEquals(OciException.Kind.UNSUPPORTED, e.kind());
        assertTrue(e.getMessage().contains("zstd"), e.getMessage());
    }

    private static int mode(Path p) throws IOException {
        return (Integer) Files.getAttribute(p, "unix:mode", LinkOption.NOFOLLOW_LINKS) & 07777;
    }

    static List<String> names(List<Path> ps) {
        List<String> out = new ArrayList<>();
        ps.forEach(p -> out.add(p.toString()));
        return out;
    }
}
