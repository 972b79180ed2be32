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

    /** {@code jsing cache list [-T TYPES] [-v]}. */
    @Command(name = "list", description = "Summarise the cache (with -v, list every entry).")
    public static final class List implements Callable<Integer> {
        @Option(
                names = {"-T", "--type"},
                split = ",",
                paramLabel = "TYPE",
                description =
                        "Only these types: all, oci (converted images), blob, oras, partial, meta (image metadata).")
        java.util.List<String> types = new java.util.ArrayList<>();

        @Option(
                names = {"-v", "--verbose"},
                description = "List every entry.")
        boolean verbose;

        @Spec
        CommandSpec spec;

        @Override
        public Integer call() {
            CacheService.checkTypes(types);
            try {
                new CacheService(PullService.cacheDir())
                        .list(types, verbose, spec.commandLine().getOut());
            } catch (IOException e) {
                throw new JsingException(ExitCodes.IO_ERROR, "cannot read the cache: " + e.getMessage());
            }
            return ExitCodes.OK;
        }
    }

    /** {@code jsing cache clean [-T TYPES] [--days N] [--dry-run] [-f]}: asks first, as Apptainer, unless -f. */
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

        @Option(
                names = {"-f", "--force"},
                description = "Do not ask before cleaning.")
        boolean force;

        @Option(
                names = {"-T", "--type"},
                split = ",",
                paramLabel = "TYPE",
                description =
                        "Only these types: all, oci (converted images), blob, oras, partial, meta (image metadata).")
        java.util.List<String> types = new java.util.ArrayList<>();

        @Spec
        CommandSpec spec;

        /** Where the answer to the prompt is read (standard input; tests give their own). */
        java.io.BufferedReader answers = new java.io.BufferedReader(
                new java.io.InputStreamReader(System.in, java.nio.charset.Charset.defaultCharset()));

        @Override
        public Integer call() {
            if (days != null && days < 0) {
                throw new JsingException(ExitCodes.USAGE, "--days must not be negative");
            }
            CacheService.checkTypes(types);
            java.io.PrintWriter out = spec.commandLine().getOut();
            if (dryRun) {
                out.println("User requested a dry run. Not actually deleting any data!");
            } else if (!force && !confirmed(out)) {
                out.println("Cache cleanup canceled");
                out.flush();
                return ExitCodes.OK;
            }
            try {
                new CacheService(PullService.cacheDir()).clean(types, days, dryRun, out);
            } catch (IOException e) {
                throw new JsingException(ExitCodes.IO_ERROR, "cannot clean the cache: " + e.getMessage());
            }
            return ExitCodes.OK;
        }

        /** Apptainer's prompt; only {@code y} cleans; no answer at all (no terminal, end of input) is an error. */
        private boolean confirmed(java.io.PrintWriter out) {
            out.print("This will delete everything in your cache (containers from all sources and OCI blobs).\n"
                    + "Hint: You can see exactly what would be deleted by canceling and using the --dry-run option.\n"
                    + "Do you want to continue? [y/N] ");
            out.flush();
            String line;
            try {
                line = answers.readLine();
            } catch (IOException e) {
                line = null;
            }
            if (line == null) {
                out.println();
                throw new JsingException(
                        ExitCodes.USAGE, "cache clean: no answer on standard input (-f cleans without asking)");
            }
            return line.strip().equalsIgnoreCase("y");
        }
    }
}
