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

    /**
     * The paths below container directory {@code dir}, at most {@code depth} levels down, relative to it and sorted
     * ({@code a}, {@code a/b}); empty when the image has no such directory. Nothing is read from the files.
     */
    public static java.util.List<String> list(ContainerImage image, String dir, int depth, String unsquashfs) {
        java.util.TreeSet<String> out = new java.util.TreeSet<>();
        if (!image.isSquashfs()) {
            Path p = RootedPath.find(image.path(), dir);
            if (p == null || !Files.isDirectory(p)) {
                return java.util.List.of();
            }
            try (java.util.stream.Stream<Path> s = Files.walk(p, depth)) {
                s.filter(q -> !q.equals(p)).forEach(q -> out.add(p.relativize(q).toString()));
            } catch (IOException | java.io.UncheckedIOException e) {
                return java.util.List.of();
            }
            return java.util.List.copyOf(out);
        }
        int levels = (int) dir.chars().filter(c -> c == '/').count() + depth;
        String off = String.valueOf(image.offset());
        String img = image.path().toString();
        byte[] listing = Unsquashfs.listing(
                java.util.List.of(unsquashfs, "-o", off, "-l", "-n", "-max-depth", String.valueOf(levels), img, dir),
                java.util.List.of(unsquashfs, "-o", off, "-l", "-n", img, dir));
        String prefix = "squashfs-root" + dir + "/";
        for (String line : new String(listing, StandardCharsets.UTF_8).split("\n")) {
            if (line.startsWith(prefix)) {
                String rel = line.substring(prefix.length());
                if (!rel.isEmpty() && rel.split("/").length <= depth) {
                    out.add(rel);
                }
            }
        }
        return java.util.List.copyOf(out);
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
