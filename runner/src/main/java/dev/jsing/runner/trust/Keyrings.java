package dev.jsing.runner.trust;

import dev.jsing.runner.error.ExitCodes;
import dev.jsing.runner.error.JsingException;
import dev.jsing.sif.integrity.PgpKey;
import dev.jsing.sif.integrity.PgpKeyring;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;

/**
 * The OpenPGP keyrings jsing uses, in Apptainer's file format: the user's own ({@code ~/.jsing/keys/pgp-public},
 * {@code pgp-secret}), which jsing writes; the user's Apptainer keyring ({@code ~/.apptainer/keys}), which jsing
 * reads but never changes; and the site's public keyring ({@code <site dir>/global-pgp-public}), as Apptainer's
 * global keyring.
 */
public final class Keyrings {
    static final String PUBLIC = "pgp-public";
    static final String SECRET = "pgp-secret";

    private final Path jsingDir;
    private final Path apptainerDir;
    private final Path siteFile;

    Keyrings(Path jsingDir, Path apptainerDir, Path siteFile) {
        this.jsingDir = jsingDir;
        this.apptainerDir = apptainerDir;
        this.siteFile = siteFile;
    }

    /** The home directory keyrings live under: {@code $HOME}, as Apptainer, else the account's home. */
    public static String userHome(java.util.Map<String, String> env) {
        String h = env.get("HOME");
        return h != null && !h.isEmpty() ? h : System.getProperty("user.home");
    }

    /** The keyrings of the user whose home is {@code home}, with the site directory {@code siteDir}. */
    public static Keyrings of(String home, Path siteDir) {
        return new Keyrings(
                Path.of(home, ".jsing", "keys"),
                Path.of(home, ".apptainer", "keys"),
                siteDir.resolve("global-pgp-public"));
    }

    Path jsingPublic() {
        return jsingDir.resolve(PUBLIC);
    }

    Path jsingSecret() {
        return jsingDir.resolve(SECRET);
    }

    Path apptainerPublic() {
        return apptainerDir.resolve(PUBLIC);
    }

    Path apptainerSecret() {
        return apptainerDir.resolve(SECRET);
    }

    Path siteFile() {
        return siteFile;
    }

    static PgpKeyring read(Path f) {
        try {
            return PgpKeyring.read(f);
        } catch (IOException e) {
            throw new JsingException(ExitCodes.IO_ERROR, "cannot read keyring " + f + ": " + e.getMessage());
        }
    }

    /** A labelled keyring file and its keys. */
    record Source(String label, Path file, PgpKeyring keys) {}

    /** The public keyrings a user's verification reads: jsing's, Apptainer's, the site's. */
    List<Source> publicSources() {
        List<Source> out = new ArrayList<>();
        out.add(new Source("LOCAL", jsingPublic(), read(jsingPublic())));
        if (Files.exists(apptainerPublic())) {
            out.add(new Source("LOCAL", apptainerPublic(), read(apptainerPublic())));
        }
        if (Files.exists(siteFile)) {
            out.add(new Source("GLOBAL", siteFile, read(siteFile)));
        }
        return out;
    }

    /** The secret keyrings, jsing's then Apptainer's: {@code key list --secret} numbers them in this order. */
    List<Source> secretSources() {
        List<Source> out = new ArrayList<>();
        out.add(new Source("LOCAL", jsingSecret(), read(jsingSecret())));
        if (Files.exists(apptainerSecret())) {
            out.add(new Source("LOCAL", apptainerSecret(), read(apptainerSecret())));
        }
        return out;
    }

    static PgpKeyring merged(List<Source> sources) {
        PgpKeyring all = PgpKeyring.empty();
        for (Source s : sources) {
            all = all.plus(s.keys());
        }
        return all;
    }

    /** The label of the first source holding {@code key} ({@code LOCAL} or {@code GLOBAL}). */
    static String labelOf(List<Source> sources, PgpKey key) {
        for (Source s : sources) {
            if (s.keys().byFingerprint(key.fingerprint()).isPresent()) {
                return s.label();
            }
        }
        return "REMOTE";
    }

    /** Writes one of jsing's own keyring files, creating {@code ~/.jsing/keys} (mode 0700) first. */
    void writeJsing(PgpKeyring ring, boolean secret) {
        try {
            if (!Files.isDirectory(jsingDir)) {
                Files.createDirectories(jsingDir.getParent());
                Files.createDirectory(
                        jsingDir, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
            }
            ring.write(secret ? jsingSecret() : jsingPublic(), secret);
        } catch (IOException e) {
            throw new JsingException(
                    ExitCodes.CANT_CREATE, "cannot write keyring in " + jsingDir + ": " + e.getMessage());
        }
    }
}
