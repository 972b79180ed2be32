package dev.jsing.deffile;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Reads definition (and build-argument) files safely: at most {@link #MAX_BYTES}, refused before reading when the
 * file is larger; only UTF-8 text without NUL bytes. A 100 MB garbage file costs one {@code stat}.
 */
public final class DefinitionReader {
    /** The largest definition file accepted: 4 MiB (real ones are a few KiB). */
    public static final int MAX_BYTES = 4 * 1024 * 1024;

    private DefinitionReader() {}

    /**
     * The text of {@code file}.
     *
     * @throws IOException when it cannot be read
     * @throws DefinitionException when it is too large, binary or not UTF-8
     */
    public static String read(Path file) throws IOException, DefinitionException {
        String name = file.toString();
        if (Files.isDirectory(file)) {
            throw new IOException(name + ": is a directory, not a definition file");
        }
        if (Files.isRegularFile(file) && Files.size(file) > MAX_BYTES) {
            throw tooLarge(name, Files.size(file));
        }
        try (InputStream in = Files.newInputStream(file)) {
            return read(name, in);
        }
    }

    /** The text of {@code in}, reading at most {@link #MAX_BYTES} + 1 bytes; {@code name} is used in messages. */
    public static String read(String name, InputStream in) throws IOException, DefinitionException {
        byte[] bytes = in.readNBytes(MAX_BYTES + 1);
        if (bytes.length > MAX_BYTES) {
            throw tooLarge(name, -1);
        }
        return decode(name, bytes);
    }

    /** {@code bytes} as text; rejects NUL bytes and invalid UTF-8 with the line and column of the first bad byte. */
    public static String decode(String name, byte[] bytes) throws DefinitionException {
        int line = 1;
        int col = 1;
        int i = 0;
        while (i < bytes.length) {
            int b = bytes[i] & 0xff;
            int len = sequenceLength(bytes, i);
            if (b == 0) {
                throw DefinitionException.at(
                        name, line, col, "binary data: a NUL byte '\\x00' (expected a UTF-8 text file)");
            }
            if (len < 0) {
                throw DefinitionException.at(
                        name,
                        line,
                        col,
                        "invalid UTF-8 byte " + String.format("'\\x%02x'", b) + " (expected a UTF-8 text file)");
            }
            if (b == '\n') {
                line++;
                col = 1;
            } else {
                col++;
            }
            i += len;
        }
        return new String(bytes, StandardCharsets.UTF_8);
    }

    /** Length of the valid UTF-8 sequence at {@code i}, or -1 (overlong forms, surrogates and > U+10FFFF invalid). */
    private static int sequenceLength(byte[] a, int i) {
        int b = a[i] & 0xff;
        if (b < 0x80) {
            return 1;
        }
        int len;
        int min;
        int cp;
        if (b >= 0xc2 && b <= 0xdf) {
            len = 2;
            min = 0x80;
            cp = b & 0x1f;
        } else if (b >= 0xe0 && b <= 0xef) {
            len = 3;
            min = 0x800;
            cp = b & 0x0f;
        } else if (b >= 0xf0 && b <= 0xf4) {
            len = 4;
            min = 0x10000;
            cp = b & 0x07;
        } else {
            return -1;
        }
        if (i + len > a.length) {
            return -1;
        }
        for (int k = 1; k < len; k++) {
            int c = a[i + k] & 0xff;
            if ((c & 0xc0) != 0x80) {
                return -1;
            }
            cp = (cp << 6) | (c & 0x3f);
        }
        if (cp < min || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff)) {
            return -1;
        }
        return len;
    }

    private static DefinitionException tooLarge(String name, long size) {
        String what = size >= 0 ? "file is " + size + " bytes" : "input is over " + MAX_BYTES + " bytes";
        return DefinitionException.of(
                name, what + ", too large for a definition file (expected at most " + MAX_BYTES + " bytes of text)");
    }
}
