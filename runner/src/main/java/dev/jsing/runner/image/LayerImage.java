package dev.jsing.runner.image;

/**
 * A file used as an overlay layer: the file system at {@code offset} in {@code path}.
 *
 * @param path absolute path of the file
 * @param format the file system there
 * @param offset its byte offset in the file (a SIF partition; 0 for a plain image)
 * @param embedded whether it is a SIF's overlay partition (Apptainer's embedded overlay)
 */
public record LayerImage(String path, Format format, long offset, boolean embedded) {
    /** The file systems a layer can be. */
    public enum Format {
        /** ext2/3/4, served by fuse2fs: writable, or read-only with {@code :ro}. */
        EXT3,
        /** squashfs, served by squashfuse: read-only only. */
        SQUASHFS
    }
}
