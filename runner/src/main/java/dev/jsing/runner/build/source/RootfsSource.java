package dev.jsing.runner.build.source;

import dev.jsing.oci.ImageConfig;
import dev.jsing.runner.build.context.BuildContext;
import java.io.IOException;
import java.nio.file.Path;

/**
 * Where a stage's root filesystem comes from (a {@code Bootstrap:} agent). {@link #prepare} fills an empty directory;
 * sources derived from OCI/Docker images also return the image config, which becomes the image's environment,
 * runscript and labels. A registry source ({@code docker://}) implements the same interface.
 */
public interface RootfsSource {
    /** A short description for progress lines, e.g. {@code debootstrap bookworm}. */
    String describe();

    /** Fills {@code rootfs} (an existing empty directory); returns the OCI config or null. */
    ImageConfig prepare(Path rootfs, BuildContext ctx) throws IOException;
}
