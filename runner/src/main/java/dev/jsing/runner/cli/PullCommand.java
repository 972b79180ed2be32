package dev.jsing.runner.cli;

import dev.jsing.common.fs.Trees;
import dev.jsing.runner.build.RegistryImages;
import dev.jsing.runner.cli.registry.RegistryOptions;
import dev.jsing.runner.config.JsingDirs;
import dev.jsing.runner.error.ExitCodes;
import dev.jsing.runner.error.JsingException;
import dev.jsing.runner.error.UsageException;
import dev.jsing.runner.image.TempDirs;
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

    @Option(
            names = "--name",
            paramLabel = "FILE",
            description = "The image file's name (as OUT; inside --dir when given).")
    String name;

    @Option(names = "--dir", paramLabel = "DIR", description = "The directory to write the image file to.")
    Path dir;

    @Option(
            names = "--disable-cache",
            description = "Neither use nor fill the cache: download into a temporary directory, removed afterwards.")
    boolean disableCache;

    @Option(names = "--verify", description = "Verify the pulled SIF's signatures (oras:// images) with the keyrings.")
    boolean verify;

    @Option(
            names = {"-U", "--allow-unsigned"},
            description = "With --verify: keep an image that has no signatures (a warning); bad signatures still fail.")
    boolean allowUnsigned;

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
        boolean quiet = parent != null && parent.quiet();
        String uri = positional.get(positional.size() - 1);
        if (!uri.contains("://")) {
            throw new JsingException(ExitCodes.USAGE, "'" + uri + "' is not an image URI (docker://… or oras://…)");
        }
        if (verify && !uri.startsWith("oras://")) {
            throw new JsingException(
                    ExitCodes.USAGE,
                    "--verify checks SIF signatures: it applies to oras:// images (a converted docker:// image is unsigned)");
        }
        if (positional.size() == 2 && name != null) {
            throw new UsageException("jsing pull", "give the output file either as OUT or as --name, not both");
        }
        String file = positional.size() == 2 ? positional.get(0) : name != null ? name : PullService.defaultName(uri);
        Path out = dir != null ? dir.resolve(file) : Path.of(file);
        java.io.PrintWriter err = spec.commandLine().getErr();
        if (!disableCache) {
            RegistryImages.pullService(registry.settings(quiet), err).pull(uri, out, force);
        } else {
            Path tmp;
            try {
                tmp = TempDirs.create(JsingDirs.tmpDir(), "jsing-nocache-");
            } catch (java.io.IOException e) {
                throw new JsingException(
                        ExitCodes.CANT_CREATE,
                        "cannot create a temporary directory in " + JsingDirs.tmpDir() + ": " + e.getMessage());
            }
            try {
                RegistryImages.pullService(registry.settings(quiet), err, tmp).pull(uri, out, force);
            } finally {
                Trees.deleteQuietly(tmp);
            }
        }
        if (verify) {
            dev.jsing.runner.trust.VerifyService.of(
                            dev.jsing.runner.trust.Keyrings.userHome(System.getenv()),
                            dev.jsing.runner.config.ConfigLoader.siteDir())
                    .verifyPulled(out, allowUnsigned, spec.commandLine().getOut(), err, quiet);
        }
        return ExitCodes.OK;
    }
}
