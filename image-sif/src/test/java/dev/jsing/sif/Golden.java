package dev.jsing.sif;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Golden files: {@code src/test/resources/golden/<TestName>/<case>.golden}. Run with {@code -Djsing.golden.update=true}
 * to rewrite them from the current output (then review the diff).
 */
public final class Golden {
    private static final Path ROOT = Path.of("src/test/resources/golden");

    private Golden() {}

    public static void assertMatches(String testName, String caseName, byte[] actual) throws IOException {
        Path file = ROOT.resolve(testName).resolve(caseName + ".golden");
        if (Boolean.getBoolean("jsing.golden.update")) {
            Files.createDirectories(file.getParent());
            Files.write(file, actual);
        }
        if (!Files.exists(file)) {
            throw new AssertionError(file + " is missing: run with -Djsing.golden.update=true to create it");
        }
        assertArrayEquals(Files.readAllBytes(file), actual, "bytes differ from " + file);
    }
}
