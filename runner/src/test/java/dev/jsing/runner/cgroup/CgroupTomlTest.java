package dev.jsing.runner.cgroup;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jsing.runner.error.JsingException;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The TOML subset of {@code --apply-cgroups}: Apptainer's example files read, everything else refused by name. */
class CgroupTomlTest {
    @Test
    void readsApptainersLimitTables() {
        Limits l = CgroupToml.parse("""
                # as Apptainer's examples
                [memory]
                  limit = 536_870_912   # bytes
                  reservation = 268435456
                  swap = -1
                  disableOOMKiller = true
                [cpu]
                  shares = 512
                  quota = 50000
                  period = 100000
                  cpus = "0-1"
                  mems = '0'
                [pids]
                  limit = 1024
                [blockIO]
                  weight = 300
                [unified]
                  "hugetlb.2MB.max" = "0"
                  "memory.high" = "400M"
                """, "f.toml");
        assertEquals(536870912L, l.memory());
        assertEquals(268435456L, l.memoryReservation());
        assertEquals(-1L, l.memorySwap());
        assertTrue(l.oomKillDisable());
        assertEquals(512L, l.cpuShares());
        assertEquals(50000L, l.cpuQuota());
        assertEquals(100000L, l.cpuPeriod());
        assertEquals("0-1", l.cpusetCpus());
        assertEquals("0", l.cpusetMems());
        assertEquals(1024L, l.pidsLimit());
        assertEquals(300, l.blkioWeight());
        assertEquals(Map.of("hugetlb.2MB.max", "0", "memory.high", "400M"), l.unified());
        assertEquals(java.util.List.of("memory", "cpu", "cpuset", "pids", "io", "hugetlb"), l.controllers());
    }

    @Test
    void refusesWhatItDoesNotApplyNamingIt() {
        assertEquals(
                "--apply-cgroups: f.toml:1: 'memory]' is not key = value",
                bad("memory]\n  limit = 1024\n")); // Apptainer's e2e invalid.toml
        assertEquals(
                "--apply-cgroups: f.toml:1: arrays of tables ([[devices]]) are not supported by jsing",
                bad("[[devices]]\nallow = false\n"));
        assertTrue(bad("[network]\nclassID = 1\n").startsWith("--apply-cgroups: f.toml:1: [network] is not supported"));
        assertTrue(
                bad("[memory]\nkernel = 1\n").startsWith("--apply-cgroups: f.toml:2: memory.kernel is not supported"));
        assertTrue(bad("[cpu]\ncpus = [1]\n").contains("is not an integer, a boolean or a string"));
        assertEquals("--apply-cgroups: f.toml: pids.limit must be an integer", bad("[pids]\nlimit = \"10\"\n"));
        assertTrue(bad("[unified]\n\"cgroup.procs\" = \"1\"\n").contains("is not a controller's file"));
        assertTrue(bad("[pids]\nlimit = 1\nlimit = 2\n").contains("pids.limit is given twice"));
        assertEquals(
                72,
                assertThrows(JsingException.class, () -> CgroupToml.parse("x = 1", "f"))
                        .exitCode());
        assertEquals(
                66,
                assertThrows(JsingException.class, () -> CgroupToml.read("/nonexistent/f.toml"))
                        .exitCode());
    }

    private static String bad(String toml) {
        return assertThrows(JsingException.class, () -> CgroupToml.parse(toml, "f.toml"))
                .getMessage();
    }
}
