package dev.jsing.runner.image;

/** The kinds of root filesystem jsing runs. */
public enum ImageKind {
    /** A Singularity Image Format file; the root filesystem is its primary system partition (squashfs). */
    SIF,
    /** A plain squashfs file. */
    SQUASHFS,
    /** A directory holding a root filesystem. */
    SANDBOX
}
