package dev.jsing.runner.instance;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jsing.common.json.Json;
import dev.jsing.runner.testing.Commands;
import dev.jsing.runner.testing.MinbaseImage;
import dev.jsing.runner.testing.Result;
import dev.jsing.runner.testing.TestDist;
import dev.jsing.runner.testing.TestUser;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Instances as the unprivileged test user: {@code instance start|run|list|stop|stats} and {@code exec
 * instance://NAME} against a busybox image with a startscript and a runscript (its path is unique to this class, so
 * the processes serving it are found by their command lines). The state goes to a private {@code XDG_RUNTIME_DIR}.
 */
class InstanceIT {
    static TestUser user;
    static Path work;
    static Path image;
    static Path runtime;

    @BeforeAll
    static void setUp() throws Exception {
        user = TestUser.get();
        work = user.newDir("jsing-instances-it-");
        Path root = work.resolve("root");
        Commands.ok(
                "unsquashfs",
                "-q",
                "-no-xattrs",
                "-d",
                root.toString(),
                MinbaseImage.busybox().toString());
        Path sd = root.resolve(".singularity.d");
        Files.createDirectories(sd);
        Files.writeString(
                sd.resolve("startscript"),
                "#!/bin/sh\necho \"startscript args: $*\"\necho to-stderr >&2\nexec sleep 31337\n");
        Files.writeString(
                sd.resolve("runscript"),
                "#!/bin/sh\necho \"runscript args: $*\"\n[ \"$1\" = serve ] && exec sleep 31338\nexit 0\n");
        Commands.ok(
                "chmod",
                "755",
                sd.resolve("startscript").toString(),
                sd.resolve("runscript").toString());
        image = work.resolve("instance-it.sqfs");
        Commands.ok("mksquashfs", root.toString(), image.toString(), "-noappend", "-all-root", "-quiet");
        Commands.ok("chmod", "644", image.toString());
        Commands.ok("rm", "-rf", root.toString());
        runtime = user.newDir("jsing-instances-xdg-");
        Commands.ok("chmod", "700", runtime.toString());
    }

    @AfterEach
    void stopAll() {
        jsing("instance", "stop", "--all", "--force");
    }

    @AfterAll
    static void tearDown() {
        Commands.run("pkill", "-KILL", "-f", image.toString());
        Commands.run("rm", "-rf", work.toString(), runtime.toString());
    }

    static Result jsing(String... args) {
        return user.run(
                TestDist.jsing(args), Map.of("XDG_RUNTIME_DIR", runtime.toString()), work, Duration.ofMinutes(2));
    }

    static Result ok(String... args) {
        Result r = jsing(args);
        assertEquals(0, r.exitCode(), String.join(" ", args) + ": " + r.describe());
        return r;
    }

    static Path stateDir() {
        return runtime.resolve("jsing/instances").resolve(InstanceDirs.hostName());
    }

    /** The test user's live processes (not zombies) that belong to this class's instances. */
    static List<String> leftovers() {
        Result ps = Commands.run("ps", "-u", user.name(), "-o", "stat=,args=");
        List<String> left = new ArrayList<>();
        for (String l : ps.stdout().lines().map(String::trim).toList()) {
            if (!l.startsWith("Z") && (l.contains(image.toString()) || l.matches("\\S+ +sleep 3133[78].*"))) {
                left.add(l);
            }
        }
        return left;
    }

    /** Waits (up to 5 s) until nothing of this class's instances runs; returns what still does. */
    static List<String> awaitNothingLeft() throws InterruptedException {
        List<String> left = leftovers();
        for (int i = 0; i < 100 && !left.isEmpty(); i++) {
            Thread.sleep(50);
            left = leftovers();
        }
        return left;
    }

    /** The command lines of {@code ps} lines (without their state, which changes). */
    static List<String> args(List<String> lines) {
        return lines.stream()
                .map(l -> l.substring(l.indexOf(' ')).trim())
                .sorted()
                .toList();
    }

