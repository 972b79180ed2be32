package dev.jsing.runner.trust;

import dev.jsing.runner.error.ExitCodes;
import dev.jsing.runner.error.JsingException;
import java.io.Console;
import java.util.Map;

/**
 * Passphrases for protected keys: from {@code JSING_SIGN_PASSPHRASE}, {@code APPTAINER_SIGN_PASSPHRASE} or
 * {@code SINGULARITY_SIGN_PASSPHRASE} (in that order), else asked on the terminal without echo.
 */
final class Passphrases {
    static final String[] VARIABLES = {
        "JSING_SIGN_PASSPHRASE", "APPTAINER_SIGN_PASSPHRASE", "SINGULARITY_SIGN_PASSPHRASE"
    };

    private Passphrases() {}

    static char[] forKey(Map<String, String> env, String what) {
        for (String v : VARIABLES) {
            String p = env.get(v);
            if (p != null) {
                return p.toCharArray();
            }
        }
        Console c = System.console();
        if (c == null) {
            throw new JsingException(
                    ExitCodes.USAGE,
                    what + " is protected by a passphrase: set JSING_SIGN_PASSPHRASE or run on a terminal");
        }
        char[] p = c.readPassword("Enter key passphrase : ");
        if (p == null) {
            throw new JsingException(ExitCodes.USAGE, "no passphrase given");
        }
        return p;
    }
}
