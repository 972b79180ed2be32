package dev.jsing.runner.registry;

import dev.jsing.oci.registry.TransferListener;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;

/**
 * Progress of blob transfers on stderr: a bar redrawn in place for transfers of 1 MiB or more when stderr is a
 * terminal, nothing otherwise (and nothing with {@code -q}). Retries are reported as warnings unless quiet.
 */
final class ProgressBar implements TransferListener {
    private static final long MIN_BAR = 1L << 20;
    private final PrintWriter err;
    private final boolean bars;
    private final boolean quiet;
    private String what;
    private long total;
    private long done;
    private long start;
    private long lastDraw;
    private boolean drawing;

    ProgressBar(PrintWriter err, boolean quiet) {
        this.err = err;
        this.quiet = quiet;
        this.bars = !quiet && stderrIsTerminal();
    }

    /** Whether fd 2 is a terminal (a tty or pty device). */
    static boolean stderrIsTerminal() {
        try {
            String t = Files.readSymbolicLink(Path.of("/proc/self/fd/2")).toString();
            return t.startsWith("/dev/pts/") || t.startsWith("/dev/tty") || t.equals("/dev/console");
        } catch (Exception e) {
            return false;
        }
    }

    @Override
    public void start(String what, long total, long already) {
        this.what = what;
        this.total = total;
        this.done = already;
        this.start = System.nanoTime();
        this.lastDraw = 0;
        this.drawing = bars && total >= MIN_BAR;
        if (!quiet && already > 0) {
            err.println("jsing: resuming " + what + " at " + mib(already) + " of " + mib(total) + " MiB");
            err.flush();
        }
        draw(false);
    }

    @Override
    public void progress(long bytes) {
        done += bytes;
        draw(false);
    }

    @Override
    public void end(boolean ok) {
        if (drawing) {
            draw(true);
            err.println();
            err.flush();
        }
        drawing = false;
    }

    @Override
    public void retrying(String what, String why, long delayMillis) {
        if (drawing) {
            err.println();
            drawing = false;
        }
        if (!quiet) {
            err.println("jsing: warning: " + what + ": " + why + "; retrying in "
                    + String.format(Locale.ROOT, "%.1f", delayMillis / 1000.0) + "s");
            err.flush();
        }
    }

    private void draw(boolean force) {
        if (!drawing) {
            return;
        }
        long now = System.nanoTime();
        if (!force && now - lastDraw < 100_000_000L) {
            return;
        }
        lastDraw = now;
        int width = 30;
        int fill = total > 0 ? (int) Math.min(width, done * width / total) : width;
        double secs = Math.max(1e-3, (now - start) / 1e9);
        String bar = "=".repeat(fill) + (fill < width ? ">" + " ".repeat(width - fill - 1) : "");
        err.print(String.format(
                Locale.ROOT,
                "\r%-28s [%s] %7s/%s MiB %6.1f MiB/s",
                what.length() > 28 ? what.substring(0, 28) : what,
                bar,
                mib(done),
                mib(total),
                done / secs / (1 << 20)));
        err.flush();
    }

    private static String mib(long b) {
        return String.format(Locale.ROOT, "%.1f", b / (double) (1 << 20));
    }
}
