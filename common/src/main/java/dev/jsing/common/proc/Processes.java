package dev.jsing.common.proc;

import java.io.BufferedReader;
import java.io.File;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.Map;

/**
 * The one way jsing runs a host program as a child process, stdin always from {@code /dev/null}.
 *
 * <ul>
 *   <li>{@link #run}: a build helper (debootstrap, mksquashfs, cp, a script in the container). Its output (stdout and
 *       stderr merged) goes to the build's stderr as it comes (unless quiet); the last lines are kept for the error
 *       message, and the last {@code sh -x} trace line is remembered so a failing script can be named by its line.
 *   <li>{@link #capture}: a tool whose output is data ({@code unsquashfs -lls}, {@code -cat}) or that only succeeds
 *       or fails ({@code mkfifo}): stdout and stderr captured separately.
 * </ul>
 */
public final class Processes {
    /** The outcome: exit status, last output lines, last {@code + } trace line (or null). */
    public record Outcome(int exitCode, List<String> tail, String lastTrace) {
        public String lastLine() {
            return tail.isEmpty() ? "" : tail.get(tail.size() - 1);
        }
    }

    private Processes() {}

    /**
     * Runs {@code argv} with exactly {@code env} (null: inherited) in {@code cwd} (null: inherited), stdin from
     * /dev/null. {@code echo} prints the output (stdout and stderr merged) to {@code out}.
     */
    public static Outcome run(List<String> argv, Map<String, String> env, File cwd, boolean echo, PrintWriter out) {
        ProcessBuilder pb = new ProcessBuilder(argv);
        if (env != null) {
            pb.environment().clear();
            pb.environment().putAll(env);
        }
        if (cwd != null) {
            pb.directory(cwd);
        }
        pb.redirectErrorStream(true);
        pb.redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
        Deque<String> tail = new ArrayDeque<>();
        String trace = null;
        Process p;
        try {
            p = pb.start();
        } catch (IOException e) {
            return new Outcome(127, List.of(argv.get(0) + ": " + e.getMessage()), null);
        }
        try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
            String line;
            while ((line = r.readLine()) != null) {
                if (echo) {
                    out.println(line);
                    out.flush();
                }
                if (line.startsWith("+ ") || line.startsWith("++ ")) {
                    trace = line;
                }
                tail.addLast(line);
                if (tail.size() > 20) {
                    tail.removeFirst();
                }
            }
        } catch (IOException e) {
            tail.addLast("<" + e.getMessage() + ">");
        }
        int rc;
        while (true) {
            try {
                rc = p.waitFor();
                break;
            } catch (InterruptedException e) {
                p.destroy();
            }
        }
        return new Outcome(rc, List.copyOf(tail), trace);
    }

    /** What {@link #capture} saw: exit status, stdout, stderr. */
    public record Captured(int exitCode, byte[] stdout, byte[] stderr) {}

    /** The program could not be started (not found, not executable). */
    public static final class NotStarted extends IOException {
        private static final long serialVersionUID = 1L;

        public NotStarted(String program, IOException cause) {
            super(program + ": " + cause.getMessage(), cause);
        }
    }

    /**
     * Runs {@code argv} in the caller's environment and directory, stdin from /dev/null, and returns its exit status
     * and both outputs (read concurrently, so neither pipe fills). Throws {@link NotStarted} when the program cannot be
     * started, another {@link IOException} when its output cannot be read.
     */
    public static Captured capture(List<String> argv) throws IOException, InterruptedException {
        return capture(argv, Long.MAX_VALUE);
    }

    /** The program wrote more than the caller's limit to stdout; it was killed. */
    public static final class TooMuchOutput extends IOException {
        private static final long serialVersionUID = 1L;

        public TooMuchOutput(String program, long limit) {
            super(program + ": more than " + limit + " bytes of output");
        }
    }

    /**
     * {@link #capture(List)}, reading at most {@code maxStdout} bytes of stdout: a program that writes more is killed
     * and {@link TooMuchOutput} thrown, so no output can exhaust the heap.
     */
    public static Captured capture(List<String> argv, long maxStdout) throws IOException, InterruptedException {
        ProcessBuilder pb = new ProcessBuilder(argv);
        pb.redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
        pb.redirectError(ProcessBuilder.Redirect.PIPE);
        Process p;
        try {
            p = pb.start();
        } catch (IOException e) {
            throw new NotStarted(argv.get(0), e);
        }
        p.getOutputStream().close();
        java.util.concurrent.CompletableFuture<byte[]> err = java.util.concurrent.CompletableFuture.supplyAsync(() -> {
            try {
                return p.getErrorStream().readAllBytes();
            } catch (IOException e) {
                return new byte[0];
            }
        });
        byte[] out;
        if (maxStdout >= Integer.MAX_VALUE - 16) {
            out = p.getInputStream().readAllBytes();
        } else {
            out = p.getInputStream().readNBytes((int) maxStdout + 1);
            if (out.length > maxStdout) {
                p.destroyForcibly();
                p.waitFor();
                throw new TooMuchOutput(argv.get(0), maxStdout);
            }
        }
        int rc = p.waitFor();
        return new Captured(rc, out, err.join());
    }
}
