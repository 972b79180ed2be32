package dev.jsing.runner.image;

import dev.jsing.common.fs.RootedPath;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/** Reads single files from an image without mounting it (for {@code inspect} and {@code run-help}). */
public final class ImageFiles {
    private ImageFiles() {}

    /** The text of container file {@code path}, or null when the image has none. */
    public static String read(ContainerImage image, String path, String unsquashfs) {
        if (!image.isSquashfs()) {
            Path p = RootedPath.find(image.path(), path);
            try {
                return p != null && Files.isRegularFile(p) ? Files.readString(p, StandardCharsets.UTF_8) : null;
            } catch (IOException e) {
                return null;
            }
        }
        byte[] b = Unsquashfs.cat(unsquashfs, image.path(), image.offset(), path);
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
