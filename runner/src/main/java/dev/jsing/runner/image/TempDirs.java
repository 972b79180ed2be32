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
}
