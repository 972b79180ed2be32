package dev.jsing.runner.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jsing.runner.error.ExitCodes;
import dev.jsing.runner.testing.Result;
import dev.jsing.runner.testing.TestDist;
import dev.jsing.runner.testing.TestUser;
import org.junit.jupiter.api.Test;

/** The installed launcher script starts, as the unprivileged test user, and maps usage errors to one line. */
class CliSmokeIT {
    @Test
    void versionRunsAsTestUser() {
        TestUser user = TestUser.get();
        Result r = user.run(TestDist.jsing(), "--version");
        assertEquals(0, r.exitCode(), r.describe());
        assertTrue(r.stdout().startsWith("jsing "), r.describe());
        Result id = user.run("id", "-u");
        assertEquals(String.valueOf(user.uid()), id.stdout().trim());
        assertTrue(user.uid() != 0, "tests must not run the launcher as root");
    }

    @Test
    void unknownOptionIsOneLineUsageError() {
        Result r = TestUser.get().run(TestDist.jsing(), "--no-such-option");
        assertEquals(ExitCodes.USAGE, r.exitCode(), r.describe());
        assertTrue(r.stderr().startsWith("jsing: Unknown option: '--no-such-option'"), r.describe());
        assertTrue(!r.stderr().contains("\tat "), "no stack trace: " + r.describe());
    }
}
