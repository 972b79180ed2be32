package dev.jsing.runner.cli;

import dev.jsing.runner.cli.sif.SifAddCommand;
import dev.jsing.runner.cli.sif.SifDelCommand;
import dev.jsing.runner.cli.sif.SifDumpCommand;
import dev.jsing.runner.cli.sif.SifHeaderCommand;
import dev.jsing.runner.cli.sif.SifInfoCommand;
import dev.jsing.runner.cli.sif.SifListCommand;
import dev.jsing.runner.cli.sif.SifNewCommand;
import dev.jsing.runner.cli.sif.SifSetprimCommand;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** {@code jsing sif}: SIF inspection and editing, with the arguments and output of Debian's {@code siftool}. */
@Command(
        name = "sif",
        description = "Inspect and edit SIF files (like siftool).",
        subcommands = {
            SifAddCommand.class,
            SifDelCommand.class,
            SifDumpCommand.class,
            SifHeaderCommand.class,
            SifInfoCommand.class,
            SifListCommand.class,
            SifNewCommand.class,
            SifSetprimCommand.class,
        })
public final class SifCommand implements Runnable {
    @Spec
    CommandSpec spec;

    @Override
    public void run() {
        throw new CommandLine.ParameterException(spec.commandLine(), "missing subcommand");
    }
}
