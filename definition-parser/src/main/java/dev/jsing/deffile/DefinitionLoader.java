package dev.jsing.deffile;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * Reads a definition file and templates it, as {@code apptainer build} does: the file is split into stages and parsed
 * once to find each stage's {@code %arguments}; each stage's text is templated and parsed again, with
 * {@code %files from} references checked. This is what {@code jsing deffile} and {@code jsing build} call.
 */
public final class DefinitionLoader {
    private DefinitionLoader() {}

    /**
     * Reads {@code file} (bounded, UTF-8 text only) and loads it; error messages name the file as given.
     *
     * @throws IOException when the file cannot be read ({@link java.nio.file.NoSuchFileException} when missing)
     * @throws DefinitionException when the file is not a valid definition or templating fails
     */
    public static LoadedDefinition load(Path file, TemplateArgs args) throws IOException, DefinitionException {
        return load(file.toString(), DefinitionReader.read(file), args);
    }

    /** Loads definition {@code text}; {@code fileName} is used in messages. */
    public static LoadedDefinition load(String fileName, String text, TemplateArgs args) throws DefinitionException {
        String normalized = DefinitionParser.normalize(fileName, text);
        List<Chunk> chunks = new ArrayList<>();
        List<Stage> plain = new ArrayList<>();
        ParseContext structure = new ParseContext(fileName, new ArrayList<>(), null);
        for (Chunk c : DefinitionParser.split(normalized)) {
            Stage s = DefinitionParser.parseStage(structure, c);
            if (s != null) {
                chunks.add(c);
                plain.add(s);
            }
        }
        if (plain.isEmpty()) {
            throw DefinitionParser.emptyError(fileName, normalized);
        }
        Map<String, String> buildArgs = args.merged();
        Set<String> consumed = new LinkedHashSet<>();
        List<String> warnings = new ArrayList<>();
        ParseContext checked = new ParseContext(fileName, warnings, new LinkedHashSet<>());
        List<Stage> stages = new ArrayList<>();
        for (int i = 0; i < chunks.size(); i++) {
            Chunk c = chunks.get(i);
            String templated =
                    Templater.apply(fileName, c, buildArgs, plain.get(i).arguments(), consumed);
            Stage s = DefinitionParser.parseStage(checked, new Chunk(templated, c.firstLine()));
            if (s != null) {
                stages.add(s);
            }
        }
        if (stages.isEmpty()) {
            throw DefinitionParser.emptyError(fileName, normalized);
        }
        Set<String> unused = new TreeSet<>(buildArgs.keySet());
        unused.removeAll(consumed);
        if (!unused.isEmpty()) {
            String names = String.join(", ", unused.stream().map(Chars::quote).toList());
            if (!args.warnUnused()) {
                throw DefinitionException.of(
                        fileName,
                        "unused build argument" + (unused.size() > 1 ? "s " : " ") + names
                                + " (expected a {{ NAME }} that uses " + (unused.size() > 1 ? "each" : "it")
                                + ", or --warn-unused-build-args to only warn)");
            }
            warnings.add(fileName + ": unused build argument" + (unused.size() > 1 ? "s " : " ") + names);
        }
        return new LoadedDefinition(Definition.of(stages, text), warnings);
    }
}
