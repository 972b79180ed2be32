package dev.jsing.runner.overlay;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jsing.runner.error.ExitCodes;
import dev.jsing.runner.testing.Commands;
import dev.jsing.runner.testing.HostArch;
import dev.jsing.runner.testing.MinbaseImage;
import dev.jsing.runner.testing.Result;
import dev.jsing.runner.testing.Siftool;
import dev.jsing.runner.testing.TestDist;
import dev.jsing.runner.testing.TestUser;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * {@code jsing overlay create} as the unprivileged test user: a real ext3 file system (read back with e2fsprogs'
 * {@code debugfs}) with {@code upper/} and {@code work/} owned by the caller, sparse or not, and as a SIF partition.
 */
class OverlayCreateIT {
    static TestUser user;
    static Path work;

    @BeforeAll
    static void setUp() {
        user = TestUser.get();
        work = user.newDir("jsing-overlay-it-");
    }

    static Result jsing(String... args) {
        return user.run(TestDist.jsing(args), Map.of("JSING_TMPDIR", work.toString()), work, Duration.ofMinutes(2));
    }

    /** {@code debugfs -R "CMD" IMAGE}: reads the file system without mounting it. */
    static String debugfs(Path image, String cmd) {
        return Commands.ok("debugfs", "-R", cmd, image.toString());
    }

    @Test
    void standaloneImageHasTheLayoutOwnedByTheCaller() throws Exception {
        Path img = work.resolve("ov.img");
        Result r = jsing("overlay", "create", "--size", "64", "--create-dir", "/opt/conda", img.toString());
        assertEquals(0, r.exitCode(), r.describe());
        assertEquals(64L << 20, Files.size(img));
        String stats = debugfs(img, "stats");
        assertTrue(stats.contains("has_journal") && !stats.contains("extent"), "not ext3: " + stats);
        String root = debugfs(img, "ls -l /");
        assertTrue(root.matches("(?s).*\\b" + user.uid() + "\\s+" + user.gid() + "\\s.*upper.*"), root);
        assertTrue(root.contains("work"), root);
        String conda = debugfs(img, "stat /upper/opt/conda");
        assertTrue(conda.contains("Type: directory") && conda.contains("User:  " + user.uid()), conda);
        long blocks =
                Long.parseLong(Commands.ok("stat", "-c", "%b", img.toString()).trim());
        assertTrue(blocks * 512 >= (60L << 20), "not allocated: " + blocks + " blocks");
        Result again = jsing("overlay", "create", img.toString());
        assertEquals(ExitCodes.CANT_CREATE, again.exitCode(), again.describe());
        assertFalse(
                Files.list(work).anyMatch(p -> p.getFileName().toString().startsWith("jsing-overlay-")),
                "temporary directory left");
    }

    @Test
    void sparseAndFakeroot() throws Exception {
        Path img = work.resolve("sparse.img");
        Result r = jsing("overlay", "create", "--sparse", "--fakeroot", "--size", "128", img.toString());
        assertEquals(0, r.exitCode(), r.describe());
        assertEquals(128L << 20, Files.size(img));
        long blocks =
                Long.parseLong(Commands.ok("stat", "-c", "%b", img.toString()).trim());
        assertTrue(blocks * 512 < (32L << 20), "sparse file fully allocated: " + blocks + " blocks");
        String upper = debugfs(img, "stat /upper");
        assertTrue(upper.contains("User:     0") || upper.matches("(?s).*User:\\s+0\\s.*"), "--fakeroot: " + upper);
    }

    @Test
    void addedToASifAsAnOverlayPartitionOfThePrimaryGroup() throws Exception {
        Path sif = work.resolve("img.sif");
        Siftool.primarySif(sif, MinbaseImage.busybox());
        user.own(work);
        Result r = jsing("overlay", "create", "--size", "64", sif.toString());
        assertEquals(0, r.exitCode(), r.describe());
        String list = Commands.ok("siftool", "list", sif.toString());
        assertTrue(
                list.matches(
                        "(?s).*\n2\\s+\\|1\\s+\\|NONE\\s+\\|[^|]*\\|FS \\(Ext3/Overlay/" + HostArch.oci() + "\\).*"),
                list);
        Result twice = jsing("overlay", "create", sif.toString());
        assertEquals(ExitCodes.CANT_CREATE, twice.exitCode(), twice.describe());
        assertTrue(twice.stderr().contains("already has an overlay partition"), twice.describe());
        Result small = jsing(
                "overlay", "create", "--size", "8", work.resolve("small.img").toString());
        assertEquals(ExitCodes.USAGE, small.exitCode(), small.describe());
        assertFalse(Files.exists(work.resolve("small.img")));
    }
}
