package dev.jsing.runner.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;
import org.opentest4j.AssertionFailedError;
import org.opentest4j.TestAbortedException;

class PrerequisitesTest {
    @Test
    void presentIsANoOp() {
        Prerequisites.require(true, "anything");
    }

    @Test
    void missingFailsInCi() {
        System.setProperty("jsing.ci", "true");
        try {
            AssertionFailedError e =
                    assertThrows(AssertionFailedError.class, () -> Prerequisites.require(false, "/dev/fuse"));
            assertEquals("missing test prerequisite in CI: /dev/fuse", e.getMessage());
        } finally {
            System.clearProperty("jsing.ci");
        }
    }

    @Test
    void missingSkipsOutsideCiAndFailsInIt() {
        if ("true".equalsIgnoreCase(System.getenv("CI"))) {
            assertThrows(AssertionFailedError.class, () -> Prerequisites.require(false, "/dev/fuse"));
        } else {
            TestAbortedException e =
                    assertThrows(TestAbortedException.class, () -> Prerequisites.require(false, "/dev/fuse"));
            assertEquals("Assumption failed: missing test prerequisite: /dev/fuse", e.getMessage());
        }
    }
}
