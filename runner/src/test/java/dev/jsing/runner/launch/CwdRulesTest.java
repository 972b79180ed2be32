package dev.jsing.runner.launch;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class CwdRulesTest {
    @Test
    void ordinaryDirectoryIsMounted() {
        assertTrue(CwdRules.mountCwd("/scratch/job", false, false, List.of("/home/u", "/tmp")));
    }

    @Test
    void systemDirectoriesAreNot() {
        for (String d : List.of("/", "/etc", "/usr", "/var", "/proc/1", "/sys/fs", "/dev/shm", "/lib64")) {
            assertFalse(CwdRules.mountCwd(d, false, false, List.of()), d);
        }
        assertTrue(CwdRules.mountCwd("/usr/local/src", false, false, List.of()));
    }

    @Test
    void containAndNoMountCwdDisableIt() {
        assertFalse(CwdRules.mountCwd("/scratch", true, false, List.of()));
        assertFalse(CwdRules.mountCwd("/scratch", false, true, List.of()));
    }

    @Test
    void alreadyVisibleThroughHomeOrTmpIsNotMountedAgain() {
        assertFalse(CwdRules.mountCwd("/home/u/project", false, false, List.of("/home/u")));
        assertFalse(CwdRules.mountCwd("/tmp", false, false, List.of("/tmp")));
        assertTrue(CwdRules.mountCwd("/home/u2", false, false, List.of("/home/u")));
    }
}
