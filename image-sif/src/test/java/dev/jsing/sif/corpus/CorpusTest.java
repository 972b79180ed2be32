package dev.jsing.sif.corpus;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The CI diff check of the corpus (sylabs/sif reruns {@code gen_sifs.go} and runs {@code git diff --exit-code}): the
 * images regenerated into a temporary directory must equal the committed ones byte for byte, and the committed
 * directory must hold nothing else. A writer change that alters output fails here; if the change is intended, run
 * with {@code -Djsing.corpus.update=true} to rewrite {@code src/test/resources/corpus} and review the diff.
 */
class CorpusTest {
    static final String UPDATE = "jsing.corpus.update";

    @TempDir
    Path tmp;

    @Test
    void committedCorpusIsWhatTheGeneratorWrites() throws IOException {
        if (Boolean.getBoolean(UPDATE)) {
            try (Stream<Path> old = Files.list(CorpusGenerator.COMMITTED)) {
                for (Path p : old.toList()) {
                    if (p.getFileName().toString().endsWith(".sif")) {
                        Files.delete(p);
                    }
                }
            } catch (java.nio.file.NoSuchFileException absent) {
                // first run: generate creates it
            }
            CorpusGenerator.generate(CorpusGenerator.COMMITTED);
        }
        CorpusGenerator.generate(tmp);
        List<String> problems = new ArrayList<>();
        for (String name : CorpusGenerator.names()) {
            Path committed = CorpusGenerator.COMMITTED.resolve(name);
            if (!Files.exists(committed)) {
                problems.add(name + ": not committed");
                continue;
            }
            byte[] want = Files.readAllBytes(committed);
            byte[] got = Files.readAllBytes(tmp.resolve(name));
            long at = java.util.Arrays.mismatch(want, got);
            if (at >= 0) {
                problems.add(name + ": differs at byte " + at + " (committed " + want.length + " bytes, generated "
                        + got.length + ")");
            }
        }
        try (Stream<Path> files = Files.list(CorpusGenerator.COMMITTED)) {
            files.map(p -> p.getFileName().toString())
                    .filter(n -> n.endsWith(".sif") && !CorpusGenerator.names().contains(n))
                    .sorted()
                    .forEach(n -> problems.add(n + ": committed but no longer generated"));
        }
        assertTrue(
                problems.isEmpty(),
                "corpus is out of date (run with -D" + UPDATE + "=true and review the diff):\n  "
                        + String.join("\n  ", problems));
    }

    @Test
    void generationIsRepeatable() throws IOException {
        Path a = tmp.resolve("a");
        Path b = tmp.resolve("b");
        CorpusGenerator.generate(a);
        CorpusGenerator.generate(b);
        for (String name : CorpusGenerator.names()) {
            assertEquals(-1, Files.mismatch(a.resolve(name), b.resolve(name)), name);
        }
    }

    @Test
    void corpusStaysSmall() throws IOException {
        CorpusGenerator.generate(tmp);
        long total = 0;
        for (String name : CorpusGenerator.names()) {
            long size = Files.size(tmp.resolve(name));
            assertTrue(size <= 40 * 1024, name + " is " + size + " bytes");
            total += size;
        }
        assertTrue(total < 256 * 1024, "corpus is " + total + " bytes");
    }
}
