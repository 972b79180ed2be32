package dev.jsing.runner.trust;

import dev.jsing.runner.error.ExitCodes;
import dev.jsing.runner.error.JsingException;
import dev.jsing.sif.integrity.IntegrityException;
import dev.jsing.sif.integrity.PgpKey;
import dev.jsing.sif.integrity.PgpKeyring;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.List;

/** {@code jsing key ...}: the user's OpenPGP keyrings (see {@link Keyrings}). */
public final class KeyService {
    private static final DateTimeFormatter GO_TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss xx zzz");

    private final Keyrings rings;

    private KeyService(Keyrings rings) {
        this.rings = rings;
    }

    public static KeyService of(String home, Path siteDir) {
        return new KeyService(Keyrings.of(home, siteDir));
    }

    /** Prints the public (or secret) keys, Apptainer's format: jsing's keyring, then Apptainer's if the user has one. */
    public void list(boolean secret, PrintWriter out) {
        int index = 0;
        for (Keyrings.Source s : secret ? rings.secretSources() : rings.publicSources()) {
            if (s.label().equals("GLOBAL")) {
                continue;
            }
            out.printf("%s key listing (%s):%n%n", secret ? "Private" : "Public", s.file());
            for (PgpKey k : s.keys().keys()) {
                print(out, index++, k);
            }
        }
        out.flush();
    }

    /** One key as Apptainer's {@code key list} prints it (its tab-aligned columns). */
    static void print(PrintWriter out, int index, PgpKey k) {
        String first = String.format("%-4s", index + ")");
        List<String> ids = k.userIds();
        for (int i = 0; i < Math.max(1, ids.size()); i++) {
            out.printf("%s%-19s%s%n", i == 0 ? first : "    ", "User:", ids.isEmpty() ? "" : ids.get(i));
        }
        out.printf("    %-19s%s%n", "Creation time:", GO_TIME.format(k.created().atZone(ZoneId.systemDefault())));
        out.printf("    %-19s%s%n", "Fingerprint:", k.fingerprint());
        out.printf("    %-19s%d%n", "Length (in bits):", k.bitLength());
        out.println();
    }

    /** Generates a key pair into jsing's keyrings; returns it. */
    public PgpKey newPair(String name, String email, String comment, char[] passphrase, int bits, PrintWriter out) {
        if (name.isBlank()) {
            throw new JsingException(ExitCodes.USAGE, "a key needs a name");
        }
        out.print("Generating Entity and OpenPGP Key Pair... ");
        out.flush();
        PgpKey k;
        try {
            k = PgpKey.generate(name, comment, email, bits, passphrase);
        } catch (IntegrityException e) {
            out.println();
            throw Integrity.failure(e);
        }
        rings.writeJsing(Keyrings.read(rings.jsingSecret()).with(k), true);
        rings.writeJsing(Keyrings.read(rings.jsingPublic()).with(k.publicOnly()), false);
        out.println("done");
        out.println("Fingerprint: " + k.fingerprint());
        out.flush();
        return k;
    }

    /** Imports the keys in {@code file} (binary or armoured; public keys, or secret keys with their public parts). */
    public void importKeys(Path file, PrintWriter out) {
        PgpKeyring in;
        try {
            in = PgpKeyring.parse(Files.readAllBytes(file));
        } catch (IOException e) {
            throw new JsingException(ExitCodes.NOT_FOUND, "cannot read " + file + ": " + e.getMessage());
        } catch (IntegrityException e) {
            throw new JsingException(ExitCodes.USAGE, file + ": " + e.getMessage());
        }
        if (in.isEmpty()) {
            throw new JsingException(ExitCodes.USAGE, file + ": no OpenPGP key in it");
        }
        PgpKeyring pub = Keyrings.read(rings.jsingPublic());
        PgpKeyring sec = Keyrings.read(rings.jsingSecret());
        int added = 0;
        for (PgpKey k : in.keys()) {
            boolean have = k.hasSecret()
                    ? sec.byFingerprint(k.fingerprint()).isPresent()
                    : pub.byFingerprint(k.fingerprint()).isPresent();
            if (have) {
                out.println("The key with fingerprint " + k.fingerprint() + " already belongs to the keyring");
                continue;
            }
            if (k.hasSecret()) {
                sec = sec.with(k);
            }
            if (pub.byFingerprint(k.fingerprint()).isEmpty()) {
                pub = pub.with(k.publicOnly());
            }
            out.println("Key with fingerprint " + k.fingerprint() + " successfully added to the "
                    + (k.hasSecret() ? "private" : "public") + " keyring");
            added++;
        }
        if (added > 0) {
            rings.writeJsing(sec, true);
            rings.writeJsing(pub, false);
        }
        out.flush();
    }

    /**
     * Exports one key (by fingerprint, or the only one) from the public or secret keyrings to {@code file}: binary, or
     * ASCII-armoured with {@code armor}.
     */
    public void export(Path file, boolean secret, boolean armor, String fingerprint, PrintWriter out) {
        PgpKeyring ring = Keyrings.merged(secret ? rings.secretSources() : rings.publicSources());
        PgpKey k;
        if (fingerprint != null) {
            k = ring.byFingerprint(fingerprint.replace(" ", ""))
                    .orElseThrow(
                            () -> new JsingException(ExitCodes.NOT_FOUND, "no key with fingerprint " + fingerprint));
        } else if (ring.keys().size() == 1) {
            k = ring.keys().get(0);
        } else if (ring.isEmpty()) {
            throw new JsingException(
                    ExitCodes.NOT_FOUND, "the " + (secret ? "private" : "public") + " keyring is empty");
        } else {
            throw new JsingException(
                    ExitCodes.USAGE,
                    "the keyring holds several keys: name one with --fingerprint (see 'jsing key list')");
        }
        try {
            if (armor) {
                Files.writeString(file, k.armored(secret), StandardCharsets.US_ASCII);
            } else {
                Files.write(file, k.encoded(secret));
            }
        } catch (IOException e) {
            throw new JsingException(ExitCodes.CANT_CREATE, "cannot write " + file + ": " + e.getMessage());
        }
        out.println((secret ? "Private" : "Public") + " key with fingerprint " + k.fingerprint()
                + " correctly exported to file: " + file);
        out.flush();
    }

    /** Removes the key from jsing's public keyring, or its secret part from the secret keyring. */
    public void remove(String fingerprint, boolean secret, PrintWriter out) {
        String fp = fingerprint.replace(" ", "");
        Path file = secret ? rings.jsingSecret() : rings.jsingPublic();
        PgpKeyring ring = Keyrings.read(file);
        if (ring.byFingerprint(fp).isEmpty()) {
            PgpKeyring app = Keyrings.read(secret ? rings.apptainerSecret() : rings.apptainerPublic());
            if (app.byFingerprint(fp).isPresent()) {
                throw new JsingException(
                        ExitCodes.USAGE,
                        "key " + fp + " is in Apptainer's keyring ("
                                + rings.apptainerPublic().getParent()
                                + "), which jsing does not change: remove it with 'apptainer key remove'");
            }
            throw new JsingException(ExitCodes.NOT_FOUND, "no key with fingerprint " + fp + " in " + file);
        }
        rings.writeJsing(ring.without(fp), secret);
        out.println("Key with fingerprint " + fp.toUpperCase(java.util.Locale.ROOT) + " removed from " + file);
        out.flush();
    }
}
