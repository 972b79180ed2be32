package dev.jsing.runner.build;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.jsing.runner.testing.Commands;
import dev.jsing.runner.testing.Result;
import dev.jsing.runner.testing.TestDist;
import dev.jsing.runner.testing.TestUser;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;

/** Helpers for build ITs: run the installed jsing as the test user in a work dir, inspect SIFs with real tools. */
final class BuildSupport {
    final TestUser user = TestUser.get();
    final Path dir;
    final Path tmpdir;

    BuildSupport(String prefix) {
        dir = user.newDir(prefix);
        tmpdir = dir.resolve("jsing-tmp");
        write("jsing-tmp/.keep", "");
        Path d = dir;
        Runtime.getRuntime().addShutdownHook(new Thread(() -> Commands.run("rm", "-rf", d.toString())));
    }

    Path write(String rel, String content) {
        try {
            Path p = dir.resolve(rel);
            Files.createDirectories(p.getParent());
            Files.writeString(p, content);
            user.own(dir);
            return p;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** {@code jsing ARGS} as the test user in {@link #dir}, with a private JSING_TMPDIR. */
    Result jsing(Duration timeout, Map<String, String> env, String... args) {
        Map<String, String> e = new java.util.HashMap<>(env);
        e.put("JSING_TMPDIR", tmpdir.toString());
        return user.run(TestDist.jsing(args), e, dir, timeout);
    }

    Result jsing(String... args) {
        return jsing(Duration.ofMinutes(3), Map.of(), args);
    }

    Result ok(String... args) {
        Result r = jsing(args);
        assertEquals(0, r.exitCode(), String.join(" ", args) + "\n" + r.describe());
        return r;
    }

    /** Nothing left in the private temp dir, and no half-written file beside the destination. */
    void assertClean() {
        try (var s = Files.list(tmpdir)) {
            List<String> left = new ArrayList<>();
            s.filter(p -> !p.getFileName().toString().equals(".keep")).forEach(p -> left.add(p.toString()));
            assertEquals(List.of(), left, "temporary files left behind");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        try (var s = Files.list(dir)) {
            List<String> half = new ArrayList<>();
            s.filter(p -> p.getFileName().toString().contains(".jsing-build-")).forEach(p -> half.add(p.toString()));
            assertEquals(List.of(), half, "half-written outputs left behind");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static String sha256(Path p) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(p)));
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    /** {@code siftool list} rows: "TYPE" column values in order. */
    static List<String> siftoolTypes(Path sif) {
        String out = Commands.ok("siftool", "list", sif.toString());
        List<String> types = new ArrayList<>();
        for (String line : out.split("\n")) {
            String[] f = line.split("\\|");
            if (f.length == 5 && f[0].trim().matches("\\d+")) {
                types.add(f[4].trim());
            }
        }
        return types;
    }

    /** Offset of the squashfs partition from siftool list. */
    static long partitionOffset(Path sif) {
        for (String line : Commands.ok("siftool", "list", sif.toString()).split("\n")) {
            if (line.contains("Squashfs")) {
                return Long.parseLong(line.split("\\|")[3].trim().split("-")[0]);
            }
        }
        throw new AssertionError("no squashfs partition in " + sif);
    }

    /** A file's contents inside the SIF's squashfs, read with unsquashfs. */
    static String cat(Path sif, String path) {
        return Commands.ok("unsquashfs", "-cat", "-o", String.valueOf(partitionOffset(sif)), sif.toString(), path);
    }

    /** The listing of the SIF's squashfs (paths without the squashfs-root prefix). */
    static List<String> list(Path sif) {
        List<String> out = new ArrayList<>();
        for (String l : Commands.ok("unsquashfs", "-l", "-o", String.valueOf(partitionOffset(sif)), sif.toString())
                .split("\n")) {
            if (l.startsWith("squashfs-root/")) {
                out.add(l.substring("squashfs-root".length()));
            }
        }
        return out;
    }

    static Duration minutes(int m) {
        return Duration.ofMinutes(m);
    }
}
