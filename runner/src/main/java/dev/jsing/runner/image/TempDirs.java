package dev.jsing.runner.image;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Creation of jsing's temporary directories (probe extractions, temporary sandboxes, session dirs); they are removed
 * with {@link dev.jsing.common.fs.Trees#deleteQuietly}.
 */
public final class TempDirs {
    private TempDirs() {}

    /**
     * Creates a new private (0700) directory {@code prefix<pid>-<n>} in {@code parent}. Unlike {@code
     * Files.createTempDirectory} it does not initialise {@code SecureRandom} (tens of milliseconds at every launch);
     * the name needs no secrecy, since creation fails if the name exists.
     */
    public static Path create(Path parent, String prefix) throws IOException {
        long pid = ProcessHandle.current().pid();
        long n = System.nanoTime() & 0xffffffL;
        for (int i = 0; ; i++) {
            Path p = parent.resolve(prefix + pid + "-" + Long.toHexString(n + i));
            try {
                return Files.createDirectory(
                        p,
                        java.nio.file.attribute.PosixFilePermissions.asFileAttribute(
                                java.nio.file.attribute.PosixFilePermissions.fromString("rwx------")));
            } catch (java.nio.file.FileAlreadyExistsException e) {
                if (i > 100) {
                    throw e;
                }
            }
        }
    }

    /**
     * Removes this user's directories {@code prefix<pid>-<n>} in {@code parent} left by a launch killed between
     * writing them and the starter's start (the starter removes its session directory first thing; issue #17, fault
     * 5): only those whose pid is no longer running and that are older than {@code minAge} (a launch in another PID
     * namespace sharing the directory may be in that window). Best effort and quiet: a directory that cannot be
     * read or removed is left.
     */
    public static void sweepStale(Path parent, String prefix, java.time.Duration minAge) {
        long uid = -1;
        long now = System.currentTimeMillis();
        try (java.nio.file.DirectoryStream<Path> ds = Files.newDirectoryStream(parent, prefix + "*")) {
            for (Path p : ds) {
                String rest = p.getFileName().toString().substring(prefix.length());
                int dash = rest.indexOf('-');
                if (dash <= 0) {
                    continue;
                }
                long pid;
                try {
                    pid = Long.parseLong(rest.substring(0, dash));
                } catch (NumberFormatException e) {
                    continue;
                }
                if (pid == ProcessHandle.current().pid()
                        || ProcessHandle.of(pid).isPresent()) {
                    continue;
                }
                if (uid < 0) {
                    uid = ((Number) Files.getAttribute(Path.of("/proc/self"), "unix:uid")).longValue();
                }
                java.util.Map<String, Object> a =
                        Files.readAttributes(p, "unix:uid,lastModifiedTime", java.nio.file.LinkOption.NOFOLLOW_LINKS);
                if (((Number) a.get("uid")).longValue() != uid
                        || now - ((java.nio.file.attribute.FileTime) a.get("lastModifiedTime")).toMillis()
                                < minAge.toMillis()) {
                    continue;
                }
                dev.jsing.common.fs.Trees.deleteQuietly(p);
            }
        } catch (IOException | RuntimeException e) {
            // best effort: a sweep never fails a launch
        }
    }
}
