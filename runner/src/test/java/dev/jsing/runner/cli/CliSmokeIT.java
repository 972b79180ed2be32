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
        assertTrue(r.stdout().startsWith("jsing version "), r.describe());
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

    @Test
    void calledApptainerOrSingularityItAnswersAsApptainer() throws Exception {
        TestUser user = TestUser.get();
        java.nio.file.Path bin = user.newDir("jsing-names-");
        for (String name : new String[] {"apptainer", "singularity"}) {
            java.nio.file.Files.createSymbolicLink(bin.resolve(name), java.nio.file.Path.of(TestDist.jsing()));
            Result v = user.run(bin.resolve(name).toString(), "--version");
            assertEquals(0, v.exitCode(), v.describe());
            assertTrue(v.stdout().matches("apptainer version 1\\.5\\.\\d+ \\(jsing [^)]+\\)\n"), v.describe());
            Result bare = user.run(bin.resolve(name).toString(), "version");
            assertTrue(bare.stdout().matches("1\\.5\\.\\d+\n"), bare.describe());
            Result help = user.run(bin.resolve(name).toString(), "help", "exec");
            assertTrue(help.stdout().startsWith("Usage: jsing exec [OPTIONS] IMAGE COMMAND"), help.describe());
        }
        Result mine = user.run(TestDist.jsing(), "version");
        assertEquals(0, mine.exitCode(), mine.describe());
        assertTrue(!mine.stdout().startsWith("1.5."), "jsing's own name prints jsing's version: " + mine.describe());
    }
}
