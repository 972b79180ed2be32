package dev.jsing.runner.launch;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jsing.runner.testing.Commands;
import dev.jsing.runner.testing.MinbaseImage;
import dev.jsing.runner.testing.Result;
import dev.jsing.runner.testing.TestDist;
import dev.jsing.runner.testing.TestUser;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The launch without a JVM ({@code runner/src/main/c/replay.c}, {@link Replay}), as the unprivileged test user, with
 * {@code JSING_FAST_TRACE=1} (one line on stderr: {@code jsing: replay: KEY} for a replay, {@code jsing: replay: full
 * launch: WHY} otherwise, and {@code jsing: replay: not recorded: WHY} from a full launch that leaves no entry): a second identical launch replays and gives the payload exactly what the full launch gave;
 * every stale input makes the next launch a full one; per-rank and per-step variables and inherited fds are live.
 */
class ReplayIT {
    static final String FULL = "jsing: replay: full launch: ";
    static TestUser user;
    static Path work;
    static Path image;

    @BeforeAll
    static void image() throws IOException {
        user = TestUser.get();
        work = user.newDir("jsing-replay-it-");
        image = MinbaseImage.busyboxCopy(work.resolve("img.sqfs"));
        user.own(work);
    }

    /** A fresh directory of the user's: its own cwd, so that its launches have keys of their own. */
    static Path dir(String name) throws IOException {
        Path d = work.resolve(name);
        Files.createDirectories(d);
        user.own(d);
        return d;
    }

    static Result launch(Path cwd, Map<String, String> env, List<String> argv) {
        Map<String, String> e = new LinkedHashMap<>(env);
        e.put("JSING_FAST_TRACE", "1");
        return user.run(argv, e, cwd, Duration.ofMinutes(2));
    }

    static Result exec(Path cwd, Map<String, String> env, String... payload) {
        List<String> argv = new ArrayList<>(TestDist.jsing("exec", image.toString()));
        argv.addAll(List.of(payload));
        return launch(cwd, env, argv);
    }

    static void assertFull(Result r, String why) {
        assertTrue(
                r.stderr().startsWith(FULL) && r.stderr().contains(why),
                "a full launch (" + why + "): " + r.describe());
    }

    static void assertReplayed(Result r) {
        assertTrue(r.stderr().matches("(?s)jsing: replay: [0-9a-f]{16}\n.*"), "a replay: " + r.describe());
    }

    /** The payload's view, for comparing a full launch and a replay. */
    static final String VIEW = "env | sort; id; pwd; cat /etc/passwd /etc/group; ls /proc/self/fd | wc -l;"
            + " grep -c . /proc/self/mountinfo";

    /** Pins that the second identical launch replays and that the payload sees exactly what the full launch gave it. */
    @Test
    void secondLaunchReplaysWithTheSameView() throws IOException {
        Path d = dir("same");
        Map<String, String> env = Map.of("FOO", "bar", "APPTAINERENV_INSIDE", "x");
        Result full = exec(d, env, "sh", "-c", VIEW);
        assertEquals(0, full.exitCode(), full.describe());
        assertFull(full, "no plan recorded");
        Result fast = exec(d, env, "sh", "-c", VIEW);
        assertEquals(0, fast.exitCode(), fast.describe());
        assertReplayed(fast);
        assertEquals(full.stdout(), fast.stdout());
        assertTrue(fast.stdout().contains("FOO=bar\n") && fast.stdout().contains("INSIDE=x\n"), fast.stdout());
        // A variable that only passes into the container is live: a new value replays, and reaches the payload.
        Result other = exec(d, Map.of("FOO", "baz", "APPTAINERENV_INSIDE", "x", "NEW", "1"), "sh", "-c", VIEW);
        assertReplayed(other);
        assertTrue(other.stdout().contains("FOO=baz\n") && other.stdout().contains("NEW=1\n"), other.stdout());
        // JSING_NO_FAST=1 forces the full launch, with the same view.
        Map<String, String> noFast = new LinkedHashMap<>(env);
        noFast.put("JSING_NO_FAST", "1");
        Result forced = exec(d, noFast, "sh", "-c", VIEW);
        assertEquals("", forced.stderr(), forced.describe());
        assertEquals(full.stdout(), forced.stdout());
    }

