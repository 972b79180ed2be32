package dev.jsing.runner.testing;

import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * What a test needs from the machine (root, /dev/fuse, subordinate ids). Outside CI a missing prerequisite skips the
 * test; in CI ({@code CI=true} in the environment, or {@code -Djsing.ci=true}) it fails it, naming what is missing, so
 * a broken CI machine cannot turn the suite green by skipping.
 */
public final class Prerequisites {
    private Prerequisites() {}

    /** Whether this run is CI, where every prerequisite must be present. */
    public static boolean inCi() {
        return "true".equalsIgnoreCase(System.getenv("CI")) || Boolean.getBoolean("jsing.ci");
    }

    /** Skips the test (outside CI) or fails it (in CI) unless {@code present}; {@code what} names the prerequisite. */
    public static void require(boolean present, String what) {
        if (present) {
            return;
        }
        if (inCi()) {
            fail("missing test prerequisite in CI: " + what);
        }
        assumeTrue(false, "missing test prerequisite: " + what);
    }

    /** {@link #require} that the test JVM runs as root. */
    public static void requireRoot(String why) {
        require("root".equals(System.getProperty("user.name")), "root (" + why + ")");
    }
}
