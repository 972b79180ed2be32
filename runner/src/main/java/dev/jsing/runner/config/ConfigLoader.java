package dev.jsing.runner.config;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/**
 * Loads the effective configuration: defaults, the site file ({@code /etc/jsing/jsing.yaml}, or {@code
 * $JSING_CONFIG}), then the user file ({@code ~/.jsing/config.yaml}). SnakeYAML is only loaded when a file exists, so
 * the common case costs no YAML parsing at startup.
 */
public final class ConfigLoader {
  /** The site file's default location. */
  public static final String SITE_FILE = "/etc/jsing/jsing.yaml";

  private ConfigLoader() {}

  /** The site file for this environment. */
  public static Path siteFile(Map<String, String> env) {
    String p = env.get("JSING_CONFIG");
    return Path.of(p != null && !p.isEmpty() ? p : SITE_FILE);
  }

  /** The user file under {@code home}. */
  public static Path userFile(String home) {
    return Path.of(home, ".jsing", "config.yaml");
  }

  /** Loads the configuration; throws a {@code JsingException(BAD_CONFIG)} naming file and line on errors. */
  public static JsingConfig load(Map<String, String> env, String home) {
    JsingConfig c = JsingConfig.defaults();
    Path site = siteFile(env);
    if (Files.isRegularFile(site)) {
      c = YamlConfigFile.apply(c, site, true);
    } else if (env.containsKey("JSING_CONFIG") && !env.get("JSING_CONFIG").isEmpty()) {
      throw new dev.jsing.runner.error.JsingException(
          dev.jsing.runner.error.ExitCodes.BAD_CONFIG, site + ": configuration file (JSING_CONFIG) not found");
    }
    if (home != null && !home.isEmpty()) {
      Path user = userFile(home);
      if (Files.isRegularFile(user)) {
        c = YamlConfigFile.apply(c, user, false);
      }
    }
    return c;
  }
}
