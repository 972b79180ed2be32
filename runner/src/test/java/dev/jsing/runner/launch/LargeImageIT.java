package dev.jsing.runner.launch;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jsing.runner.testing.Commands;
import dev.jsing.runner.testing.MinbaseImage;
import dev.jsing.runner.testing.Result;
import dev.jsing.runner.testing.TestDist;
import dev.jsing.runner.testing.TestUser;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Large images (issue #17): the metadata probe read the whole {@code unsquashfs -lls} listing into the launcher's
 * 128 MB heap (500,000 entries: OutOfMemoryError on every launch) and the whole {@code /etc/passwd} (60 MB: the
 * same). The images are made once per machine from pseudo-file definitions (no 500,000 files written) into the test
 * cache, named by what they hold; each builds in a few seconds.
 */
class LargeImageIT {
    static final int DIRS = 500;
    static final int PER_DIR = 1000;
    static final long PASSWD_BYTES = 60L << 20;
    static TestUser user;
    static Path work;

    @BeforeAll
    static void setUp() {
        user = TestUser.get();
        work = user.newDir("jsing-large-it-");
    }

    @AfterAll
    static void tearDown() {
        Commands.run("rm", "-rf", work.toString());
    }

    /** busybox plus {@code pseudo} (mksquashfs -pf definitions), cached as {@code name}. */
    static synchronized Path cached(String name, String pseudo, String removeFromBusybox) throws IOException {
        Path img = MinbaseImage.cacheDir().resolve(name);
        if (Files.exists(img)) {
            return img;
        }
        Path root = Files.createTempDirectory(MinbaseImage.cacheDir(), "large-root-");
        try {
            Files.delete(root);
            Commands.ok(
                    "unsquashfs",
                    "-q",
                    "-n",
                    "-d",
                    root.toString(),
                    MinbaseImage.busybox().toString());
            if (removeFromBusybox != null) {
                Files.deleteIfExists(root.resolve(removeFromBusybox));
            }
            Path pf = root.resolveSibling(root.getFileName() + ".pf");
            Files.writeString(pf, pseudo);
            Path tmp = root.resolveSibling(root.getFileName() + ".sqfs");
            Result r = Commands.run(
                    List.of(
                            "mksquashfs",
                            root.toString(),
                            tmp.toString(),
                            "-all-root",
                            "-noappend",
                            "-quiet",
                            "-pf",
                            pf.toString()),
                    null,
                    null,
                    Duration.ofMinutes(5));
            Files.deleteIfExists(pf);
            assertEquals(0, r.exitCode(), r.describe());
            Files.setPosixFilePermissions(tmp, PosixFilePermissions.fromString("rw-r--r--"));
            Files.move(tmp, img, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } finally {
            Commands.run("rm", "-rf", root.toString());
        }
        return img;
    }

    static Path manyEntries() throws IOException {
        StringBuilder pf = new StringBuilder("many d 755 0 0\n");
        for (int d = 0; d < DIRS; d++) {
            pf.append("many/d").append(d).append(" d 755 0 0\n");
            for (int f = 0; f < PER_DIR; f++) {
                pf.append("many/d").append(d).append("/f").append(f).append(" i 644 0 0 f\n");
            }
        }
        return cached("many-" + DIRS * PER_DIR + "-v1.sqfs", pf.toString(), null);
    }

    static Path hugePasswd() throws IOException {
        return cached(
                "passwd-" + PASSWD_BYTES + "-v1.sqfs",
                "etc/passwd f 644 0 0 yes 'someone:x:4242:4242::/home/someone:/bin/sh' | head -c " + PASSWD_BYTES
                        + "\n",
                "etc/passwd");
    }

    /** {@code jsing exec IMG ...} as the test user with a fresh metadata cache (so the probe runs), timed. */
    static void launchesQuickly(Path img) throws IOException {
        Path cache = Files.createTempDirectory(work, "cache-");
        user.own(cache);
        long t0 = System.nanoTime();
        Result r = user.run(
                TestDist.jsing("exec", img.toString(), "sh", "-c", "id -un; echo ok"),
                Map.of("JSING_CACHEDIR", cache.toString(), "JSING_TMPDIR", work.toString()),
                work,
                Duration.ofSeconds(60));
        double s = (System.nanoTime() - t0) / 1e9;
        assertEquals(0, r.exitCode(), r.describe());
        assertEquals(user.name() + "\nok\n", r.stdout(), r.describe());
        assertEquals("", r.stderr(), r.describe());
        System.out.printf("LargeImageIT: %s launched in %.2f s (uncached probe)%n", img.getFileName(), s);
        assertTrue(s < 10, img + " took " + s + " s to launch");
    }

    @Test
    void halfAMillionEntriesLaunchLikeASmallImage() throws IOException {
        launchesQuickly(manyEntries());
    }

    @Test
    void sixtyMegabytePasswdDoesNotExhaustTheHeap() throws IOException {
        launchesQuickly(hugePasswd());
    }
}
