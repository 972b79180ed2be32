package dev.jsing.common.fs;

import java.io.IOException;

/** A path that {@link RootedPath} cannot resolve inside its root; the message is one line naming caller and path. */
public final class RootedPathException extends IOException {
    private static final long serialVersionUID = 1L;

    /** Why. */
    public enum Reason {
        /** A {@code ..} would climb above the root (only in {@link RootedPath.AboveRoot#REFUSE} mode). */
        ABOVE_ROOT,
        /** More than {@link RootedPath#MAX_SYMLINK_HOPS} symlinks (a loop, as the kernel's {@code ELOOP}). */
        TOO_MANY_SYMLINKS,
        /** A component that must be a directory is not one ({@code ENOTDIR}). */
        NOT_A_DIRECTORY,
        /** A directory that must exist does not ({@link RootedPath.Missing#FAIL}). */
        NO_SUCH_DIRECTORY,
        /** A NUL byte in a component. */
        NUL_IN_PATH
    }

    private final Reason reason;

    public RootedPathException(Reason reason, String message) {
        super(message);
        this.reason = reason;
    }

    public Reason reason() {
        return reason;
    }
}
