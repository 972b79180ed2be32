package dev.jsing.runner.launch;

import dev.jsing.runner.error.ExitCodes;
import dev.jsing.runner.error.JsingException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The container's environment, in Apptainer's layers (reference §3.2), lowest first: the host's (filtered), the
 * image's {@code /.singularity.d/env/*.sh}, then the overrides ({@code SINGULARITYENV_}, {@code APPTAINERENV_},
 * {@code JSINGENV_}, {@code --env-file}, {@code --env}).
 *
 * @param base host variables that pass, plus HOME, PATH and the {@code JSING_*}/{@code APPTAINER_*} variables set
 *     inside
 * @param overrides variables that win over the image's environment scripts
 * @param hostNames the names in {@code base} that came from the host (the image's scripts win over them)
 */
public record ContainerEnvironment(Map<String, String> base, Map<String, String> overrides, List<String> hostNames) {
    /** Apptainer's default PATH inside the container. */
    public static final String DEFAULT_PATH = "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin";

    private static final String[] OVERRIDE_PREFIXES = {"SINGULARITYENV_", "APPTAINERENV_", "JSINGENV_"};
    private static final String[] OWN_PREFIXES = {"JSING", "APPTAINER", "SINGULARITY"};
    private static final String[] CLEAN_KEEP = {
        "TERM", "http_proxy", "https_proxy", "ftp_proxy", "all_proxy", "no_proxy"
    };
    /** Host variables that never pass (without {@code --cleanenv}); with the prefixes below, as data for replays. */
    static final List<String> DROP_NAMES = List.of("HOME", "PATH", "LD_LIBRARY_PATH");
    /** Prefixes of host variables that never pass: {@code JSING_}, {@code JSINGENV_}, {@code APPTAINER_}... */
    static final List<String> DROP_PREFIXES = dropPrefixes();
    /** With {@code --cleanenv}: the only host variables that pass. */
    static final List<String> CLEAN_NAMES = cleanNames();

    private static List<String> dropPrefixes() {
        List<String> l = new ArrayList<>();
        for (String p : OWN_PREFIXES) {
            l.add(p + "_");
            l.add(p + "ENV_");
        }
        return List.copyOf(l);
    }

    private static List<String> cleanNames() {
        List<String> l = new ArrayList<>();
        for (String k : CLEAN_KEEP) {
            l.add(k);
            String up = k.toUpperCase(java.util.Locale.ROOT);
            if (!up.equals(k)) {
                l.add(up);
            }
        }
        return List.copyOf(l);
    }

    public ContainerEnvironment {
        base = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(base));
        overrides = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(overrides));
        hostNames = List.copyOf(hostNames);
    }

    /**
     * Computes the layers.
     *
     * @param hostEnv the caller's environment
     * @param cleanEnv {@code --cleanenv}
     * @param envFiles {@code --env-file} files, in order
     * @param envOptions {@code --env K=V} values, in order
     * @param homeDst HOME inside
     * @param inside variables jsing sets inside (JSING_CONTAINER ...)
     */
    public static ContainerEnvironment compute(
            Map<String, String> hostEnv,
            boolean cleanEnv,
            List<String> envFiles,
            List<String> envOptions,
            String homeDst,
            Map<String, String> inside) {
        // The whole environment: the part that passes is what a replay's starter filters live (Replay), the rest
        // (the variables passes() drops) is part of a replay's key.
        hostEnv = RecordingEnv.unrecorded(hostEnv);
        Map<String, String> base = new TreeMap<>();
        List<String> hostNames = new ArrayList<>();
        for (Map.Entry<String, String> e : hostEnv.entrySet()) {
            String k = e.getKey();
            if (passes(k, cleanEnv)) {
                base.put(k, e.getValue());
                hostNames.add(k);
            }
        }
        if (cleanEnv) {
            base.put("LANG", "C");
        }
        base.put("HOME", homeDst);
        base.put("PATH", DEFAULT_PATH);
        base.putAll(inside);
        hostNames.removeIf(inside::containsKey);
        java.util.Collections.sort(hostNames);

        Map<String, String> overrides = new LinkedHashMap<>();
        for (String prefix : OVERRIDE_PREFIXES) {
            for (Map.Entry<String, String> e : new TreeMap<>(hostEnv).entrySet()) {
                if (e.getKey().startsWith(prefix) && e.getKey().length() > prefix.length()) {
                    put(overrides, e.getKey().substring(prefix.length()), e.getValue(), e.getKey());
                }
            }
        }
        for (String f : envFiles) {
            readEnvFile(Path.of(f), overrides);
        }
        for (String kv : envOptions) {
            int eq = kv.indexOf('=');
            if (eq <= 0) {
                throw new JsingException(ExitCodes.USAGE, "--env '" + kv + "': expected NAME=VALUE");
            }
            put(overrides, kv.substring(0, eq), kv.substring(eq + 1), "--env " + kv);
        }
        return new ContainerEnvironment(base, overrides, hostNames);
    }

    /** Whether a host variable passes into the container. */
    static boolean passes(String k, boolean cleanEnv) {
        if (cleanEnv) {
            return CLEAN_NAMES.contains(k);
        }
        if (DROP_NAMES.contains(k)) {
            return false;
        }
        for (String p : DROP_PREFIXES) {
            if (k.startsWith(p)) {
                return false;
            }
        }
        return true;
    }

    /**
     * What the payload's environment sets over the host variables that pass: for the wrapper ({@code wrapper}) the
     * entries of {@link #base} that do not come from the host; for a direct exec also the overrides applied.
     */
    Map<String, String> fixed(boolean wrapper) {
        Map<String, String> m = new LinkedHashMap<>();
        for (Map.Entry<String, String> e : base.entrySet()) {
            if (!hostNames.contains(e.getKey())) {
                m.put(e.getKey(), e.getValue());
            }
        }
        if (!wrapper) {
            applyOverrides(m);
        }
        return m;
    }

    private static void put(Map<String, String> overrides, String k, String v, String from) {
        if (!validName(k)) {
            throw new JsingException(ExitCodes.USAGE, from + ": '" + k + "' is not a valid variable name");
        }
        if (k.equals("HOME")) {
            throw new JsingException(ExitCodes.USAGE, from + ": HOME cannot be overridden (use --home)");
        }
        overrides.remove(k);
        overrides.put(k, v);
    }

    static boolean validName(String k) {
        if (k.isEmpty() || Character.isDigit(k.charAt(0))) {
            return false;
        }
        for (int i = 0; i < k.length(); i++) {
            char c = k.charAt(i);
            if (!(c == '_' || (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9'))) {
                return false;
            }
        }
        return true;
    }

    /** Reads {@code [export] K=V} lines (blank lines and {@code #} comments ignored, one level of quotes removed). */
    static void readEnvFile(Path file, Map<String, String> into) {
        List<String> lines;
        try {
            lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        } catch (java.nio.file.NoSuchFileException e) {
            throw new JsingException(ExitCodes.NOT_FOUND, file + ": environment file not found");
        } catch (IOException e) {
            throw new JsingException(ExitCodes.IO_ERROR, file + ": cannot read: " + e.getMessage());
        }
        int n = 0;
        for (String raw : lines) {
            n++;
            String line = raw.strip();
            if (line.isEmpty() || line.startsWith("#")) {
                continue;
            }
            if (line.startsWith("export ")) {
                line = line.substring(7).strip();
            }
            int eq = line.indexOf('=');
            if (eq <= 0 || !validName(line.substring(0, eq))) {
                throw new JsingException(ExitCodes.USAGE, file + ":" + n + ": expected NAME=VALUE");
            }
            String v = line.substring(eq + 1);
            if (v.length() >= 2
                    && ((v.startsWith("\"") && v.endsWith("\"")) || (v.startsWith("'") && v.endsWith("'")))) {
                v = v.substring(1, v.length() - 1);
            }
            put(into, line.substring(0, eq), v, file + ":" + n);
        }
    }

    /** The environment for a payload exec'd directly (no shell to source the image's scripts). */
    public Map<String, String> direct() {
        return direct(null);
    }

    /** {@link #direct()}, with {@code libDir} (when not null) appended to {@code LD_LIBRARY_PATH}. */
    public Map<String, String> direct(String libDir) {
        Map<String, String> env = new LinkedHashMap<>(base);
        applyOverrides(env);
        if (libDir != null) {
            String l = env.get("LD_LIBRARY_PATH");
            if (l == null || l.isEmpty()) {
                env.put("LD_LIBRARY_PATH", libDir);
            } else if (!(":" + l + ":").contains(":" + libDir + ":")) {
                env.put("LD_LIBRARY_PATH", l + ":" + libDir);
            }
        }
        return env;
    }

    private void applyOverrides(Map<String, String> env) {
        for (Map.Entry<String, String> e : overrides.entrySet()) {
            String k = e.getKey();
            if (k.equals("PREPEND_PATH")) {
                env.put("PATH", e.getValue() + ":" + env.get("PATH"));
            } else if (k.equals("APPEND_PATH")) {
                env.put("PATH", env.get("PATH") + ":" + e.getValue());
            } else {
                env.put(k, e.getValue());
            }
        }
    }

    /** The environment for the {@link #wrapperScript() wrapper}: the base plus the list of host names. */
    public Map<String, String> forWrapper() {
        Map<String, String> env = new LinkedHashMap<>(base);
        StringBuilder names = new StringBuilder();
        for (String k : hostNames) {
            if (validName(k)) {
                names.append(names.length() == 0 ? "" : " ").append(k);
            }
        }
        env.put("__JSING_HOST", names.toString());
        return env;
    }

    /**
     * A {@code /bin/sh -c} script run as {@code sh -c SCRIPT jsing-env CMD ARGS...}: it sets the host's variables
     * aside, sources the image's env scripts in lexical order, restores the host variables the image did not set,
     * exports the overrides and execs the command.
     */
    public String wrapperScript() {
        return wrapperScript(null);
    }

    /**
     * {@link #wrapperScript()}; with {@code libDir} (GPU libraries bound there), the script then appends it to {@code
     * LD_LIBRARY_PATH} unless it is there already, so that the image's and the user's library paths come first (as
     * Apptainer: the container's libraries win over the host's).
     */
    public String wrapperScript(String libDir) {
        StringBuilder s = new StringBuilder();
        s.append("for __k in $__JSING_HOST; do eval \"__jsing_h_$__k=\\${$__k}\"; unset \"$__k\"; done\n");
        s.append("for __f in /.singularity.d/env/*.sh; do if [ -f \"$__f\" ]; then . \"$__f\"; fi; done\n");
        s.append("for __k in $__JSING_HOST; do eval \"if [ -z \\\"\\${$__k+x}\\\" ]; then $__k=\\${__jsing_h_$__k}; "
                + "export $__k; fi; unset __jsing_h_$__k\"; done\n");
        s.append("unset __JSING_HOST __k __f\n");
        for (Map.Entry<String, String> e : overrides.entrySet()) {
            String k = e.getKey();
            String v = quote(e.getValue());
            if (k.equals("PREPEND_PATH")) {
                s.append("export PATH=").append(v).append(":\"$PATH\"\n");
            } else if (k.equals("APPEND_PATH")) {
                s.append("export PATH=\"$PATH\":").append(v).append('\n');
            } else {
                s.append("export ").append(k).append('=').append(v).append('\n');
            }
        }
        if (libDir != null) {
            s.append("case \":${LD_LIBRARY_PATH:-}:\" in *:")
                    .append(libDir)
                    .append(":*) ;; *) export LD_LIBRARY_PATH=")
                    .append("\"${LD_LIBRARY_PATH:+$LD_LIBRARY_PATH:}")
                    .append(libDir)
                    .append("\" ;; esac\n");
        }
        // Without a usable /dev/null (--no-mount dev on an image with an empty /dev), the lookup's output is captured
        // instead of redirected (a fork, only then).
        s.append("if [ -w /dev/null ]; then command -v \"$1\" >/dev/null 2>&1; else __p=$(command -v \"$1\" 2>&1); fi")
                .append(" || { echo \"jsing: error: $1: command not found in container\" >&2; exit 127; }\n");
        s.append("exec \"$@\"\n");
        return s.toString();
    }

    /** Single-quotes a value for sh. */
    public static String quote(String v) {
        return "'" + v.replace("'", "'\\''") + "'";
    }
}
