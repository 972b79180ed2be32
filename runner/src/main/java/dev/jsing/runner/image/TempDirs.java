package dev.jsing.runner.image;

import java.io.IOException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;

/** Removal of jsing's temporary directories (probe extractions, temporary sandboxes, session dirs). */
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

  /** Removes {@code dir} recursively, making read-only directories writable first; ignores failures. */
  public static void removeQuietly(Path dir) {
    try {
      Files.walkFileTree(
          dir,
          new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult preVisitDirectory(Path d, BasicFileAttributes attrs) {
              d.toFile().setWritable(true, true);
              d.toFile().setExecutable(true, true);
              return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult visitFile(Path f, BasicFileAttributes attrs) throws IOException {
              Files.deleteIfExists(f);
              return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult visitFileFailed(Path f, IOException e) {
              return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult postVisitDirectory(Path d, IOException e) throws IOException {
              Files.deleteIfExists(d);
              return FileVisitResult.CONTINUE;
            }
          });
    } catch (IOException e) {
      // best effort
    }
  }
}
