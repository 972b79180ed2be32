package dev.jsing.runner.cgroup;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jsing.runner.error.JsingException;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** {@link Limits} as cgroup v2 and v1 files, with runc's conversions, in the order the kernel needs. */
class CgroupFilesTest {
    private static final Set<String> ALL =
            Set.of("io.weight", "memory.memsw.limit_in_bytes", "blkio.weight", "io.bfq.weight", "blkio.bfq.weight");

    private static Limits flags(String... kv) {
        LimitRequest r = LimitRequest.NONE;
        for (int i = 0; i < kv.length; i += 2) {
            r = r.with(kv[i], kv[i + 1]);
        }
        return r.resolve();
    }

    private static String v2(Limits l, String c) {
        return render(CgroupFiles.v2(l, c, ALL::contains));
    }

    private static String v1(Limits l, String c) {
        return render(CgroupFiles.v1(l, c, ALL::contains));
    }

    private static String render(List<CgroupFiles.Write> w) {
        StringBuilder b = new StringBuilder();
        for (CgroupFiles.Write x : w) {
            b.append(x.file()).append('=').append(x.value()).append(';');
        }
        return b.toString();
    }

    @Test
    void memory() {
        Limits l = flags("--memory", "512m", "--memory-reservation", "256M", "--memory-swap", "1g");
        assertEquals("memory.max=536870912;memory.low=268435456;memory.swap.max=536870912;", v2(l, "memory"));
        assertEquals(
                "memory.limit_in_bytes=536870912;memory.soft_limit_in_bytes=268435456;"
                        + "memory.memsw.limit_in_bytes=1073741824;",
                v1(l, "memory"));
        assertEquals(
                "memory.max=67108864;memory.swap.max=max;",
                v2(flags("--memory", "64m", "--memory-swap", "-1"), "memory"));
        Limits oom = flags("--memory", "64m", "--oom-kill-disable", null);
        assertEquals("memory.limit_in_bytes=67108864;memory.oom_control=1;", v1(oom, "memory"));
        JsingException e = assertThrows(JsingException.class, () -> v2(oom, "memory"));
        assertEquals(81, e.exitCode());
        assertTrue(e.getMessage().startsWith("--oom-kill-disable: cgroup v2 has no switch"));
        assertEquals(
                81,
                assertThrows(
                                JsingException.class,
                                () -> CgroupFiles.v1(
                                        flags("--memory", "64m", "--memory-swap", "1g"), "memory", f -> false))
                        .exitCode());
    }

    @Test
    void cpuAndCpusetAsApptainerComputesThem() {
        Limits l = flags("--cpus", "1.5", "--cpu-shares", "512", "--cpuset-cpus", "0-1", "--cpuset-mems", "0");
        assertEquals("cpu.max=150000 100000;cpu.weight=20;", v2(l, "cpu"));
        assertEquals("cpu.cfs_period_us=100000;cpu.cfs_quota_us=150000;cpu.shares=512;", v1(l, "cpu"));
        assertEquals("cpuset.cpus=0-1;cpuset.mems=0;", v2(l, "cpuset"));
        assertEquals("cpuset.cpus=0-1;cpuset.mems=0;", v1(l, "cpuset"));
        assertEquals("cpu.weight=39;", v2(flags("--cpu-shares", "1024"), "cpu")); // runc linear: 1 + (s-2)*9999/262142
    }

    @Test
    void pidsAndBlockIo() {
        assertEquals("pids.max=100;", v2(flags("--pids-limit", "100"), "pids"));
        assertEquals("pids.max=max;", v1(flags("--pids-limit", "-1"), "pids"));
        assertTrue(flags("--pids-limit", "0").isEmpty(), "0 sets no limit, as Apptainer");
        assertEquals("io.weight=default 4950;", v2(flags("--blkio-weight", "500"), "io"));
        assertEquals("blkio.weight=500;", v1(flags("--blkio-weight", "500"), "io"));
        assertEquals(
                "io.bfq.weight=500;",
                render(CgroupFiles.v2(flags("--blkio-weight", "500"), "io", f -> f.equals("io.bfq.weight"))));
        assertEquals(
                81,
                assertThrows(
                                JsingException.class,
                                () -> CgroupFiles.v2(flags("--blkio-weight", "500"), "io", f -> false))
                        .exitCode());
    }

    @Test
    void unifiedOnlyOnV2() {
        Limits l = new Limits(
                null,
                null,
                null,
                false,
                null,
                null,
                null,
                null,
                null,
                null,
                null,
                null,
                Map.of("hugetlb.2MB.max", "0"));
        assertEquals("hugetlb.2MB.max=0;", v2(l, "hugetlb"));
        assertEquals(
                81, assertThrows(JsingException.class, () -> v1(l, "hugetlb")).exitCode());
    }

    @Test
    void valuesAndSetsAreChecked() {
        assertEquals(
                "'12q' is not a size (bytes, or a number with b, k, m, g, t or p: 512m, 2g)",
                Limits.problem("--memory", "12q"));
        assertEquals(1536L << 20, Values.size("1.5g"));
        assertEquals(2048L, Values.size("2kb"));
        assertEquals(100L, Values.size("100"));
        assertTrue(Limits.problem("--cpus", "0.001").startsWith("cpus value must be in range 0.01 - "));
        assertTrue(Limits.problem("--blkio-weight", "5").contains("not a block I/O weight"));
        assertEquals(null, Limits.problem("--blkio-weight", "0"));
        assertTrue(Limits.problem("--cpuset-cpus", "0-a").contains("not a cpuset list"));
        assertEquals(
                64,
                assertThrows(JsingException.class, () -> flags("--memory", "1m"))
                        .exitCode());
        assertEquals(
                64,
                assertThrows(JsingException.class, () -> flags("--memory", "64m", "--memory-swap", "32m"))
                        .exitCode());
        assertEquals(
                64,
                assertThrows(JsingException.class, () -> LimitRequest.NONE.with("--pids-limit", "x"))
                        .exitCode());
    }
}
