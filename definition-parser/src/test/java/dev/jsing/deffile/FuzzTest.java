package dev.jsing.deffile;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jsing.common.fuzz.Fuzz;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Random and mutated definitions only ever give a model or a one-line {@link DefinitionException} (no other
 * exception, no hang, no OutOfMemoryError); every model they give survives canonical text. Seeded (fixed by default,
 * so CI reproduces), counts and a longer run: see {@link Fuzz} and {@code bench/fuzz.sh}.
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

    private static final Duration PER_INPUT = Duration.ofSeconds(10);

    @Test
    void randomFragmentSoupGivesModelOrCleanError() {
        Fuzz.Report r = Fuzz.run(Fuzz.Settings.of("deffile-fragments", 20240601L, 3000, PER_INPUT), (rnd, i) -> {
            StringBuilder b = new StringBuilder();
            int n = rnd.nextInt(30);
            for (int k = 0; k < n; k++) {
                b.append(FRAGMENTS[rnd.nextInt(FRAGMENTS.length)]);
            }
            return check(b.toString());
        });
        assertTrue(
                r.inputs() < 100 || r.results() > r.inputs() / 30,
                "too few inputs parsed, the fuzzing exercises little: " + r);
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
        Fuzz.Report r = Fuzz.run(Fuzz.Settings.of("deffile-mutants", 7L, 3000, PER_INPUT), (rnd, i) -> {
            StringBuilder b = new StringBuilder(corpus.get(rnd.nextInt(corpus.size())));
            int edits = 1 + rnd.nextInt(4);
            for (int e = 0; e < edits && b.length() > 0; e++) {
                int at = rnd.nextInt(b.length());
                switch (rnd.nextInt(4)) {
                    case 0 -> b.deleteCharAt(at);
                    case 1 -> b.insert(at, FRAGMENTS[rnd.nextInt(FRAGMENTS.length)]);
                    case 2 -> b.setCharAt(at, (char) rnd.nextInt(128));
                    default -> b.insert(at, b.substring(at, Math.min(b.length(), at + rnd.nextInt(40))));
                }
            }
            return check(b.toString());
        });
        assertTrue(
                r.inputs() < 100 || r.results() > r.inputs() / 10,
                "too few mutated files parsed, the fuzzing exercises little: " + r);
    }

    @Test
    void randomBytesAreDecodedOrRejected() {
        Fuzz.run(Fuzz.Settings.of("deffile-bytes", 99L, 2000, PER_INPUT), (rnd, i) -> {
            byte[] bytes = new byte[rnd.nextInt(200)];
            rnd.nextBytes(bytes);
            if (rnd.nextBoolean()) {
                for (int k = 0; k < bytes.length; k++) {
                    bytes[k] = (byte) (bytes[k] & 0x7f);
                }
            }
            try {
                return check(DefinitionReader.decode("fuzz.def", bytes));
            } catch (DefinitionException e) {
                return Fuzz.Outcome.error("DefinitionException", e.getMessage());
            }
        });
    }

    /**
     * What the fuzzing found, each pinned: a header value ending in blanks (from a continued line) lost them in
     * canonical text; a lone CR started a line for stage splitting (Go's, and so Apptainer's, multi-line {@code ^}
     * follows LF only), splitting a stage inside a script; a body line ending in CR lost it in canonical text.
     */
    @Test
    void foundInputsStayFixed() throws DefinitionException {
        String blanks = "Bootstrap: docker\nFrom: alpine  \\\n\n%post\n    true\n";
        assertEquals(Fuzz.Outcome.result(), check(blanks));
        assertEquals(
                "alpine  ",
                DefinitionParser.parse("f.def", blanks).stages().get(0).header().get("from"));

        String loneCr = "Bootstrap: docker\n%post\n    echo a\rBootstrap: docker\n";
        assertEquals(Fuzz.Outcome.result(), check(loneCr));
        assertEquals(1, DefinitionParser.parse("f.def", loneCr).stages().size(), "a lone CR starts no stage");

        String crBeforeLf = "Bootstrap: docker\n%post\n    echo a\r\r\n";
        assertEquals(Fuzz.Outcome.result(), check(crBeforeLf));
        assertEquals(
                "    echo a\r\n",
                DefinitionParser.parse("f.def", crBeforeLf)
                        .stages()
                        .get(0)
                        .sections()
                        .get(0)
                        .body());
    }

    /** A result when {@code text} gave a model (which must survive canonical text), else the clean error. */
    private static Fuzz.Outcome check(String text) {
        try {
            Definition d =
                    DefinitionLoader.load("fuzz.def", text, TemplateArgs.none()).definition();
            assertEquals(
                    d,
                    DefinitionParser.parse("canonical.def", DefinitionText.canonical(d)),
                    () -> text.replace("\r", "<CR>").replace("\t", "<TAB>"));
            return Fuzz.Outcome.result();
        } catch (DefinitionException e) {
            return Fuzz.Outcome.error("DefinitionException", e.getMessage());
        } catch (RuntimeException e) {
            throw new AssertionError(
                    "unexpected " + e + " for input " + Chars.quote(text) + " [" + text.replace("\n", "\\n") + "]", e);
        }
    }
}
