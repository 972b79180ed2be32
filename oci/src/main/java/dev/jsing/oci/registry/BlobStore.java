package dev.jsing.oci.registry;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermissions;

/**
 * The content-addressed part of the cache: {@code blobs/sha256/<hex>} holds verified blobs only. A blob is downloaded
 * into {@code tmp/<hex>.partial} (kept across failures, so the next pull resumes it) while its lock file
 * {@code locks/<hex>.lock} is held with {@link FileChannel#lock()}, then renamed into place atomically: processes
 * pulling the same image at once download each blob once, and a killed pull never leaves a half blob under
 * {@code blobs/}.
 */
public final class BlobStore {
    /** Fills a partial file with a blob's verified content. */
    public interface Fetcher {
        void fetch(Path partial) throws IOException;
    }

    /** Work done while a lock is held. */
    public interface Locked<T> {
        T run() throws IOException;
    }

    private final Path root;

    /** A store under {@code cacheDir} (created with mode 0700 when missing). */
    public BlobStore(Path cacheDir) throws IOException {
        this.root = cacheDir;
        for (String d : new String[] {"blobs/sha256", "tmp", "locks"}) {
            Path p = cacheDir.resolve(d);
            if (!Files.isDirectory(p)) {
                Files.createDirectories(p);
            }
        }
        try {
            Files.setPosixFilePermissions(cacheDir, PosixFilePermissions.fromString("rwx------"));
        } catch (IOException | UnsupportedOperationException ignored) {
            // not ours to change (a shared cache set up by an administrator)
        }
    }

    public Path root() {
        return root;
    }

    /** Where blob {@code digest} lives (whether or not it is there). */
    public Path path(String digest) {
        return root.resolve("blobs/sha256").resolve(hex(digest));
    }

    /** Whether the blob is cached with the right size. */
    public boolean has(Descriptor d) {
        Path p = path(d.digest());
        try {
            return Files.isRegularFile(p) && Files.size(p) == d.size();
        } catch (IOException e) {
            return false;
        }
    }

    /**
     * Returns the cached blob {@code d}, fetching it first when missing. The fetcher fills {@code tmp/<hex>.partial}
     * (which may hold the start of an earlier download) and must verify the content; it runs under the blob's lock.
     */
    public Path ensure(Descriptor d, Fetcher fetcher) throws IOException {
        Path p = path(d.digest());
        if (has(d)) {
            touch(p);
            return p;
        }
        return withLock(d.hex(), () -> {
            if (has(d)) {
                touch(p);
                return p;
            }
            Path partial = root.resolve("tmp").resolve(d.hex() + ".partial");
            fetcher.fetch(partial);
            if (Files.size(partial) != d.size()) {
                Files.deleteIfExists(partial);
                throw new RegistryException(RegistryException.Kind.DIGEST, d.digest() + ": size mismatch; discarded");
            }
            moveAtomic(partial, p);
            return p;
        });
    }

    /** Stores small verified content (a manifest or config) under its digest. */
    public Path putBytes(byte[] data) throws IOException {
        String digest = "sha256:" + RegistryClient.sha256(data);
        Path p = path(digest);
        if (Files.isRegularFile(p) && Files.size(p) == data.length) {
            return p;
        }
        Path t = Files.createTempFile(root.resolve("tmp"), "put-", ".tmp");
        try {
            Files.write(t, data);
            moveAtomic(t, p);
        } finally {
            Files.deleteIfExists(t);
        }
        return p;
    }

    /** Runs {@code work} holding the exclusive lock {@code locks/<name>.lock} (waits for other processes). */
    public <T> T withLock(String name, Locked<T> work) throws IOException {
        Path lockFile = root.resolve("locks").resolve(name + ".lock");
        try (FileChannel ch = FileChannel.open(lockFile, StandardOpenOption.CREATE, StandardOpenOption.WRITE)) {
            FileLock lock = ch.lock();
            try {
                return work.run();
            } finally {
                lock.release();
            }
        }
    }

    /** Renames {@code from} onto {@code to} atomically (same file system: both live in the cache). */
    public static void moveAtomic(Path from, Path to) throws IOException {
        try {
            Files.move(from, to, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(from, to, StandardCopyOption.REPLACE_EXISTING);
        }
    }

    /** Marks a cache entry as used now (for {@code cache clean --days}). */
    public static void touch(Path p) {
        try {
            Files.setLastModifiedTime(p, FileTime.fromMillis(System.currentTimeMillis()));
        } catch (IOException ignored) {
            // a read-only shared cache: age is then the download time
        }
    }

    private static String hex(String digest) {
        if (!digest.matches("sha256:[0-9a-f]{64}")) {
            throw new IllegalArgumentException("bad digest " + digest);
        }
        return digest.substring(7);
    }
}
