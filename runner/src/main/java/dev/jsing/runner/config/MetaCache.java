package dev.jsing.runner.config;

import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

/**
 * The image metadata cache, {@code CACHE/meta}: one file per image (keyed by its path and partition offset) holding
 * the image's stamps (size, mtime, inode) and an opaque payload (what {@code image.ImageProbe} read from it). An entry
 * whose image changed or is gone is stale: never returned, and removed by {@link #prune}.
 *
 * <p>Bounded: each write (a cache miss, never a hit) prunes the directory to {@link Limits}: stale entries, entries
 * not used for {@code maxAge} (a hit marks its entry used, at most once a day), then the least recently used beyond
 * {@code maxEntries} or {@code maxBytes}. {@code jsing cache list/clean} show and remove entries as type {@code meta}.
 * Only regular files named {@code *.bin} (and writers' leftover {@code .meta-*.tmp}) in that directory are ever
 * removed; nothing is followed through a symlink.
 */
public final class MetaCache {
    private static final int MAGIC = 0x4a534d43; // "JSMC"
    private static final String SUFFIX = ".bin";
    private static final Duration TOUCH_EVERY = Duration.ofDays(1);
    private static final Duration TMP_LEFTOVER = Duration.ofHours(1);

    /** How far the cache is pruned. */
    public record Limits(int maxEntries, long maxBytes, Duration maxAge) {
        /** 256 entries, 64 MiB, 30 days. */
        public static final Limits DEFAULT = new Limits(256, 64L << 20, Duration.ofDays(30));
    }

    /** One entry as {@code cache list} shows it: the image it describes and whether that image is gone or changed. */
    public record Entry(Path file, String image, long size, Instant lastUsed, boolean stale) {}

    private final Path dir;
    private final Limits limits;

    private MetaCache(Path dir, Limits limits) {
        this.dir = dir;
        this.limits = limits;
    }

    /** The metadata cache under the cache directory {@code cacheDir}, with the default limits. */
    public static MetaCache in(Path cacheDir) {
        return in(cacheDir, Limits.DEFAULT);
    }

    /** The metadata cache under {@code cacheDir} with the given limits. */
    public static MetaCache in(Path cacheDir, Limits limits) {
        return new MetaCache(cacheDir.resolve("meta"), limits);
    }

    /** The directory holding the entries. */
    public Path dir() {
        return dir;
    }

