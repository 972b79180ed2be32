package dev.jsing.sif.integrity;

/**
 * Signing or verification failed. The message is one line; {@link #kind()} says which failure it is, so that callers
 * can tell an unsigned image from a tampered one or from a signature by an unknown key.
 */
public class IntegrityException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    /** The kinds of failure. */
    public enum Kind {
        /** The image (or the selected group or object) has no signature to verify. */
        NOT_SIGNED,
        /** A signature is valid but what it covers changed: header, descriptor or object data. */
        TAMPERED,
        /** A signature was made by a key that is not in the keyring (or is not one of the given keys). */
        UNKNOWN_KEY,
        /** A signature is malformed, does not verify, or does not match its descriptor. */
        INVALID_SIGNATURE,
        /** A signature or digest uses a hash algorithm that is not accepted (MD5, SHA-1, ...). */
        WEAK_HASH,
        /** The signature's format needs key material that was not given (a DSSE signature and no --key, ...). */
        NO_KEY_MATERIAL,
        /** The request cannot be served: unknown group or object, no key to sign with, wrong passphrase, ... */
        INVALID_REQUEST
    }

    private final Kind kind;

    public IntegrityException(Kind kind, String message) {
        super(message);
        this.kind = kind;
    }

    public IntegrityException(Kind kind, String message, Throwable cause) {
        super(message, cause);
        this.kind = kind;
    }

    public Kind kind() {
        return kind;
    }
}