    /** Pins the exit status and the death by signal of a replayed payload (it is the process jsing was started as). */
    @Test
    void exitStatusAndSignals() throws IOException {
        Path d = dir("status");
        for (int i = 0; i < 2; i++) {
            Result r = exec(d, Map.of(), "sh", "-c", "exit 7");
            assertEquals(7, r.exitCode(), r.describe());
            Result k = exec(d, Map.of(), "sh", "-c", "kill -TERM $$");
            assertEquals(143, k.exitCode(), k.describe());
            if (i == 1) {
                assertReplayed(r);
                assertReplayed(k);
            }
        }
        Result missing = exec(d, Map.of(), "no-such-command");
        missing = exec(d, Map.of(), "no-such-command");
        assertReplayed(missing);
        assertEquals(127, missing.exitCode(), missing.describe());
    }

    /** Pins that inherited fds (Slurm's PMI_FD) and per-rank variables reach a replayed payload. */
    @Test
    void inheritedFdsAndRankVariables() throws IOException {
        Path d = dir("fds");
        Files.writeString(d.resolve("pmi"), "pmi-socket-stand-in\n");
        user.own(d);
        String cmd = "exec 5<" + d.resolve("pmi") + "; exec " + TestDist.jsing() + " exec " + image
                + " sh -c 'cat <&5; echo rank=$SLURM_PROCID fd=$PMI_FD'";
        for (String rank : List.of("0", "1", "2")) {
            Result r = launch(d, Map.of("PMI_FD", "5", "SLURM_PROCID", rank), List.of("/bin/sh", "-c", cmd));
            assertEquals(0, r.exitCode(), r.describe());
            assertEquals("pmi-socket-stand-in\nrank=" + rank + " fd=5\n", r.stdout(), r.describe());
            if (!rank.equals("0")) {
                assertReplayed(r);
            }
        }
    }

    /**
     * Pins that the ranks of a Slurm step and of later steps of the same shape replay the plan rank 0 of the first
     * step recorded, with their own job, step and local ids, and join one container per step.
     */
    @Test
    void ranksAndLaterStepsReplayAndJoin() throws IOException {
        Path d = dir("step");
        List<String> ns = new ArrayList<>();
        int replays = 0;
        for (String job : List.of("91001", "91002")) {
            for (String rank : List.of("0", "1")) {
                Map<String, String> env = Map.of(
                        "SLURM_JOB_ID",
                        job,
                        "SLURM_STEP_ID",
                        "0",
                        "SLURM_LOCALID",
                        rank,
                        "SLURM_PROCID",
                        rank,
                        "SLURM_NODEID",
                        "0",
                        "SLURM_STEP_TASKS_PER_NODE",
                        "2",
                        "JSING_TMPDIR",
                        d.toString());
                Result r = exec(d, env, "sh", "-c", "echo $(readlink /proc/self/ns/user) $SLURM_JOB_ID $SLURM_LOCALID");
                assertEquals(0, r.exitCode(), r.describe());
                String[] f = r.stdout().trim().split(" ");
                assertEquals(List.of(job, rank), List.of(f[1], f[2]), r.describe());
                ns.add(f[0]);
                replays += r.stderr().matches("(?s)jsing: replay: [0-9a-f]{16}\n.*") ? 1 : 0;
            }
        }
        assertEquals(3, replays, "all but the very first launch replay");
        assertEquals(ns.get(0), ns.get(1), "the two ranks of step 1 share a container");
        assertEquals(ns.get(2), ns.get(3), "the two ranks of step 2 share a container");
        assertNotEquals(ns.get(0), ns.get(2), "each step has its own");
    }

