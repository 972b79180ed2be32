package dev.jsing.runner.deffile;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jsing.runner.error.ExitCodes;
import dev.jsing.runner.testing.Commands;
import dev.jsing.runner.testing.Result;
import dev.jsing.runner.testing.TestDist;
import dev.jsing.runner.testing.TestUser;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** {@code jsing deffile} from the installed tool, as the unprivileged test user: JSON out, one-line errors. */
class DeffileCliIT {
    private final List<Path> dirs = new ArrayList<>();

    @AfterEach
    void removeDirs() {
        dirs.forEach(d -> Commands.run("rm", "-rf", d.toString()));
    }

    private static Result jsing(String... args) {
        return TestUser.get().run(TestDist.jsing(args), Map.of(), null, Duration.ofMinutes(2));
    }

    private Path write(String name, String text) throws Exception {
        Path dir = TestUser.get().newDir("jsing-deffile-it-");
        dirs.add(dir);
        Path file = dir.resolve(name);
        Files.writeString(file, text);
        TestUser.get().own(file);
        return file;
    }

    @Test
    void goodFilePrintsTheTemplatedModelAsJson() throws Exception {
        Path def = write(
                "good.def",
                "Bootstrap: docker\nFrom: alpine:{{ TAG }}\nStage: final\n\n%arguments\n"
                        + "    TAG=3.18\n%files\n    \"a b.txt\" /opt/\n%post -c /bin/bash\n    echo hi\n");
        Result r = jsing("deffile", "--json", "--build-arg", "TAG=3.19", def.toString());
        assertEquals(0, r.exitCode(), r.describe());
        assertTrue(r.stdout().contains("\"from\": \"alpine:3.19\""), r.describe());
        assertTrue(r.stdout().contains("\"name\": \"final\""), r.describe());
        assertTrue(r.stdout().contains("\"src\": \"a b.txt\""), r.describe());
        assertTrue(r.stdout().contains("\"args\": \"-c /bin/bash\""), r.describe());
        assertEquals("", r.stderr(), r.describe());
    }

    @Test
    void badFileIsOneLineWithExitCode67() throws Exception {
        Path def = write("bad.def", "Bootstrap: docker\nFrom: alpine\n\n%psot\n    echo typo\n");
        Result r = jsing("deffile", "--json", def.toString());
        assertEquals(ExitCodes.BAD_DEFINITION, r.exitCode(), r.describe());
        assertEquals(
                "jsing: error: " + def + ":4:1: unknown section '%psot' (did you mean '%post'?)\n",
                r.stderr(),
                r.describe());
        assertEquals("", r.stdout(), r.describe());
        assertFalse(r.stderr().contains("\tat "), r.describe());
    }

    @Test
    void missingFileIsNotFound() {
        Result r = jsing("deffile", "/nonexistent/recipe.def");
        assertEquals(ExitCodes.NOT_FOUND, r.exitCode(), r.describe());
        assertEquals("jsing: error: /nonexistent/recipe.def: no such file\n", r.stderr(), r.describe());
    }
}
