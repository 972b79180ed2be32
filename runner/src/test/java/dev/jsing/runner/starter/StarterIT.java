package dev.jsing.runner.starter;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jsing.runner.error.ExitCodes;
import dev.jsing.runner.testing.Commands;
import dev.jsing.runner.testing.MinbaseImage;
import dev.jsing.runner.testing.Prerequisites;
import dev.jsing.runner.testing.Result;
import dev.jsing.runner.testing.TestDist;
import dev.jsing.runner.testing.TestUser;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The C starter ({@code libexec/jsing/jsing-starter}) run directly, as the unprivileged test user, on a busybox
 * squashfs image: the argv contract of {@code runner/src/main/c/README.md}.
 */
class StarterIT {
    private static final String SQUASHFUSE = "/usr/bin/squashfuse_ll";
    private static TestUser user;
    private static String starter;
    private static Path image;

    @BeforeAll
    static void setUp() {
        user = TestUser.get();
        starter = TestDist.prefix().resolve("libexec/jsing/jsing-starter").toString();
        image = MinbaseImage.busybox();
    }

    /** {@code starter --squashfs IMAGE 0 --squashfuse ... OPTIONS -- PAYLOAD}, as a list. */
    private static List<String> argv(List<String> options, String... payload) {
        List<String> a =
                new ArrayList<>(List.of(starter, "--squashfs", image.toString(), "0", "--squashfuse", SQUASHFUSE));
        a.addAll(options);
        a.add("--");
        a.addAll(Arrays.asList(payload));
        return a;
    }

    /** The same, as a quoted shell command line for host scripts. */
    private static String cmd(List<String> options, String... payload) {
        return argv(options, payload).stream().map(StarterIT::q).collect(Collectors.joining(" "));
    }

    private static String q(String s) {
        return "'" + s.replace("'", "'\\''") + "'";
    }

    private static Result run(List<String> options, String... payload) {
        return user.run(argv(options, payload), Map.of(), null, Duration.ofSeconds(60));
    }

    private static Result sh(String script) {
        return user.run(List.of("/bin/sh", "-c", script), Map.of(), null, Duration.ofSeconds(60));
    }

    /** Host processes of the test user still serving this image (zombies not reaped yet by init do not count). */
    private static String daemons() {
        return Commands.run("ps", "-u", String.valueOf(user.uid()), "-o", "stat=,args=")
                .stdout()
                .lines()
                .filter(l -> !l.startsWith("Z") && l.contains("squashfuse") && l.contains(image.toString()))
                .collect(Collectors.joining("\n"));
    }

    private static void assertNoLeftovers() throws InterruptedException {
        String left = daemons();
        for (int i = 0; i < 50 && !left.isEmpty(); i++) {
            Thread.sleep(100);
            left = daemons();
        }
        assertEquals("", left, "squashfuse daemon left behind");
        String mounts = Commands.run(
                        "sh",
                        "-c",
                        "cat /proc/[0-9]*/mountinfo 2>/dev/null | grep -c " + q(image.toString()) + " || true")
                .stdout()
                .trim();
        assertEquals("0", mounts, "a mount of the image is left in some namespace");
    }

    @Test
    void identityAndPidAreTheCallersAndNothingIsLeft() throws Exception {
        Result r = sh(
                "echo $$; id -u; id -g; exec " + cmd(List.of("--proc", "host"), "sh", "-c", "echo $$; id -u; id -g"));
        assertEquals(0, r.exitCode(), r.describe());
        List<String> l = r.stdout().lines().toList();
        assertEquals(6, l.size(), r.describe());
        assertEquals(l.get(0), l.get(3), "the payload has the PID the caller started: " + r.describe());
        assertEquals(String.valueOf(user.uid()), l.get(4), r.describe());
        assertEquals(l.get(1), l.get(4), r.describe());
        assertEquals(l.get(2), l.get(5), r.describe());
        assertEquals("", r.stderr(), "nothing on stderr without --debug");
        assertNoLeftovers();
    }

