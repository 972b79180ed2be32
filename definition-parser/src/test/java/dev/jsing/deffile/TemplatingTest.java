package dev.jsing.deffile;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Tests for {@link DefinitionLoader} templating: precedence, comments, nesting, unused arguments. */
class TemplatingTest {
    private static String post(String text, TemplateArgs args) throws DefinitionException {
        return DefinitionLoader.load("t.def", text, args)
                .definition()
                .lastStage()
                .section(SectionKind.POST)
                .orElseThrow()
                .body();
    }

    @Test
    void buildArgBeatsFileBeatsArguments(@TempDir Path dir) throws Exception {
        Path file = Files.writeString(dir.resolve("args"), "A=file\nB=file\n");
        TemplateArgs args = TemplateArgs.read(List.of("A=cli"), file, false);
        String text = "Bootstrap: docker\n%arguments\nA=def\nB=def\nC=def\n%post\n{{ A }} {{B}} {{ C }}\n";
        assertEquals("cli file def\n", post(text, args));
    }

    @Test
    void commentedLinesKeepTheirVariablesButShebangsDoNot() throws Exception {
        String text = "Bootstrap: docker\n%post\n#!/bin/{{ A }}\n# {{ A }}\necho {{ A }} #{{ A }} # {{ A }}\n";
        assertEquals("#!/bin/x\n# {{ A }}\necho x #x # {{ A }}\n", post(text, TemplateArgs.of(Map.of("A", "x"))));
    }

    @Test
    void argumentValuesResolveOneLevel() throws Exception {
        String text = "Bootstrap: docker\n%arguments\nBASE=/opt\nDIR={{ BASE }}/app\n%post\n{{ DIR }}\n";
        assertEquals("/opt/app\n", post(text, TemplateArgs.none()));
    }

    @Test
    void argumentsAreScopedToTheirStage() {
        String text = "Bootstrap: docker\nStage: a\n%arguments\nX=1\nBootstrap: docker\n%post\n{{ X }}\n";
        DefinitionException e = assertThrows(
                DefinitionException.class, () -> DefinitionLoader.load("t.def", text, TemplateArgs.none()));
        assertEquals(7, e.line());
        assertEquals(1, e.column());
    }

    @Test
    void unusedBuildArgsFailOrWarn() throws Exception {
        String text = "Bootstrap: docker\n";
        DefinitionException e = assertThrows(
                DefinitionException.class,
                () -> DefinitionLoader.load("t.def", text, TemplateArgs.of(Map.of("Z", "1", "Y", "2"))));
        assertEquals(
                "t.def: unused build arguments 'Y', 'Z' (expected a {{ NAME }} that uses each, or "
                        + "--warn-unused-build-args to only warn)",
                e.getMessage());
        LoadedDefinition l = DefinitionLoader.load("t.def", text, new TemplateArgs(Map.of("Z", "1"), Map.of(), true));
        assertEquals(List.of("t.def: unused build argument 'Z'"), l.warnings());
    }

    @Test
    void badBuildArgumentsAreReported(@TempDir Path dir) throws Exception {
        assertThrows(IllegalArgumentException.class, () -> TemplateArgs.read(List.of("NOEQUALS"), null, false));
        Path file = Files.writeString(dir.resolve("args"), "# c\n\nA=1\nbroken\n");
        DefinitionException e =
                assertThrows(DefinitionException.class, () -> TemplateArgs.read(List.of(), file, false));
        assertEquals(
                file + ":4:1: build argument line 'broken' is not a KEY=VALUE pair (expected KEY=VALUE)",
                e.getMessage());
    }

    @Test
    void malformedArgumentsLinesAreSkippedWithAWarning() throws Exception {
        LoadedDefinition l =
                DefinitionLoader.load("t.def", "Bootstrap: docker\n%arguments\n  oops\nA=1\n", TemplateArgs.none());
        assertEquals(Map.of("A", "1"), l.definition().lastStage().arguments());
        assertEquals(List.of("t.def:3:3: skipping %arguments line 'oops': it is not a KEY=VALUE pair"), l.warnings());
    }
}
