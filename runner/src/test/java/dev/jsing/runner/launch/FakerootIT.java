package dev.jsing.runner.launch;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jsing.runner.testing.Commands;
import dev.jsing.runner.testing.MinbaseImage;
import dev.jsing.runner.testing.Prerequisites;
import dev.jsing.runner.testing.Result;
import dev.jsing.runner.testing.Siftool;
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
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * {@code --fakeroot} at run time, as the unprivileged test user on a busybox SIF: uid 0 inside mapped to the caller,
 * the caller's {@code /etc/subuid} range for the other ids, the single-id mapping with its warning otherwise, and what
 * the container sees (id, HOME, USER, root's passwd line, the host home at /root), and how such launches replay.
 */
class FakerootIT {
    static TestUser user;
    static Path work;
    static Path sif;
    static String[] subuid;

    @BeforeAll
    static void image() throws IOException {
        user = TestUser.get();
        work = user.newDir("jsing-fakeroot-it-");
        sif = work.resolve("busybox.sif");
        Siftool.primarySif(sif, MinbaseImage.busybox());
        Commands.ok("chmod", "a+r", sif.toString());
        user.own(work);
        user.sh("touch \"$HOME/" + marker() + "\"");
        subuid = Files.readAllLines(Path.of("/etc/subuid")).stream()
                .filter(l -> l.startsWith(user.name() + ":"))
                .findFirst()
                .map(l -> l.split(":"))
                .orElse(null);
    }

    @AfterAll
    static void cleanup() {
        if (work != null) {
            Commands.run("rm", "-rf", work.toString());
        }
        if (user != null) {
            user.sh("rm -f \"$HOME/" + marker() + "\"");
        }
    }

    static Result jsing(Map<String, String> env, String... args) {
        return user.run(TestDist.jsing(args), env, work, Duration.ofMinutes(2));
    }

    static Result jsing(String... args) {
        return jsing(Map.of(), args);
    }

    private static void requireSubuid() {
        Prerequisites.require(subuid != null, "subordinate ids for " + user.name() + " in /etc/subuid");
    }

    /** Pins uid/gid 0 inside, HOME=/root (the host home mounted there), USER as on the host, root's passwd line. */
    @Test
    void theCallerIsRootInsideWithRootsHome() {
        requireSubuid();
        Result r = jsing(
                "exec",
                "--fakeroot",
                sif.toString(),
                "sh",
                "-c",
                "id -u; id -g; id -un; echo $HOME; echo $USER; grep ^root: /etc/passwd; stat -c %u:%g /root;"
                        + " ls -d /root/" + marker());
        assertEquals(0, r.exitCode(), r.describe());
        assertEquals(
                List.of(
                        "0",
                        "0",
                        "root",
                        "/root",
                        user.name(),
                        "root:x:0:0:root:/root:/bin/sh",
                        "0:0",
                        "/root/" + marker()),
                r.stdout().lines().toList(),
                r.describe());
        assertEquals("", r.stderr(), "no warning with subordinate ids: " + r.describe());
        // Without --fakeroot the same image shows the caller as themselves.
        Result plain = jsing("exec", sif.toString(), "id", "-u");
        assertEquals(String.valueOf(user.uid()), plain.stdout().trim(), plain.describe());
    }

    /** A file in the user's home, for the home-at-/root check. */
    private static String marker() {
        return ".jsing-fakeroot-it-marker";
    }

    /**
     * Pins Apptainer's rule for a writable root: root keeps the image's own /etc/passwd (no generated file is mounted
     * over it), so a package manager can add a user to it; read-only, or not root, the generated one is mounted
     * (a copy of the session's: edits to it are not kept).
     */
    @Test
    void writableRootKeepsTheImagesPasswd() {
        requireSubuid();
        String script = "grep -c ' /etc/passwd ' /proc/self/mountinfo;"
                + " echo 'svc:x:5:5::/:/bin/sh' >> /etc/passwd 2>/dev/null && id -u svc || echo cannot";
        Result rw = jsing("exec", "--fakeroot", "--writable-tmpfs", sif.toString(), "sh", "-c", script);
        assertEquals(List.of("0", "5"), rw.stdout().lines().toList(), rw.describe());
        Result ro =
                jsing("exec", "--fakeroot", sif.toString(), "sh", "-c", "grep -c ' /etc/passwd ' /proc/self/mountinfo");
        assertEquals("1\n", ro.stdout(), ro.describe());
        Result caller = jsing(
                "exec", "--writable-tmpfs", sif.toString(), "sh", "-c", "grep -c ' /etc/passwd ' /proc/self/mountinfo");
        assertEquals("1\n", caller.stdout(), caller.describe());
    }

    /** Pins the maps: 0 to the caller, 1.. to the /etc/subuid and /etc/subgid ranges (set up with newuidmap). */
    @Test
    void subordinateIdsAreMappedAndUsable() {
        requireSubuid();
        Result r = jsing(
                "exec",
                "-f",
                sif.toString(),
                "sh",
                "-c",
                "cat /proc/self/uid_map; touch /tmp/jsing-fakeroot-it-$$ && chown 1:1 /tmp/jsing-fakeroot-it-$$"
                        + " && stat -c %u /tmp/jsing-fakeroot-it-$$; rm -f /tmp/jsing-fakeroot-it-$$");
        assertEquals(0, r.exitCode(), r.describe());
        List<String> l = r.stdout().lines().toList();
        assertEquals(
                List.of("0", String.valueOf(user.uid()), "1"),
                List.of(l.get(0).trim().split("\\s+")));
        assertEquals(List.of("1", subuid[1], subuid[2]), List.of(l.get(1).trim().split("\\s+")));
        assertEquals("1", l.get(2), "chown to uid 1 inside works: " + r.describe());
    }

    /** Pins the single-id mapping (--ignore-subuid, as if there were no range) and its one warning line. */
    @Test
    void withoutSubordinateIdsOnlyTheCallerIsMappedWithAWarning() {
        Result r = jsing(
                "exec",
                "--fakeroot",
                "--ignore-subuid",
                sif.toString(),
                "sh",
                "-c",
                "id -u; cat /proc/self/uid_map | wc -l; touch /tmp/jsing-fakeroot-it-$$;"
                        + " chown 1:1 /tmp/jsing-fakeroot-it-$$ 2>/dev/null && echo chowned || echo refused;"
                        + " rm -f /tmp/jsing-fakeroot-it-$$");
        assertEquals(0, r.exitCode(), r.describe());
        assertEquals(List.of("0", "1", "refused"), r.stdout().lines().toList(), r.describe());
        assertEquals(1, r.stderr().lines().count(), r.describe());
        assertTrue(
                r.stderr()
                        .startsWith("jsing: warning: --fakeroot: --ignore-subuid given: only your own id is mapped"
                                + " (to root)"),
                r.describe());
        // -q silences it; the launch is the same.
        Result q = user.run(
                List.of(TestDist.jsing(), "-q", "exec", "-f", "--ignore-subuid", sif.toString(), "id", "-u"),
                Map.of(),
                work,
                Duration.ofMinutes(2));
        assertEquals("0\n", q.stdout(), q.describe());
        assertEquals("", q.stderr(), q.describe());
    }

    /** Pins Apptainer's keys: APPTAINER_FAKEROOT and APPTAINER_IGNORE_SUBUID set the options. */
    @Test
    void apptainerEnvironmentKeysSetFakeroot() {
        Result r = jsing(
                Map.of("APPTAINER_FAKEROOT", "1", "APPTAINER_IGNORE_SUBUID", "true"),
                "exec",
                sif.toString(),
                "id",
                "-u");
        assertEquals("0\n", r.stdout(), r.describe());
        assertTrue(r.stderr().contains("--ignore-subuid given"), r.describe());
    }

    /**
     * Pins how fakeroot launches take the fast path: with subordinate ids the second launch replays (the starter runs
     * newuidmap again, so the maps are the same), and a stale /etc/subuid would be seen (the file's stamp is part of
     * the entry); a launch that warned is never recorded, so each one is a full launch that warns again.
     */
    @Test
    void fakerootLaunchesReplayWithTheirMapsOrAreFullLaunches() throws IOException {
        requireSubuid();
        Path d = work.resolve("replay");
        Files.createDirectories(d);
        user.own(d);
        Map<String, String> trace = Map.of("JSING_FAST_TRACE", "1");
        List<String> argv = new ArrayList<>(TestDist.jsing("exec", "--fakeroot", sif.toString()));
        argv.addAll(List.of("sh", "-c", "id -u; cat /proc/self/uid_map /proc/self/gid_map; echo $HOME"));
        Result full = user.run(argv, trace, d, Duration.ofMinutes(2));
        assertEquals(0, full.exitCode(), full.describe());
        assertTrue(full.stderr().startsWith("jsing: replay: full launch: "), full.describe());
        Result fast = user.run(argv, trace, d, Duration.ofMinutes(2));
        assertEquals(0, fast.exitCode(), fast.describe());
        assertTrue(fast.stderr().matches("(?s)jsing: replay: [0-9a-f]{16}\n.*"), "a replay: " + fast.describe());
        assertEquals(full.stdout(), fast.stdout());
        assertTrue(fast.stdout().contains(subuid[1]), "subordinate ids mapped on the replay: " + fast.describe());

        Map<String, String> warnEnv = new LinkedHashMap<>(trace);
        warnEnv.put("APPTAINER_IGNORE_SUBUID", "1");
        for (int i = 0; i < 2; i++) {
            Result w = user.run(argv, warnEnv, d, Duration.ofMinutes(2));
            assertEquals(0, w.exitCode(), w.describe());
            assertTrue(w.stderr().contains("jsing: warning: --fakeroot"), w.describe());
            assertFalse(w.stderr().matches("(?s)jsing: replay: [0-9a-f]{16}\n.*"), "not a replay: " + w.describe());
            assertNotEquals(full.stdout(), w.stdout(), "a single-id map: " + w.describe());
        }
    }
}
