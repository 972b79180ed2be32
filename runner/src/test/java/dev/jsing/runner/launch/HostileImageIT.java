package dev.jsing.runner.launch;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jsing.runner.error.ExitCodes;
import dev.jsing.runner.testing.Commands;
import dev.jsing.runner.testing.MinbaseImage;
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
 * Hostile images (issue #17): an image's symlinks must never steer the creation of mount points onto the host. The
 * image's {@code /etc} or {@code /var/tmp} point into the host's {@code /tmp} (bound into every container): nothing
 * may be created, replaced or deleted there. Sandbox and squashfs images, as the unprivileged test user.
 */
class HostileImageIT {
    static TestUser user;
    static Path work;
    static Path tmp;

    @BeforeAll
    static void setUp() {
        user = TestUser.get();
        work = user.newDir("jsing-hostile-it-");
        tmp = work.resolve("tmp");
        Commands.ok("mkdir", "-p", tmp.toString());
        user.own(work);
    }

    @AfterAll
    static void tearDown() {
        Commands.run("rm", "-rf", work.toString());
    }

    static Result jsing(String... args) {
        return user.run(TestDist.jsing(args), Map.of("JSING_TMPDIR", tmp.toString()), work, Duration.ofMinutes(2));
    }

    /** A busybox sandbox (and its squashfs) where {@code link} is a symlink to {@code target}. */
    static List<Path> imagesWithLink(String name, String link, String target) {
        Path sandbox = work.resolve(name);
        Commands.ok(
                "unsquashfs",
                "-q",
                "-n",
                "-d",
                sandbox.toString(),
                MinbaseImage.busybox().toString());
        Commands.ok("rm", "-rf", sandbox.resolve(link.substring(1)).toString());
        Commands.ok(
                "mkdir", "-p", sandbox.resolve(link.substring(1)).getParent().toString());
        Commands.ok("ln", "-s", target, sandbox.resolve(link.substring(1)).toString());
        Path sqfs = work.resolve(name + ".sqfs");
        Commands.ok("mksquashfs", sandbox.toString(), sqfs.toString(), "-quiet", "-noappend", "-all-root");
        user.own(work);
        Commands.ok("chmod", "-R", "a+rX", work.toString());
        return List.of(sandbox, sqfs);
    }

    /** A directory of the user's under the host's /tmp holding one symlink of theirs named {@code localtime}. */
    static Path probeDir() {
        Path probe = user.newDir("jsing-hostile-probe-");
        Result r = user.sh("ln -s /the/users/own/link " + probe + "/localtime");
        assertEquals(0, r.exitCode(), r.describe());
        return probe;
    }

    static void assertUntouched(Path probe) throws Exception {
        assertEquals("localtime\n", Commands.ok("ls", "-A", probe.toString()), "created in the host's " + probe);
        assertTrue(Files.isSymbolicLink(probe.resolve("localtime")), "the user's symlink was replaced");
        assertEquals(Path.of("/the/users/own/link"), Files.readSymbolicLink(probe.resolve("localtime")));
    }

    static void assertRefused(Result r) {
        assertEquals(ExitCodes.BAD_MOUNT, r.exitCode(), r.describe());
        assertEquals(1, r.stderr().lines().count(), r.describe());
        assertTrue(r.stderr().startsWith("jsing: error: "), r.describe());
        // the starter names its source file, never the build machine's path to it
        assertTrue(r.stderr().matches("jsing: error: .* \\([a-z]+\\.c:\\d+\\)\n"), r.describe());
        assertTrue(!r.stderr().contains("/src/main/c/"), r.describe());
    }

    @Test
    void etcLinkIntoHostTmpCreatesNothingThere() throws Exception {
        Path probe = probeDir();
        for (Path img : imagesWithLink("etc-link", "/etc", probe.toString())) {
            Result r = jsing("exec", img.toString(), "true");
            assertUntouched(probe);
            assertRefused(r);
        }
        Commands.run("rm", "-rf", probe.toString());
    }

    @Test
    void varTmpLinkIntoHostTmpCreatesNoHostDirectory() throws Exception {
        Path probe = probeDir();
        for (Path img : imagesWithLink("vartmp-link", "/var/tmp", probe + "/x")) {
            Result r = jsing("exec", img.toString(), "true");
            assertUntouched(probe);
            assertRefused(r);
        }
        Commands.run("rm", "-rf", probe.toString());
    }

    @Test
    void linkOntoAnExistingMountPointStillWorks() {
        // /var/tmp -> /tmp, as some images have: nothing to create, the host's /var/tmp is bound over /tmp.
        for (Path img : imagesWithLink("vartmp-tmp", "/var/tmp", "/tmp")) {
            Result r = jsing("exec", img.toString(), "true");
            assertEquals(0, r.exitCode(), r.describe());
        }
    }

    /** A FIFO as the image hung exec, inspect and sif; /dev/zero was "a truncated file": one line, exit 65, at once. */
    @Test
    void fifoAndDevicesAsTheImageAreOneLineErrors() {
        Path fifo = work.resolve("image.fifo");
        assertEquals(0, user.sh("mkfifo " + fifo).exitCode());
        for (String img : List.of(fifo.toString(), "/dev/zero")) {
            String what = img.equals("/dev/zero") ? "a character device" : "a FIFO";
            for (List<String> args : List.of(
                    List.of("exec", img, "true"),
                    List.of("inspect", img),
                    List.of("run-help", img),
                    List.of("sif", "list", img),
                    List.of("sif", "header", img))) {
                Result r = user.run(
                        TestDist.jsing(args.toArray(String[]::new)),
                        Map.of("JSING_TMPDIR", tmp.toString()),
                        work,
                        Duration.ofSeconds(30));
                assertEquals(ExitCodes.BAD_IMAGE, r.exitCode(), args + ": " + r.describe());
                assertEquals(1, r.stderr().lines().count(), args + ": " + r.describe());
                assertTrue(
                        r.stderr().startsWith("jsing: error: ") && r.stderr().contains(what),
                        args + ": " + r.describe());
            }
        }
    }
}
