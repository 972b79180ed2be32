package dev.jsing.sif;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * What an image path is, by the one rule every jsing command uses: a directory is a sandbox; a file is a SIF when
 * {@code SIF_MAGIC\0} stands at offset 32 (after the launch script, as the format defines it), a squashfs when it
 * starts with the squashfs magic {@code hsqs}, anything else otherwise. Only the first 42 bytes are read.
 */
public enum ImageFormat {
    SIF,
    SQUASHFS,
    DIRECTORY,
    /** An existing file that is neither SIF nor squashfs (a definition file, an archive, ...). */
    OTHER;

    private static final byte[] SQUASHFS_MAGIC = {'h', 's', 'q', 's'};

    /** Whether this is an image file (SIF or squashfs). */
    public boolean isImageFile() {
        return this == SIF || this == SQUASHFS;
    }

    /**
     * The format of {@code path} (symlinks followed). Throws {@link java.nio.file.NoSuchFileException} when it does
     * not exist, {@link java.nio.file.AccessDeniedException} when it cannot be read.
     */
    public static ImageFormat sniff(Path path) throws IOException {
        if (Files.isDirectory(path)) {
            return DIRECTORY;
        }
        if (special(path) != null) {
            return OTHER; // never opened: opening a FIFO blocks until a writer comes
        }
        byte[] head;
        try (InputStream in = Files.newInputStream(path)) {
            head = in.readNBytes(Layout.H_MAGIC + Layout.MAGIC.length);
        }
        return of(head);
    }

    /**
     * What {@code path} (symlinks followed) is when it exists and is neither a regular file nor a directory: "a FIFO",
     * "a character device", "a block device" or "a socket"; null otherwise. Images are regular files or directories,
     * and reading anything else blocks (a FIFO) or never ends ({@code /dev/zero}).
     */
    public static String special(Path path) {
        int mode;
        try {
            mode = (Integer) Files.getAttribute(path, "unix:mode");
        } catch (IOException | UnsupportedOperationException | IllegalArgumentException e) {
            return null;
        }
        return switch (mode & 0170000) {
            case 0010000 -> "a FIFO";
            case 0020000 -> "a character device";
            case 0060000 -> "a block device";
            case 0140000 -> "a socket";
            default -> null;
        };
    }

    /** The format of a file that starts with {@code head} (at least its first 42 bytes, when it has them). */
    public static ImageFormat of(byte[] head) {
        if (startsWith(head, 0, SQUASHFS_MAGIC)) {
            return SQUASHFS;
        }
        if (startsWith(head, Layout.H_MAGIC, Layout.MAGIC)) {
            return SIF;
        }
        return OTHER;
    }

    private static boolean startsWith(byte[] b, int at, byte[] magic) {
        int n = magic.length;
        if (b.length < at + n) {
            return false;
        }
        for (int i = 0; i < n; i++) {
            if (b[at + i] != magic[i]) {
                return false;
            }
        }
        return true;
    }
}
