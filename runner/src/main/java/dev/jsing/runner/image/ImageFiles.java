package dev.jsing.runner.image;

import dev.jsing.common.fs.RootedPath;
import dev.jsing.runner.error.ExitCodes;
import dev.jsing.runner.error.JsingException;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/** Reads single files from an image without mounting it (for {@code inspect} and {@code run-help}). */
public final class ImageFiles {
    private ImageFiles() {}

    /** The largest file {@code inspect} and {@code run-help} show (16 MiB); a larger one is one line, exit 65. */
    public static final long MAX_FILE = 16L << 20;

    /** The text of container file {@code path}, or null when the image has none. */
    public static String read(ContainerImage image, String path, String unsquashfs) {
        if (!image.isSquashfs()) {
            Path p = RootedPath.find(image.path(), path);
            try {
                if (p == null || !Files.isRegularFile(p)) {
                    return null;
                }
                if (Files.size(p) > MAX_FILE) {
                    throw new JsingException(
                            ExitCodes.BAD_IMAGE,
                            image.path() + ": " + path + " is larger than " + (MAX_FILE >> 20) + " MiB");
                }
                return Files.readString(p, StandardCharsets.UTF_8);
            } catch (IOException e) {
                return null;
            }
        }
        byte[] b = Unsquashfs.cat(unsquashfs, image.path(), image.offset(), path, MAX_FILE);
        return b == null ? null : new String(b, StandardCharsets.UTF_8);
    }

    /** The SIF definition file object, or null. */
    public static String sifDeffile(ContainerImage image) {
        long[] d = image.deffile();
        if (d == null || d[1] <= 0 || d[1] > 16 << 20) {
            return null;
        }
        try (RandomAccessFile f = new RandomAccessFile(image.path().toFile(), "r")) {
            byte[] b = new byte[(int) d[1]];
            f.seek(d[0]);
            f.readFully(b);
            return new String(b, StandardCharsets.UTF_8);
        } catch (IOException e) {
            return null;
        }
    }
}
