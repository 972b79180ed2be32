package dev.jsing.runner.build;

import dev.jsing.oci.registry.ImageRef;
import dev.jsing.runner.build.context.BuildOptions;
import dev.jsing.runner.registry.ImageConverter;
import dev.jsing.runner.registry.PullService;
import dev.jsing.runner.registry.RegistrySettings;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;

/**
 * Registry images as SIF files: a {@link PullService} whose {@code docker://} images are converted by the
 * {@link Builder} (a {@code Bootstrap: docker} build pinned to the manifest digest, its layers fetched through the same
 * service and cache). This is the one place where the registry and the builder are wired together.
 */
public final class RegistryImages implements ImageConverter {
    private final PrintWriter err;
    private final boolean quiet;

    private RegistryImages(PrintWriter err, boolean quiet) {
        this.err = err;
        this.quiet = quiet;
    }

    /** The pull service for a command with these registry settings, converting with the builder. */
    public static PullService pullService(RegistrySettings settings, PrintWriter err) {
        return new PullService(settings, err, new RegistryImages(err, settings.quiet()));
    }

    /** As {@link #pullService(RegistrySettings, PrintWriter)}, caching in {@code cacheRoot} instead of the cache. */
    public static PullService pullService(RegistrySettings settings, PrintWriter err, Path cacheRoot) {
        return new PullService(settings, err, new RegistryImages(err, settings.quiet()), cacheRoot);
    }

    @Override
    public void convert(ImageRef pinned, Path sif, PullService pulls) {
        BuildOptions o = new BuildOptions(
                sif,
                pinned.toString(),
                false,
                false,
                true,
                true,
                List.of(),
                null,
                false,
                null,
                null,
                false,
                null,
                quiet,
                false);
        new Builder(o, err, err, pulls::layout).build();
    }
}
