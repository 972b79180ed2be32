package dev.jsing.runner.cli.registry;

import dev.jsing.runner.registry.RegistrySettings;
import java.nio.file.Path;
import picocli.CommandLine.Option;

/** The registry flags of pull, push and build: {@code --no-https}, {@code --authfile}, {@code --arch}. */
public final class RegistryOptions {
  @Option(names = "--no-https", description = "Use plain HTTP to talk to the registry (local test registries).")
  boolean noHttps;

  @Option(names = "--authfile", paramLabel = "FILE", description = "Docker-style auth file (default: ~/.docker/config.json).")
  Path authFile;

  @Option(names = "--arch", paramLabel = "ARCH", description = "Architecture to pull from a multi-arch image (default: this host's).")
  String arch;

  /** These flags merged with the environment. */
  public RegistrySettings settings(boolean quiet) {
    return RegistrySettings.of(noHttps, authFile, arch, quiet);
  }
}
