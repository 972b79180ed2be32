package dev.jsing.sif.integrity;

import dev.jsing.sif.Descriptor;
import java.util.List;
import java.util.Optional;

/**
 * The outcome of checking one signature (or, with {@code signatureId} 0, of finding none for a group or object).
 *
 * @param signatureId the signature object's ID, 0 when no signature was found
 * @param format {@code pgp}, {@code dsse} or {@code legacy-pgp}; "" when no signature was found
 * @param fingerprint the fingerprint the descriptor records (upper-case hex; "" for DSSE)
 * @param signer the OpenPGP key that made the signature, when it verified
 * @param keyIds for DSSE, the key IDs ({@code SHA256:...}) of the given keys it verified with
 * @param verified the objects the signature was found to cover, unchanged
 * @param error why it failed, if it did
 */
public record SignatureCheck(
        int signatureId,
        String format,
        String fingerprint,
        Optional<PgpKey> signer,
        List<String> keyIds,
        List<Descriptor> verified,
        Optional<IntegrityException> error) {
    public SignatureCheck {
        keyIds = List.copyOf(keyIds);
        verified = List.copyOf(verified);
    }

    public boolean ok() {
        return error.isEmpty();
    }
}