    @Test
    void exitStatusPassesThroughAnd128PlusSignal() throws Exception {
        for (int code : new int[] {0, 1, 42, 126, 255}) {
            assertEquals(code, run(List.of(), "sh", "-c", "exit " + code).exitCode());
        }
        assertEquals(128 + 15, run(List.of(), "sh", "-c", "kill -TERM $$").exitCode());
        assertEquals(128 + 9, run(List.of(), "sh", "-c", "kill -KILL $$").exitCode());
        assertNoLeftovers();
    }

    @Test
    void signalsReachThePayload() throws Exception {
        Path dir = user.newDir("jsing-starter-sig-");
        String payload = "trap 'echo usr1 >> /out/sig' USR1; trap 'echo term >> /out/sig; exit 3' TERM;"
                + " touch /out/ready; while :; do sleep 0.05; done";
        Result r = sh(cmd(List.of("--bind", dir.toString(), "/out", "rw"), "sh", "-c", payload) + " & pid=$!;"
                + " i=0; while [ ! -e " + dir + "/ready ] && [ $i -lt 200 ]; do sleep 0.05; i=$((i+1)); done;"
                + " kill -USR1 $pid; sleep 0.3; kill -TERM $pid; wait $pid; echo rc=$?");
        assertTrue(r.stdout().contains("rc=3"), r.describe());
        assertEquals("usr1\nterm\n", Files.readString(dir.resolve("sig")), r.describe());
        Commands.run("rm", "-rf", dir.toString());
        assertNoLeftovers();
    }

    @Test
    void killedPayloadLeavesNothing() throws Exception {
        Result r = sh(cmd(List.of(), "sleep", "30") + " & pid=$!; sleep 0.5; kill -9 $pid; wait $pid; echo rc=$?");
        assertTrue(r.stdout().contains("rc=137"), r.describe());
        assertNoLeftovers();
        assertEquals(5, run(List.of(), "sh", "-c", "exit 5").exitCode());
        assertNoLeftovers();
    }

    @Test
    void onlyKeptFdsReachThePayload() {
        Result r = sh("exec 5</etc/hostname 7</etc/hostname; "
                + cmd(List.of("--keep-fd", "5", "--proc", "host"), "sh", "-c", "ls /proc/$$/fd; cat <&5"));
        assertEquals(0, r.exitCode(), r.describe());
        List<String> fds = r.stdout().lines().filter(s -> s.matches("\\d+")).toList();
        assertEquals(List.of("0", "1", "2", "5"), fds, r.describe());
    }

    @Test
    void rootIsReadOnlyUnlessWritableTmpfs() {
        Result ro = run(List.of(), "touch", "/x");
        assertEquals(1, ro.exitCode(), "busybox touch fails with 1: " + ro.describe());
        assertTrue(ro.stderr().contains("Read-only file system"), ro.describe());
        Result rw = run(List.of("--writable-tmpfs", "8"), "sh", "-c", "echo hi > /x && cat /x");
        assertEquals(0, rw.exitCode(), rw.describe());
        assertEquals("hi\n", rw.stdout());
        assertEquals(1, run(List.of(), "test", "-e", "/x").exitCode(), "writable-tmpfs changes are discarded");
    }

    @Test
    void persistentOverlay() throws IOException {
        Path dir = user.newDir("jsing-starter-overlay-");
        List<String> o = List.of("--overlay", dir.toString());
        assertEquals(0, run(o, "sh", "-c", "echo kept > /kept").exitCode());
        Result r = run(o, "cat", "/kept");
        assertEquals("kept\n", r.stdout(), r.describe());
        assertTrue(Files.exists(dir.resolve("upper/kept")));
        // The image's directories belong to its root, which only --fakeroot maps: then copy-up works too.
        assertEquals(
                0,
                run(List.of("--overlay", dir.toString(), "--fakeroot"), "sh", "-c", "echo e > /etc/e")
                        .exitCode());
        assertEquals("e\n", run(o, "cat", "/etc/e").stdout());
        Commands.run("rm", "-rf", dir.toString());
    }

