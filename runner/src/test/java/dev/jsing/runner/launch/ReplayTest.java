package dev.jsing.runner.launch;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ReplayTest {
    /** Pins the key function shared with replay.c (FNV-1a 64 of NUL-terminated name, args, "", cwd, uid). */
    @Test
    void keyIsFnv1aOfTheNulTerminatedParts() {
        assertEquals(
                16,
                Replay.key("jsing", List.of("exec", "a.sif", "true"), "/tmp", 1001)
                        .length());
        assertEquals(
                Replay.key("jsing", List.of("exec", "a.sif"), "/tmp", 1001),
                Replay.key("jsing", List.of("exec", "a.sif"), "/tmp", 1001));
        // the separators count: moving a byte between parts changes the key
        assertFalse(Replay.key("jsing", List.of("ab", "c"), "/", 1)
                .equals(Replay.key("jsing", List.of("a", "bc"), "/", 1)));
    }

    /** Pins the template filling that replay.c does: session, per-step values, the kept fds element. */
    @Test
    void expandFillsPlaceholders() {
        List<String> t = List.of(
                "starter",
                "--join",
                "slurm-\u00010\u0001.\u00011\u0001-abc",
                "2",
                "\u00012\u0001",
                "--file",
                StarterInvocation.SESSION + "/passwd",
                "/etc/passwd",
                StarterInvocation.KEEP_FDS,
                "--",
                "true");
        assertEquals(
                List.of(
                        "starter",
                        "--join",
                        "slurm-42.7-abc",
                        "2",
                        "1",
                        "--file",
                        "/tmp/s/passwd",
                        "/etc/passwd",
                        "--keep-fd",
                        "5",
                        "--keep-fd",
                        "9",
                        "--",
                        "true"),
                Replay.expand(t, List.of("42", "7", "1"), "/tmp/s", List.of(5, 9)));
    }

    /** Pins the class of values a per-step variable may take at replay (what Java's integer parse gives back as is). */
    @Test
    void canonicalIntegers() {
        assertTrue(Replay.canonicalInt("0"));
        assertTrue(Replay.canonicalInt("123456789"));
        assertFalse(Replay.canonicalInt("01"));
        assertFalse(Replay.canonicalInt(" 1"));
        assertFalse(Replay.canonicalInt("1234567890"));
        assertFalse(Replay.canonicalInt(""));
        assertFalse(Replay.canonicalInt(null));
    }

    /** Pins that the rules as data are the rule: passes() is exactly "not a dropped name or prefix". */
    @Test
    void environmentRulesAreTheData() {
        for (String k : List.of("HOME", "PATH", "LD_LIBRARY_PATH", "JSING_X", "APPTAINERENV_Y", "SINGULARITY_Z")) {
            assertFalse(ContainerEnvironment.passes(k, false), k);
        }
        for (String k : List.of("FOO", "SLURM_PROCID", "JSINGX", "__JSING_HOST")) {
            assertTrue(ContainerEnvironment.passes(k, false), k);
        }
        assertTrue(ContainerEnvironment.passes("HTTP_PROXY", true));
        assertFalse(ContainerEnvironment.passes("FOO", true));
    }

    /** Pins that a recording environment records lookups and notices iteration. */
    @Test
    void recordingEnvironment() {
        RecordingEnv e = RecordingEnv.of(Map.of("A", "1"));
        assertEquals("1", e.get("A"));
        assertEquals(null, e.get("B"));
        assertEquals(List.of("A", "B"), List.copyOf(e.read()));
        assertFalse(e.iterated());
        assertEquals(Map.of("A", "1"), RecordingEnv.unrecorded(e));
        assertFalse(e.iterated());
        e.keySet().size();
        assertTrue(e.iterated());
    }
}
