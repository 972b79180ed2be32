package dev.jsing.runner.image;

import dev.jsing.common.proc.Processes;
import dev.jsing.runner.error.ExitCodes;
import dev.jsing.runner.error.JsingException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;

/** Runs {@code unsquashfs} (a host tool, not a container payload) and maps its failures to one line. */
public final class Unsquashfs {
    private Unsquashfs() {}

    /** Runs {@code argv}; returns stdout; throws UNAVAILABLE when missing, BAD_IMAGE when it fails. */
    public static byte[] run(List<String> argv, Path image) {
        Processes.Captured o = exec(argv);
        if (o.exitCode() != 0) {
            String msg = new String(o.stderr(), StandardCharsets.UTF_8).strip();
            int nl = msg.lastIndexOf('\n');
            throw new JsingException(
                    ExitCodes.BAD_IMAGE,
                    image + ": unsquashfs failed"
                            + (msg.isEmpty() ? " (exit " + o.exitCode() + ")" : ": " + msg.substring(nl + 1)));
        }
        return o.stdout();
    }

    /**
     * The output of the listing {@code argv}, or of {@code fallback} when {@code argv} fails (older squashfs-tools lack
     * {@code -max-depth}); empty when both fail (no such directory).
     */
    static byte[] listing(List<String> argv, List<String> fallback) {
        try {
            Processes.Captured o = exec(argv, MAX_LISTING);
            if (o.exitCode() != 0) {
                o = exec(fallback, MAX_LISTING);
            }
            return o.exitCode() == 0 ? o.stdout() : new byte[0];
        } catch (TooLarge e) {
            throw new JsingException(
                    ExitCodes.BAD_IMAGE, argv.get(argv.size() - 1) + ": a directory listing over 16 MiB");
        }
    }

    /** The most listing output read for inspect (a bounded directory, never the whole image). */
    private static final long MAX_LISTING = 16L << 20;

    /** The bytes of container file {@code path} in the squashfs at {@code offset} of {@code image}; null if absent. */
    public static byte[] cat(String unsquashfs, Path image, long offset, String path) {
        return cat(unsquashfs, image, offset, path, Long.MAX_VALUE);
    }

    /** {@link #cat}, of a file of at most {@code max} bytes: a larger one is BAD_IMAGE (no image exhausts the heap). */
    public static byte[] cat(String unsquashfs, Path image, long offset, String path, long max) {
        List<String> argv = List.of(unsquashfs, "-o", String.valueOf(offset), "-cat", image.toString(), path);
        Processes.Captured o;
        try {
            o = exec(argv, max);
        } catch (TooLarge e) {
            throw new JsingException(
                    ExitCodes.BAD_IMAGE, image + ": " + path + " is larger than " + (max >> 20) + " MiB");
        }
        return o.exitCode() == 0 ? o.stdout() : null;
    }

    private static final class TooLarge extends RuntimeException {
        private static final long serialVersionUID = 1L;
    }

    private static Processes.Captured exec(List<String> argv) {
        return exec(argv, Long.MAX_VALUE);
    }

    /** Runs {@code argv} with stdin from /dev/null; throws UNAVAILABLE when the program is missing. */
    private static Processes.Captured exec(List<String> argv, long max) {
        try {
            return Processes.capture(argv, max);
        } catch (Processes.TooMuchOutput e) {
            throw new TooLarge();
        } catch (Processes.NotStarted e) {
            throw new JsingException(
                    ExitCodes.UNAVAILABLE,
                    argv.get(0) + " not found: install squashfs-tools (or set 'unsquashfs' in the configuration)");
        } catch (IOException e) {
            throw new JsingException(ExitCodes.IO_ERROR, "unsquashfs: " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new JsingException(ExitCodes.INTERNAL, "interrupted");
        }
    }
}
