package dev.jsing.runner.launch;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jsing.runner.error.ExitCodes;
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
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * {@code --writable} on sandbox directories and the size of {@code --writable-tmpfs}, as the unprivileged test user:
 * changes land in a sandbox the user owns; a SIF and someone else's sandbox are refused with one line; the
 * writable-tmpfs layer is exactly its size ({@code --tmpfs-size}, else the configuration's {@code sessiondir max
 * size}, 64 MiB by default), a full one is ENOSPC and {@code df /} names the option; and {@code apt-get install} under
 * {@code --fakeroot --writable} in a Debian sandbox.
 */
class WritableIT {
    static TestUser user;
    static Path work;
    static Path sif;
    static Path sandbox;

    @BeforeAll
    static void images() throws IOException {
        user = TestUser.get();
        work = user.newDir("jsing-writable-it-");
        sif = work.resolve("busybox.sif");
        Siftool.primarySif(sif, MinbaseImage.busybox());
        Commands.ok("chmod", "a+r", sif.toString());
        user.own(work);
        sandbox = work.resolve("box");
        Result r = user.run(
                "unsquashfs",
                "-q",
                "-n",
                "-d",
                sandbox.toString(),
                MinbaseImage.busybox().toString());
        assertEquals(0, r.exitCode(), r.describe());
    }

    @AfterAll
    static void cleanup() {
        if (work != null) {
            Commands.run("rm", "-rf", work.toString());
        }
    }

    static Result jsing(Map<String, String> env, String... args) {
        return user.run(TestDist.jsing(args), env, work, Duration.ofMinutes(5));
    }

    static Result jsing(String... args) {
        return jsing(Map.of(), args);
    }

    /** Pins that --writable writes into the sandbox itself (seen on the host and by the next launch). */
    @Test
    void writableSandboxKeepsItsChanges() throws IOException {
        Result ro = jsing("exec", sandbox.toString(), "touch", "/ro-attempt");
        assertNotEquals(0, ro.exitCode(), "read-only without --writable: " + ro.describe());
        assertTrue(Files.notExists(sandbox.resolve("ro-attempt")));

        Result w = jsing("exec", "--writable", sandbox.toString(), "sh", "-c", "echo kept > /etc/jsing-writable-it");
        assertEquals(0, w.exitCode(), w.describe());
        Path f = sandbox.resolve("etc/jsing-writable-it");
        assertEquals("kept\n", Files.readString(f));
        assertEquals(user.uid(), (Integer) Files.getAttribute(f, "unix:uid"), "the caller's file on the host");
        Result next = jsing("exec", sandbox.toString(), "cat", "/etc/jsing-writable-it");
        assertEquals("kept\n", next.stdout(), next.describe());
        Result env =
                jsing(Map.of("APPTAINER_WRITABLE", "1"), "exec", sandbox.toString(), "rm", "/etc/jsing-writable-it");
        assertEquals(0, env.exitCode(), "APPTAINER_WRITABLE: " + env.describe());
        assertTrue(Files.notExists(f));
    }

    /** Pins the refusals: a SIF, someone else's sandbox, and --writable with --writable-tmpfs, one line each. */
    @Test
    void writableIsRefusedWhereItCannotWork() throws IOException {
        Result s = jsing("exec", "-w", sif.toString(), "true");
        assertEquals(ExitCodes.USAGE, s.exitCode(), s.describe());
        assertEquals(1, s.stderr().lines().count(), s.describe());
        assertTrue(
                s.stderr()
                        .startsWith("jsing: error: --writable: " + sif + " is a read-only SIF image; use"
                                + " --writable-tmpfs"),
                s.describe());

        Path foreign = Files.createDirectories(work.resolve("roots-box")); // created by the test JVM: root's
        Commands.ok("cp", "-a", sandbox.resolve("bin").toString(), foreign.toString());
        Commands.ok("chown", "-R", "root:root", foreign.toString());
        Prerequisites.require(
                !Integer.valueOf(user.uid()).equals(Files.getAttribute(foreign, "unix:uid")),
                "a directory not owned by " + user.name() + " (the test JVM runs as root)");
        Result f = jsing("exec", "--writable", foreign.toString(), "true");
        assertEquals(ExitCodes.CANT_CREATE, f.exitCode(), f.describe());
        assertEquals(
                "jsing: error: --writable: sandbox " + foreign + " belongs to uid 0, not to you (uid " + user.uid()
                        + ")\n",
                f.stderr());

        Result both = jsing("exec", "--writable", "--writable-tmpfs", sandbox.toString(), "true");
        assertEquals(ExitCodes.USAGE, both.exitCode(), both.describe());
        assertTrue(both.stderr().contains("excludes --writable-tmpfs"), both.describe());
    }