    @Test
    void bindsReadOnlyAndReadWriteAtMissingMountPoints() throws IOException {
        Path dir = user.newDir("jsing-starter-bind-");
        Result r = run(
                List.of("--bind", dir.toString(), "/data/rw", "rw", "--bind", dir.toString(), "/data/ro", "ro"),
                "sh",
                "-c",
                "echo a > /data/rw/f && cat /data/ro/f && ! touch /data/ro/g");
        assertEquals(0, r.exitCode(), r.describe());
        assertEquals("a\n", r.stdout());
        assertEquals("a\n", Files.readString(dir.resolve("f")));
        assertFalse(Files.exists(dir.resolve("g")));
        assertEquals(1, run(List.of(), "test", "-e", "/data").exitCode(), "the image is not modified");
        Result missing = run(List.of("--bind", dir + "/nope", "/x", "rw"), "true");
        assertEquals(ExitCodes.NOT_FOUND, missing.exitCode(), missing.describe());
        assertTrue(missing.stderr().startsWith("jsing: error: bind source " + dir + "/nope"), missing.describe());
        Commands.run("rm", "-rf", dir.toString());
    }

    @Test
    void filesReplaceSymlinksAndGeneratedDirIsRemovedBeforeExec() throws IOException {
        Path gen = user.newDir("jsing-starter-gen-");
        Files.writeString(gen.resolve("passwd"), "me:x:1:1::/:/bin/sh\n");
        Files.writeString(gen.resolve("localtime"), "TZ\n");
        user.own(gen);
        Result r = run(
                List.of(
                        "--file",
                        gen + "/passwd",
                        "/etc/passwd",
                        "--file",
                        gen + "/localtime",
                        "/etc/localtime",
                        "--remove-before-exec",
                        gen.toString()),
                "sh",
                "-c",
                "cat /etc/passwd /etc/localtime");
        assertEquals(0, r.exitCode(), r.describe());
        assertEquals("me:x:1:1::/:/bin/sh\nTZ\n", r.stdout());
        assertFalse(Files.exists(gen), "generated files removed once bound");
    }

    @Test
    void generatedDirIsRemovedWhenTheLaunchFails() throws Exception {
        for (String missing : List.of("/nonexistent-overlay-dir", "/nonexistent-bind-src")) {
            Path gen = user.newDir("jsing-starter-gen-");
            Files.writeString(gen.resolve("passwd"), "me:x:1:1::/:/bin/sh\n");
            user.own(gen);
            List<String> failing = missing.contains("overlay")
                    ? List.of("--overlay", missing + "/sub") // fails while the staging root is built
                    : List.of("--bind", missing, "/data", "ro"); // fails while the mounts are made
            List<String> opts = new ArrayList<>(List.of("--file", gen + "/passwd", "/etc/passwd"));
            opts.addAll(failing);
            opts.addAll(List.of("--remove-before-exec", gen.toString()));
            Result r = run(opts, "true");
            assertEquals(ExitCodes.NOT_FOUND, r.exitCode(), missing + ": " + r.describe());
            assertTrue(r.stderr().startsWith("jsing: error: "), r.describe());
            assertEquals(1, r.stderr().lines().count(), "one line: " + r.describe());
            assertFalse(Files.exists(gen), "generated files removed on a failed launch: " + r.describe());
            assertNoLeftovers();
        }
    }

    @Test
    void tmpfsCwdHostnameAndMinimalDev() {
        Result r = run(
                List.of("--tmpfs", "/scratch", "4", "--dev", "minimal", "--cwd", "/scratch", "--uts", "box"),
                "sh",
                "-c",
                "pwd; hostname; echo x > /dev/null && touch f && ls /dev/null /dev/shm f");
        assertEquals(0, r.exitCode(), r.describe());
        assertEquals("/scratch\nbox\n/dev/null\nf\n/dev/shm:\n", r.stdout().replace("\n\n", "\n"), r.describe());
        Result cwd = run(List.of("--cwd", "/nonexistent", "--cwd-required"), "true");
        assertEquals(ExitCodes.LAUNCH_FAILED, cwd.exitCode(), cwd.describe());
    }

