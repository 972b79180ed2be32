package dev.jsing.runner.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

/**
 * Golden files under {@code runner/src/test/resources/golden/} (the source tree, not the test classpath, so that they
 * can be rewritten): the test compares its output with the file; with {@code -Djsing.golden.update=true} it rewrites
 * the file from the current output instead (then review the diff with {@code git diff}).
 */
public final class Golden {
    /** The golden directory of this module's source tree (surefire runs in the module directory). */
    public static final Path ROOT = Path.of("src/test/resources/golden").toAbsolutePath();

    private Golden() {}

    /** Whether this run rewrites golden files. */
    public static boolean updating() {
        return Boolean.getBoolean("jsing.golden.update");
    }

    /** Asserts that {@code file} (under {@link #ROOT}) holds exactly {@code actual}, or rewrites it when updating. */
    public static void assertMatches(Path file, String actual) {
        try {
            if (updating()) {
                Files.createDirectories(file.getParent());
                Files.writeString(file, actual, StandardCharsets.UTF_8);
                return;
            }
            if (!Files.exists(file)) {
                throw new AssertionError(file + " is missing: run with -Djsing.golden.update=true to create it");
            }
            assertEquals(
                    Files.readString(file, StandardCharsets.UTF_8),
                    actual,
                    "differs from " + ROOT.relativize(file)
                            + " (rewrite with -Djsing.golden.update=true and review the diff)");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The case directories under {@code ROOT/group}, sorted by name. */
    public static List<Path> caseDirs(String group) {
        try (Stream<Path> s = Files.list(ROOT.resolve(group))) {
            return s.filter(Files::isDirectory).sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
