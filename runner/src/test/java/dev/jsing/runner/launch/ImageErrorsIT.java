package dev.jsing.runner.launch;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jsing.runner.error.ExitCodes;
import dev.jsing.runner.testing.Commands;
import dev.jsing.runner.testing.HostArch;
import dev.jsing.runner.testing.MinbaseImage;
import dev.jsing.runner.testing.Result;
import dev.jsing.runner.testing.Siftool;
import dev.jsing.runner.testing.TestDist;
import dev.jsing.runner.testing.TestUser;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Bad images and the unsquashfs fallback: one line each, distinct exit codes, nothing left behind. */
class ImageErrorsIT {
    static TestUser user;
    static Path work;
    static Path tmp;

    @BeforeAll
    static void setUp() throws Exception {
        user = TestUser.get();
        work = user.newDir("jsing-image-it-");
        tmp = work.resolve("tmp");
        Files.createDirectories(tmp);
        Files.writeString(work.resolve("notimage"), "hello\n");
        Path sif = work.resolve("foreign.sif");
        Siftool.primarySif(sif, MinbaseImage.busybox(), HostArch.foreignPartarch());
        Files.writeString(work.resolve("nofuse.yaml"), "squashfuse: /nonexistent/squashfuse_ll\n");
        user.own(work);
        Commands.ok("chmod", "-R", "a+rX", work.toString());
    }

    static Result jsing(Map<String, String> env, String... args) {
        Map<String, String> e = new HashMap<>(env);
        e.put("JSING_TMPDIR", tmp.toString());
        return user.run(TestDist.jsing(args), e, work, Duration.ofMinutes(2));
    }

    static void assertNothingLeft() throws Exception {
        for (int i = 0; i < 50; i++) {
            try (var s = Files.list(tmp)) {
                if (s.findAny().isEmpty()) {
                    return;
                }
            }
            Thread.sleep(100);
        }
        assertEquals("", Commands.run("ls", "-A", tmp.toString()).stdout(), "left in JSING_TMPDIR");
    }

    @Test
    void missingImage() {
        Result r = jsing(Map.of(), "exec", work.resolve("nope.sif").toString(), "true");
        assertEquals(ExitCodes.NOT_FOUND, r.exitCode(), r.describe());
        assertEquals("jsing: error: " + work.resolve("nope.sif") + ": image not found\n", r.stderr());
    }

    @Test
    void notAnImage() {
        Result r = jsing(Map.of(), "exec", work.resolve("notimage").toString(), "true");
        assertEquals(ExitCodes.BAD_IMAGE, r.exitCode(), r.describe());
        assertEquals(1, r.stderr().lines().count(), r.describe());
        assertTrue(r.stderr().contains("not a container image"), r.describe());
    }

    @Test
    void wrongArchitecture() {
        Result r = jsing(Map.of(), "exec", work.resolve("foreign.sif").toString(), "true");
        assertEquals(ExitCodes.BAD_IMAGE, r.exitCode(), r.describe());
        assertEquals(
                "jsing: error: " + work.resolve("foreign.sif") + ": image architecture is "
                        + HostArch.foreign().goName() + ", this machine is " + HostArch.oci() + "\n",
                r.stderr());
    }

    @Test
    void unsquashFallbackOnRequestAndWhenSquashfuseIsMissing() throws Exception {
        String img = MinbaseImage.busybox().toString();
        Result r = jsing(Map.of(), "exec", "--unsquash", img, "sh", "-c", "id -u; ls /bin/busybox");
        assertEquals(0, r.exitCode(), r.describe());
        assertEquals(user.uid() + "\n/bin/busybox\n", r.stdout());
        assertTrue(r.stderr().startsWith("jsing: notice: --unsquash given; extracting "), r.describe());
        assertEquals(1, r.stderr().lines().count(), r.describe());
        assertNothingLeft();

        r = jsing(Map.of("JSING_CONFIG", work.resolve("nofuse.yaml").toString()), "exec", img, "sh", "-c", "exit 7");
        assertEquals(7, r.exitCode(), r.describe());
        assertEquals(
                "jsing: notice: squashfuse not found (tried /nonexistent/squashfuse_ll); extracting " + img
                        + " to a temporary sandbox in " + tmp + "\n",
                r.stderr());
        assertNothingLeft();

        // kill -9 of the payload: the temporary sandbox still goes.
        r = jsing(Map.of(), "exec", "--unsquash", img, "sh", "-c", "kill -9 $$");
        assertEquals(137, r.exitCode(), r.describe());
        assertNothingLeft();
    }

    @Test
    void badConfigurationNamesFileAndLine() throws Exception {
        Path bad = work.resolve("bad.yaml");
        Files.writeString(bad, "tmp-dir: /tmp\nsquashfuse_path: x\n");
        user.own(bad);
        Result r = jsing(
                Map.of("JSING_CONFIG", bad.toString()),
                "exec",
                MinbaseImage.busybox().toString(),
                "true");
        assertEquals(ExitCodes.BAD_CONFIG, r.exitCode(), r.describe());
        assertTrue(r.stderr().startsWith("jsing: error: " + bad + ":2: unknown key 'squashfuse_path'"), r.describe());
        Result show = jsing(Map.of("JSING_CONFIG", work.resolve("nofuse.yaml").toString()), "config", "show");
        assertTrue(
                show.stdout()
                        .contains("squashfuse: [/nonexistent/squashfuse_ll]    # user " + work.resolve("nofuse.yaml")
                                + ":1"),
                show.describe());
    }

    @Test
    void truncatedSifIsBadImage() throws Exception {
        Path sif = work.resolve("trunc.sif");
        Files.copy(work.resolve("foreign.sif"), sif);
        try (RandomAccessFile f = new RandomAccessFile(sif.toFile(), "rw")) {
            f.setLength(40000);
        }
        Commands.ok("chmod", "a+r", sif.toString());
        Result r = jsing(Map.of(), "exec", sif.toString(), "true");
        assertEquals(ExitCodes.BAD_IMAGE, r.exitCode(), r.describe());
        assertEquals(1, r.stderr().lines().count(), r.describe());
        assertTrue(List.of(r.stderr()).get(0).startsWith("jsing: error: "), r.describe());
    }
}
