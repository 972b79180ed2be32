package dev.jsing.runner.registry;

import dev.jsing.oci.registry.ImageRef;
import dev.jsing.runner.error.ExitCodes;
import dev.jsing.runner.error.JsingException;
import java.io.IOException;
import java.nio.file.Path;

/**
 * Turns a pulled {@code docker://} image into a SIF. The registry layer fetches and caches; converting is a build, which
 * lives above it ({@code build.RegistryImages} supplies the builder), so {@link PullService} only sees this interface.
 */
@FunctionalInterface
public interface ImageConverter {
    /** For services that never convert (push, ORAS-only pulls): converting is an internal error. */
    ImageConverter NONE = (pinned, sif, pulls) -> {
        throw new JsingException(ExitCodes.INTERNAL, "no image converter for " + pinned);
    };

    /** Builds {@code sif} from the digest-pinned image {@code pinned}, fetching its blobs through {@code pulls}. */
    void convert(ImageRef pinned, Path sif, PullService pulls) throws IOException;
}
