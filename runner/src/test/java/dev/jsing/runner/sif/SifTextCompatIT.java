package dev.jsing.runner.sif;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import dev.jsing.runner.testing.Commands;
import dev.jsing.runner.testing.Result;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * For every image of the reference corpus, {@code jsing sif list/header/info/dump} print exactly what Debian's siftool
 * prints (the whole text, byte for byte; dump as raw bytes).
 */
class SifTextCompatIT {
    @TempDir
    Path tmp;

    static List<Path> images() {
        return SifFixtures.images();
    }

    private static void assertSameStdout(List<String> siftoolArgs, String... jsingArgs) {
        Result want = Commands.run(siftoolArgs.toArray(String[]::new));
        assertEquals(0, want.exitCode(), want.describe());
        Result got = SifFixtures.jsing(jsingArgs);
        assertEquals(0, got.exitCode(), got.describe());
        assertEquals(want.stdout(), got.stdout(), "jsing " + String.join(" ", jsingArgs));
        assertEquals("", got.stderr());
    }

    @ParameterizedTest
    @MethodSource("images")
    void listMatchesSiftool(Path image) {
        assertSameStdout(List.of("siftool", "list", image.toString()), "sif", "list", image.toString());
    }

    @ParameterizedTest
    @MethodSource("images")
    void headerMatchesSiftool(Path image) {
        assertSameStdout(List.of("siftool", "header", image.toString()), "sif", "header", image.toString());
    }

    @ParameterizedTest
    @MethodSource("images")
    void infoOfEveryObjectMatchesSiftool(Path image) {
        for (String id : SifFixtures.ids(image)) {
            assertSameStdout(List.of("siftool", "info", id, image.toString()), "sif", "info", id, image.toString());
        }
    }

    @ParameterizedTest
    @MethodSource("images")
    void dumpOfEveryObjectMatchesSiftool(Path image) throws IOException {
        List<String> ids = SifFixtures.ids(image);
        for (String id : ids) {
            Path want = tmp.resolve("want-" + id);
            Path got = tmp.resolve("got-" + id);
            Commands.ok("sh", "-c", "siftool dump \"$0\" \"$1\" > \"$2\"", id, image.toString(), want.toString());
            Commands.ok(
                    "sh",
                    "-c",
                    "\"$0\" sif dump \"$1\" \"$2\" > \"$3\"",
                    dev.jsing.runner.testing.TestDist.jsing(),
                    id,
                    image.toString(),
                    got.toString());
            assertArrayEquals(Files.readAllBytes(want), Files.readAllBytes(got), "dump " + id + " " + image);
        }
        assertFalse(image.toString().isEmpty());
    }
}
