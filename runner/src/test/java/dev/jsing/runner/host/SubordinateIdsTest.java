package dev.jsing.runner.host;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Tests for {@link SubordinateIds#lookup}: the ranges both files give, or why there are none (the warning's words). */
class SubordinateIdsTest {
    private static final Set<String> HELPERS = Set.copyOf(SubordinateIds.HELPERS);

    private static SubordinateIds.Lookup lookup(Map<String, String> files, Set<String> present, String name, int uid) {
        return SubordinateIds.lookup(
                f -> files.containsKey(f) ? List.of(files.get(f).split("\n")) : List.of(),
                present::contains,
                name,
                uid);
    }

    /** Pins that uids and gids come from their own files, by name or by uid, in the starter's order. */
    @Test
    void bothRangesAreFound() {
        SubordinateIds.Lookup l = lookup(
                Map.of("/etc/subuid", "bob:1:2\nalice:100000:65536", "/etc/subgid", "1000:300000:1000"),
                HELPERS,
                "alice",
                1000);
        assertNull(l.missing());
        assertArrayEquals(new int[] {100000, 65536, 300000, 1000}, l.ids().toArray());
    }

    /** Pins that a range in only one file, or none, is no mapping, and says for whom. */
    @Test
    void aMissingRangeIsNamed() {
        SubordinateIds.Lookup l = lookup(Map.of("/etc/subuid", "alice:100000:65536"), HELPERS, "alice", 1000);
        assertNull(l.ids());
        assertEquals("no /etc/subuid and /etc/subgid ranges for alice", l.missing());
        assertEquals(
                "no /etc/subuid and /etc/subgid ranges for root",
                lookup(Map.of(), HELPERS, "root", 0).missing());
    }

    /** Pins that without newuidmap/newgidmap the ranges are not used (the starter could not map them). */
    @Test
    void missingHelpersAreNamed() {
        SubordinateIds.Lookup l = lookup(
                Map.of("/etc/subuid", "alice:1:2", "/etc/subgid", "alice:1:2"),
                Set.of("/usr/bin/newuidmap"),
                "alice",
                1000);
        assertNull(l.ids());
        assertEquals("newuidmap/newgidmap are not installed", l.missing());
    }
}
