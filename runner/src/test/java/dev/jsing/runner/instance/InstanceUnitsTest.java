package dev.jsing.runner.instance;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jsing.runner.error.JsingException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The pure parts of instances: names and globs, signal names, the state record, cgroup paths, the table, dirs. */
class InstanceUnitsTest {
    @Test
    void namesAreApptainersAndGlobsSelectThem() {
        assertEquals("db-1.x_y", InstanceName.check("db-1.x_y"));
        for (String bad : List.of("", "a/b", "a b", "..", ".hidden", "é")) {
            JsingException e = assertThrows(JsingException.class, () -> InstanceName.check(bad), bad);
            assertEquals(64, e.exitCode());
        }
        assertTrue(InstanceName.matches("db*", "db1"));
        assertTrue(InstanceName.matches("*", "x"));
        assertTrue(InstanceName.matches("d?", "db"));
        assertTrue(InstanceName.matches("g[12]", "g2"));
        assertFalse(InstanceName.matches("g[!12]", "g2"));
        assertFalse(InstanceName.matches("db", "db1"));
        assertFalse(InstanceName.matches("a.b", "axb"), "a dot is literal");
        assertTrue(InstanceName.isGlob("a*") && !InstanceName.isGlob("a.b"));
    }

    @Test
    void signalsByNameOrNumber() {
        assertEquals(15, Signals.parse("TERM"));
        assertEquals(15, Signals.parse("SIGTERM"));
        assertEquals(2, Signals.parse("sigint"));
        assertEquals(10, Signals.parse("USR1"));
        assertEquals(9, Signals.parse("9"));
        assertEquals(
                64,
                assertThrows(JsingException.class, () -> Signals.parse("NOPE")).exitCode());
        assertEquals(
                64, assertThrows(JsingException.class, () -> Signals.parse("0")).exitCode());
    }

    @Test
    void theRecordRoundTrips() {
        InstanceRecord r = new InstanceRecord("db", 42, 41, 12345, 40, "/i.sif", "alice", 1000, "", "/l.out", "/l.err");
        assertEquals(r, InstanceRecord.parse(r.toJson()));
        assertFalse(r.starting());
        assertThrows(IllegalArgumentException.class, () -> InstanceRecord.parse("{\"name\":\"x\"}"));
    }

    static final String MOUNTINFO = String.join(
            "\n",
            "24 1 0:22 / /sys/fs/cgroup rw - tmpfs tmpfs rw",
            "30 24 0:26 / /sys/fs/cgroup/memory rw,relatime - cgroup cgroup rw,memory",
            "31 24 0:27 / /sys/fs/cgroup/cpu,cpuacct rw,relatime - cgroup cgroup rw,cpu,cpuacct",
            "35 24 0:30 / /sys/fs/cgroup/unified rw,relatime shared:9 - cgroup2 cgroup2 rw,nsdelegate");

    @Test
    void cgroupDirectoriesFromProcAndMountinfo() {
        String v1 = "4:memory:/user/1000/job\n2:cpu,cpuacct:/user/1000/job\n0::/user.slice/u.scope\n";
        assertEquals(Path.of("/sys/fs/cgroup/memory/user/1000/job"), Cgroups.dir(v1, MOUNTINFO, "memory"));
        assertEquals(Path.of("/sys/fs/cgroup/cpu,cpuacct/user/1000/job"), Cgroups.dir(v1, MOUNTINFO, "cpuacct"));
        assertEquals(Path.of("/sys/fs/cgroup/unified/user.slice/u.scope"), Cgroups.dir(v1, MOUNTINFO, null));
        assertNull(Cgroups.dir(v1, MOUNTINFO, "pids"), "no pids line");
        assertEquals(
                Path.of("/sys/fs/cgroup"),
                Cgroups.dir("0::/\n", "40 1 0:30 / /sys/fs/cgroup rw - cgroup2 cgroup2 rw", null));
        // a cgroup namespace's view: the mount's root is the process's own cgroup
        assertEquals(
                Path.of("/sys/fs/cgroup/sub"),
                Cgroups.dir("0::/a/b/sub\n", "40 1 0:30 /a/b /sys/fs/cgroup rw - cgroup2 cgroup2 rw", null));
        assertNull(Cgroups.dir("0::/x\n", "40 1 0:30 /a/b /sys/fs/cgroup rw - cgroup2 cgroup2 rw", null));
    }

    @Test
    void tablesAreTabwriterColumns() {
        assertEquals(
                "INSTANCE NAME    PID    IP    IMAGE\ndb               42           /i.sif\n",
                Table.render(List.of(
                        new String[] {"INSTANCE NAME", "PID", "IP", "IMAGE"},
                        new String[] {"db", "42", "", "/i.sif"})));
    }

    @Test
    void stateIsUnderTheRuntimeDirWhenItIsOursElseTheHome() {
        int uid = (Integer) uidOfTmp();
        assertEquals(
                Path.of("/home/a/.jsing/instances"),
                InstanceDirs.base(Map.of("XDG_RUNTIME_DIR", "/nonexistent"), "/home/a", uid));
        assertEquals(Path.of("/home/a/.jsing/instances"), InstanceDirs.base(Map.of(), "/home/a", uid));
        assertEquals(
                Path.of("/home/a/.jsing/instances"),
                InstanceDirs.base(Map.of("XDG_RUNTIME_DIR", "relative"), "/home/a", uid));
    }

    private static Object uidOfTmp() {
        try {
            return java.nio.file.Files.getAttribute(Path.of(System.getProperty("java.io.tmpdir")), "unix:uid");
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
