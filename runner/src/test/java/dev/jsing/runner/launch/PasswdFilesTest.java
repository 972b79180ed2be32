package dev.jsing.runner.launch;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class PasswdFilesTest {
    private static HostContext host(int uid, int gid, List<Integer> groups) {
        return new HostContext(Map.of(), uid, gid, groups, "alice", "Alice A", "/home/alice", "/bin/zsh", "/tmp");
    }

    @Test
    void appendsTheUserWhenAbsent() {
        String image = "root:x:0:0:root:/root:/bin/bash\ndaemon:x:1:1::/usr/sbin:/usr/sbin/nologin\n";
        assertEquals(
                image + "alice:x:1000:1000:Alice A:/home/alice:/bin/zsh\n",
                PasswdFiles.passwd(image, host(1000, 1000, List.of()), "/home/alice"));
    }

    @Test
    void rewritesTheMatchingUidInPlaceKeepingShellAndGid() {
        String image =
                "root:x:0:0:root:/root:/bin/bash\nubuntu:x:1000:50:U:/home/ubuntu:/bin/sh\nz:x:2:2::/:/bin/false\n";
        assertEquals(
                "root:x:0:0:root:/root:/bin/bash\nalice:x:1000:50:Alice A:/data/home:/bin/sh\nz:x:2:2::/:/bin/false\n",
                PasswdFiles.passwd(image, host(1000, 1000, List.of()), "/data/home"));
    }

    @Test
    void rootKeepsTheImageName() {
        String image = "root:x:0:0:root:/root:/bin/bash\n";
        assertEquals("root:x:0:0:Alice A:/root:/bin/bash\n", PasswdFiles.passwd(image, host(0, 0, List.of()), "/root"));
    }

    @Test
    void noImageFileGivesJustTheUser() {
        assertEquals("alice:x:7:8:Alice A:/h:/bin/zsh\n", PasswdFiles.passwd(null, host(7, 8, List.of()), "/h"));
    }

    @Test
    void groupKeepsImageEntriesAndAddsTheUsersGroups() {
        String image = "root:x:0:\nusers:x:100:bob\n";
        String g = PasswdFiles.group(
                image, host(1000, 1000, List.of(100, 2000, 3000)), Map.of(1000, "alice", 2000, "hpc"));
        assertEquals("root:x:0:\nusers:x:100:bob,alice\nalice:x:1000:alice\nhpc:x:2000:alice\n", g);
    }
}
