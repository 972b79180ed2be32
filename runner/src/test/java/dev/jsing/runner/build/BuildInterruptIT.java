package dev.jsing.runner.build;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jsing.runner.testing.MinbaseImage;
import dev.jsing.runner.testing.Result;
import dev.jsing.runner.testing.TestDist;
import java.nio.file.Files;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Issue #17, fault 4: an interrupted fakeroot build (Ctrl-C, SIGTERM as {@code timeout} sends it) left {@code %post}
 * running and {@code jsing-build-*} directories holding subordinate-id-owned 0700 directories the user cannot
 * remove. Each case interrupts {@code %post} once it has made such a directory, then checks that nothing of the
 * build is left: no process, nothing in the temporary directory, nothing beside the destination.
 */
class BuildInterruptIT {
    private static final String DEF = "Bootstrap: localimage\nFrom: " + MinbaseImage.busybox() + "\n\n%post\n"
            + "    mkdir -p /opt/sub/deep && touch /opt/sub/deep/f && chown -R 1234:1234 /opt/sub"
            + " && chmod 0700 /opt/sub/deep /opt/sub\n"
            + "    sleep MARK\n";

    /** Builds with %post's {@code sleep MARK}; once it runs, sends SIG to jsing (or to its process group). */
    private static Result interrupt(BuildSupport b, String mark, String sig, boolean group, String... buildArgs) {
        b.write(mark + ".def", DEF.replace("MARK", mark));
        String user = b.user.name();
        // its own process group, as a foreground job is, with SIGINT not ignored (a background job of a shell
        // without job control has it ignored)
        String script = "setsid perl -e '$SIG{INT} = \"DEFAULT\"; exec @ARGV or die' " + TestDist.jsing() + " build "
                + String.join(" ", buildArgs) + " " + mark
                + ".def </dev/null >build.log 2>&1 & p=$!;"
                + " n=0; until pgrep -u " + user + " -f '^sleep " + mark + "' >/dev/null; do n=$((n+1));"
                + " [ $n -gt 1200 ] && { echo 'no %post'; cat build.log; exit 1; }; sleep 0.1; done;"
                + " kill -" + sig + " " + (group ? "-" : "") + "$p; wait $p; echo \"exit $?\";"
                + " sleep 0.5; pgrep -u " + user + " -f '^sleep " + mark + "' && echo 'still running';"
                + " ls -A jsing-tmp; ls -A | grep -F .jsing-build-; true";
        return b.user.run(
                List.of("/bin/sh", "-c", script),
                Map.of("JSING_TMPDIR", b.tmpdir.toString()),
                b.dir,
                Duration.ofMinutes(4));
    }

    private static void assertNothingLeft(BuildSupport b, Result r, String dest) {
        assertEquals(0, r.exitCode(), r.describe());
        List<String> lines = r.stdout().lines().toList();
        assertTrue(
                lines.size() >= 1
                        && lines.get(0).startsWith("exit ")
                        && !lines.get(0).equals("exit 0"),
                r.describe());
        assertEquals(List.of(lines.get(0), ".keep"), lines, "left after the interrupt: " + r.describe());
        assertFalse(Files.exists(b.dir.resolve(dest)), dest + " exists after an interrupted build");
        b.assertClean();
    }

    @Test
    void ctrlCOfASifBuildStopsPostAndRemovesEverything() {
        BuildSupport b = new BuildSupport("jsing-build-int-");
        assertNothingLeft(b, interrupt(b, "1931", "INT", true, "int.sif"), "int.sif");
    }

    @Test
    void sigtermOfJsingAloneDuringASandboxBuildStopsPostAndRemovesEverything() {
        BuildSupport b = new BuildSupport("jsing-build-term-");
        assertNothingLeft(b, interrupt(b, "1932", "TERM", false, "--sandbox", "term.dir"), "term.dir");
    }

    /**
     * Issue #17, fault 6: two concurrent {@code build --sandbox} runs to one new destination both reported success,
     * the second removing the first's output. Both pass the destination check at start (their %post sleeps, so they
     * finish together); exactly one may win, the other fails with one line and exit 73, and the winner's tree stays.
     */
    @Test
    void twoConcurrentSandboxBuildsToOneDestinationHaveOneWinner() {
        BuildSupport b = new BuildSupport("jsing-build-race-");
        for (String who : List.of("a", "b")) {
            b.write(
                    who + ".def",
                    "Bootstrap: localimage\nFrom: " + MinbaseImage.busybox() + "\n\n%post\n" + "    sleep 2\n    echo "
                            + who + " > /winner\n");
        }
        String script = "for w in a b; do " + TestDist.jsing() + " build --sandbox same.dir $w.def"
                + " </dev/null >$w.out 2>$w.err & eval p$w=$!; done;"
                + " wait $pa; echo \"a $?\"; wait $pb; echo \"b $?\"; cat same.dir/winner";
        Result r = b.user.run(
                List.of("/bin/sh", "-c", script),
                Map.of("JSING_TMPDIR", b.tmpdir.toString()),
                b.dir,
                Duration.ofMinutes(4));
        List<String> lines = r.stdout().lines().toList();
        assertEquals(3, lines.size(), r.describe());
        String winner = lines.get(2);
        String loser = winner.equals("a") ? "b" : "a";
        assertTrue(lines.contains(winner + " 0"), r.describe());
        assertTrue(lines.contains(loser + " 73"), r.describe());
        try {
            List<String> err = Files.readAllLines(b.dir.resolve(loser + ".err"));
            List<String> errors =
                    err.stream().filter(l -> l.startsWith("jsing: error:")).toList();
            assertEquals(
                    List.of("jsing: error: " + b.dir.resolve("same.dir")
                            + " already exists (use --force to overwrite)"),
                    errors,
                    String.join("\n", err));
            assertTrue(err.stream().noneMatch(l -> l.contains("\tat ")), String.join("\n", err));
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        assertTrue(Files.isDirectory(b.dir.resolve("same.dir/bin")), "the winner's tree was damaged");
        b.assertClean();
    }
}
