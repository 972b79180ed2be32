package dev.jsing.deffile;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.InputStream;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Huge and binary inputs are refused quickly, without reading them whole. */
class LargeInputTest {
    @Test
    void hundredMegabyteFileIsRefusedBeforeReading(@TempDir Path dir) throws Exception {
        Path big = dir.resolve("garbage.def");
        try (RandomAccessFile f = new RandomAccessFile(big.toFile(), "rw")) {
            f.setLength(100L * 1024 * 1024);
            f.write(new byte[] {(byte) 0xff, 'B', 'o', 'o', 't'});
        }
        try {
            DefinitionException e = assertTimeoutPreemptively(
                    Duration.ofSeconds(2),
                    () -> assertThrows(
                            DefinitionException.class, () -> DefinitionLoader.load(big, TemplateArgs.none())));
            assertTrue(e.getMessage().startsWith(big + ": file is 104857600 bytes, too large"), e.getMessage());
        } finally {
            Files.delete(big);
        }
    }

    @Test
    void endlessStreamIsCutAtTheLimit() {
        InputStream endless = new InputStream() {
            private final Random r = new Random(1);

            @Override
            public int read() {
                return 'a' + r.nextInt(26);
            }

            @Override
            public int read(byte[] b, int off, int len) {
                for (int i = 0; i < len; i++) {
                    b[off + i] = (byte) read();
                }
                return len;
            }
        };
        DefinitionException e = assertTimeoutPreemptively(
                Duration.ofSeconds(5),
                () -> assertThrows(DefinitionException.class, () -> DefinitionReader.read("stdin", endless)));
        assertTrue(e.getMessage().contains("too large"), e.getMessage());
    }

    @Test
    void binaryFileUnderTheLimitIsRejectedAtTheFirstBadByte(@TempDir Path dir) throws Exception {
        byte[] bytes = new byte[3 * 1024 * 1024];
        new Random(5).nextBytes(bytes);
        bytes[0] = 'A';
        bytes[1] = '\n';
        bytes[2] = 0;
        Path bin = Files.write(dir.resolve("bin.def"), bytes);
        DefinitionException e = assertTimeoutPreemptively(
                Duration.ofSeconds(2), () -> assertThrows(DefinitionException.class, () -> DefinitionReader.read(bin)));
        assertTrue(
                e.getMessage().equals(bin + ":2:1: binary data: a NUL byte '\\x00' (expected a UTF-8 text file)"),
                e.getMessage());
    }
}
