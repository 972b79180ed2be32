package dev.jsing.examples;

import dev.jsing.runner.testing.Commands;
import dev.jsing.runner.testing.MinbaseImage;
import dev.jsing.runner.testing.Result;
import dev.jsing.runner.testing.TestDist;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The MPI example images, built with {@code jsing build} by each example's {@code build.sh} once per machine and
 * kept in the shared test cache ({@link MinbaseImage#cacheDir()}) under a name keyed by the SHA-256 of everything
 * that goes into them (definition file, build script, sources, mpi.jar). A changed input builds a new image; an
 * unchanged one is reused by every test class and run. Built as the JVM's user (root in CI), world-readable.
 */
final class MpiImages {
    private MpiImages() {}

    /** examples/mpi-hello: Open MPI 4.1, /opt/hello and /opt/pingpong. */
    static synchronized Path hello() {
        Path ex = TestDist.projectRoot().resolve("examples/mpi-hello");
        Path pingpong = TestDist.projectRoot().resolve("bench/mpi-pingpong/pingpong.c");
        return build(
                "mpihello",
                List.of(ex.resolve("mpihello.def"), ex.resolve("build.sh"), ex.resolve("hello.c"), pingpong),
                ex.resolve("build.sh"),
                List.of());
    }

    /** examples/mpi-java: a JRE, libopenmpi3, mpi.jar and Ring.class. */
    static synchronized Path java() {
        Path ex = TestDist.projectRoot().resolve("examples/mpi-java");
        Path jar = mpiJar();
        return build(
                "mpijava",
                List.of(ex.resolve("mpijava.def"), ex.resolve("build.sh"), ex.resolve("Ring.java"), jar),
                ex.resolve("build.sh"),
                List.of(jar.toString()));
    }

    /** Open MPI's mpi.jar, built by scripts/build-mpi-jar.sh (scripts/test.sh runs it before Maven). */
    static Path mpiJar() {
        Path jar = MinbaseImage.cacheDir().resolve("mpi-java/mpi.jar");
        if (!Files.isRegularFile(jar)) {
            Result r = Commands.run(
                    List.of(
                            TestDist.projectRoot()
                                    .resolve("scripts/build-mpi-jar.sh")
                                    .toString(),
                            jar.getParent().toString()),
                    null,
                    null,
                    Duration.ofMinutes(5));
            if (r.exitCode() != 0) {
                throw new IllegalStateException("scripts/build-mpi-jar.sh failed\n" + r.describe());
            }
        }
        return jar;
    }

    /** Runs {@code script OUT.sif extraArgs...} unless the image for these inputs is cached. */
    private static Path build(String name, List<Path> inputs, Path script, List<String> extraArgs) {
        Path img = MinbaseImage.cacheDir().resolve(name + "-" + digest(inputs) + ".sif");
        if (Files.isRegularFile(img)) {
            return img;
        }
        try {
            Path tmp = Files.createTempFile(img.getParent(), name + "-", ".sif.tmp");
            List<String> argv = new ArrayList<>();
            argv.add(script.toString());
            argv.add(tmp.toString());
            argv.addAll(extraArgs);
            Map<String, String> env = new LinkedHashMap<>(System.getenv());
            env.put("JSING", TestDist.jsing());
            env.put(
                    "JSING_CACHEDIR",
                    MinbaseImage.cacheDir().resolve("jsing-cache").toString());
            Result r = Commands.run(argv, env, null, Duration.ofMinutes(20));
            if (r.exitCode() != 0) {
                // One retry: debootstrap fails now and then on a transient mirror error; the .deb cache makes it cheap.
                r = Commands.run(argv, env, null, Duration.ofMinutes(20));
            }
            if (r.exitCode() != 0) {
                Files.deleteIfExists(tmp);
                throw new IllegalStateException(name + ": build failed\n" + r.describe());
            }
            Commands.ok("chmod", "0644", tmp.toString());
            Files.move(tmp, img, StandardCopyOption.ATOMIC_MOVE);
            return img;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String digest(List<Path> inputs) {
        try {
            MessageDigest md = MessageDigest.getInstance("SHA-256");
            for (Path p : inputs) {
                md.update(p.getFileName().toString().getBytes(java.nio.charset.StandardCharsets.UTF_8));
                md.update(Files.readAllBytes(p));
            }
            return HexFormat.of().formatHex(md.digest()).substring(0, 16);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
