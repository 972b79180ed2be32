package dev.jsing.runner.cli;

import dev.jsing.runner.config.JsingDirs;
import dev.jsing.runner.error.ExitCodes;
import dev.jsing.runner.overlay.OverlayImages;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code jsing overlay create}: parses and delegates to {@link OverlayImages}. */
@Command(
        name = "overlay",
        description = "Manage persistent overlay images.",
        subcommands = {OverlayCommand.Create.class})
public final class OverlayCommand implements Runnable {
    @Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        throw new CommandLine.ParameterException(spec.commandLine(), "missing subcommand (create)");
    }

    /** {@code jsing overlay create [--size MiB] [--sparse] [--create-dir DIR]... [--fakeroot] FILE}. */
    @Command(
            name = "create",
            description =
                    "Create an ext3 overlay image FILE (upper/ and work/ owned by you), or add one to the SIF FILE.")
    public static final class Create implements Callable<Integer> {
        @Option(
                names = {"-s", "--size"},
                paramLabel = "MiB",
                description = "Size of the overlay file system in MiB (default 64).")
        int size = 64;

        @Option(names = "--sparse", description = "A sparse image file (blocks allocated as they are written).")
        boolean sparse;

        @Option(
                names = "--create-dir",
                paramLabel = "DIR",
                description = "A directory to create in the overlay (repeatable), e.g. /opt/conda.")
        List<String> createDirs = new ArrayList<>();

        @Option(
                names = {"-f", "--fakeroot"},
                description = "The layout owned by root inside, for containers run with --fakeroot.")
        boolean fakeroot;

        @Parameters(
                index = "0",
                paramLabel = "FILE",
                description = "The overlay image to create, or a SIF to add it to.")
        Path file;

        @Override
        public Integer call() {
            OverlayImages.create(
                    new OverlayImages.Request(file, size, sparse, createDirs, fakeroot), JsingDirs.tmpDir());
            return ExitCodes.OK;
        }
    }
}
