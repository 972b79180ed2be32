package dev.jsing.runner.trust;

import dev.jsing.runner.error.ExitCodes;
import dev.jsing.runner.error.JsingException;
import dev.jsing.sif.SifException;
import dev.jsing.sif.SifImage;
import dev.jsing.sif.integrity.IntegrityException;
import dev.jsing.sif.integrity.KeyPairs;
import dev.jsing.sif.integrity.PemKeys;
import dev.jsing.sif.integrity.PgpKey;
import dev.jsing.sif.integrity.PgpKeyring;
import dev.jsing.sif.integrity.Selection;
import dev.jsing.sif.integrity.SifSigner;
import java.io.Console;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/** {@code jsing sign}: adds signatures to a SIF image with an OpenPGP key of the keyring or a PEM private key. */
public final class SignService {
    /**
     * What to sign with and what to sign.
     *
     * @param keyIndex the index of the secret key in {@code key list --secret} (null: the only one, or ask)
     * @param pemKey a PEM private key file for a DSSE signature instead of OpenPGP (null for OpenPGP)
     * @param groupId sign this group (0: not given)
     * @param objectId sign this object (0: not given)
     */
    public record Request(Integer keyIndex, Path pemKey, int groupId, int objectId) {}

    private final Keyrings rings;
    private final Map<String, String> env;

    private SignService(Keyrings rings, Map<String, String> env) {
        this.rings = rings;
        this.env = env;
    }

    public static SignService of(String home, Path siteDir, Map<String, String> env) {
        return new SignService(Keyrings.of(home, siteDir), env);
    }

    public void sign(Path image, Request req, PrintWriter err, boolean quiet) {
        SifSigner signer;
        try {
            if (req.pemKey() != null) {
                info(err, quiet, "signing image with key material from '" + req.pemKey() + "'");
                char[] pass = PemKeys.isEncrypted(req.pemKey())
                        ? Passphrases.forKey(env, req.pemKey().toString())
                        : null;
                signer = SifSigner.dsse(List.of(KeyPairs.read(req.pemKey(), pass)));
            } else {
                info(err, quiet, "signing image with PGP key material");
                PgpKey k = select(req.keyIndex());
                signer = SifSigner.pgp(
                        k.unlock(k.isEncrypted() ? Passphrases.forKey(env, "key " + k.fingerprint()) : null));
            }
        } catch (NoSuchFileException e) {
            throw new JsingException(ExitCodes.NOT_FOUND, e.getFile() + ": key file not found");
        } catch (IOException e) {
            throw new JsingException(ExitCodes.IO_ERROR, "cannot read key: " + e.getMessage());
        } catch (IntegrityException e) {
            throw Integrity.failure(e);
        }
        Selection sel = new Selection(
                req.groupId() != 0 ? List.of(req.groupId()) : List.of(),
                req.objectId() != 0 ? List.of(req.objectId()) : List.of());
        try (SifImage img = SifImage.openWritable(image)) {
            signer.sign(img, sel);
        } catch (NoSuchFileException e) {
            throw new JsingException(ExitCodes.NOT_FOUND, image + ": image not found");
        } catch (IOException e) {
            throw new JsingException(ExitCodes.IO_ERROR, image + ": " + e.getMessage());
        } catch (SifException e) {
            throw Integrity.failure(image, e);
        } catch (IntegrityException e) {
            throw Integrity.failure(e);
        }
        info(err, quiet, "signature created and applied to image '" + image + "'");
    }

    private PgpKey select(Integer index) {
        List<Keyrings.Source> sources = rings.secretSources();
        PgpKeyring all = PgpKeyring.empty();
        for (Keyrings.Source s : sources) {
            all = PgpKeyring.of(concat(all.keys(), s.keys().keys()));
        }
        List<PgpKey> keys = all.keys();
        if (keys.isEmpty()) {
            throw new JsingException(
                    ExitCodes.USAGE,
                    "no private key in " + rings.jsingSecret()
                            + " (nor in Apptainer's keyring): create one with 'jsing key newpair'"
                            + " or add one with 'jsing key import', or sign with --key PRIVATE.pem");
        }
        if (index != null) {
            if (index < 0 || index >= keys.size()) {
                throw new JsingException(
                        ExitCodes.USAGE,
                        "--keyidx " + index + ": no such key (0.." + (keys.size() - 1)
                                + ", see 'jsing key list --secret')");
            }
            return keys.get(index);
        }
        if (keys.size() == 1) {
            return keys.get(0);
        }
        Console c = System.console();
        if (c == null) {
            throw new JsingException(
                    ExitCodes.USAGE,
                    "the keyring holds " + keys.size()
                            + " private keys: choose one with --keyidx N (see 'jsing key list --secret')");
        }
        PrintWriter w = c.writer();
        for (int i = 0; i < keys.size(); i++) {
            KeyService.print(w, i, keys.get(i));
        }
        String a = c.readLine("Enter # of private key to use : ");
        try {
            int n = Integer.parseInt(a == null ? "" : a.strip());
            if (n >= 0 && n < keys.size()) {
                return keys.get(n);
            }
        } catch (NumberFormatException e) {
            // fall through
        }
        throw new JsingException(ExitCodes.USAGE, "'" + a + "' is not a key number");
    }

    private static List<PgpKey> concat(List<PgpKey> a, List<PgpKey> b) {
        java.util.ArrayList<PgpKey> out = new java.util.ArrayList<>(a);
        out.addAll(b);
        return out;
    }

    static void info(PrintWriter err, boolean quiet, String msg) {
        if (!quiet) {
            err.println("jsing: " + msg);
            err.flush();
        }
    }
}
