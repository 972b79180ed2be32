package dev.jsing.runner.config;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Tests for {@link MetaCache}: hits, staleness, and the bounds (count, size, age, images that are gone). */
class MetaCacheTest {
    @TempDir
    Path tmp;

    private Path image(String name) throws IOException {
        Path p = tmp.resolve("images").resolve(name);
        Files.createDirectories(p.getParent());
        Files.write(p, new byte[100]);
        return p;
    }

    private Path cacheDir() {
        return tmp.resolve("cache");
    }

    private List<Path> files(MetaCache c) throws IOException {
        try (Stream<Path> s = Files.list(c.dir())) {
            return s.sorted().toList();
        }
    }

    /** Pins a hit, a miss on another version or offset, and that a changed image is a miss. */
    @Test
    void hitMissAndChangedImage() throws IOException {
        MetaCache c = MetaCache.in(cacheDir());
        Path img = image("a.sif");
        assertTrue(c.write(img, 4096, 3, new byte[] {1, 2, 3}));
        assertArrayEquals(new byte[] {1, 2, 3}, c.read(img, 4096, 3));
        assertNull(c.read(img, 4096, 2), "other payload version");
        assertNull(c.read(img, 0, 3), "other offset");
        Files.setLastModifiedTime(img, FileTime.fromMillis(1_700_000_000_000L));
        assertNull(c.read(img, 4096, 3), "image changed");
        assertNull(c.read(tmp.resolve("missing.sif"), 4096, 3));
    }

    /** Pins that one image keeps one entry however often it changes (the key is its path, not its stamps). */
    @Test
    void oneEntryPerImage() throws IOException {
        MetaCache c = MetaCache.in(cacheDir());
        Path img = image("a.sif");
        for (int i = 0; i < 5; i++) {
            Files.setLastModifiedTime(img, FileTime.fromMillis(1_700_000_000_000L + i * 1000L));
            c.write(img, 0, 3, new byte[] {(byte) i});
        }
        assertEquals(1, files(c).size(), files(c).toString());
        assertArrayEquals(new byte[] {4}, c.read(img, 0, 3));
    }

    /** Pins the count bound: the least recently used go first, the entry just written stays. */
    @Test
    void countBoundDropsLeastRecentlyUsed() throws IOException {
        MetaCache c = MetaCache.in(cacheDir(), new MetaCache.Limits(3, 1L << 20, Duration.ofDays(30)));
        Instant t0 = Instant.now().minus(Duration.ofHours(10));
        for (int i = 0; i < 6; i++) {
            Path img = image("i" + i + ".sif");
            c.write(img, 0, 3, new byte[10]);
            for (MetaCache.Entry e : c.entries()) {
                if (e.image().equals(img.toString())) {
                    Files.setLastModifiedTime(e.file(), FileTime.from(t0.plus(Duration.ofHours(i))));
                }
            }
        }
        List<String> left = c.entries().stream().map(MetaCache.Entry::image).toList();
        assertEquals(
                List.of("i3.sif", "i4.sif", "i5.sif"),
                left.stream().map(s -> Path.of(s).getFileName().toString()).toList());
    }

    /** Pins the size bound. */
    @Test
    void sizeBound() throws IOException {
        MetaCache c = MetaCache.in(cacheDir(), new MetaCache.Limits(100, 5000, Duration.ofDays(30)));
        for (int i = 0; i < 10; i++) {
            c.write(image("i" + i + ".sif"), 0, 3, new byte[1000]);
        }
        long total = 0;
        for (MetaCache.Entry e : c.entries()) {
            total += e.size();
        }
        assertTrue(total <= 5000, "total " + total);
        assertTrue(c.entries().size() >= 3, c.entries().toString());
        assertTrue(
                c.entries().stream().anyMatch(e -> e.image().endsWith("i9.sif")),
                "the entry just written stays: " + c.entries());
    }

    /** Pins the age bound and that entries of deleted or replaced images, and corrupt files, are pruned. */
    @Test
    void pruneRemovesOldGoneAndCorrupt() throws IOException {
        MetaCache c = MetaCache.in(cacheDir());
        Path kept = image("kept.sif");
        Path gone = image("gone.sif");
        Path old = image("old.sif");
        Path replaced = image("replaced.sif");
        for (Path p : List.of(kept, gone, old, replaced)) {
            c.write(p, 0, 3, new byte[] {7});
        }
        Files.delete(gone);
        Files.setLastModifiedTime(replaced, FileTime.fromMillis(1_600_000_000_000L));
        for (MetaCache.Entry e : c.entries()) {
            if (e.image().equals(old.toString())) {
                Files.setLastModifiedTime(e.file(), FileTime.from(Instant.now().minus(Duration.ofDays(31))));
            }
        }
        Files.write(c.dir().resolve("0000000000000000.bin"), new byte[] {1, 2});
        Path leftover = c.dir().resolve(".meta-123.tmp");
        Files.write(leftover, new byte[1]);
        Files.setLastModifiedTime(leftover, FileTime.from(Instant.now().minus(Duration.ofHours(2))));
        Path foreign = Files.writeString(c.dir().resolve("notes.txt"), "mine");

        List<MetaCache.Entry> before = c.entries();
        assertEquals(5, before.size(), before.toString());
        assertEquals(3, before.stream().filter(MetaCache.Entry::stale).count(), before.toString());

        assertEquals(5, c.prune(Instant.now()));
        List<MetaCache.Entry> after = c.entries();
        assertEquals(1, after.size(), after.toString());
        assertEquals(kept.toString(), after.get(0).image());
        assertFalse(Files.exists(leftover));
        assertTrue(Files.exists(foreign), "only the cache's own files are removed");
    }

    /** Pins that a write prunes (so the directory stays bounded without anyone running cache clean). */
    @Test
    void writePrunesGoneImages() throws IOException {
        MetaCache c = MetaCache.in(cacheDir());
        Path gone = image("gone.sif");
        c.write(gone, 0, 3, new byte[] {1});
        Files.delete(gone);
        c.write(image("new.sif"), 0, 3, new byte[] {2});
        assertEquals(1, c.entries().size(), c.entries().toString());
    }

    /** Pins that a symlink in the cache directory is neither read as an entry nor removed through. */
    @Test
    void symlinksAreNotFollowed() throws IOException {
        MetaCache c = MetaCache.in(cacheDir());
        Path img = image("a.sif");
        c.write(img, 0, 3, new byte[] {1});
        Path target = Files.writeString(tmp.resolve("precious.bin"), "x");
        Path link = c.dir().resolve("ffffffffffffffff.bin");
        Files.createSymbolicLink(link, target);
        assertEquals(1, c.entries().size());
        c.prune(Instant.now());
        assertTrue(Files.exists(target));
    }
}
