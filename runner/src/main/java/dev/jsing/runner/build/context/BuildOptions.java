package dev.jsing.runner.build.context;

import java.nio.file.Path;
import java.util.List;

/**
 * What {@code jsing build} was asked to do.
 *
 * @param dest the SIF file or (with {@code sandbox}) directory to create
 * @param spec a definition file, a sandbox directory, a SIF or squashfs file, or an {@code oci:}/{@code
 *     oci-archive:}/{@code docker-archive:} reference
 * @param sandbox write a sandbox directory instead of a SIF
 * @param fakeroot asked for {@code --fakeroot} (an ordinary user always builds as fakeroot)
 * @param force overwrite an existing destination
 * @param notest skip %test
 * @param buildArgs {@code --build-arg K=V}
 * @param buildArgFile {@code --build-arg-file}, or null
 * @param warnUnusedBuildArgs {@code --warn-unused-build-args}
 * @param mksquashfsArgs extra mksquashfs arguments (split on spaces), or null
 * @param comp mksquashfs compressor (default gzip)
 * @param reproducible fixed ids and times ({@code SOURCE_DATE_EPOCH} or 0)
 * @param sourceDateEpoch {@code SOURCE_DATE_EPOCH}, or null; implies reproducible output
 * @param quiet only errors
 * @param debug keep temp files' paths in messages, starter debug
 */
public record BuildOptions(
        Path dest,
        String spec,
        boolean sandbox,
        boolean fakeroot,
        boolean force,
        boolean notest,
        List<String> buildArgs,
        Path buildArgFile,
        boolean warnUnusedBuildArgs,
        String mksquashfsArgs,
        String comp,
        boolean reproducible,
        Long sourceDateEpoch,
        boolean quiet,
        boolean debug) {
    public BuildOptions {
        buildArgs = List.copyOf(buildArgs);
    }

    /** Whether ids and times are fixed. */
    public boolean deterministic() {
        return reproducible || sourceDateEpoch != null;
    }

    /** The fixed time (seconds) used by deterministic builds. */
    public long epoch() {
        return sourceDateEpoch != null ? sourceDateEpoch : 0L;
    }
}
