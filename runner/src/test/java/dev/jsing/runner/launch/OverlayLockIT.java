package dev.jsing.runner.launch;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jsing.runner.error.ExitCodes;
import dev.jsing.runner.testing.Commands;
import dev.jsing.runner.testing.MinbaseImage;
import dev.jsing.runner.testing.Prerequisites;
import dev.jsing.runner.testing.Result;
import dev.jsing.runner.testing.TestDist;
import dev.jsing.runner.testing.TestUser;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * One writer at a time on an overlay image, as the unprivileged test user: while a container writes an image, a
 * second writer is refused (exit 79, naming the holder's pid and host), and so is a reader; read-only users share the
 * image, and a writer is refused while they run; back-to-back writers never see each other (jsing returns once the
 * image is written back). Concurrency is driven by one shell script per test: the first container signals through a
 * host file (in /tmp, bound into the container) that it runs.
 */
class OverlayLockIT {
    static TestUser user;
    static Path work;
    static Path rootfs;
    static String host;

    @BeforeAll
    static void setUp() throws Exception {
        Prerequisites.require(
                Commands.run("sh", "-c", "command -v fuse2fs && command -v fuse-overlayfs")
                                .exitCode()
                        == 0,
                "fuse2fs and fuse-overlayfs (scripts/setup-host.sh)");
        user = TestUser.get();
        work = user.newDir("jsing-overlay-lock-it-");
        rootfs = work.resolve("rootfs.sqfs");
        Files.copy(MinbaseImage.busybox(), rootfs);
        user.own(work);
        Commands.ok("chmod", "-R", "a+rX", work.toString());
        host = Files.readString(Path.of("/proc/sys/kernel/hostname")).trim();
    }

    /** The images are 64 MiB each: not left in /tmp. */
    @AfterAll
    static void removeWork() {
        if (work != null) {
            Commands.run("rm", "-rf", work.toString());
        }
    }

    static Path image(String name) {
        Path img = work.resolve(name);
        Result r = user.run(
                TestDist.jsing("overlay", "create", "--size", "64", img.toString()),
                Map.of(),
                work,
                Duration.ofMinutes(2));
        assertEquals(0, r.exitCode(), r.describe());
        return img;
    }

    /** Runs {@code script} as the user with J = jsing, R = the rootfs, W = the work dir. */
    static Result sh(String script) {
        String pre = "J=" + TestDist.jsing() + "; R=" + rootfs + "; W=" + work + "; export JSING_TMPDIR=$W\n"
                + "await() { i=0; while [ ! -e \"$1\" ] && [ $i -lt 600 ]; do sleep 0.05; i=$((i+1)); done; }\n";
        return user.run(List.of("/bin/sh", "-c", pre + script), Map.of(), work, Duration.ofMinutes(3));
    }

    static void assertClean(Path img) {
        Result r = Commands.run("e2fsck", "-fn", img.toString());
        assertEquals(0, r.exitCode(), r.describe());
    }

    @Test
    void aSecondWriterAndAReaderAreRefusedWhileOneWrites() {
        Path img = image("busy.img");
        Result r = sh("rm -f $W/up1 $W/go1\n"
                + "$J exec --overlay " + img + " $R sh -c \"echo one > /f; touch $W/up1; while [ ! -e $W/go1 ];"
                + " do sleep 0.05; done\" & first=$!\n"
                + "await $W/up1\n"
                + "echo first=$first\n"
                + "$J exec --overlay " + img + " $R true 2>$W/second.err; echo second=$?\n"
                + "$J exec --overlay " + img + ":ro $R true 2>$W/reader.err; echo reader=$?\n"
                + "touch $W/go1; wait $first; echo first-exit=$?\n"
                + "$J exec --overlay " + img + " $R cat /f; echo after=$?\n");
        assertEquals(0, r.exitCode(), r.describe());
        String out = r.stdout();
        String pid = out.lines()
                .filter(l -> l.startsWith("first="))
                .findFirst()
                .orElseThrow()
                .substring(6);
        assertTrue(out.contains("second=" + ExitCodes.IMAGE_BUSY + "\n"), r.describe());
        assertTrue(out.contains("reader=" + ExitCodes.IMAGE_BUSY + "\n"), r.describe());
        assertTrue(out.contains("first-exit=0\n") && out.contains("one\nafter=0\n"), r.describe());
        assertStarterError(
                "overlay image " + img + " is in use by another container (pid " + pid + " on " + host + ")",
                firstLine(work.resolve("second.err")));
        assertEquals(firstLine(work.resolve("second.err")), firstLine(work.resolve("reader.err")));
        assertClean(img);
    }

    @Test
    void readersShareAndAWriterWaitsForNone() {
        Path img = image("shared.img");
        Result r = sh("rm -f $W/up2 $W/go2\n"
                + "$J exec --overlay " + img + " $R sh -c 'echo base > /f'\n"
                + "$J exec --overlay " + img + ":ro $R sh -c \"touch $W/up2; while [ ! -e $W/go2 ]; do sleep 0.05;"
                + " done\" & r1=$!\n"
                + "await $W/up2\n"
                + "$J exec --overlay " + img + ":ro $R cat /f; echo reader2=$?\n"
                + "$J exec --overlay " + img + " $R true 2>$W/writer.err; echo writer=$?\n"
                + "touch $W/go2; wait $r1; echo r1=$?\n");
        assertEquals(0, r.exitCode(), r.describe());
        assertTrue(r.stdout().contains("base\nreader2=0\n"), r.describe());
        assertTrue(r.stdout().contains("writer=" + ExitCodes.IMAGE_BUSY + "\n"), r.describe());
        assertTrue(r.stdout().contains("r1=0\n"), r.describe());
        assertStarterError(
                "overlay image " + img + " is in use read-only by another container; a writer needs it alone",
                firstLine(work.resolve("writer.err")));
        assertClean(img);
    }

    @Test
    void backToBackWritersNeverCollide() {
        Path img = image("sequence.img");
        Result r = sh("for i in 1 2 3 4 5; do $J exec --overlay " + img + " $R sh -c 'echo $0 >> /log' $i || exit 9;"
                + " done\n$J exec --overlay " + img + " $R cat /log\n");
        assertEquals(0, r.exitCode(), r.describe());
        assertEquals("1\n2\n3\n4\n5\n", r.stdout());
        assertClean(img);
    }

    /** The starter's one error line: the message, then where it was raised. */
    private static void assertStarterError(String message, String line) {
        assertTrue(
                line.matches("jsing: error: " + java.util.regex.Pattern.quote(message) + " \\(layers\\.c:\\d+\\)"),
                line);
    }

    private static String firstLine(Path p) {
        try {
            return Files.readAllLines(p).get(0);
        } catch (Exception e) {
            throw new AssertionError(p + ": " + e);
        }
    }
}
