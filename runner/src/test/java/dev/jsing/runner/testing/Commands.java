package dev.jsing.runner.testing;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * Runs host commands for tests (the real tools: siftool, mksquashfs, the installed jsing), with a time limit, either
 * as the current user or as the unprivileged test user ({@link TestUser}). Tests only: jsing itself never starts a
 * container payload as a child of the JVM.
 */
public final class Commands {
    private Commands() {}

    /** Runs {@code argv} as the current user and waits at most {@code timeout}. */
    public static Result run(List<String> argv, Map<String, String> env, Path cwd, Duration timeout) {
        ProcessBuilder pb = new ProcessBuilder(argv);
        if (env != null) {
            pb.environment().clear();
            pb.environment().putAll(env);
        }
        if (cwd != null) {
            pb.directory(cwd.toFile());
        }
        pb.redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
        try {
            Process p = pb.start();
            CompletableFuture<String> out = drain(p.getInputStream());
            CompletableFuture<String> err = drain(p.getErrorStream());
            if (!p.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                p.descendants().forEach(ProcessHandle::destroyForcibly);
                p.destroyForcibly();
                p.waitFor();
                throw new AssertionError(
                        "timed out after " + timeout + ": " + argv + "\n" + out.join() + "\n" + err.join());
            }
            return new Result(p.exitValue(), out.join(), err.join());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    /** Runs {@code argv} as the current user with the inherited environment, 2 minutes at most. */
    public static Result run(String... argv) {
        return run(List.of(argv), null, null, Duration.ofMinutes(2));
    }

    /** Runs a {@code /bin/sh -c} script as the current user. */
    public static Result sh(String script) {
        return run(List.of("/bin/sh", "-c", script), null, null, Duration.ofMinutes(2));
    }

    /** Runs {@code argv} and fails the test unless it exits 0; returns stdout. */
    public static String ok(String... argv) {
        Result r = run(argv);
        if (r.exitCode() != 0) {
            throw new AssertionError("command failed: " + String.join(" ", argv) + "\n" + r.describe());
        }
        return r.stdout();
    }

    private static CompletableFuture<String> drain(InputStream in) {
        return CompletableFuture.supplyAsync(() -> {
            try (in) {
                return new String(in.readAllBytes(), StandardCharsets.UTF_8);
            } catch (IOException e) {
                return "<" + e + ">";
            }
        });
    }

    static List<String> concat(List<String> a, List<String> b) {
        List<String> all = new ArrayList<>(a);
        all.addAll(b);
        return all;
    }
}
