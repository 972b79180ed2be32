package dev.jsing.deffile;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Tests for {@link DefinitionParser}: the Apptainer parsing rules, one by one. */
class ParserRulesTest {
    private static Definition parse(String text) throws DefinitionException {
        return DefinitionParser.parse("t.def", text);
    }

    private static String error(String text) {
        return assertThrows(DefinitionException.class, () -> parse(text)).getMessage();
    }

    @Test
    void headerKeysAreCaseInsensitiveAndHashCutsValues() throws Exception {
        Stage s = parse("BOOTSTRAP: docker\nfRoM: a#b\nOtherURL7: u\n").lastStage();
        assertEquals(Map.of("bootstrap", "docker", "from", "a", "otherurl7", "u"), s.header());
    }

    @Test
    void continuationAndNewlineForm() throws Exception {
        Stage s = parse("Bootstrap: zypper\nProductPGP: a\\n\\\n  b\\\n c\n").lastStage();
        assertEquals("a\nbc", s.header().get("productpgp"));
    }

    @Test
    void otherKeywordsWithDigitsAreInvalid() {
        assertEquals("t.def:1:1: unknown header keyword 'From1' (did you mean 'From'?)", error("From1: x\n"));
    }

    @Test
    void sectionLineSplitsNameAndKeepsArgsVerbatim() throws Exception {
        Section post = parse("Bootstrap: docker\n%POST  -c /bin/bash # c \n echo\n")
                .lastStage()
                .sections()
                .get(0);
        assertEquals(Section.of(SectionKind.POST, " -c /bin/bash # c ", " echo\n"), post);
        assertEquals("-c /bin/bash", post.argsWithoutComment());
    }

    @Test
    void repeatedSectionsConcatenateAndLastNonEmptyArgsWin() throws Exception {
        Stage s = parse("Bootstrap: docker\n%post -x\na\n%test\nt\n%post\nb\n%post -y\nc\n%post\n")
                .lastStage();
        assertEquals(
                List.of(Section.of(SectionKind.POST, "-y", "a\nb\nc\n"), Section.of(SectionKind.TEST, "", "t\n")),
                s.sections());
    }

    @Test
    void filesSectionsMergeOnlyWithIdenticalArgs() throws Exception {
        Stage s = parse("Bootstrap: docker\nStage: a\nBootstrap: docker\n%files\nx\n%files from a\ny\n%files\nz\n")
                .lastStage();
        assertEquals(
                List.of(FileEntry.fromHost("x", ""), FileEntry.fromHost("z", ""), FileEntry.fromStage("a", "y", "")),
                s.files());
    }

    @Test
    void appsKeepTheirOrder() throws Exception {
        Stage s = parse("Bootstrap: docker\n%apprun b\nx\n%appenv a\ny\n%apphelp b\nz\n")
                .lastStage();
        assertEquals(List.of("b", "a"), s.apps().stream().map(App::name).toList());
        assertEquals(
                List.of(SectionKind.APPRUN, SectionKind.APPHELP),
                s.apps().get(0).sections().stream().map(Section::kind).toList());
    }

    @Test
    void stagesSplitAtBootstrapLinesOnly() throws Exception {
        Definition d =
                parse("%labels\nA b\nBootstrap: docker\nStage: one\n%post\n bootstrap: indented\nbootstrap: x\n");
        assertEquals(3, d.stages().size());
        assertNull(d.stages().get(0).bootstrap());
        assertEquals(
                " bootstrap: indented\n",
                d.stages().get(1).section(SectionKind.POST).orElseThrow().body());
        assertEquals("x", d.stages().get(2).bootstrap());
    }

    @Test
    void errorsNameLineAndColumn() {
        assertEquals(
                "t.def:3:3: indented section line '%post' (expected '%post' at the start of the line; a line "
                        + "whose first word starts with '%' always opens a section)",
                error("Bootstrap: docker\n%test\n  %post\n"));
        assertEquals(
                "t.def:2:1: unknown section '%enviroment' (did you mean '%environment'?)",
                error("Bootstrap: docker\n%enviroment\n"));
        assertEquals(
                "t.def:1:1: missing header keyword before ':' (expected 'Keyword: value', e.g. 'Bootstrap: "
                        + "docker')",
                error(": x\n"));
    }

    @Test
    void crlfIsNormalisedButOriginalTextKept() throws Exception {
        Definition d = parse("Bootstrap: docker\r\n%post\r\necho\r\n");
        assertEquals(
                "echo\n", d.lastStage().section(SectionKind.POST).orElseThrow().body());
        assertEquals("Bootstrap: docker\r\n%post\r\necho\r\n", DefinitionText.original(d));
    }

    @Test
    void nulCharacterIsRejected() {
        assertEquals(
                "t.def:2:3: binary data: a NUL character '\\x00' (expected a UTF-8 text file)",
                error("Bootstrap: docker\nab\0"));
    }
}
