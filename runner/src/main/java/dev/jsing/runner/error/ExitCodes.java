package dev.jsing.runner.error;

/**
 * jsing's own exit codes: a contract with users, scripts and tests. Once issued, a code is permanent.
 *
 * <p>When a container payload runs, its exit status is jsing's exit status (128+N when it was killed by signal N), so
 * these codes only describe failures of jsing itself. They sit in the 64..81 range (the BSD sysexits range and just above it) to stay
 * clear of the codes shells and programs commonly use. The C starter uses the same numbers (see
 * {@code src/main/c/starter.h}).
 */
public final class ExitCodes {
    public static final int OK = 0;
    /** Bad command line: unknown option, missing argument. */
    public static final int USAGE = 64;
    /** The image is malformed: bad SIF header or descriptors, no usable root filesystem. */
    public static final int BAD_IMAGE = 65;
    /** An input file or directory does not exist or cannot be read. */
    public static final int NOT_FOUND = 66;
    /** The definition file is invalid. */
    public static final int BAD_DEFINITION = 67;
    /** A build step failed (%post, %test, bootstrap, mksquashfs). */
    public static final int BUILD_FAILED = 68;
    /** A required external tool or kernel feature is unavailable (squashfuse, user namespaces). */
    public static final int UNAVAILABLE = 69;
    /** A bug in jsing. */
    public static final int INTERNAL = 70;
    /** The starter failed to set up the container (namespaces, mounts, pivot_root). */
    public static final int LAUNCH_FAILED = 71;
    /** The configuration file is invalid. */
    public static final int BAD_CONFIG = 72;
    /** The destination cannot be created (exists without --force, not writable). */
    public static final int CANT_CREATE = 73;
    /** An I/O error while reading or writing. */
    public static final int IO_ERROR = 74;
    /** A registry or network error. */
    public static final int REGISTRY = 75;
    /** A bind or mount request is invalid or not allowed. */
    public static final int BAD_MOUNT = 76;
    /** A signature check failed: the image is unsigned, was changed after signing, or was signed by an unknown key. */
    public static final int VERIFY_FAILED = 77;
    /** The site's execution control list does not allow this image to run. */
    public static final int EXECUTION_DENIED = 78;
    /** A writable overlay image is in use by another container (or read-only ones use it and a writer asked). */
    public static final int IMAGE_BUSY = 79;
    /** An instance cannot be used: unknown, a duplicate name, another user's, or gone. */
    public static final int INSTANCE = 80;

    /**
     * A network or resource limit that was asked for cannot be had here: no delegated cgroup, a controller or cgroup
     * file the host lacks, the network tool missing or failing, a network namespace that cannot be joined.
     */
    public static final int ISOLATION_UNAVAILABLE = 81;
    /** The command was not found in the container (as in shells). */
    public static final int COMMAND_NOT_FOUND = 127;
    /** The command was found but could not be executed (as in shells). */
    public static final int COMMAND_NOT_EXECUTABLE = 126;

    private ExitCodes() {}
}
