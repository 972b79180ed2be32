package dev.jsing.runner.build.source;

import dev.jsing.oci.registry.ImageRef;
import java.io.IOException;
import java.nio.file.Path;

/**
 * Fetches a registry image (manifest, config, layers, verified) into an OCI layout directory, for
 * {@code Bootstrap: docker}. Implemented by the registry layer ({@code registry.PullService#layout}); the build sources
 * only see this interface, so they never depend on how the registry is reached or configured.
 */
@FunctionalInterface
public interface LayoutFetcher {
    /** Writes {@code ref} as an OCI layout into the existing empty directory {@code layout}. */
    void fetch(ImageRef ref, Path layout) throws IOException;
}
