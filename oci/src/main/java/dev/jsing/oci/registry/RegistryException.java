package dev.jsing.oci.registry;

import java.io.IOException;

/** A registry or network failure, with a message that is the whole line the user sees. */
public class RegistryException extends IOException {
    private static final long serialVersionUID = 1L;

    /** What went wrong, for exit codes and retry decisions. */
    public enum Kind {
        /** Credentials missing or refused. */
        AUTH,
        /** No such repository, tag, digest or platform. */
        NOT_FOUND,
        /** Connection failures, timeouts, 5xx and 429 after the retries. */
        NETWORK,
        /** Content whose digest or size does not match its descriptor. */
        DIGEST,
        /** An answer that breaks the protocol (bad JSON, unknown media type). */
        PROTOCOL
    }

    private final Kind kind;

    public RegistryException(Kind kind, String message) {
        super(message);
        this.kind = kind;
    }

    public RegistryException(Kind kind, String message, Throwable cause) {
        super(message, cause);
        this.kind = kind;
    }

    public Kind kind() {
        return kind;
    }
}
