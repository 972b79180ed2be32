package dev.jsing.deffile;

import java.util.Objects;

/**
 * One {@code %files} line: copy {@code src} (a path or glob, kept verbatim for the builder to expand) to {@code dst}.
 *
 * @param src the source path or glob, without its double quotes
 * @param dst the destination, without its double quotes; empty means the same path as {@code src}
 * @param sourceStage the stage to copy from ({@code %files from <stage>}), or {@code null} to copy from the host
 */
public record FileEntry(String src, String dst, String sourceStage) {
    public FileEntry {
        Objects.requireNonNull(src, "src");
        Objects.requireNonNull(dst, "dst");
        if (src.isEmpty()) {
            throw new IllegalArgumentException("empty %files source");
        }
    }

    /** A copy from the host. */
    public static FileEntry fromHost(String src, String dst) {
        return new FileEntry(src, dst, null);
    }

    /** A copy from an earlier stage's root filesystem. */
    public static FileEntry fromStage(String stage, String src, String dst) {
        return new FileEntry(src, dst, Objects.requireNonNull(stage, "stage"));
    }

    /** The destination path: {@code dst}, or {@code src} when no destination was given. */
    public String destination() {
        return dst.isEmpty() ? src : dst;
    }

    /** True when the copy comes from the host, not from a stage. */
    public boolean isFromHost() {
        return sourceStage == null;
    }
}
