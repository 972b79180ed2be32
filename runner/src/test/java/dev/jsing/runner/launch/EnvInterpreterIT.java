package dev.jsing.runner.launch;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jsing.runner.testing.Commands;
import dev.jsing.runner.testing.Prerequisites;
import dev.jsing.runner.testing.Result;
import dev.jsing.runner.testing.TestDist;
import dev.jsing.runner.testing.TestUser;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The image's env scripts are run by the static bash jsing binds in ({@link EnvInterpreter}), not by the image's
 * {@code /bin/sh}, end to end as the unprivileged test user: an image whose {@code /bin/sh} is dash (with its libc)
 * and whose env script uses bash syntax starts and gets the script's values; a shell-less image (only busybox-static,
 * no {@code /bin/sh}) still gets its Docker {@code ENV}, with a Docker {@code PATH} padded as Apptainer's fixpath
 * pads it; a host {@code BASH_ENV} is not sourced by the wrapper but reaches the payload; and the replay cache
 * stamps the interpreter: bundling one into the installation, or replacing it, makes the next launch a full one.
 */
class EnvInterpreterIT {
    static final String BASH_SYNTAX = "if [[ -n \"${BASH_VERSION:-}\" && a == a ]]; then export BRACKETS=ok; fi\n"
            + "X=a-b-c; export SUBST=${X//-/_}\n";
    static TestUser user;
    static Path work;
    static Path tmp;
    static Path dashImg;
    static Path bareImg;

    @BeforeAll
    static void images() throws Exception {
        Prerequisites.require(
                EnvInterpreter.SYSTEM_PATHS.stream().anyMatch(p -> Files.isRegularFile(Path.of(p))),
                "bash-static (scripts/setup-host.sh)");
        Prerequisites.require(Files.isExecutable(Path.of("/bin/dash")), "dash");
        Prerequisites.require(Files.isExecutable(Path.of("/bin/busybox")), "busybox-static");
        user = TestUser.get();
        work = user.newDir("jsing-bashenv-it-");
        tmp = Files.createDirectories(work.resolve("tmp"));

        // dash as /bin/sh, with the libraries ldd names: a real POSIX shell that rejects bash syntax.
        Path dash = work.resolve("dash-root");
        copy(Path.of("/bin/dash"), dash.resolve("bin/sh"));
        for (String line : Commands.ok("ldd", "/bin/dash").split("\n")) {
            for (String w : line.trim().split("\\s+")) {
                if (w.startsWith("/")) {
                    copy(Path.of(w), dash.resolve(w.substring(1)));
                }
            }
        }
        copy(Path.of("/bin/busybox"), dash.resolve("bin/busybox"));
        Files.writeString(
                Files.createDirectories(dash.resolve(".singularity.d/env")).resolve("90-environment.sh"), BASH_SYNTAX);
        Path script = work.resolve("bash-syntax.sh");
        Files.writeString(script, BASH_SYNTAX);
        Result dashSelf = Commands.run("/bin/dash", "-c", ". " + script);
        assertNotEquals(0, dashSelf.exitCode(), "dash itself must reject the bash syntax: " + dashSelf.describe());
        dashImg = squash(dash, "dash.sqfs");

        // No shell at all: one static binary, and a Docker env file whose PATH lacks the standard directories.
        Path bare = work.resolve("bare-root");
        copy(Path.of("/bin/busybox"), bare.resolve("opt/app/bin/busybox"));
        Files.writeString(
                Files.createDirectories(bare.resolve(".singularity.d/env")).resolve("10-docker2singularity.sh"),
                "export PATH=\"/opt/app/bin\"\nexport FOO=\"from docker\"\n");
        bareImg = squash(bare, "bare.sqfs");
        user.own(work);
        Commands.ok("chmod", "-R", "a+rX", work.toString());
    }

    @AfterAll
    static void cleanUp() {
        if (work != null) {
            Commands.run("rm", "-rf", work.toString());
        }
    }

    private static void copy(Path src, Path dst) throws Exception {
        Files.createDirectories(dst.getParent());
        Files.copy(src, dst, StandardCopyOption.REPLACE_EXISTING);
    }

    private static Path squash(Path root, String name) {
        Path img = work.resolve(name);
        Commands.ok("mksquashfs", root.toString(), img.toString(), "-quiet", "-noappend", "-all-root");
        return img;
    }