    static long pidOf(String name) {
        Map<String, Object> doc =
                Json.parseObject(ok("instance", "list", "--json").stdout());
        for (Object o : (List<?>) doc.get("instances")) {
            Map<?, ?> m = (Map<?, ?>) o;
            if (m.get("instance").equals(name)) {
                return ((Number) m.get("pid")).longValue();
            }
        }
        return -1;
    }

    @Test
    void lifecycleStartListExecStatsStop() throws Exception {
        Result start = ok("instance", "start", image.toString(), "svc", "a", "-h");
        assertTrue(start.stderr().contains("instance started successfully"), start.describe());

        String list = ok("instance", "list").stdout();
        assertTrue(list.startsWith("INSTANCE NAME    PID"), list);
        assertTrue(list.contains("IP") && list.contains("IMAGE"), list);
        long pid = pidOf("svc");
        assertTrue(pid > 0, list);
        assertTrue(list.lines().anyMatch(l -> l.matches("svc +" + pid + " +" + image)), list);
        String logs = ok("instance", "list", "--logs").stdout();
        assertTrue(logs.contains(stateDir().resolve("svc.err").toString()), logs);
        assertTrue(logs.contains(stateDir().resolve("svc.out").toString()), logs);
        assertTrue(Files.isRegularFile(stateDir().resolve("svc.json")));

        // the startscript ran with the arguments, its output in the logs
        String out = "";
        for (int i = 0; i < 100 && !out.contains("startscript"); i++) {
            Thread.sleep(50);
            out = Files.readString(stateDir().resolve("svc.out"));
        }
        assertEquals("startscript args: a -h\n", out, "the arguments after the name are the startscript's");
        assertEquals("to-stderr\n", Files.readString(stateDir().resolve("svc.err")));

        // exec into it: the same PID namespace (its init is PID 1, the startscript's sleep is there)
        String ps = ok("exec", "instance://svc", "ps", "-o", "pid,args").stdout();
        assertTrue(ps.lines().anyMatch(l -> l.trim().matches("1 .*jsing-init.*")), ps);
        assertTrue(ps.lines().anyMatch(l -> l.trim().matches("2 sleep 31337")), ps);
        assertEquals("3\n", jsingStatus("exec", "instance://svc", "sh", "-c", "exit 3"));
        assertEquals(
                "runscript args: x\n",
                ok("run", "instance://svc", "x").stdout().lines().findFirst().orElse("") + "\n");

        String stats = ok("instance", "stats", "svc").stdout();
        assertTrue(stats.startsWith("INSTANCE NAME    CPU USAGE"), stats);
        assertTrue(stats.lines().anyMatch(l -> l.startsWith("svc ") && l.endsWith("proc")), stats);
        Map<String, Object> js =
                Json.parseObject(ok("instance", "stats", "--json", "svc").stdout());
        assertEquals("proc", js.get("source"));
        long pids = ((Number) ((Map<?, ?>) js.get("pids_stats")).get("current")).longValue();
        assertEquals(2, pids, "the init and the startscript's sleep: " + js);
        long mem = ((Number) ((Map<?, ?>) ((Map<?, ?>) js.get("memory_stats")).get("usage")).get("usage")).longValue();
        assertTrue(mem > 0, js.toString());

        Result stop = ok("instance", "stop", "svc");
        assertTrue(stop.stderr().contains("stopping svc instance"), stop.describe());
        assertEquals(
                "INSTANCE NAME    PID    IP    IMAGE\n", ok("instance", "list").stdout());
        assertFalse(Files.exists(stateDir().resolve("svc.json")), "state file left");
        assertEquals(List.of(), awaitNothingLeft(), "left running after stop");
    }

    /** Runs and returns the exit code as text. */
    static String jsingStatus(String... args) {
        return jsing(args).exitCode() + "\n";
    }