    /** The writable-tmpfs layer's size in MiB as the payload sees it (statfs of /), and the root's mount source. */
    private static String layer(Map<String, String> env, String... options) {
        List<String> argv = new java.util.ArrayList<>(List.of("exec", "--writable-tmpfs"));
        argv.addAll(List.of(options));
        argv.addAll(List.of(
                sif.toString(),
                "sh",
                "-c",
                "echo $(( $(stat -f -c '%b * %S' /) / 1048576 ));"
                        + " awk '$5 == \"/\" { print $0 }' /proc/self/mountinfo | sed 's/.* - overlay //;s/ .*//'"));
        Result r = jsing(env, argv.toArray(new String[0]));
        assertEquals(0, r.exitCode(), r.describe());
        return r.stdout();
    }

    /** Pins the layer's size: 64 MiB by default, --tmpfs-size, APPTAINER_TMPFS_SIZE, the config's sessiondir size. */
    @Test
    void writableTmpfsHasItsConfiguredSize() throws IOException {
        String name = "jsing-writable-tmpfs(--tmpfs-size)";
        assertEquals("64\n" + name + "\n", layer(Map.of()));
        assertEquals("200\n" + name + "\n", layer(Map.of(), "--tmpfs-size", "200"));
        assertEquals("96\n" + name + "\n", layer(Map.of("APPTAINER_TMPFS_SIZE", "96")));
        Path conf = work.resolve("sessiondir.yaml");
        Files.writeString(conf, "sessiondir-max-size: 128\n");
        Commands.ok("chmod", "a+r", conf.toString());
        assertEquals("128\n" + name + "\n", layer(Map.of("JSING_CONFIG", conf.toString())));
        assertEquals("32\n" + name + "\n", layer(Map.of("JSING_CONFIG", conf.toString()), "--tmpfs-size", "32"));

        Result alone = jsing("exec", "--tmpfs-size", "100", sif.toString(), "true");
        assertEquals(ExitCodes.USAGE, alone.exitCode(), alone.describe());
        assertEquals("jsing: error: --tmpfs-size sizes --writable-tmpfs's layer: give both\n", alone.stderr());
        Result bad = jsing("exec", "--writable-tmpfs", "--tmpfs-size", "1G", sif.toString(), "true");
        assertEquals(ExitCodes.USAGE, bad.exitCode(), bad.describe());
        assertTrue(bad.stderr().contains("'1G' is not a size in MiB"), bad.describe());
    }

    /** Pins that the limit is enforced: 80 MiB do not fit the default layer (ENOSPC), and do fit 128 MiB. */
    @Test
    void aFullWritableTmpfsIsNoSpaceAndABiggerOneFits() {
        String write = "dd if=/dev/zero of=/big bs=1M count=80 2>&1; echo rc=$?";
        Result full = jsing("exec", "--writable-tmpfs", sif.toString(), "sh", "-c", write);
        assertTrue(full.stdout().contains("No space left on device"), full.describe());
        assertTrue(full.stdout().trim().endsWith("rc=1"), full.describe());
        Result fits = jsing("exec", "--writable-tmpfs", "--tmpfs-size", "128", sif.toString(), "sh", "-c", write);
        assertTrue(fits.stdout().trim().endsWith("rc=0"), fits.describe());
    }

