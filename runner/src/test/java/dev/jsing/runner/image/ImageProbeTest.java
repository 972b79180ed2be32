package dev.jsing.runner.image;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Tests for {@link ImageProbe}: the {@code unsquashfs -lls} listing parser on recorded output, and the metadata cache
 * (keyed by the image's path, size and mtime) with a fake {@code unsquashfs} that counts its runs.
 */
class ImageProbeTest {
    @TempDir
    Path tmp;

    Path unsquashfs;
    Path calls;
    Path image;
    Path cache;

    static String recordedListing() throws IOException {
        try (InputStream in = ImageProbeTest.class.getResourceAsStream("/image/unsquashfs-lls.txt")) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    /** A fake unsquashfs: -lls prints the recorded listing; an extraction writes etc/passwd.real and etc/group. */
    @BeforeEach
    void fakeUnsquashfs() throws IOException {
        Path bin = Files.createDirectories(tmp.resolve("bin"));
        Files.writeString(bin.resolve("listing.txt"), recordedListing());
        calls = bin.resolve("calls");
        unsquashfs = bin.resolve("unsquashfs");
        Files.writeString(
                unsquashfs,
                "#!/bin/sh\n"
                        + "here=$(dirname \"$0\")\n"
                        + "echo \"$*\" >> \"$here/calls\"\n"
                        + "case \" $* \" in *\" -lls \"*) cat \"$here/listing.txt\"; exit 0;; esac\n"
                        + "while [ $# -gt 0 ]; do if [ \"$1\" = -d ]; then dest=$2; fi; shift; done\n"
                        + "mkdir -p \"$dest/etc\"\n"
                        + "echo 'root:x:0:0:from image:/root:/bin/sh' > \"$dest/etc/passwd.real\"\n"
                        + "echo 'root:x:0:' > \"$dest/etc/group\"\n");
        Files.setPosixFilePermissions(unsquashfs, PosixFilePermissions.fromString("rwx------"));
        image = tmp.resolve("app.sqfs");
        Files.write(image, new byte[4096]);
        cache = tmp.resolve("cache");
    }

    private ImageMetadata probe(Path cacheDir) {
        ContainerImage img = new ContainerImage(image, ImageKind.SQUASHFS, 0, 4096, null);
        return ImageProbe.probe(img, unsquashfs.toString(), cacheDir, tmp);
    }

    private List<String> calls() throws IOException {
        return Files.exists(calls) ? Files.readAllLines(calls) : List.of();
    }

    /** Pins the parser: types per path, symlink targets, and names with blanks or " -> " in a regular file's name. */
    @Test
    void parsesRecordedListing() throws IOException {
        ImageProbe.Listing l = ImageProbe.parseListing(recordedListing());
        assertEquals(
                Map.ofEntries(
                        Map.entry("/.singularity.d", 'd'),
                        Map.entry("/.singularity.d/runscript", 'l'),
                        Map.entry("/bin", 'd'),
                        Map.entry("/bin/busybox", '-'),
                        Map.entry("/bin/sh", 'l'),
                        Map.entry("/etc", 'd'),
                        Map.entry("/etc/group", '-'),
                        Map.entry("/etc/passwd", 'l'),
                        Map.entry("/etc/passwd.real", '-'),
                        Map.entry("/fifo", 'p'),
                        Map.entry("/null", 'c'),
                        Map.entry("/with space", 'd'),
                        Map.entry("/with space/a -> b.txt", '-')),
                l.types());
        assertEquals(
                Map.of("/.singularity.d/runscript", "/bin/sh", "/bin/sh", "busybox", "/etc/passwd", "passwd.real"),
                l.links());
    }

    /** Pins that the version banner, the root line and unrelated text are not entries, and numeric owners parse. */
    @Test
    void ignoresNonEntryLines() {
        String text = "unsquashfs version 4.6.1 (2023/03/25)\n"
                + "drwxr-xr-x root/root                31 2024-05-01 10:00 squashfs-root\n"
                + "Parallel unsquashfs: Using 4 processors\n"
                + "-rw-r--r-- 1000/1000                 5 2024-05-01 10:00 squashfs-root/data 2024-01-01 00:00 x\n"
                + "lrwxrwxrwx 0/0                       3 2024-05-01 10:00 squashfs-root/lib -> usr/lib\n";
        ImageProbe.Listing l = ImageProbe.parseListing(text);
        assertEquals(Map.of("/data 2024-01-01 00:00 x", '-', "/lib", 'l'), l.types());
        assertEquals(Map.of("/lib", "usr/lib"), l.links());
    }

    /** Pins what probe reads through the listing's symlinks: passwd via a relative link, sh via busybox, runscript. */
    @Test
    void probeResolvesThroughLinks() throws IOException {
        ImageMetadata m = probe(null);
        assertEquals("root:x:0:0:from image:/root:/bin/sh\n", m.passwd());
        assertEquals("root:x:0:\n", m.group());
        assertTrue(m.hasSh());
        assertFalse(m.hasBash());
        assertEquals("/.singularity.d/runscript", m.runscript());
        assertFalse(m.hasTest());
        assertTrue(calls().get(1).endsWith(image + " /etc/passwd.real /etc/group"), calls().toString());
    }

    /** Issue #17: the probe lists the few paths it needs (depth-limited), never the whole image. */
    @Test
    void firstListingNamesThePathsAndNeverTheWholeImage() throws IOException {
        probe(null);
        assertEquals(
                "-o 0 -lls -n -no-wildcards -max-depth 2 " + image
                        + " etc/passwd etc/group bin/sh bin/bash .singularity.d/runscript .singularity.d/test",
                calls().get(0));
    }

    /** Issue #17: a passwd larger than the limit is not read (a 60 MB one exhausted the launcher's heap). */
    @Test
    void oversizedPasswdIsNotRead() throws IOException {
        Path listing = unsquashfs.resolveSibling("listing.txt");
        Files.writeString(
                listing,
                Files.readString(listing)
                        .replace(
                                "-rw-r--r-- root/root                26 2026-12-01 20:29 squashfs-root/etc/passwd.real",
                                "-rw-r--r-- root/root          62914560 2026-12-01 20:29 squashfs-root/etc/passwd.real"));
        ImageMetadata m = probe(null);
        assertNull(m.passwd());
        assertEquals("root:x:0:\n", m.group());
        assertTrue(calls().get(1).endsWith(image + " /etc/group"), calls().toString());
    }

    /** Pins the cache: a miss runs unsquashfs (list + extract) and stores the metadata; a hit runs nothing. */
    @Test
    void secondProbeIsACacheHit() throws IOException {
        ImageMetadata first = probe(cache);
        assertEquals(2, calls().size(), calls().toString());
        try (Stream<Path> s = Files.list(cache.resolve("meta"))) {
            assertEquals(1, s.filter(p -> p.toString().endsWith(".bin")).count());
        }
        ImageMetadata second = probe(cache);
        assertEquals(2, calls().size(), "a cache hit spawns no unsquashfs: " + calls());
        assertEquals(first, second);
    }

    /** Pins that without a cache directory every probe lists the image again. */
    @Test
    void noCacheDirectoryMeansNoCaching() throws IOException {
        probe(null);
        probe(null);
        assertEquals(4, calls().size(), calls().toString());
    }

    /** Pins invalidation: an image with a new mtime, or a new size at the same mtime, is probed again. */
    @Test
    void changedImageIsProbedAgain() throws IOException {
        FileTime t = FileTime.fromMillis(1_700_000_000_000L);
        Files.setLastModifiedTime(image, t);
        probe(cache);
        assertEquals(2, calls().size());

        Files.setLastModifiedTime(image, FileTime.fromMillis(1_700_000_060_000L));
        probe(cache);
        assertEquals(4, calls().size(), "mtime changed: " + calls());

        Files.write(image, new byte[512], StandardOpenOption.APPEND);
        Files.setLastModifiedTime(image, FileTime.fromMillis(1_700_000_060_000L));
        probe(cache);
        assertEquals(6, calls().size(), "size changed: " + calls());

        probe(cache);
        assertEquals(6, calls().size(), "unchanged again: a hit");
    }

    /** Pins that a corrupt cache entry is a miss (re-probed and rewritten), never an error. */
    @Test
    void corruptCacheEntryIsAMiss() throws IOException {
        ImageMetadata good = probe(cache);
        try (Stream<Path> s = Files.list(cache.resolve("meta"))) {
            for (Path p : s.toList()) {
                Files.write(p, new byte[] {0, 0, 0, 2, 1});
            }
        }
        assertEquals(good, probe(cache));
        assertEquals(4, calls().size(), calls().toString());
        assertEquals(good, probe(cache));
        assertEquals(4, calls().size(), "rewritten: " + calls());
    }

    /** Pins that a sandbox is read directly (no unsquashfs, no cache). */
    @Test
    void sandboxIsReadDirectly() throws IOException {
        Path root = Files.createDirectories(tmp.resolve("root/etc"));
        Files.writeString(root.resolve("passwd"), "root:x:0:0::/root:/bin/sh\n");
        ImageMetadata m = ImageProbe.probe(
                new ContainerImage(tmp.resolve("root"), ImageKind.SANDBOX, 0, 0, null), "/nonexistent", cache, tmp);
        assertEquals("root:x:0:0::/root:/bin/sh\n", m.passwd());
        assertNull(m.group());
        assertFalse(m.hasSh());
        assertEquals(List.of(), calls());
        assertFalse(Files.exists(cache));
    }
}
