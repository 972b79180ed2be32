package dev.jsing.oci;

import java.io.IOException;

/** A bad, unsafe or unsupported OCI/Docker image or layer. The message is one line naming the entry or file. */
public class OciException extends IOException {
    private static final long serialVersionUID = 1L;

    /** What went wrong, so callers can choose an exit code. */
    public enum Kind {
        /** A layer entry would write outside the root (../, absolute name, symlink escape). */
        UNSAFE_PATH,
        /** A compression or feature this build cannot handle (zstd without zstd-jni). */
        UNSUPPORTED,
        /** Malformed layout, manifest, config or digest mismatch. */
        BAD_IMAGE
    }

    private final Kind kind;

    public OciException(Kind kind, String message) {
        super(message);
        this.kind = kind;
    }

    public OciException(Kind kind, String message, Throwable cause) {
        super(message, cause);
        this.kind = kind;
    }

    public Kind kind() {
        return kind;
    }
}