    /** The payload stored for {@code image} at {@code offset} with {@code version}; null on a miss or a stale entry. */
    public byte[] read(Path image, long offset, int version) {
        Path file;
        Stamp now;
        try {
            now = Stamp.of(image);
            file = dir.resolve(key(now.path(), offset));
        } catch (IOException e) {
            return null;
        }
        try (DataInputStream in = new DataInputStream(Files.newInputStream(file, LinkOption.NOFOLLOW_LINKS))) {
            Header h = Header.read(in);
            if (h == null
                    || h.version() != version
                    || h.offset() != offset
                    || !h.stamp().equals(now)) {
                return null;
            }
            int n = in.readInt();
            if (n < 0 || n > limits.maxBytes()) {
                return null;
            }
            byte[] payload = in.readNBytes(n);
            if (payload.length != n) {
                return null;
            }
            touch(file);
            return payload;
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }

    /**
     * Stores {@code payload} for {@code image} (atomically; an unwritable cache is not an error), then prunes. Returns
     * whether the entry was written.
     */
    public boolean write(Path image, long offset, int version, byte[] payload) {
        try {
            Stamp s = Stamp.of(image);
            ByteArrayOutputStream bytes = new ByteArrayOutputStream();
            try (DataOutputStream out = new DataOutputStream(bytes)) {
                new Header(version, offset, s).write(out);
                out.writeInt(payload.length);
                out.write(payload);
            }
            Files.createDirectories(dir);
            Path file = dir.resolve(key(s.path(), offset));
            Path tmp = Files.createTempFile(dir, ".meta-", ".tmp");
            try {
                Files.write(tmp, bytes.toByteArray());
                Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } finally {
                Files.deleteIfExists(tmp);
            }
            prune(Instant.now(), file);
            return true;
        } catch (IOException | RuntimeException e) {
            return false;
        }
    }

    /** Every entry (unreadable ones as stale, with no image), oldest use first. */
    public List<Entry> entries() throws IOException {
        List<Entry> out = new ArrayList<>();
        for (Path p : files()) {
            BasicFileAttributes a;
            try {
                a = Files.readAttributes(p, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
            } catch (IOException e) {
                continue; // removed meanwhile
            }
            Header h = null;
            try (InputStream raw = Files.newInputStream(p, LinkOption.NOFOLLOW_LINKS);
                    DataInputStream in = new DataInputStream(raw)) {
                h = Header.read(in);
            } catch (IOException | RuntimeException e) {
                // unreadable: stale
            }
            boolean stale = h == null || !h.stamp().current();
            out.add(new Entry(
                    p,
                    h == null ? null : h.stamp().path(),
                    a.size(),
                    a.lastModifiedTime().toInstant(),
                    stale));
        }
        out.sort(Comparator.comparing(Entry::lastUsed));
        return out;
    }

    /** Removes stale, old and excess entries as of {@code now}; returns how many were removed. */
    public int prune(Instant now) throws IOException {
        return prune(now, null);
    }

    private int prune(Instant now, Path keep) throws IOException {
        int removed = 0;
        if (Files.isDirectory(dir, LinkOption.NOFOLLOW_LINKS)) {
            try (Stream<Path> s = Files.list(dir)) {
                for (Path p : s.toList()) {
                    String f = p.getFileName().toString();
                    if (f.startsWith(".meta-")
                            && f.endsWith(".tmp")
                            && Files.isRegularFile(p, LinkOption.NOFOLLOW_LINKS)
                            && Files.getLastModifiedTime(p, LinkOption.NOFOLLOW_LINKS)
                                    .toInstant()
                                    .isBefore(now.minus(TMP_LEFTOVER))) {
                        removed += Files.deleteIfExists(p) ? 1 : 0;
                    }
                }
            }
        }
        List<Entry> live = new ArrayList<>();
        Instant cutoff = now.minus(limits.maxAge());
        for (Entry e : entries()) {
            if (!e.file().equals(keep) && (e.stale() || e.lastUsed().isBefore(cutoff))) {
                removed += Files.deleteIfExists(e.file()) ? 1 : 0;
            } else {
                live.add(e);
            }
        }
        long bytes = 0;
        for (Entry e : live) {
            bytes += e.size();
        }
        // live is oldest first: drop from the front until within bounds, never the entry just written
        int count = live.size();
        for (Entry e : live) {
            if (count <= limits.maxEntries() && bytes <= limits.maxBytes()) {
                break;
            }
            if (e.file().equals(keep)) {
                continue;
            }
            if (Files.deleteIfExists(e.file())) {
                removed++;
            }
            count--;
            bytes -= e.size();
        }
        return removed;
    }

    private List<Path> files() throws IOException {
        if (!Files.isDirectory(dir, LinkOption.NOFOLLOW_LINKS)) {
            return List.of();
        }
        try (Stream<Path> s = Files.list(dir)) {
            return s.filter(p -> p.getFileName().toString().endsWith(SUFFIX))
                    .filter(p -> Files.isRegularFile(p, LinkOption.NOFOLLOW_LINKS))
                    .sorted()
                    .toList();
        }
    }

    private static void touch(Path file) {
        try {
            FileTime t = Files.getLastModifiedTime(file, LinkOption.NOFOLLOW_LINKS);
            Instant now = Instant.now();
            if (t.toInstant().isBefore(now.minus(TOUCH_EVERY))) {
                Files.setLastModifiedTime(file, FileTime.from(now));
            }
        } catch (IOException e) {
            // a read-only cache still serves hits
        }
    }

    /** The entry's file name: FNV-1a (64 bits) of the image's absolute path and the offset. */
    static String key(String path, long offset) {
        long h = 0xcbf29ce484222325L;
        for (byte b : (path + "|" + offset).getBytes(StandardCharsets.UTF_8)) {
            h ^= b & 0xff;
            h *= 0x100000001b3L;
        }
        return String.format("%016x", h) + SUFFIX;
    }

    /** What identifies one version of an image file. */
    record Stamp(String path, long size, long mtimeMillis, String fileKey) {
        static Stamp of(Path image) throws IOException {
            Path abs = image.toAbsolutePath().normalize();
            BasicFileAttributes a = Files.readAttributes(abs, BasicFileAttributes.class);
            return new Stamp(abs.toString(), a.size(), a.lastModifiedTime().toMillis(), String.valueOf(a.fileKey()));
        }

        /** Whether the image still exists with these stamps. */
        boolean current() {
            try {
                return of(Path.of(path)).equals(this);
            } catch (IOException | RuntimeException e) {
                return false;
            }
        }
    }

    /** An entry's header: format, payload version, offset and stamps. */
    record Header(int version, long offset, Stamp stamp) {
        static Header read(DataInputStream in) throws IOException {
            if (in.readInt() != MAGIC) {
                return null;
            }
            int version = in.readInt();
            long offset = in.readLong();
            String path = in.readUTF();
            long size = in.readLong();
            long mtime = in.readLong();
            String fileKey = in.readUTF();
            return new Header(version, offset, new Stamp(path, size, mtime, fileKey));
        }

        void write(DataOutputStream out) throws IOException {
            out.writeInt(MAGIC);
            out.writeInt(version);
            out.writeLong(offset);
            out.writeUTF(stamp.path());
            out.writeLong(stamp.size());
            out.writeLong(stamp.mtimeMillis());
            out.writeUTF(stamp.fileKey());
        }
    }
}
