package dev.jsing.runner.trust;

import dev.jsing.runner.config.ExecutionControl;
import dev.jsing.runner.error.ExitCodes;
import dev.jsing.runner.error.JsingException;
import dev.jsing.sif.SifException;
import dev.jsing.sif.SifImage;
import dev.jsing.sif.integrity.IntegrityException;
import dev.jsing.sif.integrity.PgpKeyring;
import dev.jsing.sif.integrity.SifVerifier;
import dev.jsing.sif.integrity.SignatureCheck;
import dev.jsing.sif.integrity.VerifyReport;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;

/**
 * The execution control list, applied before a launch mounts anything (Apptainer's ECL): the image must be a SIF
 * file in a directory some execution group governs, its current (or, with {@code legacy-insecure}, legacy)
 * signatures must pass verification with the site's keyring, and its signers must satisfy the group's mode. A
 * signature that does not verify (unknown key, bad signature, refused hash) counts as not made; an unsigned or
 * tampered image never passes. Only this class, reached only when the site activates the list, loads the signature
 * library on the launch path: its signature uses no library type.
 */
public final class ExecutionCheck {
    private ExecutionCheck() {}

    /**
     * Throws {@code JsingException(EXECUTION_DENIED)} unless the list allows {@code image} to run.
     *
     * @param image the resolved image path
     * @param isSif whether it is a SIF file (other images carry no signatures and never pass)
     * @param ecl the site's list (activated)
     * @param siteDir the site directory, for the default keyring
     */
    public static void require(Path image, boolean isSif, ExecutionControl ecl, Path siteDir) {
        String reason = refusal(image, isSif, ecl, siteDir);
        if (reason != null) {
            throw new JsingException(
                    ExitCodes.EXECUTION_DENIED, "execution control: " + image + " may not run: " + reason);
        }
    }

    /** Why the list refuses the image, or null when it allows it. */
    static String refusal(Path image, boolean isSif, ExecutionControl ecl, Path siteDir) {
        if (!isSif) {
            return "only signed SIF images may run here, and this is not a SIF file";
        }
        Path real;
        try {
            real = image.toRealPath();
        } catch (IOException e) {
            return "cannot resolve its path: " + e.getMessage();
        }
        String dir = real.getParent() == null ? "/" : real.getParent().toString();
        ExecutionControl.Group g = ecl.groupFor(dir);
        if (g == null) {
            return "its directory " + dir + " belongs to no execution group";
        }
        Path keyringFile = ecl.keyring().isEmpty() ? siteDir.resolve("global-pgp-public") : Path.of(ecl.keyring());
        PgpKeyring keyring;
        try {
            keyring = Files.exists(keyringFile) ? PgpKeyring.read(keyringFile) : PgpKeyring.empty();
        } catch (IOException e) {
            return "the site keyring cannot be read: " + e.getMessage();
        }
        SifVerifier.Options o = SifVerifier.Options.pgp(keyring);
        if (ecl.legacyInsecure()) {
            o = o.withLegacy(false);
        }
        VerifyReport r;
        try (SifImage img = SifImage.open(real)) {
            r = SifVerifier.verify(img, o);
        } catch (IntegrityException e) {
            return "image signature not valid: " + e.getMessage();
        } catch (SifException | IOException e) {
            return e.getMessage();
        }
        for (SignatureCheck c : r.checks()) {
            if (c.error().isPresent() && !ignorable(c.error().get().kind())) {
                return "image signature not valid: " + c.error().get().getMessage();
            }
        }
        Set<String> signers = r.verifiedInEveryTask();
        List<String> fps = g.fingerprints();
        switch (g.mode()) {
            case "whitelist":
                if (fps.stream().noneMatch(signers::contains)) {
                    return "not signed by any key execution group '" + g.name() + "' requires (whitelist " + fps + ")";
                }
                return null;
            case "whitestrict":
                for (String fp : fps) {
                    if (!signers.contains(fp)) {
                        return "not signed by " + fp + ", which execution group '" + g.name()
                                + "' requires (whitestrict)";
                    }
                }
                return null;
            case "blacklist":
                for (String fp : r.recordedInAnyTask()) {
                    if (fps.contains(fp)) {
                        return "signed by " + fp + ", which execution group '" + g.name() + "' forbids (blacklist)";
                    }
                }
                return null;
            default:
                return "execution group '" + g.name() + "' has an unknown mode";
        }
    }

    /** Failures that mean "this signature was not made by a known key", which Apptainer's ECL skips. */
    private static boolean ignorable(IntegrityException.Kind k) {
        return k == IntegrityException.Kind.UNKNOWN_KEY
                || k == IntegrityException.Kind.INVALID_SIGNATURE
                || k == IntegrityException.Kind.WEAK_HASH;
    }
}
