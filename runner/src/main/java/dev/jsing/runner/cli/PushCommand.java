package dev.jsing.runner.cli;

import dev.jsing.runner.cli.registry.RegistryAccessOptions;
import dev.jsing.runner.error.ExitCodes;
import dev.jsing.runner.registry.PushService;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/** {@code jsing push IMAGE.sif oras://HOST/REPO:TAG}: parses and delegates to {@link PushService}. */
@Command(name = "push", description = "Push a SIF file to an OCI registry as an ORAS artifact, as Apptainer does.")
public final class PushCommand implements Callable<Integer> {
    @Mixin
    RegistryAccessOptions registry;

    @Parameters(index = "0", paramLabel = "IMAGE.sif", description = "The SIF file.")
    Path image;

    @Parameters(index = "1", paramLabel = "URI", description = "oras://HOST[:PORT]/REPO[:TAG]")
    String uri;

    @ParentCommand
    JsingCommand parent;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        boolean quiet = parent != null && parent.quiet();
        new PushService(registry.settings(quiet), spec.commandLine().getErr()).push(image, uri);
        return ExitCodes.OK;
    }
}
