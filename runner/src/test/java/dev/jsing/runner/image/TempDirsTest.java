package dev.jsing.runner.image;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue #17, fault 5 (the residual window): a launch killed after Java wrote its session directory and before the
 * starter removed it leaves the directory; the next launch of the same user removes it.
 */
class TempDirsTest {
    @TempDir
    Path tmp;

    private static long deadPid() throws Exception {
        Process p = new ProcessBuilder("true").start();
        p.waitFor();
        return p.pid();
    }

    private Path session(String name, Duration age) throws Exception {
        Path d = Files.createDirectory(tmp.resolve(name));
        Files.writeString(d.resolve("passwd"), "root:x:0:0::/root:/bin/sh\n");
        Files.setLastModifiedTime(d, FileTime.from(Instant.now().minus(age)));
        return d;
    }

    @Test
    void staleSessionOfADeadPidIsRemoved() throws Exception {
        Path stale = session("jsing-session-" + deadPid() + "-1a", Duration.ofMinutes(5));
        TempDirs.sweepStale(tmp, "jsing-session-", Duration.ofMinutes(1));
        assertFalse(Files.exists(stale), "stale session directory of a dead launch left");
    }

    @Test
    void liveYoungAndForeignNamesAreKept() throws Exception {
        long live = ProcessHandle.current().parent().orElseThrow().pid();
        Path running = session("jsing-session-" + live + "-2b", Duration.ofMinutes(5));
        Path young = session("jsing-session-" + deadPid() + "-3c", Duration.ZERO);
        Path other = session("jsing-sessionx-" + deadPid() + "-4d", Duration.ofMinutes(5));
        Path odd = session("jsing-session-notapid", Duration.ofMinutes(5));
        TempDirs.sweepStale(tmp, "jsing-session-", Duration.ofMinutes(1));
        assertTrue(Files.exists(running.resolve("passwd")), "a running launch's directory was removed");
        assertTrue(Files.exists(young), "a directory younger than the minimum age was removed");
        assertTrue(Files.exists(other));
        assertTrue(Files.exists(odd));
    }

    @Test
    void missingParentIsQuiet() {
        TempDirs.sweepStale(tmp.resolve("absent"), "jsing-session-", Duration.ofMinutes(1));
    }
}
