package dev.jsing.runner.launch;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jsing.runner.error.ExitCodes;
import dev.jsing.runner.testing.MinbaseImage;
import dev.jsing.runner.testing.Result;
import dev.jsing.runner.testing.TestDist;
import dev.jsing.runner.testing.TestUser;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The global flags Apptainer scripts pass before the command, as the unprivileged test user: {@code -v/--verbose}
 * (the launch's steps), {@code -c/--config FILE} (a user configuration layer in place of {@code $JSING_CONFIG}: it
 * narrows, e.g. turns user binds off, and a missing file is an error), and {@code --disable-cache} on a local image
 * (the image metadata cache is neither read nor written).
 */
class GlobalFlagsIT {
    static TestUser user;
    static Path work;
    static Path tmp;
    static Path cache;
    static String img;

    @BeforeAll
    static void setUp() throws Exception {
        user = TestUser.get();
        work = user.newDir("jsing-dropin-global-it-");
        tmp = Files.createDirectories(work.resolve("tmp"));
        cache = work.resolve("cache");
        Files.writeString(work.resolve("narrow.yaml"), "allow-user-binds: false\n");
        user.own(work);
        img = MinbaseImage.busybox().toString();
    }

    static Result jsing(String... args) {
        return jsing(work.resolve("other-cache"), args);
    }

    static Result jsing(Path cacheDir, String... args) {
        return user.run(
                TestDist.jsing(args),
                Map.of("JSING_TMPDIR", tmp.toString(), "JSING_CACHEDIR", cacheDir.toString()),
                work,
                Duration.ofMinutes(2));
    }

    @Test
    void verbosePrintsTheLaunchSteps() {
        Result r = jsing("-v", "exec", "--env", "A=1", img, "sh", "-c", "echo $A");
        assertEquals(0, r.exitCode(), r.describe());
        assertEquals("1\n", r.stdout());
        assertEquals(
                "jsing: verbose: setting A inside (from --env A=1)\n"
                        + "jsing: verbose: image " + img + " (SQUASHFS), mounted with /usr/bin/squashfuse_ll\n"
                        + "jsing: verbose: running sh -c echo $A\n",
                r.stderr());
        Result quiet = jsing("--verbose", "-q", "exec", img, "true");
        assertEquals("", quiet.stderr(), "-q wins over -v");
    }

    @Test
    void configFileIsAUserLayer() {
        String narrow = work.resolve("narrow.yaml").toString();
        assertEquals(0, jsing("exec", "-B", work + ":/w", img, "true").exitCode());
        Result refused = jsing("-c", narrow, "exec", "-B", work + ":/w", img, "true");
        assertEquals(ExitCodes.BAD_MOUNT, refused.exitCode(), refused.describe());
        Result show = jsing("--config", narrow, "config", "show");
        assertEquals(0, show.exitCode(), show.describe());
        assertTrue(show.stdout().contains("# -c/--config file: " + narrow + "\n"), show.describe());
        assertTrue(show.stdout().contains("allow-user-binds: false    # user " + narrow + ":1"), show.describe());
        Result missing = jsing("-c", work.resolve("none.yaml").toString(), "exec", img, "true");
        assertEquals(ExitCodes.BAD_CONFIG, missing.exitCode(), missing.describe());
        assertEquals(
                "jsing: error: " + work.resolve("none.yaml") + ": configuration file (-c/--config) not found\n",
                missing.stderr());
    }

    @Test
    void disableCacheKeepsTheMetadataCacheUntouched() throws Exception {
        Result r = jsing(cache, "exec", "--disable-cache", img, "true");
        assertEquals(0, r.exitCode(), r.describe());
        assertFalse(Files.exists(cache.resolve("meta")), "--disable-cache wrote the metadata cache");
        assertEquals(0, jsing(cache, "exec", img, "true").exitCode());
        assertTrue(Files.isDirectory(cache.resolve("meta")), "the metadata cache is " + cache.resolve("meta"));
    }
}
