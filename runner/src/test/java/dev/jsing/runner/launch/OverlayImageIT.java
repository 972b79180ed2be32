package dev.jsing.runner.launch;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jsing.runner.error.ExitCodes;
import dev.jsing.runner.testing.Commands;
import dev.jsing.runner.testing.MinbaseImage;
import dev.jsing.runner.testing.Prerequisites;
import dev.jsing.runner.testing.Result;
import dev.jsing.runner.testing.Siftool;
import dev.jsing.runner.testing.TestDist;
import dev.jsing.runner.testing.TestUser;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.HexFormat;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * {@code --overlay} with image files, end to end as the unprivileged test user: ext3 images made by {@code jsing
 * overlay create} (fuse2fs under fuse-overlayfs), squashfs and SIF files as read-only layers, a SIF's embedded overlay,
 * stacking order, and each bad input. After every launch that wrote, {@code e2fsck -fn} finds the image clean, and no
 * fuse2fs, fuse-overlayfs or squashfuse of this test is left running.
 */
class OverlayImageIT {
    static TestUser user;
    static Path work;
    static Path rootfs;

    @BeforeAll
    static void setUp() throws Exception {
        for (String tool : new String[] {"fuse2fs", "fuse-overlayfs", "e2fsck", "mksquashfs"}) {
            Prerequisites.require(
                    Commands.run("sh", "-c", "command -v " + tool).exitCode() == 0, tool + " (scripts/setup-host.sh)");
        }
        user = TestUser.get();
        work = user.newDir("jsing-overlay-image-it-");
        rootfs = work.resolve("rootfs.sqfs");
        Files.copy(MinbaseImage.busybox(), rootfs);
        // Two read-only layers with a file each holds differently, and one only each has.
        layerDir("dir", "from-dir");
        Files.writeString(work.resolve("dir/layer/only-dir"), "d\n");
        layerDir("sq", "from-squashfs");
        Files.writeString(work.resolve("sq/layer/only-squashfs"), "s\n");
        Commands.ok(
                "mksquashfs",
                work.resolve("sq").toString(),
                work.resolve("layer.sqfs").toString(),
                "-quiet",
                "-noappend");
        Siftool.primarySif(work.resolve("layer.sif"), work.resolve("layer.sqfs"));
        user.own(work);
        Commands.ok("chmod", "-R", "a+rX", work.toString());
    }

    /** The images are 64 MiB each: not left in /tmp. */
    @AfterAll
    static void removeWork() {
        if (work != null) {
            Commands.run("rm", "-rf", work.toString());
        }
    }

    private static void layerDir(String name, String content) throws Exception {
        Files.createDirectories(work.resolve(name + "/layer"));
        Files.writeString(work.resolve(name + "/layer/which"), content + "\n");
    }

    static Result jsing(String... args) {
        return user.run(TestDist.jsing(args), Map.of("JSING_TMPDIR", work.toString()), work, Duration.ofMinutes(2));
    }

    static String ok(String... args) {
        Result r = jsing(args);
        assertEquals(0, r.exitCode(), r.describe());
        return r.stdout();
    }

    static Path newImage(String name, String... createArgs) {
        Path img = work.resolve(name);
        String[] a = new String[createArgs.length + 3];
        a[0] = "overlay";
        a[1] = "create";
        System.arraycopy(createArgs, 0, a, 2, createArgs.length);
        a[a.length - 1] = img.toString();
        ok(a);
        return img;
    }

    /** {@code e2fsck -fn} on the image (at {@code offset} for a SIF partition): clean, no change made. */
    static void assertClean(Path img) {
        Result r = Commands.run("e2fsck", "-fn", img.toString());
        assertEquals(0, r.exitCode(), "e2fsck -fn " + img + ": " + r.describe());
    }

