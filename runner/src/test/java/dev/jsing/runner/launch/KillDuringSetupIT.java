package dev.jsing.runner.launch;

import static org.junit.jupiter.api.Assertions.assertEquals;

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
 * Issue #17: {@code kill -9} of a launch while the starter sets the container up left the session directory (a copy
 * of the generated passwd and group) in the temporary directory. A slow squashfuse (a wrapper that sleeps 0.6 s
 * first) holds the starter in its setup, where each round kills it; nothing may be left. A kill in the JVM between
 * writing the files and its execve (or in the starter's first millisecond) leaves the directory until the user's next
 * launch removes it ({@code TempDirsTest}); {@code ContainerLifetimeIT} covers a kill of jsing under {@code --pid}.
 */
class KillDuringSetupIT {
    static TestUser user;
    static Path work;
    static Path tmp;

    @BeforeAll
    static void setUp() {
        user = TestUser.get();
        work = user.newDir("jsing-kill-it-");
        tmp = work.resolve("tmp");
        assertEquals(0, user.sh("mkdir " + tmp).exitCode());
    }

    @AfterAll
    static void tearDown() {
        Commands.run("rm", "-rf", work.toString());
    }

    @Test
    void killedDuringSetupLeavesNoSessionDirectory() throws Exception {
        Path slow = work.resolve("slow-squashfuse");
        java.nio.file.Files.writeString(slow, "#!/bin/sh\nsleep 0.6\nexec /usr/bin/squashfuse_ll \"$@\"\n");
        Path config = work.resolve("slow.yaml");
        java.nio.file.Files.writeString(config, "squashfuse: [" + slow + "]\n");
        Commands.ok("chmod", "755", slow.toString());
        Commands.ok("chmod", "644", config.toString());
        String starter =
                TestDist.prefix().resolve("libexec/jsing/jsing-starter").toString();
        // Each round is killed once the starter runs. On the fast path bin/jsing execs the starter at once (--replay),
        // so the plan is recorded first (as TestUser primes launches): every fast round is then a replay, whose
        // session directory the starter itself makes, and no round is killed in a JVM that the replay fell back to.
        // The second loop takes the full path (JSING_NO_FAST=1), where the starter runs only after the JVM's execve.
        String launch = TestDist.jsing() + " exec " + MinbaseImage.busybox() + " true";
        String rounds = "for d in 0.1 0.25 0.4; do"
                + " " + launch + " & p=$!;"
                + " while [ -d /proc/$p ] && [ \"$(readlink /proc/$p/exe)\" != " + starter + " ]; do :; done;"
                + " sleep $d; kill -9 $p; wait $p 2>/dev/null;"
                + " done;";
        String script = "JSING_NO_FAST=1 JSING_RECORD_ONLY=1 " + launch + " || exit 1; " + rounds
                + " export JSING_NO_FAST=1; " + rounds + " sleep 1; ls -A " + tmp;
        Result r = user.run(
                List.of("/bin/sh", "-c", script),
                Map.of("JSING_TMPDIR", tmp.toString(), "JSING_CONFIG", config.toString()),
                work,
                Duration.ofMinutes(2));
        assertEquals("", r.stdout(), "left in JSING_TMPDIR after kill -9 during setup: " + r.describe());
    }
}
