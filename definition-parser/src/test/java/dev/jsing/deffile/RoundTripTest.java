package dev.jsing.deffile;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Files;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/** parse → render → parse gives an equal model, for every good corpus file, templated and not. */
class RoundTripTest {
    @TestFactory
    Stream<DynamicTest> loadedModelSurvivesCanonicalText() {
        return CorpusCase.all("good").stream()
                .map(c -> DynamicTest.dynamicTest(c.name(), () -> {
                    Definition d = c.load().definition();
                    String text = DefinitionText.canonical(d);
                    Definition again = DefinitionParser.parse("canonical.def", text);
                    assertEquals(d, again, text);
                    assertEquals(DefinitionJson.render(d), DefinitionJson.render(again), text);
                    assertEquals(text, DefinitionText.canonical(again));
                }));
    }

    @TestFactory
    Stream<DynamicTest> untemplatedModelSurvivesCanonicalText() {
        return CorpusCase.all("good").stream()
                .map(c -> DynamicTest.dynamicTest(c.name(), () -> {
                    String raw = Files.readString(c.dir().resolve("input.def"));
                    Definition d = DefinitionParser.parse("input.def", raw);
                    assertEquals(raw, DefinitionText.original(d));
                    Definition again = DefinitionParser.parse("canonical.def", DefinitionText.canonical(d));
                    assertEquals(d, again);
                }));
    }
}
