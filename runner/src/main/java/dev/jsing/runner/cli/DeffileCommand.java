package dev.jsing.runner.cli;

import dev.jsing.deffile.DefinitionException;
import dev.jsing.deffile.DefinitionJson;
import dev.jsing.deffile.DefinitionLoader;
import dev.jsing.deffile.DefinitionText;
import dev.jsing.deffile.LoadedDefinition;
import dev.jsing.deffile.TemplateArgs;
import dev.jsing.runner.error.ExitCodes;
import dev.jsing.runner.error.JsingException;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.AccessDeniedException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/** {@code jsing deffile}: parse a definition file (with build arguments applied) and show what was understood. */
@Command(
        name = "deffile",
        description = "Parse a definition file and show what was understood: the model as JSON (--json) or as canonical"
                + " definition text.")
public final class DeffileCommand implements Callable<Integer> {
    @Option(names = "--json", description = "Print the parsed model as JSON.")
    boolean json;

    @Option(names = "--build-arg", paramLabel = "KEY=VALUE", description = "A value for {{ KEY }} (repeatable).")
    List<String> buildArgs = new ArrayList<>();

    @Option(names = "--build-arg-file", paramLabel = "FILE", description = "A file of KEY=VALUE lines.")
    Path buildArgFile;

    @Option(names = "--warn-unused-build-args", description = "Warn about unused build arguments instead of failing.")
    boolean warnUnused;

    @Parameters(index = "0", paramLabel = "FILE", description = "The definition file.")
    Path file;

    @ParentCommand
    JsingCommand parent;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws IOException, DefinitionException {
        LoadedDefinition loaded = load();
        PrintWriter err = spec.commandLine().getErr();
        if (parent == null || !parent.quiet()) {
            loaded.warnings().forEach(w -> err.println("jsing: warning: " + w));
        }
        PrintWriter out = spec.commandLine().getOut();
        out.print(json ? DefinitionJson.render(loaded.definition()) : DefinitionText.canonical(loaded.definition()));
        out.flush();
        return ExitCodes.OK;
    }

    /** Loads the file; a {@link DefinitionException} goes to {@code ErrorReport} as it is (exit 67). */
    private LoadedDefinition load() throws IOException, DefinitionException {
        try {
            return DefinitionLoader.load(file, TemplateArgs.read(buildArgs, buildArgFile, warnUnused));
        } catch (NoSuchFileException e) {
            throw new JsingException(ExitCodes.NOT_FOUND, e.getFile() + ": no such file", e);
        } catch (AccessDeniedException e) {
            throw new JsingException(ExitCodes.NOT_FOUND, e.getFile() + ": permission denied", e);
        } catch (IllegalArgumentException e) {
            throw new JsingException(ExitCodes.USAGE, e.getMessage(), e);
        }
    }
}