    @Test
    void removeAfterExitDeletesTheSandboxOnceTheLastProcessIsGone() throws Exception {
        Path parent = user.newDir("jsing-starter-sandbox-");
        Path sb = parent.resolve("sb");
        Result x = user.run("unsquashfs", "-no-xattrs", "-q", "-d", sb.toString(), image.toString());
        assertEquals(0, x.exitCode(), x.describe());
        Result r = user.run(
                List.of(
                        starter,
                        "--sandbox",
                        sb.toString(),
                        "--remove-after-exit",
                        sb.toString(),
                        "--",
                        "sh",
                        "-c",
                        "echo in; sleep 1 &"),
                Map.of(),
                null,
                Duration.ofSeconds(30));
        assertEquals("in\n", r.stdout(), r.describe());
        assertTrue(Files.exists(sb), "kept while a container process runs");
        for (int i = 0; i < 60 && Files.exists(sb); i++) {
            Thread.sleep(100);
        }
        assertFalse(Files.exists(sb), "sandbox removed after the last container process exited");
        Commands.run("rm", "-rf", parent.toString());
    }

    @Test
    void fakerootMapsRootToTheCaller() throws IOException {
        Result r = run(List.of("--fakeroot", "--proc", "host"), "sh", "-c", "id -u; id -g; cat /proc/self/uid_map");
        assertEquals(0, r.exitCode(), r.describe());
        List<String> l = r.stdout().lines().toList();
        assertEquals("0", l.get(0));
        assertEquals("0", l.get(1));
        assertEquals(
                List.of("0", String.valueOf(user.uid()), "1"),
                Arrays.asList(l.get(2).trim().split("\\s+")));
        String sub = Files.readAllLines(Path.of("/etc/subuid")).stream()
                .filter(x -> x.startsWith(user.name() + ":"))
                .findFirst()
                .orElse(null);
        Prerequisites.require(sub != null, "subordinate ids for " + user.name() + " in /etc/subuid");
        String[] f = sub.split(":");
        Result s = run(
                List.of("--fakeroot", "--subids", f[1], f[2], f[1], f[2], "--proc", "host"),
                "cat",
                "/proc/self/uid_map");
        assertEquals(0, s.exitCode(), s.describe());
        assertTrue(
                s.stdout()
                        .matches("(?s)\\s*0\\s+" + user.uid() + "\\s+1\\s*\n\\s*1\\s+" + f[1] + "\\s+" + f[2]
                                + "\\s*\n"),
                s.describe());
    }

    @Test
    void squashfsAtAnOffsetLikeASifPartition() throws IOException {
        Path dir = user.newDir("jsing-starter-offset-");
        Path sif = dir.resolve("padded.img");
        byte[] pad = new byte[32768];
        Files.write(sif, pad);
        Files.write(sif, Files.readAllBytes(image), java.nio.file.StandardOpenOption.APPEND);
        Commands.ok("chmod", "a+r", sif.toString());
        Result r = user.run(
                List.of(
                        starter,
                        "--squashfs",
                        sif.toString(),
                        "32768",
                        "--squashfuse",
                        SQUASHFUSE,
                        "--",
                        "cat",
                        "/etc/hostname"),
                Map.of(),
                null,
                Duration.ofSeconds(30));
        assertEquals("busybox-image\n", r.stdout(), r.describe());
        Result bad = user.run(
                List.of(starter, "--squashfs", sif.toString(), "0", "--squashfuse", SQUASHFUSE, "--", "true"),
                Map.of(),
                null,
                Duration.ofSeconds(30));
        assertEquals(ExitCodes.LAUNCH_FAILED, bad.exitCode(), bad.describe());
        assertTrue(bad.stderr().startsWith("jsing: error: " + SQUASHFUSE + " could not serve"), bad.describe());
        Commands.run("rm", "-rf", dir.toString());
    }

