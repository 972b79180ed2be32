package dev.jsing.runner.cli.action;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class GlobalFlagsTest {
    @Test
    void theCommandFollowsTheGlobalFlagsAndConfigTakesAValue() {
        String[] a = {"-q", "-c", "my.yaml", "--verbose", "exec", "-c", "img", "true"};
        assertEquals(4, GlobalFlags.commandIndex(a));
        assertEquals(4, ActionMain.actionIndex(a));
        assertEquals("my.yaml", GlobalFlags.configFile(a));
        assertTrue(GlobalFlags.has(a, 4, "-v", "--verbose"));
        assertTrue(GlobalFlags.has(a, 4, "-q"));
        assertFalse(GlobalFlags.has(a, 4, "-d"));
        // -c after the command is the action's --contain, not the global flag.
        assertNull(GlobalFlags.configFile(new String[] {"exec", "-c", "img", "true"}));
        assertEquals("f", GlobalFlags.configFile(new String[] {"--config=f", "pull", "x"}));
        assertEquals(-1, ActionMain.actionIndex(new String[] {"--config=f", "pull", "x"}));
        assertEquals(-1, GlobalFlags.commandIndex(new String[] {"--unknown", "exec"}));
    }
}
