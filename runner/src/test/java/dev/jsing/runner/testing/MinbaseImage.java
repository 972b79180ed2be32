package dev.jsing.runner.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;

/**
 * Small root filesystem images for launcher tests, built once per machine into a shared cache ({@code
 * JSING_TEST_CACHE}, default {@code /var/tmp/jsing-test-cache}) and reused by every test class and run. Files are
 * world-readable so the unprivileged test user can mount them. Each image is built in a temporary file and renamed
 * into place, so concurrent builders never see a half-written image.
 *
 * <ul>
 *   <li>{@link #busybox()}: a squashfs of Debian's busybox-static with the common applets, in well under a second;
 *       the default for starter and launcher tests.
 *   <li>{@link #minbase()}: {@code debootstrap --variant=minbase bookworm} as a squashfs (minutes, needs the Debian
 *       mirror once), for tests that need a real distribution (apt, bash, coreutils, dynamic libraries).
 * </ul>
 */
public final class MinbaseImage {
    /** The applets linked in the busybox image's /bin. */
    public static final List<String> APPLETS = List.of(
            "sh",
            "id",
            "cat",
            "ls",
            "echo",
            "sleep",
            "touch",
            "mkdir",
            "stat",
            "readlink",
            "true",
            "false",
            "kill",
            "pwd",
            "hostname",
            "env",
            "grep",
            "test",
            "[",
            "rm",
            "wc",
            "head",
            "tr",
            "printf",
            "mount",
            "ps",
            "uname",
            "date",
            "cp",
            "chmod",
            "ln",
            "sed",
            "awk",
            "dd",
            "find");

    private MinbaseImage() {}

    /** The shared cache directory (created world-readable). */
    public static synchronized Path cacheDir() {
        String env = System.getenv("JSING_TEST_CACHE");
        Path dir = Path.of(env != null && !env.isEmpty() ? env : "/var/tmp/jsing-test-cache");
        try {
            Files.createDirectories(dir);
            if (Files.getOwner(dir).getName().equals(System.getProperty("user.name"))) {
                Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxr-xr-x"));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return dir;
    }

    /** A busybox-static root filesystem as a squashfs (owned by root inside, /bin with {@link #APPLETS}). */
    /**
     * A private, world-readable copy of {@link #busybox()} at {@code target}: a path of the test's own, so that the
     * squashfuse daemon serving it (and only it) can be found by its command line while other tests run beside it.
     */
    public static Path busyboxCopy(Path target) throws IOException {
        Files.copy(busybox(), target);
        Commands.ok("chmod", "a+r", target.toString());
        return target;
    }

    public static synchronized Path busybox() {
        Path img = cacheDir().resolve("busybox-v1.sqfs");
        if (Files.isRegularFile(img)) {
            return img;
        }
        Path busybox = Path.of("/bin/busybox");
        if (!Files.isExecutable(busybox)
                || !Commands.run("/bin/busybox", "--list").stdout().contains("sh\n")) {
            throw new IllegalStateException(
                    "busybox-static is missing: run scripts/setup-host.sh --test (apt-get install busybox-static)");
        }
        Path root = null;
        try {
            root = Files.createTempDirectory(cacheDir(), "busybox-root-");
            for (String d : List.of("bin", "etc", "proc", "sys", "dev", "tmp", "var/tmp", "home", "root", "usr/bin")) {
                Files.createDirectories(root.resolve(d));
            }
            Files.copy(busybox, root.resolve("bin/busybox"));
            for (String a : APPLETS) {
                Files.createSymbolicLink(root.resolve("bin").resolve(a), Path.of("busybox"));
            }
            Files.writeString(root.resolve("etc/passwd"), "root:x:0:0:root:/root:/bin/sh\n");
            Files.writeString(root.resolve("etc/group"), "root:x:0:\n");
            Files.writeString(root.resolve("etc/hostname"), "busybox-image\n");
            // A dangling absolute link, as images often have for /etc/localtime.
            Files.createSymbolicLink(root.resolve("etc/localtime"), Path.of("/usr/share/zoneinfo/Etc/UTC"));
            Commands.ok("chmod", "-R", "a+rX", root.toString());
            Commands.ok(
                    "chmod",
                    "1777",
                    root.resolve("tmp").toString(),
                    root.resolve("var/tmp").toString());
            squash(root, img);
            return img;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } finally {
            if (root != null) {
                Commands.run("rm", "-rf", root.toString());
            }
        }
    }

    /** {@code debootstrap --variant=minbase bookworm} as a squashfs; slow the first time on a machine. */
    public static synchronized Path minbase() {
        Path img = cacheDir().resolve("bookworm-minbase.sqfs");
        if (Files.isRegularFile(img)) {
            return img;
        }
        Path root = null;
        try {
            root = Files.createTempDirectory(cacheDir(), "minbase-root-");
            String mirror = System.getenv().getOrDefault("JSING_DEBIAN_MIRROR", "http://deb.debian.org/debian");
            Result r = Commands.run(
                    List.of("debootstrap", "--variant=minbase", "bookworm", root.toString(), mirror),
                    null,
                    null,
                    Duration.ofMinutes(20));
            if (r.exitCode() != 0) {
                throw new IllegalStateException(
                        "debootstrap failed (needs root and the Debian mirror)\n" + r.describe());
            }
            squash(root, img);
            return img;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } finally {
            if (root != null) {
                Commands.run("rm", "-rf", root.toString());
            }
        }
    }

    private static void squash(Path root, Path img) throws IOException {
        Path tmp = Files.createTempFile(img.getParent(), img.getFileName().toString(), ".tmp");
        Files.delete(tmp);
        Result r = Commands.run(
                List.of(
                        "mksquashfs",
                        root.toString(),
                        tmp.toString(),
                        "-all-root",
                        "-noappend",
                        "-quiet",
                        "-comp",
                        "gzip"),
                null,
                null,
                Duration.ofMinutes(10));
        if (r.exitCode() != 0) {
            throw new IllegalStateException("mksquashfs failed\n" + r.describe());
        }
        Files.setPosixFilePermissions(tmp, PosixFilePermissions.fromString("rw-r--r--"));
        Files.move(tmp, img, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    }
}
