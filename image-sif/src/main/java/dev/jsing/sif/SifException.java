package dev.jsing.sif;

import java.nio.file.Path;

/**
 * A SIF operation failed. The message is one line that names the file and the problem; {@link #reason()} says which
 * kind of problem it is, so callers can map it to an exit code.
 */
public class SifException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    /** The kinds of failure. */
    public enum Reason {
        /** The file is not a valid SIF image ({@link SifFormatException}). */
        MALFORMED,
        /** No data object has the requested ID. */
        OBJECT_NOT_FOUND,
        /** The object is not a partition. */
        NOT_A_PARTITION,
        /** The object is a partition but not a system partition. */
        NOT_A_SYSTEM_PARTITION,
        /** The image already has a primary system partition. */
        PRIMARY_PARTITION_EXISTS,
        /** Every descriptor slot is in use. */
        NO_FREE_DESCRIPTOR,
        /** The request itself is invalid (name too long, compacting a non-last object, ...). */
        INVALID_REQUEST
    }

    private final transient Path file;
    private final Reason reason;

    public SifException(Path file, Reason reason, String problem) {
        super(file + ": " + problem);
        this.file = file;
        this.reason = reason;
    }

    /** The image the problem is about. */
    public Path file() {
        return file;
    }

    public Reason reason() {
        return reason;
    }
}
