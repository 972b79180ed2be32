package dev.jsing.common.fs;

import java.io.IOException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;

/**
 * The one recursive removal of a file tree. Symlinks are removed, never followed (a link to a directory outside the
 * tree leaves that directory alone); a directory the caller owns but cannot write or search (a read-only directory
 * from an image layer, a sandbox made read-only) is made {@code u+rwx} first so its entries can go. What belongs to
 * other users (subordinate ids of a build) needs the owner's rights and is not this class's job.
 */
public final class Trees {
    private Trees() {}

    /** Removes {@code p} (a file, symlink or directory tree); a missing path is fine. Fails on the first error. */
    public static void delete(Path p) throws IOException {
        remove(p, false);
    }

    /** Removes as much of {@code p} as it can, ignoring failures (temporary directories at exit). */
    public static void deleteQuietly(Path p) {
        try {
            remove(p, true);
        } catch (IOException | RuntimeException e) {
            // best effort
        }
    }

    private static void remove(Path p, boolean quiet) throws IOException {
        BasicFileAttributes a;
        try {
            a = Files.readAttributes(p, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
        } catch (NoSuchFileException missing) {
            return;
        }
        if (!a.isDirectory()) {
            Files.deleteIfExists(p);
            return;
        }
        Files.walkFileTree(p, new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes attrs) throws IOException {
                try {
                    int mode = (Integer) Files.getAttribute(dir, "unix:mode", LinkOption.NOFOLLOW_LINKS);
                    if ((mode & 0700) != 0700) {
                        Files.setAttribute(dir, "unix:mode", (mode & 07777) | 0700, LinkOption.NOFOLLOW_LINKS);
                    }
                } catch (IOException | UnsupportedOperationException e) {
                    if (!quiet) {
                        throw e;
                    }
                }
                return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
                try {
                    Files.deleteIfExists(file);
                } catch (IOException e) {
                    if (!quiet) {
                        throw e;
                    }
                }
                return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult visitFileFailed(Path file, IOException exc) throws IOException {
                if (!quiet) {
                    throw exc;
                }
                return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult postVisitDirectory(Path dir, IOException exc) throws IOException {
                if (exc != null && !quiet) {
                    throw exc;
                }
                try {
                    Files.deleteIfExists(dir);
                } catch (IOException e) {
                    if (!quiet) {
                        throw e;
                    }
                }
                return FileVisitResult.CONTINUE;
            }
        });
    }
}
