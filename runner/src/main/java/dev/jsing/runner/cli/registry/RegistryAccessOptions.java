package dev.jsing.runner.cli.registry;

import dev.jsing.runner.registry.RegistrySettings;
import java.nio.file.Path;
import picocli.CommandLine.Option;

/**
 * How to reach a registry: {@code --no-https}, {@code --authfile}. Push takes only these (as Apptainer's push, it has
 * no {@code --arch}: the SIF it uploads is what it is); pull and build add {@code --arch} ({@link RegistryOptions}).
 */
public class RegistryAccessOptions {
    @Option(names = "--no-https", description = "Use plain HTTP to talk to the registry (local test registries).")
    boolean noHttps;

    @Option(
            names = "--authfile",
            paramLabel = "FILE",
            description = "Docker-style auth file (default: ~/.docker/config.json).")
    Path authFile;

    /** These flags merged with the environment. */
    public RegistrySettings settings(boolean quiet) {
        return RegistrySettings.of(noHttps, authFile, null, quiet);
    }
}
