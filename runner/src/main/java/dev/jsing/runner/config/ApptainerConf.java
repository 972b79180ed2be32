package dev.jsing.runner.config;

import dev.jsing.runner.error.ExitCodes;
import dev.jsing.runner.error.JsingException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * A site's existing {@code apptainer.conf} (or {@code singularity.conf}), read for the directives jsing supports, as
 * the lowest site layer (below {@code /etc/jsing/jsing.yaml}). Its format: {@code directive = value} lines, {@code #}
 * comments, list directives repeated ({@code bind path = /a}). Directives jsing does not support are ignored and
 * listed in {@link JsingConfig#notices()} ({@code --debug} prints them); a supported directive with a value outside
 * its allowed set is a configuration error naming file and line, as in Apptainer.
 *
 * <p>Supported: {@code bind path}, {@code user bind control}, {@code mount home|tmp|proc|sys|dev} (no),
 * {@code config passwd|group|resolv_conf}, {@code sessiondir max size}, {@code allow pid|ipc|uts ns},
 * {@code allow container sif|squashfs|dir}. {@code mount hostfs} and {@code mount devpts} are accepted at the values
 * jsing has anyway (hostfs no, devpts yes).
 */
public final class ApptainerConf {
    /** Where Apptainer and SingularityCE keep it; the first that exists is read. */
    public static final List<Path> DEFAULT_FILES =
            List.of(Path.of("/etc/apptainer/apptainer.conf"), Path.of("/etc/singularity/singularity.conf"));

    /** The files Apptainer binds itself, which jsing binds by default anyway: not bound twice. */
    private static final Set<String> ALREADY_BOUND = Set.of("/etc/localtime", "/etc/hosts");

    private ApptainerConf() {}

    /** The first of {@code files} that exists, or null. */
    public static Path find(List<Path> files) {
        for (Path f : files) {
            if (Files.isRegularFile(f)) {
                return f;
            }
        }
        return null;
    }

    /** {@code base} with the directives of {@code file} applied. */
    public static JsingConfig apply(JsingConfig base, Path file) {
        List<String> lines;
        try {
            lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new JsingException(ExitCodes.BAD_CONFIG, file + ": cannot read: " + e.getMessage());
        }
        List<String> bindPaths = new ArrayList<>(base.bindPaths());
        boolean allowUserBinds = base.allowUserBinds();
        Set<String> noMount = new LinkedHashSet<>(base.noMount());
        int sessiondirMb = base.sessiondirMaxMb();
        Set<String> deniedNs = new LinkedHashSet<>(base.deniedNamespaces());
        Set<String> deniedImages = new LinkedHashSet<>(base.deniedImages());
        List<String> notices = new ArrayList<>(base.notices());
        Map<String, String> origins = new HashMap<>(base.origins());
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i).strip();
            if (line.isEmpty() || line.startsWith("#")) {
                continue;
            }
            String where = file + ":" + (i + 1);
            int eq = line.indexOf('=');
            if (eq <= 0) {
                throw new JsingException(ExitCodes.BAD_CONFIG, where + ": expected 'directive = value'");
            }
            String key = line.substring(0, eq).strip().toLowerCase(Locale.ROOT).replaceAll("\\s+", " ");
            String value = line.substring(eq + 1).strip();
            String origin = "apptainer.conf " + where;
            switch (key) {
                case "bind path" -> {
                    if (value.isEmpty()) {
                        continue;
                    }
                    String src = value.split(":", 2)[0];
                    if (!ALREADY_BOUND.contains(value) && !ALREADY_BOUND.contains(src)) {
                        bindPaths.add(value);
                    }
                    origins.put("bind-paths", origin);
                }
                case "user bind control" -> {
                    allowUserBinds = yes(value, where, key);
                    origins.put("allow-user-binds", origin);
                }
                case "mount home", "mount tmp", "mount proc", "mount sys" -> {
                    if (!yes(value, where, key)) {
                        noMount.add(key.substring("mount ".length()));
                        origins.put("no-mount", origin);
                    }
                }
                case "mount dev" -> {
                    String v = oneOf(value, where, key, "yes", "no", "minimal");
                    if (v.equals("no")) {
                        noMount.add("dev");
                        origins.put("no-mount", origin);
                    } else if (v.equals("minimal")) {
                        notices.add(where + ": 'mount dev = minimal' is not supported; /dev is mounted");
                    }
                }
                case "config passwd", "config group", "config resolv_conf" -> {
                    if (!yes(value, where, key)) {
                        noMount.add("/etc/" + key.substring("config ".length()).replace('_', '.'));
                        origins.put("no-mount", origin);
                    }
                }
                case "sessiondir max size" -> {
                    try {
                        sessiondirMb = Integer.parseInt(value);
                    } catch (NumberFormatException e) {
                        throw new JsingException(
                                ExitCodes.BAD_CONFIG, where + ": sessiondir max size '" + value + "' is not a number");
                    }
                    if (sessiondirMb <= 0) {
                        throw new JsingException(
                                ExitCodes.BAD_CONFIG, where + ": sessiondir max size must be positive");
                    }
                    origins.put("sessiondir-max-size", origin);
                }
                case "allow pid ns", "allow ipc ns", "allow uts ns" -> {
                    String ns = key.split(" ")[1];
                    if (yes(value, where, key)) {
                        deniedNs.remove(ns);
                    } else {
                        deniedNs.add(ns);
                    }
                    origins.put("denied-namespaces", origin);
                }
                case "allow container sif", "allow container squashfs", "allow container dir" -> {
                    String kind = key.split(" ")[2];
                    if (yes(value, where, key)) {
                        deniedImages.remove(kind);
                    } else {
                        deniedImages.add(kind);
                    }
                    origins.put("denied-images", origin);
                }
                case "mount hostfs" -> {
                    if (yes(value, where, key)) {
                        notices.add(
                                where + ": 'mount hostfs = yes' is not supported; host file systems are not mounted");
                    }
                }
                case "mount devpts" -> {
                    if (!yes(value, where, key)) {
                        notices.add(where + ": 'mount devpts = no' is not supported; /dev/pts is mounted with /dev");
                    }
                }
                default -> notices.add(where + ": '" + key + "' is not supported by jsing; ignored");
            }
        }
        return new JsingConfig(
                bindPaths,
                allowUserBinds,
                base.userBindPrefixes(),
                base.squashfuse(),
                base.unsquashfs(),
                base.tmpDir(),
                base.cacheDir(),
                List.copyOf(noMount),
                sessiondirMb,
                List.copyOf(deniedNs),
                List.copyOf(deniedImages),
                notices,
                origins,
                base.executionControl());
    }

    private static boolean yes(String value, String where, String key) {
        return oneOf(value, where, key, "yes", "no").equals("yes");
    }

    private static String oneOf(String value, String where, String key, String... allowed) {
        String v = value.toLowerCase(Locale.ROOT);
        for (String a : allowed) {
            if (a.equals(v)) {
                return v;
            }
        }
        throw new JsingException(
                ExitCodes.BAD_CONFIG,
                where + ": '" + key + " = " + value + "': the value must be one of " + String.join(", ", allowed));
    }
}
