package dev.jsing.runner.config;

import dev.jsing.runner.error.ExitCodes;
import dev.jsing.runner.error.JsingException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/**
 * Where jsing keeps temporary files and its cache: the one place these rules live, for launches, builds and pulls.
 *
 * <ul>
 *   <li>Temporary files: {@code $JSING_TMPDIR}, the configured {@code tmp-dir}, {@code $TMPDIR}, {@code /tmp}.
 *   <li>Cache: {@code $JSING_CACHEDIR}, the configured {@code cache-dir}, {@code ~/.jsing/cache}.
 * </ul>
 */
public final class JsingDirs {
    private JsingDirs() {}

    /** The temporary directory; throws CANT_CREATE unless it is a writable directory. */
    public static Path tmpDir(Map<String, String> env, JsingConfig config) {
        String d = env.get("JSING_TMPDIR");
        if (d == null || d.isEmpty()) {
            d = config.tmpDir();
        }
        if (d == null || d.isEmpty()) {
            d = env.get("TMPDIR");
        }
        if (d == null || d.isEmpty()) {
            d = "/tmp";
        }
        Path p = Path.of(d);
        if (!Files.isDirectory(p) || !Files.isWritable(p)) {
            throw new JsingException(
                    ExitCodes.CANT_CREATE, "temporary directory " + d + " is not a writable directory");
        }
        return p;
    }

    /** The cache directory; null when neither a variable, the configuration nor a home directory names one. */
    public static Path cacheDir(Map<String, String> env, JsingConfig config, String home) {
        String d = env.get("JSING_CACHEDIR");
        if (d == null || d.isEmpty()) {
            d = config.cacheDir();
        }
        if (d == null || d.isEmpty()) {
            d = home == null || home.isEmpty() ? null : home + "/.jsing/cache";
        }
        return d == null ? null : Path.of(d);
    }

    /** The process's temporary directory, with its environment and configuration files. */
    public static Path tmpDir() {
        Map<String, String> env = System.getenv();
        return tmpDir(env, ConfigLoader.load(env, System.getProperty("user.home")));
    }

    /** The process's cache directory (absolute), with its environment and configuration files; throws if none. */
    public static Path cacheDir() {
        Map<String, String> env = System.getenv();
        String home = System.getProperty("user.home");
        Path p = cacheDir(env, ConfigLoader.load(env, home), home);
        if (p == null) {
            throw new JsingException(ExitCodes.CANT_CREATE, "no cache directory: set JSING_CACHEDIR");
        }
        return p.toAbsolutePath();
    }
}
