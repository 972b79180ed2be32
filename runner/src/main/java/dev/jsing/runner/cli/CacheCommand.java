package dev.jsing.runner.cli;

import dev.jsing.runner.error.ExitCodes;
import dev.jsing.runner.error.JsingException;
import dev.jsing.runner.registry.CacheService;
import dev.jsing.runner.registry.PullService;
import java.io.IOException;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code jsing cache list|clean}: parses and delegates to {@link CacheService}. */
@Command(
        name = "cache",
        description = "Show or clean the image cache ($JSING_CACHEDIR, default ~/.jsing/cache).",
        subcommands = {CacheCommand.List.class, CacheCommand.Clean.class})
public final class CacheCommand implements Runnable {
    @Spec
    CommandSpec spec;

    @Override
    public void run() {
        throw new CommandLine.ParameterException(spec.commandLine(), "missing subcommand (list or clean)");
    }

    /** {@code jsing cache list}. */
    @Command(name = "list", description = "List cached SIFs, blobs and unfinished downloads.")
    public static final class List implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @Override
        public Integer call() {
            try {
                new CacheService(PullService.cacheDir()).list(spec.commandLine().getOut());
            } catch (IOException e) {
                throw new JsingException(ExitCodes.IO_ERROR, "cannot read the cache: " + e.getMessage());
            }
            return ExitCodes.OK;
        }
    }

    /** {@code jsing cache clean [--days N] [--dry-run]}. */
    @Command(name = "clean", description = "Remove cache entries (all, or those not used for N days).")
    public static final class Clean implements Callable<Integer> {
        @Option(
                names = {"-D", "--days"},
                paramLabel = "N",
                description = "Only entries not used for N days.")
        Integer days;

        @Option(
                names = {"-n", "--dry-run"},
                description = "Only say what would be removed.")
        boolean dryRun;

        @Spec
        CommandSpec spec;

        @Override
        public Integer call() {
            if (days != null && days < 0) {
                throw new JsingException(ExitCodes.USAGE, "--days must not be negative");
            }
            try {
                new CacheService(PullService.cacheDir())
                        .clean(days, dryRun, spec.commandLine().getOut());
            } catch (IOException e) {
                throw new JsingException(ExitCodes.IO_ERROR, "cannot clean the cache: " + e.getMessage());
            }
            return ExitCodes.OK;
        }
    }
}
