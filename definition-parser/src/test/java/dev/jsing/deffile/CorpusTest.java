package dev.jsing.deffile;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/**
 * The definition corpus: each good case's model must match {@code expected.json} (and {@code expected-warnings.txt}),
 * each bad case must fail with exactly {@code expected-error.txt}. Regenerate with {@code -Djsing.golden.update=true}
 * and review the diff.
 */
class CorpusTest {
    @TestFactory
    Stream<DynamicTest> goodCasesMatchTheirGoldenJson() {
        return CorpusCase.all("good").stream()
                .map(c -> DynamicTest.dynamicTest(c.name(), () -> {
                    LoadedDefinition loaded = c.load();
                    String json = DefinitionJson.render(loaded.definition());
                    assertEquals(c.golden("expected.json", json), json, c.name());
                    String warnings = loaded.warnings().isEmpty() ? "" : String.join("\n", loaded.warnings()) + "\n";
                    assertEquals(c.golden("expected-warnings.txt", warnings), warnings, c.name());
                }));
    }

    @TestFactory
    Stream<DynamicTest> badCasesFailWithTheirGoldenMessage() {
        return CorpusCase.all("bad").stream()
                .map(c -> DynamicTest.dynamicTest(c.name(), () -> {
                    DefinitionException e = assertThrows(DefinitionException.class, c::load, c.name());
                    String message = e.getMessage() + "\n";
                    assertEquals(c.golden("expected-error.txt", message), message, c.name());
                    assertFalse(e.getMessage().contains("\n"), "one line: " + e.getMessage());
                    assertTrue(e.getMessage().startsWith("input.def:"), e.getMessage());
                }));
    }

    @Test
    void corpusCoversTheListedCases() {
        List<String> good =
                CorpusCase.all("good").stream().map(CorpusCase::name).toList();
        List<String> bad = CorpusCase.all("bad").stream().map(CorpusCase::name).toList();
        for (String name : List.of(
                "header-comments",
                "continuation",
                "quoted-paths",
                "apps",
                "multi-stage",
                "templating-defaults",
                "templating-overrides",
                "shebangs",
                "crlf",
                "section-args-comments",
                "header-less")) {
            assertTrue(good.contains("good/" + name), name);
        }
        for (String name : List.of(
                "unknown-section",
                "unknown-header-keyword",
                "empty",
                "comments-only",
                "binary",
                "files-from-unknown-stage",
                "templating-undefined",
                "templating-unused",
                "indented-percent-in-script")) {
            assertTrue(bad.contains("bad/" + name), name);
        }
    }
}
