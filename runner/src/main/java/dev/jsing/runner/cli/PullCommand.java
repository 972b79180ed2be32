package dev.jsing.runner.cli;

import dev.jsing.runner.cli.registry.RegistryOptions;
import dev.jsing.runner.error.ExitCodes;
import dev.jsing.runner.error.JsingException;
import dev.jsing.runner.registry.PullService;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/** {@code jsing pull [options] [OUT.sif] docker://…|oras://…}: parses and delegates to {@link PullService}. */
@Command(
        name = "pull",
        description = {
            "Pull an image from an OCI registry into a SIF file (docker://HOST[:PORT]/REPO[:TAG|@sha256:…] is converted;"
                    + " oras://… must be a SIF artifact). Downloads are cached in $JSING_CACHEDIR (default ~/.jsing/cache).",
            "Without OUT the file is NAME_TAG.sif in the current directory."
        })
public final class PullCommand implements Callable<Integer> {
    @Option(
            names = {"-F", "--force"},
            description = "Overwrite an existing file.")
    boolean force;

    @Mixin
    RegistryOptions registry;

    @Parameters(paramLabel = "[OUT] URI", arity = "1..2", description = "Output file (optional) and image reference.")
    List<String> positional = new ArrayList<>();

    @ParentCommand
    JsingCommand parent;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        boolean quiet = parent != null && parent.quiet;
        String uri = positional.get(positional.size() - 1);
        if (!uri.contains("://")) {
            throw new JsingException(ExitCodes.USAGE, "'" + uri + "' is not an image URI (docker://… or oras://…)");
        }
        Path out = Path.of(positional.size() == 2 ? positional.get(0) : PullService.defaultName(uri));
        dev.jsing.runner.build.RegistryImages.pullService(
                        registry.settings(quiet), spec.commandLine().getErr())
                .pull(uri, out, force);
        return ExitCodes.OK;
    }
}
