package dev.jsing.deffile;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Values for {@code {{ NAME }}} templating: {@code --build-arg K=V} values (highest precedence), then the lines of a
 * {@code --build-arg-file}; the stage's {@code %arguments} come last. A build argument that no stage uses is an error
 * unless {@code warnUnused} is set, in which case it is a warning.
 *
 * @param buildArgs {@code --build-arg} values by name
 * @param fileArgs {@code --build-arg-file} values by name
 * @param warnUnused {@code --warn-unused-build-args}
 */
public record TemplateArgs(Map<String, String> buildArgs, Map<String, String> fileArgs, boolean warnUnused) {
    public TemplateArgs {
        buildArgs = Collections.unmodifiableMap(new LinkedHashMap<>(buildArgs));
        fileArgs = Collections.unmodifiableMap(new LinkedHashMap<>(fileArgs));
    }

    /** No build arguments: only the stages' %arguments. */
    public static TemplateArgs none() {
        return new TemplateArgs(Map.of(), Map.of(), false);
    }

    /** {@code --build-arg} values only. */
    public static TemplateArgs of(Map<String, String> buildArgs) {
        return new TemplateArgs(buildArgs, Map.of(), false);
    }

    /**
     * From the command line: {@code K=V} strings, an optional build-argument file ({@code K=V} lines; blank and
     * {@code #} lines skipped) and the warn flag.
     *
     * @throws IllegalArgumentException for a {@code --build-arg} that is not {@code K=V}
     * @throws DefinitionException for a bad line in the build-argument file
     * @throws IOException when the file cannot be read
     */
    public static TemplateArgs read(List<String> buildArgs, Path buildArgFile, boolean warnUnused)
            throws IOException, DefinitionException {
        Map<String, String> cli = new LinkedHashMap<>();
        for (String kv : buildArgs) {
            int eq = kv.indexOf('=');
            if (eq < 0 || Chars.trim(kv.substring(0, eq)).isEmpty()) {
                throw new IllegalArgumentException("--build-arg " + Chars.quote(kv) + " is not KEY=VALUE");
            }
            cli.put(Chars.trim(kv.substring(0, eq)), Chars.trim(kv.substring(eq + 1)));
        }
        Map<String, String> file = new LinkedHashMap<>();
        if (buildArgFile != null) {
            String name = buildArgFile.toString();
            List<String> lines =
                    StageParser.lines(DefinitionParser.normalize(name, DefinitionReader.read(buildArgFile)));
            for (int i = 0; i < lines.size(); i++) {
                String t = Chars.trim(lines.get(i));
                if (t.isEmpty() || t.startsWith("#")) {
                    continue;
                }
                String problem = ArgumentLines.problem(t);
                if (problem != null) {
                    throw DefinitionException.at(
                            name,
                            i + 1,
                            Chars.leadingSpace(lines.get(i)) + 1,
                            "build argument line " + Chars.quote(t) + " " + problem + " (expected KEY=VALUE)");
                }
                int eq = t.indexOf('=');
                file.put(Chars.trim(t.substring(0, eq)), Chars.trim(t.substring(eq + 1)));
            }
        }
        return new TemplateArgs(cli, file, warnUnused);
    }

    /** All build arguments, {@code --build-arg} values overriding the file's. */
    public Map<String, String> merged() {
        Map<String, String> all = new LinkedHashMap<>(fileArgs);
        all.putAll(buildArgs);
        return all;
    }
}