    @Test
    void pidNamespaceRunsThePayloadUnderTheInitAndPassesStatusAndSignals() throws Exception {
        // PID 1 is the init (init.c), the payload PID 2; with --no-init the payload is PID 1 (PidInitIT: the rest)
        Result r = run(List.of("--pid", "--proc", "new"), "sh", "-c", "echo $$; test -e /proc/3 || echo alone; exit 7");
        assertEquals(7, r.exitCode(), r.describe());
        assertEquals("2\nalone\n", r.stdout(), r.describe());
        Result n = run(
                List.of("--pid", "--no-init", "--proc", "new"),
                "sh",
                "-c",
                "echo $$; test -e /proc/2 || echo alone; exit 7");
        assertEquals(7, n.exitCode(), n.describe());
        assertEquals("1\nalone\n", n.stdout(), n.describe());
        Result t = sh(
                cmd(List.of("--pid", "--proc", "new"), "sh", "-c", "trap 'exit 9' TERM; while :; do sleep 0.05; done")
                        + " & pid=$!; sleep 0.5; kill -TERM $pid; wait $pid;"
                        + " echo rc=$?");
        assertTrue(t.stdout().contains("rc=9"), t.describe());
        assertNoLeftovers();
    }

    @Test
    void commandNotFoundAndNotExecutable() {
        Result nf = run(List.of(), "no-such-command");
        assertEquals(127, nf.exitCode(), nf.describe());
        assertEquals("jsing: error: no-such-command: command not found in container\n", nf.stderr());
        Result ne = run(List.of(), "/etc/passwd");
        assertEquals(126, ne.exitCode(), ne.describe());
    }

    @Test
    void badStarterArgvIsUsage() {
        Result r = user.run(starter, "--bogus");
        assertEquals(ExitCodes.USAGE, r.exitCode(), r.describe());
        Result img =
                user.run(starter, "--squashfs", "/nonexistent.sqfs", "0", "--squashfuse", SQUASHFUSE, "--", "true");
        assertEquals(ExitCodes.NOT_FOUND, img.exitCode(), img.describe());
        Result sf =
                user.run(starter, "--squashfs", image.toString(), "0", "--squashfuse", "/nonexistent", "--", "true");
        assertEquals(ExitCodes.UNAVAILABLE, sf.exitCode(), sf.describe());
    }

    @Test
    void selfCheck() {
        Result r = user.run(starter, "--check");
        assertEquals(0, r.exitCode(), r.describe());
        assertEquals("userns: ok\nfuse: ok\noverlayfs: ok\n", r.stdout());
    }

    @Test
    void refusesToRunSetuidOrSetgid() throws Exception {
        Prerequisites.requireRoot("to make a setuid copy of the starter");
        Path dir = Files.createTempDirectory(Path.of("/tmp"), "jsing-suid-");
        try {
            Path copy = dir.resolve("jsing-starter");
            Files.copy(Path.of(starter), copy);
            Commands.ok("chmod", "755", dir.toString());
            for (String mode : List.of("4755", "2755")) {
                Commands.ok("chmod", mode, copy.toString());
                Result r = user.run(
                        List.of(
                                copy.toString(),
                                "--squashfs",
                                image.toString(),
                                "0",
                                "--squashfuse",
                                SQUASHFUSE,
                                "--",
                                "id"),
                        Map.of(),
                        null,
                        Duration.ofSeconds(30));
                assertEquals(ExitCodes.LAUNCH_FAILED, r.exitCode(), mode + ": " + r.describe());
                assertTrue(r.stderr().contains("must not be setuid or setgid"), r.describe());
                assertEquals("", r.stdout());
            }
        } finally {
            Commands.run("rm", "-rf", dir.toString());
        }
    }
}
