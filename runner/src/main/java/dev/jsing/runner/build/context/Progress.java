package dev.jsing.runner.build.context;

import java.io.PrintWriter;
import java.util.Locale;

/** Step lines a person can follow: {@code jsing build: [2/6] %post (stage final) ... done in 12.3s}. */
public final class Progress {
    private final PrintWriter err;
    private final boolean quiet;
    private final long start = System.nanoTime();
    private String current;
    private long stepStart;

    public Progress(PrintWriter err, boolean quiet) {
        this.err = err;
        this.quiet = quiet;
    }

    public boolean quiet() {
        return quiet;
    }

    /** Starts a named step (ending the previous one). */
    public void step(String name) {
        end();
        current = name;
        stepStart = System.nanoTime();
        if (!quiet) {
            err.println("jsing build: " + name + " ...");
            err.flush();
        }
    }

    /** Ends the current step, printing its time. */
    public void end() {
        if (current != null && !quiet) {
            err.println("jsing build: " + current + " done in " + secs(System.nanoTime() - stepStart));
            err.flush();
        }
        current = null;
    }

    /** An informational line. */
    public void info(String line) {
        if (!quiet) {
            err.println("jsing build: " + line);
            err.flush();
        }
    }

    /** A warning line (printed even with --quiet). */
    public void warn(String line) {
        err.println("jsing: warning: " + line);
        err.flush();
    }

    public String total() {
        return secs(System.nanoTime() - start);
    }

    static String secs(long nanos) {
        return String.format(Locale.ROOT, "%.1fs", nanos / 1e9);
    }

    public PrintWriter err() {
        return err;
    }
}