    @Test
    void instanceRunRunsTheRunscript() throws Exception {
        ok("instance", "run", image.toString(), "r1", "serve", "q");
        String out = "";
        for (int i = 0; i < 100 && out.isEmpty(); i++) {
            Thread.sleep(50);
            out = Files.readString(stateDir().resolve("r1.out"));
        }
        assertEquals("runscript args: serve q\n", out);
        String ps = ok("exec", "instance://r1", "ps", "-o", "args").stdout();
        assertTrue(ps.contains("sleep 31338"), ps);
        ok("instance", "stop", "r1");
        assertEquals(List.of(), awaitNothingLeft());
    }

    @Test
    void execSharesTheRootLayerAndTmpOfTheInstance() throws Exception {
        // --contain: /tmp is the instance's own tmpfs; --writable-tmpfs: a layer over the image
        ok("instance", "start", "--contain", "--writable-tmpfs", "--hostname", "inst-host", image.toString(), "w");
        assertEquals("inst-host\n", ok("exec", "instance://w", "hostname").stdout(), "the instance's UTS namespace");
        ok("exec", "instance://w", "sh", "-c", "echo layer > /made-in-layer; echo tmp > /tmp/made-in-tmp");
        assertEquals(
                "layer\ntmp\n",
                ok("exec", "instance://w", "cat", "/made-in-layer", "/tmp/made-in-tmp")
                        .stdout());
        assertFalse(Files.exists(Path.of("/tmp/made-in-tmp")), "the instance's /tmp is not the host's");
        Result plain = jsing("exec", image.toString(), "cat", "/made-in-layer");
        assertNotEquals(0, plain.exitCode(), "a container of its own does not see the instance's layer");
        ok("instance", "stop", "w");
        assertEquals(List.of(), awaitNothingLeft());
    }

    @Test
    void anInstanceOutlivesTheShellThatStartedIt() throws Exception {
        // the starting shell's whole process group gets SIGHUP, as when a terminal closes
        Result r = user.run(
                List.of(
                        "setsid",
                        "-w",
                        "/bin/sh",
                        "-c",
                        TestDist.jsing() + " instance start " + image + " detached >/dev/null 2>&1; kill -HUP 0"),
                Map.of("XDG_RUNTIME_DIR", runtime.toString()),
                work,
                Duration.ofMinutes(2));
        assertEquals(128 + 1, r.exitCode(), r.describe());
        Thread.sleep(300);
        long pid = pidOf("detached");
        assertTrue(pid > 0, "the instance is gone with its shell");
        String session = Files.readString(Path.of("/proc/" + pid + "/stat"));
        assertTrue(session.contains("jsing-init"), session);
        ok("instance", "stop", "detached");
    }

    @Test
    void duplicateNamesUnknownInstancesAndOtherUsersAreOneLineErrors() throws Exception {
        ok("instance", "start", image.toString(), "dup");
        List<String> before = leftovers();
        for (int i = 0; i < 100 && before.stream().noneMatch(l -> l.endsWith("sleep 31337")); i++) {
            Thread.sleep(50); // until its startscript runs (exec'd sleep): the processes no longer change
            before = leftovers();
        }
        Result dup = jsing("instance", "start", image.toString(), "dup");
        assertEquals(80, dup.exitCode(), dup.describe());
        assertEquals("jsing: error: instance dup already exists (PID " + pidOf("dup") + ")\n", dup.stderr());
        assertEquals(args(before), args(leftovers()), "the second start left something running");

        for (String[] a : List.of(
                new String[] {"exec", "instance://nope", "true"},
                new String[] {"instance", "stop", "nope"},
                new String[] {"instance", "stats", "nope"})) {
            Result r = jsing(a);
            assertEquals(80, r.exitCode(), r.describe());
            assertEquals(1, r.stderr().lines().count(), r.describe());
            assertTrue(r.stderr().startsWith("jsing: error: no instance"), r.describe());
        }
        for (String[] a : List.of(
                new String[] {"instance", "stop", "-u", "root", "dup"},
                new String[] {"instance", "list", "--user", "root"})) {
            Result r = jsing(a);
            assertEquals(80, r.exitCode(), r.describe());
            assertEquals(
                    "jsing: error: instance: the instances of user root are out of reach (only your own: " + user.name()
                            + ")\n",
                    r.stderr());
        }
        assertTrue(pidOf("dup") > 0, "the refused stop stopped it");

        Result bad = jsing("instance", "start", image.toString(), "no/slash");
        assertEquals(64, bad.exitCode(), bad.describe());
        Result bind = jsing("exec", "-B", "/etc", "instance://dup", "true");
        assertEquals(64, bind.exitCode(), bind.describe());
        assertTrue(bind.stderr().startsWith("jsing: --bind: not with an instance"), bind.describe());
        Result noInit = jsing("instance", "start", "--no-init", image.toString(), "x");
        assertEquals(80, noInit.exitCode(), noInit.describe());
        assertFalse(Files.exists(stateDir().resolve("x.json")));
        ok("instance", "stop", "dup");
        assertEquals(List.of(), awaitNothingLeft());
    }