    /**
     * Pins {@code apt-get install} under {@code --fakeroot --writable} in a Debian sandbox (bookworm minbase, the
     * test image cache's): a local package whose maintainer script adds a system user and chowns a directory to it, so
     * it needs root inside, the image's own passwd (useradd edits it) and the subordinate ids (the new user's uid).
     */
    @Test
    void aptGetInstallWorksUnderFakerootWritable() throws IOException {
        String[] sub = Files.readAllLines(Path.of("/etc/subuid")).stream()
                .filter(l -> l.startsWith(user.name() + ":"))
                .findFirst()
                .map(l -> l.split(":"))
                .orElse(null);
        Prerequisites.require(sub != null, "subordinate ids for " + user.name() + " in /etc/subuid");
        // Extracted by the test JVM (the image has device nodes in /dev, which only root can create), then given to the
        // user: every file is the user's, root's inside.
        Path debian = work.resolve("debian");
        Result x = Commands.run(
                List.of(
                        "unsquashfs",
                        "-q",
                        "-n",
                        "-no-xattrs",
                        "-d",
                        debian.toString(),
                        MinbaseImage.minbase().toString()),
                null,
                null,
                Duration.ofMinutes(10));
        assertEquals(0, x.exitCode(), x.describe());
        user.own(debian);
        Path deb = demoPackage();

        Result install = jsing(
                "exec", "--fakeroot", "--writable", debian.toString(), "apt-get", "install", "-y", deb.toString());
        assertEquals(0, install.exitCode(), install.describe());

        Result check = jsing(
                "exec",
                "--fakeroot",
                debian.toString(),
                "sh",
                "-c",
                "dpkg-query -W -f '${Status}\\n' jsing-demo; id -u jsingdemo; stat -c %U /var/lib/jsing-demo");
        assertEquals(0, check.exitCode(), check.describe());
        List<String> l = check.stdout().lines().toList();
        assertEquals("install ok installed", l.get(0), check.describe());
        assertEquals("jsingdemo", l.get(2), check.describe());
        int inside = Integer.parseInt(l.get(1));
        assertTrue(inside > 0, check.describe());
        // On the host the package's directory belongs to the subordinate uid that maps the new user.
        int onHost = (Integer) Files.getAttribute(debian.resolve("var/lib/jsing-demo"), "unix:uid");
        assertEquals(Long.parseLong(sub[1]) + inside - 1, onHost);
    }

    /** A local .deb (dpkg-deb) whose postinst adds a system user and gives it a directory. */
    private static Path demoPackage() throws IOException {
        Path root = work.resolve("pkg");
        Files.createDirectories(root.resolve("DEBIAN"));
        Files.createDirectories(root.resolve("usr/share/doc/jsing-demo"));
        Files.writeString(root.resolve("usr/share/doc/jsing-demo/README"), "installed by WritableIT\n");
        Files.writeString(
                root.resolve("DEBIAN/control"),
                "Package: jsing-demo\nVersion: 1.0\nArchitecture: all\nMaintainer: jsing tests <tests@jsing.dev>\n"
                        + "Description: WritableIT's package\n");
        Files.writeString(
                root.resolve("DEBIAN/postinst"),
                "#!/bin/sh\nset -e\nid -u jsingdemo >/dev/null 2>&1 || useradd --system --no-create-home jsingdemo\n"
                        + "install -d -o jsingdemo -g jsingdemo /var/lib/jsing-demo\n");
        Commands.ok("chmod", "755", root.resolve("DEBIAN/postinst").toString());
        Path deb = work.resolve("jsing-demo_1.0_all.deb");
        Commands.ok("dpkg-deb", "--root-owner-group", "-b", root.toString(), deb.toString());
        Commands.ok("chmod", "a+r", deb.toString());
        return deb;
    }
}
