package dev.jsing.runner.config;

import dev.jsing.runner.error.ExitCodes;
import dev.jsing.runner.error.JsingException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * Loads the effective configuration, in layers: built-in defaults; a site's existing {@code apptainer.conf}
 * ({@link ApptainerConf}); the site file ({@code /etc/jsing/jsing.yaml},
 * which only the site controls); then the user layers, {@code $JSING_CONFIG} and {@code ~/.jsing/config.yaml}, which
 * may narrow the site's bind policy but never widen it. SnakeYAML is only loaded when a file exists, so the common
 * case costs no YAML parsing at startup.
 */
public final class ConfigLoader {
    /** The site configuration directory. */
    public static final Path SITE_DIR = Path.of("/etc/jsing");
    /** The site file's name in {@link #SITE_DIR}. */
    public static final String SITE_FILE_NAME = "jsing.yaml";

    private ConfigLoader() {}

    /**
     * The site directory, {@code /etc/jsing}. Fixed: no variable or property moves it, since the site file holds the
     * policy a user must not be able to swap for their own (tests write the real files, see testing.SiteFiles).
     */
    public static Path siteDir() {
        return SITE_DIR;
    }

    /** The site file under the site directory. */
    public static Path siteFile() {
        return siteFile(siteDir());
    }

    /** The site file under {@code siteDir}. */
    public static Path siteFile(Path siteDir) {
        return siteDir.resolve(SITE_FILE_NAME);
    }

    /**
     * The system property that the global {@code -c/--config FILE} sets ({@code Main}, before any command runs): that
     * file takes the place of {@code $JSING_CONFIG}, a user layer, which can narrow the site's policy but not widen it.
     */
    public static final String CONFIG_PROPERTY = "jsing.config";

    /** The {@code -c/--config} file, else the {@code $JSING_CONFIG} user layer, or null when neither is given. */
    public static Path envFile(Map<String, String> env) {
        String p = System.getProperty(CONFIG_PROPERTY);
        if (p != null) {
            if (p.isEmpty()) {
                throw new dev.jsing.runner.error.JsingException(
                        dev.jsing.runner.error.ExitCodes.USAGE, "-c/--config: an empty path");
            }
            return Path.of(p);
        }
        p = env.get("JSING_CONFIG");
        return p != null && !p.isEmpty() ? Path.of(p) : null;
    }

    /** The user file under {@code home}. */
    public static Path userFile(String home) {
        return Path.of(home, ".jsing", "config.yaml");
    }

    /** {@link #load(Path, Map, String)} with the site directory ({@link #siteDir()}). */
    public static JsingConfig load(Map<String, String> env, String home) {
        return load(siteDir(), env, home);
    }

    /** {@link #load(Path, List, Map, String)} with Apptainer's own configuration files where Apptainer keeps them. */
    public static JsingConfig load(Path siteDir, Map<String, String> env, String home) {
        return load(siteDir, ApptainerConf.DEFAULT_FILES, env, home);
    }

    /**
     * Loads the configuration, lowest layer first: defaults, the first of {@code apptainerConfs} that exists (a site's
     * existing Apptainer settings), the site file, {@code $JSING_CONFIG}, the user file. Throws a
     * {@code JsingException(BAD_CONFIG)} naming file and line on errors.
     */
    public static JsingConfig load(Path siteDir, List<Path> apptainerConfs, Map<String, String> env, String home) {
        JsingConfig c = JsingConfig.defaults();
        Path apptainer = ApptainerConf.find(apptainerConfs);
        if (apptainer != null) {
            c = ApptainerConf.apply(c, apptainer);
        }
        Path site = siteFile(siteDir);
        if (Files.isRegularFile(site)) {
            c = YamlConfigFile.apply(c, site, true);
        }
        Path envFile = envFile(env);
        if (envFile != null) {
            if (!Files.isRegularFile(envFile)) {
                throw new JsingException(
                        ExitCodes.BAD_CONFIG,
                        envFile + ": configuration file ("
                                + (System.getProperty(CONFIG_PROPERTY) != null ? "-c/--config" : "JSING_CONFIG")
                                + ") not found");
            }
            c = YamlConfigFile.apply(c, envFile, false);
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
