package dev.jsing.runner.cgroup;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jsing.runner.testing.BusyboxSandbox;
import dev.jsing.runner.testing.Commands;
import dev.jsing.runner.testing.Prerequisites;
import dev.jsing.runner.testing.Result;
import dev.jsing.runner.testing.TestDist;
import dev.jsing.runner.testing.TestUser;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Resource limits as the unprivileged test user, in the cgroup subtree {@code scripts/setup-cgroups.sh} delegates to it
 * ({@code jsing-test.slice/USER} in the cgroup2 mount and in each cgroup v1 controller mount). The user's process is
 * started in that subtree (on v2 in a leaf below it, as a login session), as a site or systemd would place it; jsing
 * then finds the delegated directory itself. Each controller is checked where this host has it (cgroup v1 or v2: on
 * the project's CI machine the v1 hierarchies cannot be moved, so limits run on v1 and v2 through {@code [unified]}).
 */
class CgroupLimitsIT {
    static TestUser user;
    static Path work;
    static Path image;
    static Hierarchies host;
    static Path v2Leaf;
    static final List<Path> procs = new ArrayList<>();
    static final List<Path> delegated = new ArrayList<>();

    @BeforeAll
    static void setUp() throws IOException {
        Prerequisites.requireRoot("moving the test user's session into its delegated cgroup");
        user = TestUser.get();
        host = Hierarchies.read();
        String slice = "jsing-test.slice/" + user.name();
        if (host.v2() != null && Files.isDirectory(host.v2().mount().resolve(slice))) {
            Path d = host.v2().mount().resolve(slice);
            delegated.add(d);
            v2Leaf = d.resolve("it-netcg-" + ProcessHandle.current().pid());
            Files.createDirectories(v2Leaf);
            procs.add(v2Leaf.resolve("cgroup.procs"));
        }
        for (Hierarchies.Hierarchy h : host.v1()) {
            Path d = h.mount().resolve(slice);
            if (Files.isDirectory(d)) {
                delegated.add(d);
                procs.add(d.resolve("cgroup.procs"));
            }
        }
        Prerequisites.require(
                where("memory") != null && where("pids") != null && where("cpu") != null,
                "a cgroup subtree delegated to " + user.name()
                        + " with memory, pids and cpu (scripts/setup-cgroups.sh)");
        work = user.newDir("jsing-netcg-limits-");
        image = BusyboxSandbox.create(work.resolve("sb"), "sh", "cat", "head", "tail", "grep", "cut", "sleep", "seq");
    }

    @AfterAll
    static void tearDown() throws IOException {
        if (v2Leaf != null) {
            Files.deleteIfExists(v2Leaf); // empty once the tests' processes are gone
        }
        if (work != null) {
            Commands.run("rm", "-rf", work.toString());
        }
    }

    /** Nothing of a container outlives it: its cgroups are removed once empty (by the starter's watcher). */
    @AfterEach
    void noCgroupIsLeft() throws Exception {
        List<Path> left = List.of();
        for (int i = 0; i < 100; i++) {
            left = leftovers();
            if (left.isEmpty()) {
                return;
            }
            Thread.sleep(100);
        }
        throw new AssertionError("cgroups left 10 s after the container: " + left);
    }

    private static List<Path> leftovers() throws IOException {
        List<Path> left = new ArrayList<>();
        for (Path d : delegated) {
            try (Stream<Path> s = Files.list(d)) {
                s.filter(p -> p.getFileName().toString().startsWith("jsing-")).forEach(left::add);
            }
        }
        return left;
    }

    /** The mount of the hierarchy that has {@code controller} ("v2" mount or a v1 mount), or null. */
    private static Path where(String controller) {
        if (host.v2() != null && v2Leaf != null) {
            try {
                if (List.of(Files.readString(v2Leaf.getParent().resolve("cgroup.controllers"))
                                .trim()
                                .split("\\s+"))
                        .contains(controller)) {
                    return host.v2().mount();
                }
            } catch (IOException e) {
                // not on v2
            }
        }
        Hierarchies.Hierarchy h = host.v1For(controller);
        return h != null && delegated.contains(h.mount().resolve("jsing-test.slice/" + user.name())) ? h.mount() : null;
    }

    private static boolean onV2(String controller) {
        return host.v2() != null && host.v2().mount().equals(where(controller));
    }

    /** Shell that prints FILE of the container's own cgroup for {@code controller}, read inside through /sys. */
    private static String cat(String controller, String v1File, String v2File) {
        if (onV2(controller)) {
            return "d=$(grep '^0::' /proc/self/cgroup | cut -d: -f3); cat "
                    + host.v2().mount() + "$d/" + v2File + ";";
        }
        String name = controller.equals("io") ? "blkio" : controller;
        return "d=$(grep -E '^[0-9]+:([^:]*,)?" + name + "(,[^:]*)?:' /proc/self/cgroup | cut -d: -f3); cat "
                + where(controller) + "$d/" + v1File + ";";
    }

    private static Result limited(String... args) {
        List<String> argv = new ArrayList<>(TestDist.jsing(args));
        return user.runInCgroups(procs, argv, Map.of(), Duration.ofMinutes(2));
    }

    @Test
    void memoryLimitIsEnforcedAnAllocationBeyondItIsOomKilled() {
        Result r = limited(
                "exec",
                "--memory",
                "32m",
                image.toString(),
                "/bin/sh",
                "-c",
                cat("memory", "memory.limit_in_bytes", "memory.max")
                        + " head -c 8m /dev/zero | tail > /dev/null; echo small=$?;"
                        + " head -c 200m /dev/zero | tail > /dev/null; echo large=$?");
        assertEquals(0, r.exitCode(), r.describe());
        List<String> out = r.stdout().lines().toList();
        assertEquals(List.of("33554432", "small=0", "large=137"), out, r.describe()); // tail buffers it all: SIGKILL
    }

    @Test
    void cpuQuotaIsVisibleInTheContainersCgroup() {
        Result r = limited(
                "exec",
                "--cpus",
                "0.5",
                image.toString(),
                "/bin/sh",
                "-c",
                onV2("cpu")
                        ? cat("cpu", null, "cpu.max")
                        : cat("cpu", "cpu.cfs_quota_us", null) + cat("cpu", "cpu.cfs_period_us", null));
        assertEquals(0, r.exitCode(), r.describe());
        assertEquals(onV2("cpu") ? "50000 100000\n" : "50000\n100000\n", r.stdout(), r.describe());
    }

    @Test
    void pidsLimitStopsAForkLoop() {
        Result r = limited(
                "exec",
                "--pids-limit",
                "8",
                image.toString(),
                "/bin/sh",
                "-c",
                cat("pids", "pids.max", "pids.max")
                        + " n=0; for i in $(seq 40); do sleep 1 & n=$((n+1)); done; echo loop-ended");
        assertEquals("8", r.stdout().lines().findFirst().orElse(""), r.describe());
        assertTrue(r.stderr().contains("can't fork"), "the fork loop was stopped: " + r.describe());
    }

    @Test
    void everyLimitOfTheCommandLineIsWritten() {
        String script = cat("memory", "memory.soft_limit_in_bytes", "memory.low")
                + (onV2("cpu") ? cat("cpu", null, "cpu.weight") : cat("cpu", "cpu.shares", null))
                + (where("cpuset") != null ? cat("cpuset", "cpuset.cpus", "cpuset.cpus") : "echo 0;");
        List<String> args = new ArrayList<>(
                List.of("exec", "--memory", "64m", "--memory-reservation", "16m", "--cpu-shares", "512"));
        if (where("cpuset") != null) {
            args.addAll(List.of("--cpuset-cpus", "0"));
        }
        args.addAll(List.of(image.toString(), "/bin/sh", "-c", script));
        Result r = limited(args.toArray(new String[0]));
        assertEquals(0, r.exitCode(), r.describe());
        assertEquals(
                List.of("16777216", onV2("cpu") ? "20" : "512", "0"),
                r.stdout().lines().toList(),
                r.describe());
    }

    @Test
    void applyCgroupsTomlOnCgroupV2Unified() throws IOException {
        Prerequisites.require(
                v2Leaf != null && where("hugetlb") != null, "hugetlb offered to the delegated cgroup v2 subtree");
        Path toml = work.resolve("hugetlb.toml");
        Files.writeString(toml, "# Apptainer's [unified] table\n[unified]\n  \"hugetlb.2MB.max\" = \"0\"\n");
        Commands.ok("chmod", "644", toml.toString());
        Result r = limited(
                "exec",
                "--apply-cgroups",
                toml.toString(),
                image.toString(),
                "/bin/sh",
                "-c",
                "grep '^0::' /proc/self/cgroup; " + cat("hugetlb", null, "hugetlb.2MB.max"));
        assertEquals(0, r.exitCode(), r.describe());
        List<String> out = r.stdout().lines().toList();
        assertTrue(
                out.get(0).matches("0::/jsing-test\\.slice/" + user.name() + "/jsing-\\d+"),
                "a child of the delegated directory, beside the session's leaf: " + r.describe());
        assertEquals("0", out.get(1), r.describe());
    }

    @Test
    void withoutDelegationOneLineExit81AndNothingRuns() {
        Result r = user.run(
                TestDist.jsing("exec", "--memory", "64m", image.toString(), "/bin/sh", "-c", "echo ran"),
                Map.of(),
                null,
                Duration.ofMinutes(2));
        assertEquals(81, r.exitCode(), r.describe());
        assertEquals("", r.stdout(), r.describe());
        assertEquals(1, r.stderr().lines().count(), r.describe());
        assertTrue(r.stderr().startsWith("jsing: error: resource limits need a delegated cgroup"), r.describe());
    }

    @Test
    void limitsBelowWhatAProcessNeedsAndBadValuesAreRefused() {
        Result low = limited("exec", "--memory", "1m", image.toString(), "/bin/true");
        assertEquals(64, low.exitCode(), low.describe());
        assertEquals(
                "jsing: error: --memory 1048576 bytes is below 6 MiB, the least the container's own processes need\n",
                low.stderr());
        Result bad = limited("exec", "--cpus", "lots", image.toString(), "/bin/true");
        assertEquals(64, bad.exitCode(), bad.describe());
        assertEquals(
                "jsing: --cpus: 'lots' is not a number of CPUs\nRun 'jsing exec --help' for usage.\n", bad.stderr());
        Result missing =
                limited("exec", "--apply-cgroups", work.resolve("none.toml").toString(), image.toString(), "/bin/true");
        assertEquals(66, missing.exitCode(), missing.describe());
        assertEquals(1, missing.stderr().lines().count(), missing.describe());
        Result both = limited("exec", "--pids-limit", "5", "--apply-cgroups", "/x.toml", image.toString(), "/bin/true");
        assertEquals(64, both.exitCode(), both.describe());
        assertFalse(both.stderr().contains("Exception"), both.describe());
    }
}
