package dev.jsing.runner.image;

import java.nio.file.Path;

/**
 * A resolved image: where its root filesystem is. For SIF and squashfs files, {@code offset} and {@code size} locate
 * the squashfs filesystem inside the file; for sandboxes they are 0.
 *
 * @param path absolute path of the file or directory
 * @param kind its kind
 * @param offset byte offset of the squashfs filesystem in the file
 * @param size size of the squashfs filesystem in bytes
 * @param deffile offset and size of the SIF definition file object, or null
 */
public record ContainerImage(Path path, ImageKind kind, long offset, long size, long[] deffile) {
    /** Whether the root filesystem is a squashfs to mount (or extract). */
    public boolean isSquashfs() {
        return kind != ImageKind.SANDBOX;
    }

    /** The image's name as {@code JSING_NAME} shows it (the file name). */
    public String name() {
        return path.getFileName() == null ? path.toString() : path.getFileName().toString();
    }
}
