package dev.jsing.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jsing.runner.testing.Commands;
import dev.jsing.runner.testing.HostArch;
import dev.jsing.runner.testing.MinbaseImage;
import dev.jsing.runner.testing.Result;
import dev.jsing.runner.testing.TestDist;
import dev.jsing.runner.testing.TestUser;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * README's main job: {@code examples/quickstart/run.sh} as the unprivileged test user builds {@code hello.def}
 * (debootstrap + apt in %post, in a user namespace) and runs it; the user, home and working directory inside are the
 * caller's.
 */
class QuickstartIT {
    @Test
    void buildsAndRunsTheQuickstartImageAsAnOrdinaryUser() throws Exception {
        TestUser user = TestUser.get();
        Path dir = user.newDir("jsing-quickstart-it-");
        Commands.ok(
                "cp",
                "-R",
                TestDist.projectRoot().resolve("examples/quickstart").toString(),
                dir.toString());
        user.own(dir);
        Path cache = MinbaseImage.cacheDir().resolve(user.name() + "-jsing-cache");
        Commands.ok("mkdir", "-p", cache.toString());
        user.own(cache);
        Path sif = dir.resolve("hello.sif");
        try {
            Result r = user.run(
                    List.of(dir.resolve("quickstart/run.sh").toString(), TestDist.jsing(), sif.toString()),
                    Map.of("JSING_CACHEDIR", cache.toString()),
                    dir,
                    Duration.ofMinutes(15));
            assertEquals(0, r.exitCode(), r.describe());
            String out = r.stdout();
            assertTrue(
                    out.contains("Hello from a jsing container, running as " + user.name() + " (uid " + user.uid()
                            + ") in " + user.home()),
                    "the runscript sees the %environment, the caller's identity and cwd: " + r.describe());
            assertTrue(
                    out.contains("< jsing works >"), "cowsay, installed by %post with apt, got the arguments: " + out);
            assertTrue(
                    out.contains("inside: uid=" + user.uid() + " home=" + user.home() + " Debian GNU/Linux 12"), out);
            assertTrue(
                    out.contains("FS (Squashfs/*System/" + HostArch.oci() + ")"),
                    "sif list shows the primary partition: " + out);
            assertTrue(Files.size(sif) > 10_000_000, "a real Debian image");
        } finally {
            Commands.run("rm", "-rf", dir.toString());
        }
    }
}
