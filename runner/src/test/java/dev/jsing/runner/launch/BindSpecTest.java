package dev.jsing.runner.launch;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.jsing.runner.error.ExitCodes;
import dev.jsing.runner.error.JsingException;
import java.util.List;
import org.junit.jupiter.api.Test;

class BindSpecTest {
    @Test
    void srcOnlyMeansSamePath() {
        assertEquals(List.of(new BindSpec("/data", "/data", false)), BindSpec.parseList("/data", "/w"));
    }

    @Test
    void commaListWithDestinationsAndOptions() {
        assertEquals(
                List.of(
                        new BindSpec("/a", "/b", true),
                        new BindSpec("/c", "/c", false),
                        new BindSpec("/d", "/e", false)),
                BindSpec.parseList("/a:/b:ro,/c,/d:/e:rw", "/w"));
    }

    @Test
    void escapedCommaAndColonArePartOfThePath() {
        assertEquals(List.of(new BindSpec("/x,y", "/p:q", false)), BindSpec.parseList("/x\\,y:/p\\:q", "/w"));
    }

    @Test
    void relativeSourceIsResolvedAgainstCwd() {
        assertEquals(List.of(new BindSpec("/w/sub", "/in", false)), BindSpec.parseList("sub:/in", "/w"));
    }

    @Test
    void badOptionOrRelativeDestinationIsBadMount() {
        JsingException e = assertThrows(JsingException.class, () -> BindSpec.parseList("/a:/b:xx", "/"));
        assertEquals(ExitCodes.BAD_MOUNT, e.exitCode());
        assertEquals(
                ExitCodes.BAD_MOUNT,
                assertThrows(JsingException.class, () -> BindSpec.parseList("/a:rel", "/"))
                        .exitCode());
        assertEquals(
                ExitCodes.BAD_MOUNT,
                assertThrows(JsingException.class, () -> BindSpec.parseList("/a:/b:ro:x", "/"))
                        .exitCode());
    }

    @Test
    void mountSyntax() {
        assertEquals(new BindSpec("/s", "/d", true), BindSpec.parseMount("type=bind,src=/s,dst=/d,ro", "/"));
        assertEquals(new BindSpec("/s", "/d", false), BindSpec.parseMount("type=bind,source=/s,target=/d", "/"));
        assertEquals(
                ExitCodes.BAD_MOUNT,
                assertThrows(JsingException.class, () -> BindSpec.parseMount("type=tmpfs,dst=/d", "/"))
                        .exitCode());
        assertEquals(
                ExitCodes.BAD_MOUNT,
                assertThrows(JsingException.class, () -> BindSpec.parseMount("type=bind,src=/s", "/"))
                        .exitCode());
    }
}
