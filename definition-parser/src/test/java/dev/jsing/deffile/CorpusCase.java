package dev.jsing.deffile;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * One corpus case: {@code corpus/<good|bad>/<case>/input.def}, with optional {@code build-args.txt} (one
 * {@code --build-arg} per line), {@code build-arg-file.txt} (used as {@code --build-arg-file}) and
 * {@code warn-unused-build-args} (a marker file).
 */
record CorpusCase(String name, Path dir) {
    static final Path ROOT = Path.of("src/test/resources/corpus");
    static final boolean UPDATE = Boolean.getBoolean("jsing.golden.update");

    static List<CorpusCase> all(String kind) {
        try (Stream<Path> dirs = Files.list(ROOT.resolve(kind))) {
            return dirs.filter(Files::isDirectory)
                    .sorted()
                    .map(d -> new CorpusCase(kind + "/" + d.getFileName(), d))
                    .toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Loads the case as {@code jsing deffile} does; messages name the file {@code input.def}. */
    LoadedDefinition load() throws IOException, DefinitionException {
        String text = DefinitionReader.decode("input.def", Files.readAllBytes(dir.resolve("input.def")));
        return DefinitionLoader.load("input.def", text, templateArgs());
    }

    TemplateArgs templateArgs() throws IOException, DefinitionException {
        List<String> kvs = new ArrayList<>();
        Path args = dir.resolve("build-args.txt");
        if (Files.exists(args)) {
            kvs.addAll(Files.readAllLines(args));
        }
        Path file = dir.resolve("build-arg-file.txt");
        return TemplateArgs.read(
                kvs, Files.exists(file) ? file : null, Files.exists(dir.resolve("warn-unused-build-args")));
    }

    /** The golden file's text; with {@code -Djsing.golden.update=true}, {@code actual} is written to it first. */
    String golden(String fileName, String actual) throws IOException {
        Path p = dir.resolve(fileName);
        if (UPDATE) {
            if (actual.isEmpty()) {
                Files.deleteIfExists(p);
            } else {
                Files.writeString(p, actual, StandardCharsets.UTF_8);
            }
        }
        return Files.exists(p) ? Files.readString(p, StandardCharsets.UTF_8) : "";
    }

    @Override
    public String toString() {
        return name;
    }
}