    static String sha256(Path p) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(p)));
    }

    /** The test user's live FUSE daemons serving a file of this test. */
    static String ourDaemons() {
        return Commands.run("ps", "-u", String.valueOf(user.uid()), "-o", "stat=,args=")
                .stdout()
                .lines()
                .filter(l -> !l.startsWith("Z") && l.contains(work.toString()))
                .filter(l -> l.contains("fuse2fs") || l.contains("fuse-overlayfs") || l.contains("squashfuse"))
                .collect(Collectors.joining("\n"));
    }

    @AfterEach
    void nothingLeftRunning() throws Exception {
        for (int i = 0; i < 100 && !ourDaemons().isEmpty(); i++) {
            Thread.sleep(50);
        }
        assertEquals("", ourDaemons(), "FUSE daemons left running");
        assertEquals(
                "",
                Commands.run("sh", "-c", "grep " + work + " /proc/self/mountinfo || true")
                        .stdout(),
                "mounts left");
    }

    @Test
    void writableImagePersistsAcrossLaunchesAndIsCleanAfterEach() throws Exception {
        Path img = newImage("persist.img", "--size", "64", "--create-dir", "/opt/env");
        ok("exec", "--overlay", img.toString(), rootfs.toString(), "sh", "-c", "echo kept > /opt/env/a; echo x > /b");
        assertClean(img);
        assertEquals(
                "kept\nx\n", ok("exec", "--overlay", img.toString(), rootfs.toString(), "cat", "/opt/env/a", "/b"));
        ok("exec", "--overlay", img.toString(), rootfs.toString(), "rm", "/b");
        assertClean(img);
        Result gone = jsing("exec", "--overlay", img.toString(), rootfs.toString(), "cat", "/b");
        assertEquals(1, gone.exitCode(), gone.describe());
        assertTrue(gone.stderr().contains("No such file"), gone.describe());
        // The changes are in the overlay, not in the image.
        assertEquals(
                1, jsing("exec", rootfs.toString(), "test", "-e", "/opt/env").exitCode());
        assertClean(img);
    }

    @Test
    void theWritersMonitorPassesStatusAndSignalsOn() {
        Path img = newImage("status.img", "--size", "64");
        String o = img.toString();
        assertEquals(
                7,
                jsing("exec", "--overlay", o, rootfs.toString(), "sh", "-c", "echo a > /a; exit 7")
                        .exitCode());
        assertEquals(
                7,
                jsing("exec", "--pid", "--overlay", o, rootfs.toString(), "sh", "-c", "exit 7")
                        .exitCode());
        assertEquals(
                143,
                jsing("exec", "--overlay", o, rootfs.toString(), "sh", "-c", "kill -TERM $$")
                        .exitCode());
        assertEquals("a\n", ok("exec", "--pid", "--overlay", o, rootfs.toString(), "cat", "/a"));
        assertClean(img);
    }

    @Test
    void readOnlyImageIsALayerThatRefusesWrites() throws Exception {
        Path img = newImage("ro.img", "--size", "64", "--create-dir", "/data");
        ok("exec", "--overlay", img.toString(), rootfs.toString(), "sh", "-c", "echo base > /data/f");
        String before = sha256(img);
        Result r = jsing("exec", "--overlay", img + ":ro", rootfs.toString(), "sh", "-c", "cat /data/f; touch /data/g");
        assertEquals(1, r.exitCode(), r.describe());
        assertEquals("base\n", r.stdout());
        assertTrue(r.stderr().contains("Read-only file system"), r.describe());
        assertEquals(before, sha256(img), "a :ro image was modified");
        assertClean(img);
    }

    @Test
    void layersStackInCommandLineOrderWithTheWritableImageOnTop() throws Exception {
        Path img = newImage("top.img", "--size", "64");
        String dir = work.resolve("dir") + ":ro";
        String sqfs = work.resolve("layer.sqfs") + ":ro";
        String script = "cat /layer/which /layer/only-dir /layer/only-squashfs; echo top > /layer-top; cat /layer-top";
        assertEquals(
                "from-dir\nd\ns\ntop\n",
                ok("exec", "-o", sqfs, "-o", dir, "-o", img.toString(), rootfs.toString(), "sh", "-c", script));
        // Reversed (and as one comma list): the squashfs is on top now; the writable image is on top wherever given.
        assertEquals(
                "from-squashfs\nd\ns\ntop\n",
                ok("exec", "-o", img + "," + dir + "," + sqfs, rootfs.toString(), "sh", "-c", script));
        assertClean(img);
    }

    @Test
    void aSifWithoutAnOverlayPartitionIsItsRootFilesystemAsALayer() {
        assertEquals(
                "from-squashfs\n",
                ok("exec", "--overlay", work.resolve("layer.sif") + ":ro", rootfs.toString(), "cat", "/layer/which"));
        Result rw = jsing("exec", "--overlay", work.resolve("layer.sif").toString(), rootfs.toString(), "true");
        assertEquals(ExitCodes.USAGE, rw.exitCode(), rw.describe());
        assertTrue(rw.stderr().contains("read-only squashfs image: use it as a layer with --overlay "), rw.describe());
    }

    @Test
    void aSifsEmbeddedOverlayIsUsedReadOnlyByDefault() throws Exception {
        Path sif = work.resolve("embedded.sif");
        Siftool.primarySif(sif, rootfs);
        user.own(sif);
        ok("overlay", "create", "--size", "64", "--create-dir", "/opt/made-in-overlay", sif.toString());
        Result r =
                jsing("exec", sif.toString(), "sh", "-c", "ls -d /opt/made-in-overlay; touch /opt/made-in-overlay/x");
        assertEquals(1, r.exitCode(), r.describe());
        assertEquals("/opt/made-in-overlay\n", r.stdout());
        assertTrue(r.stderr().contains("Read-only file system"), r.describe());
        // The same SIF's embedded overlay as an --overlay layer of another image.
        assertEquals(
                "/opt/made-in-overlay\n",
                ok("exec", "--overlay", sif + ":ro", rootfs.toString(), "ls", "-d", "/opt/made-in-overlay"));
        // --writable: the embedded overlay is the writable layer; the changes persist in the SIF.
        ok("exec", "--writable", sif.toString(), "sh", "-c", "echo in-sif > /opt/made-in-overlay/x");
        assertEquals("in-sif\n", ok("exec", sif.toString(), "cat", "/opt/made-in-overlay/x"));
        long offset = dev.jsing.runner.image.LayerImages.sifOverlay(sif.toString())
                .orElseThrow()
                .offset();
        Result fsck = Commands.run("e2fsck", "-fn", sif + "?offset=" + offset);
        assertEquals(0, fsck.exitCode(), fsck.describe());
        // A plain SIF stays refused (no overlay partition).
        Path plain = work.resolve("plain.sif");
        Siftool.primarySif(plain, rootfs);
        user.own(plain);
        Result w = jsing("exec", "--writable", plain.toString(), "true");
        assertEquals(ExitCodes.USAGE, w.exitCode(), w.describe());
    }

    @Test
    void aFullImageSaysNoSpaceInsideAndStaysClean() {
        Path img = newImage("full.img", "--size", "64");
        Result r = jsing(
                "exec",
                "--overlay",
                img.toString(),
                rootfs.toString(),
                "sh",
                "-c",
                "dd if=/dev/zero of=/big bs=1M count=100 2>&1; echo dd=$?");
        assertEquals(0, r.exitCode(), r.describe());
        assertTrue(r.stdout().contains("No space left on device"), r.describe());
        assertTrue(r.stdout().contains("dd=1"), r.describe());
        assertClean(img);
        ok("exec", "--overlay", img.toString(), rootfs.toString(), "rm", "/big");
        assertClean(img);
    }

    @Test
    void aCorruptImageIsOneLineAndLeftAsItWas() throws Exception {
        Path img = newImage("corrupt.img", "--size", "64");
        // Zero the group descriptors (block 2 of a 1 KiB-block file system): the superblock magic stays.
        Commands.ok("dd", "if=/dev/zero", "of=" + img, "bs=1024", "seek=2", "count=4", "conv=notrunc", "status=none");
        String before = sha256(img);
        Result r = jsing("exec", "--overlay", img.toString(), rootfs.toString(), "true");
        assertEquals(ExitCodes.BAD_IMAGE, r.exitCode(), r.describe());
        assertEquals(1, r.stderr().lines().count(), r.describe());
        assertTrue(
                r.stderr().startsWith("jsing: error: ")
                        && r.stderr().contains("is damaged (corrupt group descriptor 0)"),
                r.describe());
        assertEquals(before, sha256(img), "a corrupt image was modified");
        // Not a file system at all: refused before any daemon starts.
        Path junk = work.resolve("junk.img");
        Files.writeString(junk, "not an image\n");
        user.own(junk);
        Result j = jsing("exec", "--overlay", junk.toString(), rootfs.toString(), "true");
        assertEquals(ExitCodes.BAD_IMAGE, j.exitCode(), j.describe());
        assertTrue(j.stderr().contains("is not an overlay image"), j.describe());
    }

    @Test
    void missingForeignAndSquashfsWithoutRoAreOneLineEach() throws Exception {
        Result missing = jsing("exec", "--overlay", work.resolve("nope.img").toString(), rootfs.toString(), "true");
        assertEquals(ExitCodes.NOT_FOUND, missing.exitCode(), missing.describe());
        assertEquals(
                "jsing: error: overlay " + work.resolve("nope.img")
                        + " does not exist (make one with jsing overlay create)\n",
                missing.stderr());
        assertFalse(Files.exists(work.resolve("nope.img")), "a missing image was made as a directory");

        Path foreign = work.resolve("foreign.img");
        Files.copy(newImage("mine.img", "--size", "64"), foreign);
        Commands.ok("chown", "0:0", foreign.toString());
        Commands.ok("chmod", "666", foreign.toString()); // writable, but another user's
        Result f = jsing("exec", "--overlay", foreign.toString(), rootfs.toString(), "true");
        assertEquals(ExitCodes.CANT_CREATE, f.exitCode(), f.describe());
        assertTrue(f.stderr().contains("belongs to uid 0, not to you"), f.describe());
        assertEquals(1, f.stderr().lines().count(), f.describe());
        ok("exec", "--overlay", foreign + ":ro", rootfs.toString(), "true"); // readable: a layer

        Result sq = jsing("exec", "--overlay", work.resolve("layer.sqfs").toString(), rootfs.toString(), "true");
        assertEquals(ExitCodes.USAGE, sq.exitCode(), sq.describe());
        assertEquals(1, sq.stderr().lines().count(), sq.describe());
    }

    @Test
    void overlayFromTheEnvironmentIsACommaList() {
        Path img = newImage("env.img", "--size", "64");
        Result r = user.run(
                TestDist.jsing("exec", rootfs.toString(), "sh", "-c", "cat /layer/which; echo e > /env-was-here"),
                Map.of("JSING_TMPDIR", work.toString(), "APPTAINER_OVERLAY", work.resolve("dir") + ":ro, " + img),
                work,
                Duration.ofMinutes(2));
        assertEquals(0, r.exitCode(), r.describe());
        assertEquals("from-dir\n", r.stdout());
        assertEquals("e\n", ok("exec", "--overlay", img + ":ro", rootfs.toString(), "cat", "/env-was-here"));
        assertClean(img);
    }
}
