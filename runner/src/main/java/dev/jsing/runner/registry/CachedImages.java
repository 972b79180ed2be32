package dev.jsing.runner.registry;

import java.io.PrintWriter;
import java.nio.file.Path;

/**
 * The launcher's hook: {@code jsing exec docker://…|oras://…} runs the cached SIF of the image, pulling and converting
 * it on first use (registry settings from {@link RegistrySettings#current()}).
 */
public final class CachedImages {
  private CachedImages() {}

  /** The cached SIF for a registry URI. */
  public static Path resolve(String uri) {
    return new PullService(RegistrySettings.current(), new PrintWriter(System.err, true)).cachedSif(uri);
  }
}