    /**
     * Stats from the instance's own cgroup: the test (as root) makes a cgroup v1 memory cgroup for the test user, who
     * moves the shell that starts the instance into it; the instance's processes inherit it, so it holds nothing but
     * the instance and {@code instance stats} reads it (its CPU and PIDs, whose controllers it did not move, from
     * {@code /proc}).
     */
    @Test
    void statsReadTheInstancesOwnCgroup() throws Exception {
        dev.jsing.runner.testing.Prerequisites.requireRoot("to make a cgroup for the test user");
        String mountinfo = Files.readString(Path.of("/proc/self/mountinfo"));
        String memMount = mountinfo
                .lines()
                .filter(l -> l.contains(" - cgroup ") && l.matches(".*[ ,]memory(,.*)?$"))
                .map(l -> l.split(" ")[4])
                .findFirst()
                .orElse(null);
        dev.jsing.runner.testing.Prerequisites.require(memMount != null, "a cgroup v1 memory hierarchy");
        Path cg = Path.of(
                memMount, "jsing-instances-it-" + ProcessHandle.current().pid());
        Files.createDirectory(cg);
        try {
            Commands.ok("chown", "-R", user.name(), cg.toString());
            Result r = user.run(
                    List.of(
                            "/bin/sh",
                            "-c",
                            "echo $$ > " + cg.resolve("cgroup.procs") + " && " + TestDist.jsing() + " instance start "
                                    + image + " cg"),
                    Map.of("XDG_RUNTIME_DIR", runtime.toString()),
                    work,
                    Duration.ofMinutes(2));
            assertEquals(0, r.exitCode(), r.describe());
            Map<String, Object> js =
                    Json.parseObject(ok("instance", "stats", "--json", "cg").stdout());
            assertEquals("cgroup v1 memory " + cg + "; proc: cpu pids", js.get("source"), js.toString());
            long mem =
                    ((Number) ((Map<?, ?>) ((Map<?, ?>) js.get("memory_stats")).get("usage")).get("usage")).longValue();
            assertTrue(mem > 0, js.toString());
            assertEquals(2L, ((Number) ((Map<?, ?>) js.get("pids_stats")).get("current")).longValue(), js.toString());
            ok("instance", "stop", "cg");
            assertEquals(List.of(), awaitNothingLeft());
        } finally {
            for (int i = 0; i < 50 && Files.exists(cg); i++) { // empty once the monitor and squashfuse are gone
                if (Commands.run("rmdir", cg.toString()).exitCode() != 0) {
                    Thread.sleep(100);
                }
            }
        }
    }

