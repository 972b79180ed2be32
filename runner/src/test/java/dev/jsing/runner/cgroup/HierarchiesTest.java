package dev.jsing.runner.cgroup;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The host's layout from mountinfo and /proc/self/cgroup: pure v2, and hybrids with v1 controller mounts. */
class HierarchiesTest {
    @Test
    void pureV2() {
        Hierarchies h = Hierarchies.parse(
                List.of("30 23 0:26 / /sys/fs/cgroup rw,nosuid - cgroup2 cgroup2 rw,nsdelegate"),
                List.of("0::/user.slice/user-1000.slice/user@1000.service/app.slice/x.scope"));
        assertEquals(
                Path.of("/sys/fs/cgroup/user.slice/user-1000.slice/user@1000.service/app.slice/x.scope"), h.v2().own());
        assertEquals(List.of(), h.v1());
        assertNull(h.v1For("memory"));
    }

    @Test
    void hybridWithCombinedV1Mounts() {
        Hierarchies h = Hierarchies.parse(
                List.of(
                        "31 23 0:28 / /sys/fs/cgroup rw,relatime - tmpfs tmpfs rw,mode=755",
                        "32 31 0:29 / /sys/fs/cgroup/cpu,cpuacct rw,relatime - cgroup cgroup rw,cpu,cpuacct",
                        "35 31 0:32 / /sys/fs/cgroup/memory rw,relatime - cgroup cgroup rw,memory",
                        "36 31 0:33 / /sys/fs/cgroup/blkio rw,relatime - cgroup cgroup rw,blkio",
                        "40 31 0:37 / /sys/fs/cgroup/systemd rw,relatime - cgroup cgroup rw,xattr,name=systemd",
                        "41 31 0:38 / /sys/fs/cgroup/unified rw,relatime - cgroup2 cgroup2 rw"),
                List.of("7:blkio:/", "4:memory:/site/alice", "1:cpu,cpuacct:/site/alice", "9:name=systemd:/", "0::/"));
        assertEquals(Path.of("/sys/fs/cgroup/unified"), h.v2().own());
        assertEquals(
                Path.of("/sys/fs/cgroup/memory/site/alice"), h.v1For("memory").own());
        assertEquals(
                Path.of("/sys/fs/cgroup/cpu,cpuacct/site/alice"), h.v1For("cpu").own());
        assertEquals(Path.of("/sys/fs/cgroup/blkio"), h.v1For("io").own());
        assertEquals(3, h.v1().size(), "name=systemd has no controller");
    }

    @Test
    void aCgroupNamespaceRootIsStripped() {
        Hierarchies h = Hierarchies.parse(
                List.of("30 23 0:26 /job_7/step_0 /sys/fs/cgroup rw - cgroup2 cgroup2 rw"),
                List.of("0::/job_7/step_0/user/task_0"));
        assertEquals(Path.of("/sys/fs/cgroup/user/task_0"), h.v2().own());
    }
}
