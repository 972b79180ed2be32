package dev.jsing.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;

import dev.jsing.runner.testing.Commands;
import dev.jsing.runner.testing.Result;
import dev.jsing.runner.testing.TestDist;
import dev.jsing.runner.testing.TestUser;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/** Shared helpers of the Slurm/MPI ITs: scripts run as the test user, and the leftover checks. */
final class MpiSupport {
    private MpiSupport() {}

    /** Runs a bash script as the test user in {@code dir}, with jsing as {@code $J}, within {@code timeout}. */
    static Result sh(TestUser user, Path dir, String script, Duration timeout) {
        return user.run(List.of("/bin/bash", "-c", "set -u; " + script), Map.of("J", TestDist.jsing()), dir, timeout);
    }

    /** Like {@link #sh} but fails unless the script exits 0. */
    static String ok(TestUser user, Path dir, String script, Duration timeout) {
        Result r = sh(user, dir, script, timeout);
        if (r.exitCode() != 0) {
            fail("script failed: " + script + "\n" + r.describe());
        }
        return r.stdout();
    }

    /**
     * Live processes of the user named {@code comm} whose command line contains {@code arg} (zombies excluded: on
     * some hosts init reaps orphans late). Other tests may run containers as the same user at the same time: {@code
     * arg} (an image path) tells ours apart.
     */
    static int processes(TestUser user, String comm, String arg) {
        Result r = Commands.run("ps", "-u", String.valueOf(user.uid()), "-o", "stat=,comm=,args=");
        int n = 0;
        for (String line : r.stdout().split("\n")) {
            String[] f = line.trim().split("\\s+", 3);
            if (f.length >= 2
                    && !f[0].startsWith("Z")
                    && f[1].equals(comm)
                    && (f.length == 3 ? f[2] : "").contains(arg)) {
                n++;
            }
        }
        return n;
    }

    /**
     * Waits (up to 10 s) until the user has no squashfuse daemon, no join holder, no payload left and no join files in
     * /dev/shm or /tmp, then asserts it.
     */
    static void assertNoLeftovers(TestUser user, Path img) {
        long end = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        String what;
        do {
            what = leftovers(user, img);
            if (what.isEmpty()) {
                return;
            }
            sleep(100);
        } while (System.nanoTime() < end);
        assertEquals("", what, "leftovers after the job");
    }

    private static String leftovers(TestUser user, Path img) {
        StringBuilder sb = new StringBuilder();
        for (String comm : List.of("squashfuse_ll", "squashfuse", "jsing-holder", "hello", "pingpong")) {
            int n = processes(user, comm, comm.startsWith("squashfuse") ? img.toString() : "");
            if (n > 0) {
                sb.append(n).append(" ").append(comm).append(" process(es); ");
            }
        }
        for (String d : List.of("/dev/shm/jsing-" + user.uid(), "/tmp/jsing-" + user.uid())) {
            if (Files.exists(Path.of(d))) {
                sb.append(d)
                        .append(" exists: ")
                        .append(Commands.run("ls", "-la", d).stdout())
                        .append("; ");
            }
        }
        return sb.toString();
    }

    static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }
}
