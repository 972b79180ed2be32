package dev.jsing.deffile;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Random and mutated definitions (fixed seeds, so failures reproduce) only ever give a model or a one-line
 * {@link DefinitionException}; every model they give survives canonical text.
 */
class FuzzTest {
    private static final String[] FRAGMENTS = {
        "Bootstrap: docker\n",
        "bootstrap:",
        "From: ubuntu\n",
        "Stage: s1\n",
        "Stage: s2\n",
        "%post\n",
        "%files\n",
        "%files from s1\n",
        "%files from s2 # c\n",
        "%labels\n",
        "%arguments\n",
        "X=1\n",
        "{{ X }}",
        "{{Y}}",
        "# c\n",
        "#!/bin/sh\n",
        "  %post\n",
        "%apprun a\n",
        "%appfiles b\n",
        "%apprun\n",
        "\"a b\" c\n",
        "\"open\n",
        "\\\n",
        "\\n\\\n",
        "\r\n",
        "\n",
        "  ",
        "\t",
        "%",
        "#",
        ":",
        "OtherURL3: x\n",
        "%psot\n",
        "Key Value\n",
        "echo hi\n",
        "\u00e9",
        "\u2028",
        "%files form s1\n",
        "%runscript -c /bin/bash # x\n",
        "\0",
    };

    @Test
    void randomFragmentSoupGivesModelOrCleanError() {
        Random r = new Random(20240601L);
        assertTimeoutPreemptively(Duration.ofSeconds(30), () -> {
            int models = 0;
            for (int i = 0; i < 3000; i++) {
                StringBuilder b = new StringBuilder();
                int n = r.nextInt(30);
                for (int k = 0; k < n; k++) {
                    b.append(FRAGMENTS[r.nextInt(FRAGMENTS.length)]);
                }
                models += check(b.toString()) ? 1 : 0;
            }
            assertTrue(models > 100, "too few inputs parsed, the fuzzing exercises little: " + models);
        });
    }

    @Test
    void mutatedCorpusFilesGiveModelOrCleanError() {
        List<String> corpus = new ArrayList<>();
        for (String kind : List.of("good", "bad")) {
            for (CorpusCase c : CorpusCase.all(kind)) {
                try {
                    corpus.add(new String(Files.readAllBytes(c.dir().resolve("input.def")), StandardCharsets.UTF_8));
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            }
        }
        Random r = new Random(7L);
        assertTimeoutPreemptively(Duration.ofSeconds(30), () -> {
            int models = 0;
            for (int i = 0; i < 3000; i++) {
                StringBuilder b = new StringBuilder(corpus.get(r.nextInt(corpus.size())));
                int edits = 1 + r.nextInt(4);
                for (int e = 0; e < edits && b.length() > 0; e++) {
                    int at = r.nextInt(b.length());
                    switch (r.nextInt(4)) {
                        case 0 -> b.deleteCharAt(at);
                        case 1 -> b.insert(at, FRAGMENTS[r.nextInt(FRAGMENTS.length)]);
                        case 2 -> b.setCharAt(at, (char) r.nextInt(128));
                        default -> b.insert(at, b.substring(at, Math.min(b.length(), at + r.nextInt(40))));
                    }
                }
                models += check(b.toString()) ? 1 : 0;
            }
            assertTrue(models > 300, "too few mutated files parsed, the fuzzing exercises little: " + models);
        });
    }

    @Test
    void randomBytesAreDecodedOrRejected() {
        Random r = new Random(99L);
        for (int i = 0; i < 2000; i++) {
            byte[] bytes = new byte[r.nextInt(200)];
            r.nextBytes(bytes);
            if (r.nextBoolean()) {
                for (int k = 0; k < bytes.length; k++) {
                    bytes[k] = (byte) (bytes[k] & 0x7f);
                }
            }
            try {
                check(DefinitionReader.decode("fuzz.def", bytes));
            } catch (DefinitionException e) {
                assertFalse(e.getMessage().contains("\n"), e.getMessage());
            }
        }
    }

    /** True when {@code text} gave a model (which must survive canonical text), false for a clean error. */
    private static boolean check(String text) {
        try {
            Definition d =
                    DefinitionLoader.load("fuzz.def", text, TemplateArgs.none()).definition();
            assertEquals(d, DefinitionParser.parse("canonical.def", DefinitionText.canonical(d)), text);
            return true;
        } catch (DefinitionException e) {
            assertFalse(e.getMessage().contains("\n"), e.getMessage());
            return false;
        } catch (RuntimeException e) {
            throw new AssertionError(
                    "unexpected " + e + " for input " + Chars.quote(text) + " [" + text.replace("\n", "\\n") + "]", e);
        }
    }
}
