package dev.jsing.runner.sif;

import dev.jsing.runner.testing.Commands;
import dev.jsing.runner.testing.Result;
import dev.jsing.runner.testing.TestDist;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

/** The reference corpus (../shared/fixtures/sif) and helpers shared by the SIF integration tests. */
final class SifFixtures {
    private SifFixtures() {}

    static Path dir() {
        return TestDist.shared().resolve("fixtures/sif");
    }

    /** Every {@code *.sif} fixture, sorted. */
    static List<Path> images() {
        try (Stream<Path> s = Files.list(dir())) {
            List<Path> all =
                    s.filter(p -> p.toString().endsWith(".sif")).sorted().toList();
            if (all.isEmpty()) {
                throw new AssertionError("no SIF fixtures in " + dir());
            }
            return all;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Runs the installed {@code jsing} with {@code args}. */
    static Result jsing(String... args) {
        return Commands.run(TestDist.jsing(args), null, null, java.time.Duration.ofMinutes(2));
    }

    /** The object IDs {@code siftool list} shows for {@code image}. */
    static List<String> ids(Path image) {
        return Commands.ok("siftool", "list", image.toString())
                .lines()
                .skip(3)
                .map(l -> l.substring(0, l.indexOf(' ')))
                .toList();
    }
}