    /** Pins that each stale input makes the next launch a full one (which records anew), never a replay. */
    @Test
    void staleInputsFallBack() throws Exception {
        Path d = dir("stale");
        Path conf = d.resolve("jsing.yaml");
        Files.writeString(conf, "# empty\n");
        user.own(d);
        Map<String, String> env =
                new LinkedHashMap<>(Map.of("JSING_CONFIG", conf.toString(), "JSING_BIND", work.toString()));

        exec(d, env, "true");
        assertReplayed(exec(d, env, "true"));

        // The image replaced (same path, another file).
        Path copy = work.resolve("img.sqfs.new");
        Files.copy(image, copy);
        Files.move(copy, image, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        Commands.ok("chmod", "a+r", image.toString());
        assertFull(exec(d, env, "true"), "file changed: " + image);
        assertReplayed(exec(d, env, "true"));

        // The config edited.
        Files.writeString(conf, "# edited\n");
        assertFull(exec(d, env, "true"), "file changed: " + conf);
        assertReplayed(exec(d, env, "true"));

        // An option variable changed, and one added.
        env.put("JSING_BIND", d.toString());
        assertFull(exec(d, env, "true"), "environment variable changed: JSING_BIND");
        env.put("APPTAINERENV_X", "1");
        assertFull(exec(d, env, "true"), "environment variable not recorded: APPTAINERENV_X");
        Result r = exec(d, env, "sh", "-c", "echo $X");
        r = exec(d, env, "sh", "-c", "echo $X");
        assertReplayed(r);
        assertEquals("1\n", r.stdout());

        // Another working directory: another entry.
        Path d2 = dir("stale2");
        assertFull(exec(d2, env, "true"), "no plan recorded");

        // Another gid (same uid).
        List<String> argv = new ArrayList<>(
                List.of("setpriv", "--reuid=" + user.uid(), "--regid=65534", "--clear-groups", "--", TestDist.jsing()));
        argv.addAll(List.of("exec", image.toString(), "true"));
        Map<String, String> e = user.environment(env);
        e.put("JSING_FAST_TRACE", "1");
        Result g = Commands.run(argv, e, d, Duration.ofMinutes(2));
        assertTrue(g.stderr().startsWith(FULL) && g.stderr().contains("another uid or gid"), g.describe());
    }

    /** Pins that a reinstalled jsing (a jar replaced) never replays an older installation's plan. */
    @Test
    void reinstallFallsBack() throws IOException {
        Path d = dir("reinstall");
        Path dist = d.resolve("jsing");
        Commands.ok("cp", "-a", TestDist.prefix().toString(), dist.toString());
        Commands.ok("chmod", "-R", "a+rX", dist.toString());
        List<String> argv = List.of(dist + "/bin/jsing", "exec", image.toString(), "true");
        launch(d, Map.of(), argv);
        assertReplayed(launch(d, Map.of(), argv));
        Path jar;
        try (var s = Files.list(dist.resolve("lib/jsing"))) {
            jar = s.filter(p -> p.toString().endsWith(".jar")).findFirst().orElseThrow();
        }
        Commands.ok("touch", jar.toString());
        assertFull(launch(d, Map.of(), argv), "file changed: " + jar);
        assertReplayed(launch(d, Map.of(), argv));
    }

    /** Pins that a --debug launch is never recorded nor replayed. */
    @Test
    void debugIsAlwaysFull() throws IOException {
        Path d = dir("debug");
        List<String> argv = TestDist.jsing("--debug", "exec", image.toString(), "true");
        launch(d, Map.of(), argv);
        Result r = launch(d, Map.of(), argv);
        assertEquals(0, r.exitCode(), r.describe());
        assertTrue(!r.stderr().matches("(?s).*jsing: replay: [0-9a-f]{16}\n.*"), r.describe());
        assertTrue(r.stderr().contains("jsing: replay: not recorded: --debug\n"), r.describe());
    }
}
