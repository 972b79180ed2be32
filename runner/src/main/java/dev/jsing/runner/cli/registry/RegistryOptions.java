package dev.jsing.runner.cli.registry;

import dev.jsing.runner.registry.RegistrySettings;
import picocli.CommandLine.Option;

/** The registry flags of pull and build: {@code --no-https}, {@code --authfile}, {@code --arch}. */
public final class RegistryOptions extends RegistryAccessOptions {
    @Option(
            names = "--arch",
            paramLabel = "ARCH",
            description = "Architecture to pull from a multi-arch image (default: this host's).")
    String arch;

    /** These flags merged with the environment. */
    @Override
    public RegistrySettings settings(boolean quiet) {
        return RegistrySettings.of(noHttps, authFile, arch, quiet);
    }
}
