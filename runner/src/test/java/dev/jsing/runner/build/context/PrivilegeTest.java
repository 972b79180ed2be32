package dev.jsing.runner.build.context;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Tests for {@link Privilege#range}: parsing {@code /etc/subuid} / {@code /etc/subgid} for a user's range. */
class PrivilegeTest {
    @TempDir
    Path tmp;

    private long[] range(String content, String name, int uid) throws IOException {
        Path f = tmp.resolve("subuid");
        Files.writeString(f, content);
        return Privilege.range(f, name, uid);
    }

    /** Pins a plain entry: start and count of the user's line among others'. */
    @Test
    void findsTheUsersRange() throws IOException {
        String file = "bob:100000:65536\nalice:165536:65536\ncarol:231072:65536\n";
        assertArrayEquals(new long[] {165536, 65536}, range(file, "alice", 1000));
        assertArrayEquals(new long[] {100000, 65536}, range(file, "bob", 1001));
    }

    /** Pins that a numeric uid in the first field matches as the name does. */
    @Test
    void matchesNumericUid() throws IOException {
        assertArrayEquals(new long[] {300000, 1000}, range("bob:1:2\n1000:300000:1000\n", "alice", 1000));
    }

    /** Pins that the first usable line wins; zero-count lines are skipped. */
    @Test
    void firstNonEmptyRangeWins() throws IOException {
        assertArrayEquals(
                new long[] {500000, 10}, range("alice:400000:0\nalice:500000:10\nalice:600000:20\n", "alice", 7));
    }

    /** Pins that comments, blank lines, other users and malformed lines of others are ignored. */
    @Test
    void ignoresCommentsBlanksAndOthers() throws IOException {
        String file = "# alice:1:1\n\n  \nbob:x:y\nalice:10:20:30\nalice:200000:65536\n";
        assertArrayEquals(new long[] {200000, 65536}, range(file, "alice", 1000));
    }

    /** Pins "no range": no entry, only a name prefix, or no file at all. */
    @Test
    void aMalformedLineDoesNotHideALaterValidOne() throws IOException {
        assertArrayEquals(new long[] {700000, 5}, range("alice:x:10\nalice:700000:5\n", "alice", 1000));
        assertArrayEquals(new long[] {800000, 6}, range(" alice :800000:6\n", "alice", 1000));
    }

    @Test
    void noEntryIsNull() throws IOException {
        assertNull(range("bob:100000:65536\nalice2:1:2\n", "alice", 1000));
        assertNull(range("", "alice", 1000));
        assertNull(Privilege.range(tmp.resolve("missing"), "alice", 1000));
    }
}
