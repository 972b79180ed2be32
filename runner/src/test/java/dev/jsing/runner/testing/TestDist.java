package dev.jsing.runner.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;

/**
 * The jsing distribution under test: {@code runner/target/jsing-dist} (assembled at {@code package}, before failsafe
 * runs), copied once per JVM into a world-readable directory under /tmp so the unprivileged test user can run it even
 * when the checkout lives in root's home. Removed when the JVM exits.
 */
public final class TestDist {
    private static Path installed;

    private TestDist() {}

    /** The installed prefix; {@code prefix().resolve("bin/jsing")} is the tool. */
    public static synchronized Path prefix() {
        if (installed == null) {
            installed = install();
        }
        return installed;
    }

    /** Path of the installed {@code jsing} launcher script. */
    public static String jsing() {
        return prefix().resolve("bin/jsing").toString();
    }

    /** {@code [jsing, args...]}. */
    public static List<String> jsing(String... args) {
        List<String> argv = new ArrayList<>();
        argv.add(jsing());
        argv.addAll(List.of(args));
        return argv;
    }

    /** The checkout's root directory. */
    public static Path projectRoot() {
        String root = System.getProperty("jsing.root");
        if (root != null) {
            return Path.of(root);
        }
        Path p = Path.of("").toAbsolutePath();
        while (p != null && !Files.exists(p.resolve("mvnw"))) {
            p = p.getParent();
        }
        if (p == null) {
            throw new IllegalStateException(
                    "cannot find the project root from " + Path.of("").toAbsolutePath());
        }
        return p;
    }

    /** {@code ../shared} beside the checkout (fixtures and docs). */
    public static Path shared() {
        String s = System.getProperty("jsing.shared");
        return s != null ? Path.of(s) : projectRoot().resolveSibling("shared");
    }

    private static Path install() {
        Path src = projectRoot().resolve("runner/target/jsing-dist");
        if (!Files.isExecutable(src.resolve("bin/jsing"))) {
            throw new IllegalStateException(src + " is missing: run 'mvn package' first");
        }
        try {
            Path dst = Files.createTempDirectory(Path.of("/tmp"), "jsing-it-dist-");
            Files.setPosixFilePermissions(dst, PosixFilePermissions.fromString("rwxr-xr-x"));
            Commands.ok("cp", "-R", src + "/.", dst.toString());
            Commands.ok("chmod", "-R", "a+rX", dst.toString());
            Runtime.getRuntime().addShutdownHook(new Thread(() -> Commands.run("rm", "-rf", dst.toString())));
            return dst;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