    /**
     * SIGINT (Ctrl-C) to {@code jsing instance start} at any point: either it finished (exit 0, the instance is
     * recorded) or nothing of it is left (no process, no state file), never an instance that nobody recorded.
     */
    @Test
    void anInterruptedStartLeavesARecordedInstanceOrNothing() throws Exception {
        for (String delay : List.of("0.2", "0.5", "0.8", "1.1", "1.4")) {
            String script = TestDist.jsing() + " instance start " + image + " intr >/dev/null 2>&1 & p=$!; sleep "
                    + delay + "; kill -INT $p; wait $p; echo $?";
            Result r = user.run(
                    List.of("/bin/sh", "-c", script),
                    Map.of("XDG_RUNTIME_DIR", runtime.toString()),
                    work,
                    Duration.ofMinutes(2));
            int code = Integer.parseInt(r.stdout().trim());
            if (code == 0) {
                assertTrue(pidOf("intr") > 0, "exit 0 but no instance, after " + delay + " s");
                ok("instance", "stop", "intr");
            } else {
                assertEquals(-1, pidOf("intr"), "interrupted after " + delay + " s (exit " + code + ")");
            }
            assertEquals(List.of(), awaitNothingLeft(), "after an interrupt at " + delay + " s (exit " + code + ")");
            assertFalse(Files.exists(stateDir().resolve("intr.json")), "state left after " + delay + " s");
        }
    }

    @Test
    void staleStateOfAKilledInstanceIsSweptAndTheNameReused() throws Exception {
        ok("instance", "start", image.toString(), "crash");
        long pid = pidOf("crash");
        Commands.ok("kill", "-KILL", String.valueOf(pid));
        assertEquals(List.of(), awaitNothingLeft(), "kill -9 of the init left processes");
        assertTrue(Files.exists(stateDir().resolve("crash.json")), "the record is still there before a sweep");
        assertEquals(
                "INSTANCE NAME    PID    IP    IMAGE\n", ok("instance", "list").stdout());
        assertFalse(Files.exists(stateDir().resolve("crash.json")), "the stale record was not swept");
        Result again = jsing("exec", "instance://crash", "true");
        assertEquals(80, again.exitCode(), again.describe());
        ok("instance", "start", image.toString(), "crash");
        assertNotEquals(pid, pidOf("crash"));
        ok("instance", "stop", "crash");
    }

    @Test
    void stopByGlobAllSignalTimeoutAndForce() throws Exception {
        ok("instance", "start", image.toString(), "g1");
        ok("instance", "start", image.toString(), "g2");
        ok("instance", "start", image.toString(), "other");
        ok("instance", "stop", "g*");
        String list = ok("instance", "list").stdout();
        assertFalse(list.contains("g1") || list.contains("g2"), list);
        assertTrue(list.contains("other"), list);

        // a payload that ignores SIGTERM: killed once the timeout is over
        ok("instance", "start", image.toString(), "stubborn");
        ok("exec", "instance://stubborn", "sh", "-c", "trap '' TERM; sleep 31337 </dev/null >/dev/null 2>&1 &");
        long t0 = System.nanoTime();
        Result stop = ok("instance", "stop", "--timeout", "1", "stubborn");
        long ms = (System.nanoTime() - t0) / 1_000_000;
        assertTrue(stop.stderr().contains("killing stubborn instance"), stop.describe());
        assertTrue(ms >= 1000, "killed before the timeout: " + ms + " ms");

        ok("instance", "start", image.toString(), "f");
        Result bad = jsing("instance", "stop", "--signal", "NOPE", "f");
        assertEquals(64, bad.exitCode(), bad.describe());
        ok("instance", "stop", "--signal", "SIGINT", "f");
        ok("instance", "start", image.toString(), "f2");
        ok("instance", "stop", "--force", "f2");
        ok("instance", "stop", "--all");
        assertEquals(
                "INSTANCE NAME    PID    IP    IMAGE\n", ok("instance", "list").stdout());
        assertEquals(List.of(), awaitNothingLeft());
    }
}
