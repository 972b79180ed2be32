package dev.jsing.runner.cli;

import dev.jsing.runner.error.ExitCodes;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Spec;

/** {@code jsing version}: the bare version, as {@code apptainer version} prints it. */
@Command(name = "version", description = "Show the version.")
public final class VersionCommand implements Callable<Integer> {
    @Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
        spec.commandLine().getOut().println(VersionProvider.bareVersion(VersionProvider.invokedName()));
        spec.commandLine().getOut().flush();
        return ExitCodes.OK;
    }
}
