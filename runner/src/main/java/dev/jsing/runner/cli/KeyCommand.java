package dev.jsing.runner.cli;

import dev.jsing.runner.config.ConfigLoader;
import dev.jsing.runner.error.ExitCodes;
import dev.jsing.runner.error.JsingException;
import dev.jsing.runner.trust.KeyService;
import java.io.Console;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code jsing key}: the user's OpenPGP keyrings; parses and delegates to {@link KeyService}. */
@Command(
        name = "key",
        description = {
            "Manage OpenPGP keys for signing and verifying images: ~/.jsing/keys (pgp-public, pgp-secret, Apptainer's"
                    + " format); ~/.apptainer/keys is read too, never changed."
        },
        subcommands = {
            KeyCommand.NewPair.class,
            KeyCommand.ListKeys.class,
            KeyCommand.Import.class,
            KeyCommand.Export.class,
            KeyCommand.Remove.class
        })
public final class KeyCommand implements Runnable {
    @Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        throw new CommandLine.ParameterException(spec.commandLine(), "missing subcommand");
    }

    static KeyService service() {
        return KeyService.of(dev.jsing.runner.trust.Keyrings.userHome(System.getenv()), ConfigLoader.siteDir());
    }

    /** {@code jsing key newpair}. */
    @Command(name = "newpair", description = "Create a new OpenPGP key pair (RSA) in the keyring.")
    static final class NewPair implements Callable<Integer> {
        @Option(
                names = {"-N", "--name"},
                description = "Key owner's name.")
        String name;

        @Option(
                names = {"-E", "--email"},
                description = "Key owner's email address.")
        String email;

        @Option(
                names = {"-C", "--comment"},
                description = "Key comment.")
        String comment;

        @Option(
                names = {"-P", "--password"},
                description = "Passphrase protecting the secret key ('' for none).")
        String password;

        @Option(
                names = {"-b", "--bit-length"},
                defaultValue = "4096",
                description = "RSA key size in bits (default ${DEFAULT-VALUE}).")
        int bits;

        @Spec
        CommandLine.Model.CommandSpec spec;

        @Override
        public Integer call() {
            Console c = System.console();
            String n = name != null ? name : ask(c, "Enter your name (e.g., John Doe) : ");
            String e = email != null ? email : ask(c, "Enter your email address (e.g., john.doe@example.com) : ");
            String m = comment != null ? comment : ask(c, "Enter optional comment (e.g., development keys) : ");
            char[] p;
            if (password != null) {
                p = password.toCharArray();
            } else if (c != null) {
                p = c.readPassword("Enter a passphrase : ");
                char[] again = c.readPassword("Retype your passphrase : ");
                if (p == null || again == null || !Arrays.equals(p, again)) {
                    throw new JsingException(ExitCodes.USAGE, "passphrases do not match");
                }
            } else {
                throw new JsingException(
                        ExitCodes.USAGE, "no terminal to ask for a passphrase: pass --password ('' for none)");
            }
            service().newPair(n, e, m, p, bits, spec.commandLine().getOut());
            return ExitCodes.OK;
        }

        private static String ask(Console c, String question) {
            if (c == null) {
                throw new JsingException(
                        ExitCodes.USAGE,
                        "no terminal to ask '" + question.strip() + "': pass --name, --email and --comment");
            }
            String a = c.readLine("%s", question);
            return a == null ? "" : a.strip();
        }
    }

    /** {@code jsing key list}. */
    @Command(name = "list", description = "List the keys in the keyring.")
    static final class ListKeys implements Callable<Integer> {
        @Option(
                names = {"-s", "--secret"},
                description = "List private keys instead of public keys.")
        boolean secret;

        @Spec
        CommandLine.Model.CommandSpec spec;

        @Override
        public Integer call() {
            service().list(secret, spec.commandLine().getOut());
            return ExitCodes.OK;
        }
    }

    /** {@code jsing key import}. */
    @Command(name = "import", description = "Import OpenPGP keys (public or private, binary or armoured) from a file.")
    static final class Import implements Callable<Integer> {
        @Parameters(paramLabel = "FILE", description = "The key file.")
        Path file;

        @Spec
        CommandLine.Model.CommandSpec spec;

        @Override
        public Integer call() {
            service().importKeys(file, spec.commandLine().getOut());
            return ExitCodes.OK;
        }
    }

    /** {@code jsing key export}. */
    @Command(name = "export", description = "Export a key from the keyring to a file.")
    static final class Export implements Callable<Integer> {
        @Option(
                names = {"-s", "--secret"},
                description = "Export the private key.")
        boolean secret;

        @Option(
                names = {"-a", "--armor"},
                description = "ASCII-armoured output.")
        boolean armor;

        @Option(
                names = {"-f", "--fingerprint"},
                description = "The key to export (default: the only one).")
        String fingerprint;

        @Parameters(paramLabel = "FILE", description = "The output file.")
        Path file;

        @Spec
        CommandLine.Model.CommandSpec spec;

        @Override
        public Integer call() {
            service()
                    .export(file, secret, armor, fingerprint, spec.commandLine().getOut());
            return ExitCodes.OK;
        }
    }

    /** {@code jsing key remove}. */
    @Command(name = "remove", description = "Remove a key from the keyring by its fingerprint.")
    static final class Remove implements Callable<Integer> {
        @Option(
                names = {"-s", "--secret"},
                description = "Remove the private key instead of the public key.")
        boolean secret;

        @Parameters(paramLabel = "FINGERPRINT", description = "The key's fingerprint.")
        String fingerprint;

        @Spec
        CommandLine.Model.CommandSpec spec;

        @Override
        public Integer call() {
            service().remove(fingerprint, secret, spec.commandLine().getOut());
            return ExitCodes.OK;
        }
    }
}
