package dev.jsing.runner.cli;

import dev.jsing.runner.config.ConfigLoader;
import dev.jsing.runner.error.ExitCodes;
import dev.jsing.runner.trust.VerifyService;
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

/** {@code jsing verify [options] IMAGE}: parses and delegates to {@link VerifyService}. */
@Command(
        name = "verify",
        description = {
            "Verify the signatures of a SIF image: OpenPGP ones with the keyrings (~/.jsing/keys, ~/.apptainer/keys, the"
                    + " site's global-pgp-public), DSSE ones with --key or --certificate. Prints who signed which objects; exits"
                    + " 77 when the image is unsigned, changed after signing, or signed by an unknown key."
        })
public final class VerifyCommand implements Callable<Integer> {
    @Option(
            names = "--key",
            paramLabel = "PUBLIC.pem",
            description = "Verify DSSE signatures with this public key (repeatable).")
    List<Path> keys = new ArrayList<>();

    @Option(
            names = "--certificate",
            paramLabel = "CERT.pem",
            description = "Verify DSSE signatures with this certificate's key.")
    Path certificate;

    @Option(
            names = "--certificate-intermediates",
            paramLabel = "PEM",
            description = "Intermediate certificates for --certificate.")
    Path intermediates;

    @Option(
            names = "--certificate-roots",
            paramLabel = "PEM",
            description = "Root certificates for --certificate (default: the JDK's).")
    Path roots;

    @Option(
            names = {"-g", "--group-id"},
            description = "Verify the objects of this group.")
    int groupId;

    @Option(
            names = {"-i", "--sif-id"},
            description = "Verify this object.")
    int sifId;

    @Option(
            names = {"-a", "--all"},
            description = "With --legacy-insecure: verify every object.")
    boolean all;

    @Option(names = "--legacy-insecure", description = "Verify legacy signatures (they cover object data only).")
    boolean legacy;

    @Option(
            names = {"-j", "--json"},
            description = "Print JSON (Apptainer's format).")
    boolean json;

    @Parameters(paramLabel = "IMAGE", description = "The SIF image.")
    Path image;

    @ParentCommand
    JsingCommand parent;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        boolean quiet = parent != null && parent.quiet();
        VerifyService.of(dev.jsing.runner.trust.Keyrings.userHome(System.getenv()), ConfigLoader.siteDir())
                .verify(
                        image,
                        new VerifyService.Request(
                                keys,
                                certificate == null ? List.of() : List.of(certificate),
                                roots,
                                intermediates,
                                legacy,
                                all,
                                groupId,
                                sifId,
                                json),
                        spec.commandLine().getOut(),
                        spec.commandLine().getErr(),
                        quiet);
        return ExitCodes.OK;
    }
}
