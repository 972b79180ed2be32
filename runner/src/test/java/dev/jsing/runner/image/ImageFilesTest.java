package dev.jsing.runner.image;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import dev.jsing.runner.error.ExitCodes;
import dev.jsing.runner.error.JsingException;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue #17: {@code inspect --runscript} on a 2 GB runscript threw OutOfMemoryError (and the JVM never exited): the
 * files {@code inspect} and {@code run-help} show are read up to {@link ImageFiles#MAX_FILE}, a larger one is one
 * line and exit 65.
 */
class ImageFilesTest {
    @TempDir
    Path tmp;

    @Test
    void hugeRunscriptInASandboxIsAnErrorNotAnOutOfMemoryError() throws Exception {
        Path sd = Files.createDirectories(tmp.resolve("root/.singularity.d"));
        try (RandomAccessFile f = new RandomAccessFile(sd.resolve("runscript").toFile(), "rw")) {
            f.setLength(2L << 30); // sparse
        }
        ContainerImage img = new ContainerImage(tmp.resolve("root"), ImageKind.SANDBOX, 0, 0, null);
        JsingException e = assertTimeoutPreemptively(
                Duration.ofSeconds(10),
                () -> assertThrows(
                        JsingException.class, () -> ImageFiles.read(img, "/.singularity.d/runscript", "/nonexistent")));
        assertEquals(ExitCodes.BAD_IMAGE, e.exitCode());
        assertEquals(tmp.resolve("root") + ": /.singularity.d/runscript is larger than 16 MiB", e.getMessage());
    }

    @Test
    void hugeRunscriptInASquashfsIsAnErrorAndUnsquashfsIsStopped() throws Exception {
        Path fake = tmp.resolve("unsquashfs");
        Files.writeString(fake, "#!/bin/sh\nexec yes 'echo a very long runscript'\n");
        Files.setPosixFilePermissions(fake, PosixFilePermissions.fromString("rwx------"));
        Path sqfs = Files.write(tmp.resolve("app.sqfs"), new byte[4096]);
        ContainerImage img = new ContainerImage(sqfs, ImageKind.SQUASHFS, 0, 4096, null);
        JsingException e = assertTimeoutPreemptively(
                Duration.ofSeconds(20),
                () -> assertThrows(
                        JsingException.class,
                        () -> ImageFiles.read(img, "/.singularity.d/runscript", fake.toString())));
        assertEquals(ExitCodes.BAD_IMAGE, e.exitCode());
        assertEquals(sqfs + ": /.singularity.d/runscript is larger than 16 MiB", e.getMessage());
    }
}