    /** {@code jsing exec IMG ARGS...} as the test user, {@code extra} added to its environment; exit 0 required. */
    static Map<String, String> env(Map<String, String> extra, Path img, String... args) {
        Map<String, String> e = new HashMap<>(extra);
        e.put("JSING_TMPDIR", tmp.toString());
        List<String> a = new java.util.ArrayList<>(List.of("exec", img.toString()));
        a.addAll(List.of(args));
        Result r = user.run(TestDist.jsing(a.toArray(new String[0])), e, work, Duration.ofMinutes(2));
        assertEquals(0, r.exitCode(), r.describe());
        assertEquals("", r.stderr(), r.describe());
        Map<String, String> out = new HashMap<>();
        for (String l : r.stdout().split("\n")) {
            int eq = l.indexOf('=');
            if (eq > 0) {
                out.put(l.substring(0, eq), l.substring(eq + 1));
            }
        }
        return out;
    }

    @Test
    void bashSyntaxInEnvScriptsWorksWhenTheImageShellIsDash() {
        Map<String, String> e = env(Map.of(), dashImg, "/bin/busybox", "env");
        assertEquals("ok", e.get("BRACKETS"));
        assertEquals("a_b_c", e.get("SUBST"));
        // The payload's own /bin/sh is still the image's dash.
        Map<String, String> sh = env(Map.of(), dashImg, "/bin/sh", "-c", "echo KIND=${BASH_VERSION:-dash}");
        assertEquals("dash", sh.get("KIND"));
    }

    @Test
    void aShellLessImageGetsItsDockerEnvAndAPaddedPath() {
        Map<String, String> e = env(Map.of(), bareImg, "/opt/app/bin/busybox", "env");
        assertEquals("from docker", e.get("FOO"));
        assertEquals("/opt/app/bin:/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin", e.get("PATH"));
        // The command is found on that PATH, as a shell would find it.
        assertEquals("from docker", env(Map.of(), bareImg, "busybox", "env").get("FOO"));
    }

    @Test
    void theHostsBashEnvIsNotSourcedByTheWrapperButPassesOn() throws Exception {
        Path be = work.resolve("bash-env.sh");
        Files.writeString(be, "export SOURCED=yes\n");
        Commands.ok("chmod", "a+r", be.toString());
        Map<String, String> e = env(Map.of("BASH_ENV", be.toString()), bareImg, "/opt/app/bin/busybox", "env");
        assertNull(e.get("SOURCED"));
        assertEquals(be.toString(), e.get("BASH_ENV"));
        assertFalse(e.containsKey("__JSING_HOST"));
    }

    /** Pins that the interpreter is a stamped input of the replay cache (absent, then bundled, then replaced). */
    @Test
    void aBundledOrReplacedInterpreterMakesTheLaunchFull() throws Exception {
        Path d = Files.createDirectories(work.resolve("replay"));
        Path dist = d.resolve("jsing");
        Commands.ok("cp", "-a", TestDist.prefix().toString(), dist.toString());
        Path bundled = dist.resolve("libexec/jsing/bash");
        Files.deleteIfExists(bundled);
        user.own(d);
        Commands.ok("chmod", "-R", "a+rX", d.toString());
        List<String> argv =
                List.of(dist + "/bin/jsing", "exec", bareImg.toString(), "busybox", "sh", "-c", "echo $FOO");
        Map<String, String> e = Map.of("JSING_FAST_TRACE", "1", "JSING_TMPDIR", tmp.toString());
        Result first = user.run(argv, e, d, Duration.ofMinutes(2));
        assertEquals("from docker\n", first.stdout(), first.describe());
        Result fast = user.run(argv, e, d, Duration.ofMinutes(2));
        assertEquals("from docker\n", fast.stdout(), fast.describe());
        assertTrue(fast.stderr().matches("(?s)jsing: replay: [0-9a-f]{16}\n.*"), "a replay: " + fast.describe());
        String system = EnvInterpreter.SYSTEM_PATHS.stream()
                .filter(p -> Files.isRegularFile(Path.of(p)))
                .findFirst()
                .orElseThrow();
        Files.copy(Path.of(system), bundled);
        Commands.ok("chmod", "a+rx", bundled.toString());
        Result added = user.run(argv, e, d, Duration.ofMinutes(2));
        assertEquals("from docker\n", added.stdout(), added.describe());
        assertTrue(added.stderr().contains("file changed: " + bundled), "a full launch: " + added.describe());
        Result again = user.run(argv, e, d, Duration.ofMinutes(2));
        assertTrue(again.stderr().matches("(?s)jsing: replay: [0-9a-f]{16}\n.*"), "a replay: " + again.describe());
        Commands.ok("touch", "-d", "2001-01-01", bundled.toString());
        Result replaced = user.run(argv, e, d, Duration.ofMinutes(2));
        assertEquals("from docker\n", replaced.stdout(), replaced.describe());
        assertTrue(replaced.stderr().contains("file changed: " + bundled), "a full launch: " + replaced.describe());
    }
}
