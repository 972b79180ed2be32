package dev.jsing.runner.launch;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jsing.runner.testing.Commands;
import dev.jsing.runner.testing.MinbaseImage;
import dev.jsing.runner.testing.Result;
import dev.jsing.runner.testing.TestDist;
import dev.jsing.runner.testing.TestUser;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The init of {@code --pid} (issue 11): PID 1 of the container's PID namespace forwards signals to the payload (PID
 * 2), reaps the orphans the kernel reparents to it, and passes the payload's status on; {@code --no-init} keeps the
 * payload as PID 1, where SIGTERM is lost and orphans stay zombies. Each case is run both ways, so that each assertion
 * fails if the init stops doing its part.
 */
class PidInitIT {
    static TestUser user;
    static Path work;
    static Path image;

    @BeforeAll
    static void setUp() throws Exception {
        user = TestUser.get();
        work = user.newDir("jsing-pidinit-it-");
        image = MinbaseImage.busyboxCopy(work.resolve("pidinit-image.sqfs"));
    }

    @AfterAll
    static void tearDown() {
        Commands.run("pkill", "-KILL", "-f", image.toString());
        Commands.run("rm", "-rf", work.toString());
    }

    private static Result exec(String... args) {
        List<String> argv = new java.util.ArrayList<>(List.of(TestDist.jsing(), "exec"));
        argv.addAll(List.of(args));
        return user.run(argv, Map.of(), work, Duration.ofMinutes(2));
    }

    @Test
    void thePayloadIsPid2UnderTheInitAndPid1WithoutIt() {
        Result r = exec("--pid", image.toString(), "sh", "-c", "echo $$; cat /proc/1/comm");
        assertEquals("2\njsing-init\n", r.stdout(), r.describe());
        Result n = exec("--pid", "--no-init", image.toString(), "sh", "-c", "echo $$");
        assertEquals("1\n", n.stdout(), n.describe());
        Result env = user.run(
                List.of(TestDist.jsing(), "exec", "--pid", image.toString(), "sh", "-c", "echo $$"),
                Map.of("APPTAINER_NOSHIMINIT", "1"),
                work,
                Duration.ofMinutes(2));
        assertEquals("1\n", env.stdout(), "APPTAINER_NOSHIMINIT: " + env.describe());
        Result c = exec("-C", image.toString(), "sh", "-c", "echo $$");
        assertEquals("2\n", c.stdout(), "--containall has --pid, under the init: " + c.describe());
        Result np = exec("-C", "--no-pid", image.toString(), "sh", "-c", "[ $$ -gt 2 ] && echo host-pids");
        assertEquals("host-pids\n", np.stdout(), "--no-pid: " + np.describe());
    }

    /**
     * An orphan ({@code sleep 0.3} whose parent shell exits) is reparented to PID 1. Under the init it is reaped; with
     * {@code --no-init} PID 1 is {@code sleep 3}, which never waits, so the orphan stays a zombie.
     */
    @Test
    void theInitReapsOrphans() {
        String script = "(sh -c 'sleep 0.3 &'; sleep 1.5; awk '$3==\"Z\"{print $2}' /proc/[0-9]*/stat; echo done)"
                + " & exec sleep 3";
        Result r = exec("--pid", image.toString(), "sh", "-c", script);
        assertEquals(0, r.exitCode(), r.describe());
        assertEquals("done\n", r.stdout(), "a zombie under the init: " + r.describe());
        Result n = exec("--pid", "--no-init", image.toString(), "sh", "-c", script);
        assertEquals("(sleep)\ndone\n", n.stdout(), "without the init the orphan stays a zombie: " + n.describe());
    }

    /** SIGTERM to jsing reaches the payload: a payload without a handler dies of it; a handler runs. */
    @Test
    void sigtermIsForwardedToThePayload() {
        String run = TestDist.jsing() + " exec --pid " + image + " ";
        String script = run + "sleep 31339 </dev/null & p=$!; sleep 1; kill -TERM $p; wait $p; echo status $?;"
                + run + "sh -c 'trap \"echo trapped; exit 7\" TERM; sleep 31339 & wait' & p=$!; sleep 1;"
                + " kill -TERM $p; wait $p; echo status $?";
        Result r = user.run(List.of("/bin/sh", "-c", script), Map.of(), work, Duration.ofMinutes(2));
        assertEquals("status 143\ntrapped\nstatus 7\n", r.stdout(), r.describe());

        // without the init, the payload is PID 1 and the kernel drops a signal it has no handler for
        String lost = TestDist.jsing() + " exec --pid --no-init " + image + " sleep 31339 </dev/null & p=$!; sleep 1;"
                + " kill -TERM $p; sleep 1; kill -0 $p && echo still-running; kill -KILL $p; wait $p; echo status $?";
        Result n = user.run(List.of("/bin/sh", "-c", lost), Map.of(), work, Duration.ofMinutes(2));
        assertEquals("still-running\nstatus 137\n", n.stdout(), n.describe());
    }

    /** The payload's status passes through the init: an exit code, and a fatal signal re-raised by the monitor. */
    @Test
    void thePayloadsStatusIsJsings() {
        assertEquals(5, exec("--pid", image.toString(), "sh", "-c", "exit 5").exitCode());
        Result k = user.run(
                List.of(
                        "/bin/sh",
                        "-c",
                        TestDist.jsing() + " exec --pid " + image + " sh -c 'kill -USR1 $$'; echo status $?"),
                Map.of(),
                work,
                Duration.ofMinutes(2));
        assertEquals("status 138\n", k.stdout(), k.describe());
        assertTrue(k.stderr().isEmpty() || !k.stderr().contains("jsing: error"), k.describe());
    }
}
