package dev.jsing.runner.cli;

import dev.jsing.runner.build.Builder;
import dev.jsing.runner.build.RegistryImages;
import dev.jsing.runner.build.context.BuildOptions;
import dev.jsing.runner.error.ExitCodes;
import dev.jsing.runner.error.JsingException;
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

/** {@code jsing build [options] DEST SPEC}: parses the options and delegates to {@link Builder}. */
@Command(
        name = "build",
        description = {
            "Build a SIF image (or a sandbox directory) from a definition file, a sandbox, a SIF or squashfs image, or an"
                    + " OCI/Docker archive (oci:DIR, oci-archive:FILE, docker-archive:FILE).",
            "As an ordinary user the build runs as root of a user namespace (fakeroot), with your /etc/subuid ranges."
        })
public final class BuildCommand implements Callable<Integer> {
    @Option(
            names = {"-s", "--sandbox"},
            description = "Build a sandbox directory instead of a SIF file.")
    boolean sandbox;

    @Option(
            names = {"-f", "--fakeroot"},
            description =
                    "Build as root of a user namespace (always, when not root; as root: with root's /etc/subuid ranges).")
    boolean fakeroot;

    @Option(
            names = {"-F", "--force"},
            description = "Overwrite an existing destination.")
    boolean force;

    @Option(
            names = {"-T", "--notest"},
            description = "Do not run the %%test section.")
    boolean notest;

    @Option(names = "--build-arg", paramLabel = "KEY=VALUE", description = "A value for {{ KEY }} (repeatable).")
    List<String> buildArgs = new ArrayList<>();

    @Option(names = "--build-arg-file", paramLabel = "FILE", description = "A file of KEY=VALUE lines.")
    Path buildArgFile;

    @Option(names = "--warn-unused-build-args", description = "Warn about unused build arguments instead of failing.")
    boolean warnUnused;

    @Option(names = "--mksquashfs-args", paramLabel = "ARGS", description = "Extra arguments for mksquashfs.")
    String mksquashfsArgs;

    @Option(names = "--comp", paramLabel = "ALGO", description = "mksquashfs compressor (default: gzip).")
    String comp;

    @Option(
            names = "--reproducible",
            description =
                    "Byte-identical output for identical inputs: fixed ids and times (SOURCE_DATE_EPOCH, else 0).")
    boolean reproducible;

    @Option(
            names = "--dry-run",
            description =
                    "Parse the definition, print a summary (stages, bootstrap, sections) and stop; with --json: the parsed model.")
    boolean dryRun;

    @Option(names = "--json", description = "With --dry-run: print the parsed definition as JSON.")
    boolean json;

    @Parameters(paramLabel = "DEST SPEC", arity = "1..2", description = "Destination and build spec.")
    List<String> positional = new ArrayList<>();

    @picocli.CommandLine.Mixin
    dev.jsing.runner.cli.registry.RegistryOptions registry;

    @ParentCommand
    JsingCommand parent;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        boolean quiet = parent != null && parent.quiet();
        boolean debug = parent != null && parent.debug;
        dev.jsing.runner.registry.RegistrySettings settings = registry.settings(quiet);
        if (json && !dryRun) {
            throw new JsingException(ExitCodes.USAGE, "--json needs --dry-run");
        }
        String what;
        Path dest;
        if (dryRun) {
            what = positional.get(positional.size() - 1);
            dest = positional.size() == 2 ? Path.of(positional.get(0)) : Path.of("unused");
        } else {
            if (positional.size() != 2) {
                throw new JsingException(ExitCodes.USAGE, "build needs DEST and SPEC (jsing build out.sif recipe.def)");
            }
            dest = Path.of(positional.get(0));
            what = positional.get(1);
        }
        Long epoch = null;
        String sde = System.getenv("SOURCE_DATE_EPOCH");
        if (sde != null && !sde.isBlank()) {
            try {
                epoch = Long.parseLong(sde.trim());
            } catch (NumberFormatException e) {
                throw new JsingException(ExitCodes.USAGE, "SOURCE_DATE_EPOCH='" + sde + "' is not a number of seconds");
            }
        }
        BuildOptions o = new BuildOptions(
                dest,
                what,
                sandbox,
                fakeroot,
                force,
                notest,
                buildArgs,
                buildArgFile,
                warnUnused,
                mksquashfsArgs,
                comp,
                reproducible,
                epoch,
                quiet,
                debug);
        java.io.PrintWriter err = spec.commandLine().getErr();
        Builder b = new Builder(o, spec.commandLine().getOut(), err, RegistryImages.pullService(settings, err)::layout);
        if (dryRun) {
            return json ? b.dryRunJson() : b.dryRunSummary();
        }
        return b.build();
    }
}
