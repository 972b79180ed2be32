package dev.jsing.runner.launch;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jsing.runner.testing.Commands;
import dev.jsing.runner.testing.MinbaseImage;
import dev.jsing.runner.testing.Prerequisites;
import dev.jsing.runner.testing.Result;
import dev.jsing.runner.testing.TestDist;
import dev.jsing.runner.testing.TestUser;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Escape probes (issue #17), as the unprivileged test user, against an image made hostile by root: a setuid-root and
 * a file-capability copy of busybox, device nodes (null, mem, a disk) outside /dev. Pins what held in the probe
 * campaign: privileged binaries gain nothing, device nodes are unusable, NoNewPrivs is set and every capability set
 * but the bounding one is empty, the payload has only the caller's fds, the starter is not writable from inside, and
 * a second unprivileged user's files and processes stay out of reach. Each runs for the squashfs image and for the
 * same tree as a sandbox (a directory made by root). What HostileImageIT pins (symlinks steering mount points, FIFOs
 * as images) is not repeated here.
 */
class EscapeProbeIT {
    static TestUser user;
    static String other;
    static Path work;
    static Path tmp;
    static Path sandbox;
    static Path squashfs;
    static Path secretDir;
    static Process otherProcess;

    @BeforeAll
    static void setUp() throws Exception {
        user = TestUser.get();
        Prerequisites.requireRoot("to make setuid, setcap and device files in the image, and a second user's files");
        other = System.getenv().getOrDefault("JSING_TEST_OTHER_USER", "jsingother");
        Prerequisites.require(
                Commands.run("id", "-u", other).exitCode() == 0,
                "a second unprivileged user " + other + " (scripts/setup-host.sh --test)");
        Prerequisites.require(Commands.run("sh", "-c", "command -v setcap").exitCode() == 0, "setcap (libcap2-bin)");
        work = user.newDir("jsing-reliab-escape-");
        tmp = work.resolve("tmp");
        Commands.ok("mkdir", "-p", tmp.toString());
        user.own(tmp);

        sandbox = work.resolve("hostile");
        Commands.ok(
                "unsquashfs",
                "-q",
                "-n",
                "-d",
                sandbox.toString(),
                MinbaseImage.busybox().toString());
        String s = sandbox.toString();
        Commands.ok(
                "sh",
                "-c",
                "set -e; cd \"$1\"; cp bin/busybox bin/busybox.suid; chown 0:0 bin/busybox.suid; chmod 6755 bin/busybox.suid;"
                        + " cp bin/busybox bin/busybox.cap; setcap cap_sys_admin,cap_dac_override,cap_kill+eip bin/busybox.cap;"
                        + " mkdir -p opt; mknod -m 666 opt/null c 1 3; mknod -m 666 opt/mem c 1 1;"
                        + " mknod -m 666 opt/disk b 8 0; chmod 755 opt",
                "sh",
                s);
        squashfs = work.resolve("hostile.sqfs");
        Commands.ok("mksquashfs", s, squashfs.toString(), "-quiet", "-noappend");
        Commands.ok("chmod", "a+r", squashfs.toString());

        // the other user's secret, in a 0700 directory of theirs under the host's /tmp (bound into every container)
        secretDir = Path.of(
                Commands.ok("mktemp", "-d", "/tmp/jsing-reliab-other-XXXXXX").trim());
        Commands.ok("sh", "-c", "echo top-secret > \"$1/secret\"; chmod 600 \"$1/secret\"", "sh", secretDir.toString());
        Commands.ok("chown", "-R", other + ":" + other, secretDir.toString());
        Commands.ok("chmod", "700", secretDir.toString());
        // and a process of theirs
        otherProcess = new ProcessBuilder(
                        "setpriv", "--reuid=" + other, "--regid=" + other, "--init-groups", "--", "sleep", "300")
                .redirectErrorStream(true)
                .start();
    }

    @AfterAll
    static void tearDown() {
        if (otherProcess != null) {
            otherProcess.destroyForcibly();
        }
        if (secretDir != null) {
            Commands.run("rm", "-rf", secretDir.toString());
        }
        if (work != null) {
            Commands.run("rm", "-rf", work.toString());
        }
    }

    static List<Path> images() {
        return List.of(squashfs, sandbox);
    }

    /** Runs a shell script inside {@code image} as the test user. */
    static Result inside(Path image, String script) {
        return user.run(
                TestDist.jsing("exec", image.toString(), "/bin/sh", "-c", script),
                Map.of("JSING_TMPDIR", tmp.toString()),
                work,
                Duration.ofMinutes(2));
    }

    static Map<String, String> status(String text) {
        Map<String, String> m = new TreeMap<>();
        for (String line : text.split("\n")) {
            int c = line.indexOf(':');
            if (c > 0) {
                m.put(line.substring(0, c), line.substring(c + 1).trim());
            }
        }
        return m;
    }

    /** NoNewPrivs is set, the effective, permitted, inheritable and ambient sets are empty, for every process. */
    @Test
    void noNewPrivsAndNoCapabilities() {
        for (Path img : images()) {
            Result r = inside(img, "cat /proc/self/status");
            assertEquals(0, r.exitCode(), r.describe());
            Map<String, String> st = status(r.stdout());
            assertEquals("1", st.get("NoNewPrivs"), img + ": " + r.stdout());
            for (String set : List.of("CapEff", "CapPrm", "CapInh", "CapAmb")) {
                assertEquals("0000000000000000", st.get(set), img + ": " + set + " in " + r.stdout());
            }
            String ids = user.uid() + "\t" + user.uid() + "\t" + user.uid() + "\t" + user.uid();
            assertEquals(ids, st.get("Uid"), "the user inside is the user outside: " + r.stdout());
        }
    }

    /** A setuid-root binary of the image runs as the user (no root, no saved root uid, no capability). */
    @Test
    void setuidBinaryGainsNothing() {
        for (Path img : images()) {
            Result r = inside(
                    img, "ls -ln /bin/busybox.suid; /bin/busybox.suid cat /proc/self/status; /bin/busybox.suid id -u");
            assertEquals(0, r.exitCode(), r.describe());
            assertTrue(r.stdout().startsWith("-rws"), "the probe binary is setuid in the image: " + r.stdout());
            Map<String, String> st = status(r.stdout());
            String ids = user.uid() + "\t" + user.uid() + "\t" + user.uid() + "\t" + user.uid();
            assertEquals(ids, st.get("Uid"), img + ": " + r.stdout());
            assertEquals("0000000000000000", st.get("CapEff"), img + ": " + r.stdout());
            assertTrue(r.stdout().endsWith("\n" + user.uid() + "\n"), img + ": " + r.stdout());
        }
    }

    /**
     * A binary with file capabilities in the image gets none of them: the kernel refuses to run it (EOVERFLOW: its
     * capabilities belong to a root not mapped in the user namespace), or it runs with none.
     */
    @Test
    void fileCapabilitiesGainNothing() throws Exception {
        assertTrue(
                Commands.ok("getcap", sandbox.resolve("bin/busybox.cap").toString())
                        .contains("cap_sys_admin"),
                "the probe binary carries file capabilities");
        for (Path img : images()) {
            Result r = inside(img, "/bin/busybox.cap cat /proc/self/status");
            if (r.exitCode() == 126) {
                assertTrue(r.stderr().contains("Value too large"), r.describe());
                continue;
            }
            assertEquals(0, r.exitCode(), r.describe());
            Map<String, String> st = status(r.stdout());
            for (String set : List.of("CapEff", "CapPrm")) {
                assertEquals("0000000000000000", st.get(set), img + ": " + set + " in " + r.stdout());
            }
        }
    }

    /** Device nodes in the image cannot be opened; the payload cannot make new ones. */
    @Test
    void imageDeviceNodesAreUnusable() {
        for (Path img : images()) {
            Result r = inside(
                    img,
                    "ls -l /opt/null | grep -q '^c' || exit 9;"
                            + " for d in null mem disk; do"
                            + "   if echo x 2>/dev/null > /opt/$d; then echo wrote-$d; fi;"
                            + "   if head -c1 /opt/$d >/dev/null 2>&1; then echo read-$d; fi;"
                            + " done;"
                            + " mknod /tmp/newdev c 1 3 2>/dev/null && echo made-dev; exit 0");
            assertEquals(0, r.exitCode(), img + ": " + r.describe());
            assertEquals("", r.stdout(), img + ": a device node was usable: " + r.describe());
        }
    }

    /** The payload has stdio and the caller's own fd 7, nothing of jsing's (image, /dev/fuse, jars, pipes). */
    @Test
    void payloadSeesOnlyTheCallersFds() {
        for (Path img : images()) {
            String jsing = TestDist.jsing();
            Result r = user.run(
                    List.of(
                            "/bin/sh",
                            "-c",
                            "exec 7<\"$1\"; JSING_TMPDIR=\"$2\" " + jsing + " exec \"$3\" /bin/sh -c"
                                    + " 'ls -l /proc/$$/fd'",
                            "sh",
                            "/etc/hostname",
                            tmp.toString(),
                            img.toString()),
                    Map.of(),
                    work,
                    Duration.ofMinutes(2));
            assertEquals(0, r.exitCode(), r.describe());
            List<String> fds = new ArrayList<>();
            for (String line : r.stdout().split("\n")) {
                int arrow = line.indexOf(" -> ");
                if (arrow < 0) {
                    continue; // "total 0"
                }
                String[] before = line.substring(0, arrow).trim().split("\\s+");
                String fd = before[before.length - 1];
                if (Integer.parseInt(fd) <= 2) {
                    continue; // stdio: the test's pipes
                }
                fds.add(fd);
                assertFalse(
                        line.contains("fuse")
                                || line.contains(".jar")
                                || line.contains(img.toString())
                                || line.contains("pipe:")
                                || line.contains("socket:"),
                        img + ": jsing's fd reached the payload: " + line + "\n" + r.stdout());
            }
            assertEquals(List.of("7"), fds, img + ": " + r.stdout());
            assertTrue(r.stdout().contains("7 -> /etc/hostname"), r.stdout());
        }
    }

    /**
     * The installed starter (its installation bound in) cannot be written, removed or renamed from inside,
     * nor the binary of any process up the payload's ancestry (starter, squashfuse, the caller's shell).
     */
    @Test
    void starterIsNotWritableFromInside() {
        Path starter = Path.of("/mnt/libexec/jsing/jsing-starter");
        for (Path img : images()) {
            Result r = user.run(
                    TestDist.jsing(
                            "exec",
                            "-B",
                            TestDist.prefix() + ":/mnt",
                            img.toString(),
                            "/bin/sh",
                            "-c",
                            "S=" + starter
                                    + "; test -x \"$S\" || exit 9; echo x 2>/dev/null >> \"$S\" && echo wrote; rm -f \"$S\" 2>/dev/null"
                                    + " && echo removed; mv \"$S\" \"$S.x\" 2>/dev/null && echo moved;"
                                    + " p=$$; while [ \"$p\" -gt 1 ] 2>/dev/null; do [ -w /proc/$p/exe ] && echo \"$p exe writable\";"
                                    + " p=$(awk '/^PPid:/ {print $2}' /proc/$p/status 2>/dev/null); done; exit 0"),
                    Map.of("JSING_TMPDIR", tmp.toString()),
                    work,
                    Duration.ofMinutes(2));
            assertEquals(0, r.exitCode(), img + ": " + r.describe());
            assertEquals("", r.stdout(), img + ": " + r.describe());
        }
    }

    /** A second unprivileged user's 0700 directory and 0600 file stay unreadable, also bound in explicitly. */
    @Test
    void anotherUsersFilesStayOutOfReach() {
        for (Path img : images()) {
            Result r = inside(
                    img,
                    "cat " + secretDir + "/secret 2>/dev/null && echo read; ls " + secretDir
                            + " 2>/dev/null && echo listed; echo x 2>/dev/null > " + secretDir
                            + "/new && echo wrote; exit 0");
            assertEquals(0, r.exitCode(), r.describe());
            assertEquals("", r.stdout(), img + ": " + r.describe());
            Result b = user.run(
                    TestDist.jsing(
                            "exec",
                            "-B",
                            secretDir + ":/mnt",
                            img.toString(),
                            "/bin/sh",
                            "-c",
                            "cat /mnt/secret 2>/dev/null && echo read; exit 0"),
                    Map.of("JSING_TMPDIR", tmp.toString()),
                    work,
                    Duration.ofMinutes(2));
            assertFalse(b.stdout().contains("read") || b.stdout().contains("top-secret"), b.describe());
        }
        assertEquals(
                "top-secret\n", Commands.ok("cat", secretDir.resolve("secret").toString()));
    }

    /** A second user's process can be seen (shared PID namespace) but not signalled, traced or read. */
    @Test
    void anotherUsersProcessesStayOutOfReach() {
        long pid = otherProcess.pid();
        assertTrue(otherProcess.isAlive());
        for (Path img : images()) {
            Result r = inside(
                    img,
                    "P=" + pid + "; test -d /proc/$P || exit 9;"
                            + " kill -0 $P 2>/dev/null && echo signalled;"
                            + " cat /proc/$P/environ >/dev/null 2>&1 && echo environ;"
                            + " ls /proc/$P/root/ >/dev/null 2>&1 && echo root;"
                            + " head -c1 /proc/$P/mem >/dev/null 2>&1 && echo mem;"
                            + " ls /proc/$P/fd >/dev/null 2>&1 && echo fds; exit 0");
            assertEquals(0, r.exitCode(), img + ": " + r.describe());
            assertEquals("", r.stdout(), img + ": " + r.describe());
        }
        assertTrue(otherProcess.isAlive(), "the other user's process was killed");
    }

    /**
     * As root of its user namespace ({@code --fakeroot}), the payload still reaches nothing of the host: NoNewPrivs is
     * set, image device nodes stay unusable, another user's file, directory and process stay out of reach, the starter
     * stays unwritable.
     */
    @Test
    void fakerootReachesNothingOfTheHost() {
        long pid = otherProcess.pid();
        for (Path img : images()) {
            Result r = user.run(
                    TestDist.jsing(
                            "exec",
                            "--fakeroot",
                            "-B",
                            TestDist.prefix() + ":/mnt",
                            img.toString(),
                            "/bin/sh",
                            "-c",
                            "id -u; grep '^NoNewPrivs:' /proc/self/status;"
                                    + " for d in null mem disk; do echo x 2>/dev/null > /opt/$d && echo wrote-$d;"
                                    + " head -c1 /opt/$d >/dev/null 2>&1 && echo read-$d; done;"
                                    + " mknod /tmp/jsing-reliab-fr-dev c 1 3 2>/dev/null && echo made-dev;"
                                    + " cat " + secretDir + "/secret 2>/dev/null && echo read-secret;"
                                    + " ls " + secretDir + " >/dev/null 2>&1 && echo listed-secret;"
                                    + " kill -0 " + pid + " 2>/dev/null && echo signalled;"
                                    + " cat /proc/" + pid + "/environ >/dev/null 2>&1 && echo environ;"
                                    + " S=/mnt/libexec/jsing/jsing-starter; test -x $S || echo no-starter;"
                                    + " echo x 2>/dev/null >> $S && echo wrote-starter; exit 0"),
                    Map.of("JSING_TMPDIR", tmp.toString()),
                    work,
                    Duration.ofMinutes(2));
            assertEquals(0, r.exitCode(), img + ": " + r.describe());
            assertEquals("0\nNoNewPrivs:\t1\n", r.stdout(), img + ": " + r.describe());
        }
        assertTrue(otherProcess.isAlive(), "the other user's process was killed");
    }
}
