package dev.jsing.runner.cli;

import dev.jsing.runner.config.ConfigLoader;
import dev.jsing.runner.error.ExitCodes;
import dev.jsing.runner.trust.SignService;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/** {@code jsing sign [options] IMAGE}: parses and delegates to {@link SignService}. */
@Command(
        name = "sign",
        description = {
            "Sign a SIF image: one signature per object group, covering the header, the descriptors and the data, with an"
                    + " OpenPGP key of the keyring, or with --key a PEM private key (ECDSA, Ed25519, RSA) in a DSSE envelope.",
            "A protected key's passphrase is asked, or read from JSING_SIGN_PASSPHRASE (APPTAINER_SIGN_PASSPHRASE)."
        })
public final class SignCommand implements Callable<Integer> {
    @Option(
            names = {"-k", "--keyidx"},
            description = "PGP private key to use (index from 'key list --secret').")
    Integer keyIdx;

    @Option(names = "--key", paramLabel = "PRIVATE.pem", description = "Sign with this private key (DSSE).")
    Path key;

    @Option(
            names = {"-g", "--group-id"},
            description = "Sign the objects of this group only.")
    int groupId;

    @Option(
            names = {"-i", "--sif-id"},
            description = "Sign this object only.")
    int sifId;

    @Parameters(paramLabel = "IMAGE", description = "The SIF image.")
    Path image;

    @ParentCommand
    JsingCommand parent;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        boolean quiet = parent != null && parent.quiet();
        SignService.of(
                        dev.jsing.runner.trust.Keyrings.userHome(System.getenv()),
                        ConfigLoader.siteDir(),
                        System.getenv())
                .sign(
                        image,
                        new SignService.Request(keyIdx, key, groupId, sifId),
                        spec.commandLine().getErr(),
                        quiet);
        return ExitCodes.OK;
    }
}
