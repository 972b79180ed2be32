package dev.jsing.runner.launch;

import dev.jsing.runner.error.JsingException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * The container's environment, in Apptainer's layers (reference §3.2), lowest first: the host's (filtered; without
 * the {@code --no-env} names), the image's {@code /.singularity.d/env/*.sh}, then the overrides ({@link
 * EnvOverrides}: {@code SINGULARITYENV_}, {@code APPTAINERENV_}, {@code JSINGENV_}, {@code --env-file}, {@code
 * --env}), injected right after the image's {@code 99-base.sh} as Apptainer injects them, and evaluated there by the
 * container's shell (double-quoted: {@code $HOME}, {@code $(cmd)} and one level of escaping), or taken literally
 * (single-quoted) with {@code --no-eval}.
 *
 * @param base host variables that pass, plus HOME, PATH and the {@code JSING_*}/{@code APPTAINER_*} variables set
 *     inside
 * @param overrides variables that win over the image's environment scripts, by their name inside ({@code PATH} as
 *     {@code SING_USER_DEFINED_PATH}, ...)
 * @param hostNames the names in {@code base} that came from the host (the image's scripts win over them)
 * @param noEval {@code --no-eval}: the overrides are not evaluated by the shell
 * @param literal the names of overrides never evaluated (a CDI spec's variables)
 */
public record ContainerEnvironment(
        Map<String, String> base,
        Map<String, String> overrides,
        List<String> hostNames,
        boolean noEval,
        Set<String> literal) {
    /** Apptainer's default PATH inside the container. */
    public static final String DEFAULT_PATH = "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin";
    /** The image's environment scripts' directory. */
    static final String ENV_DIR = "/.singularity.d/env";
    /** Apptainer's default {@code APPTAINER_ENVIRONMENT}. */
    static final String DEFAULT_ENVIRONMENT = ENV_DIR + "/91-environment.sh";

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
        literal = Set.copyOf(literal);
    }

    /** {@link #compute(Map, boolean, List, List, List, boolean, String, Map)} without {@code --no-env} and {@code --no-eval}. */
    public static ContainerEnvironment compute(
            Map<String, String> hostEnv,
            boolean cleanEnv,
            List<String> envFiles,
            List<String> envOptions,
            String homeDst,
            Map<String, String> inside) {
        return compute(hostEnv, cleanEnv, List.of(), envFiles, List.of(), envOptions, false, homeDst, inside);
    }

    /**
     * Computes the layers.
     *
     * @param hostEnv the caller's environment
     * @param cleanEnv {@code --cleanenv}
     * @param noEnv {@code --no-env} names: host variables that do not pass (an override may still set them)
     * @param envFiles {@code --env-file} files, in order
     * @param literalEnv {@code K=V} assignments taken literally (a CDI spec's), below {@code --env}
     * @param envOptions {@code --env} values, in order (each may hold several assignments)
     * @param noEval {@code --no-eval}
     * @param homeDst HOME inside
     * @param inside variables jsing sets inside (JSING_CONTAINER ...)
     */
    public static ContainerEnvironment compute(
            Map<String, String> hostEnv,
            boolean cleanEnv,
            List<String> noEnv,
            List<String> envFiles,
            List<String> literalEnv,
            List<String> envOptions,
            boolean noEval,
            String homeDst,
            Map<String, String> inside) {
        // The whole environment: the part that passes is what a replay's starter filters live (Replay), the rest
        // (the variables passes() drops) is part of a replay's key.
        hostEnv = RecordingEnv.unrecorded(hostEnv);
        Map<String, String> base = new TreeMap<>();
        List<String> hostNames = new ArrayList<>();
        for (Map.Entry<String, String> e : hostEnv.entrySet()) {
            String k = e.getKey();
            if (passes(k, cleanEnv) && !noEnv.contains(k)) {
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
        Set<String> literal = new java.util.HashSet<>();
        Map<String, String> overrides =
                EnvOverrides.collect(hostEnv, envFiles, literalEnv, envOptions, new ArrayList<>(), null, literal);
        return new ContainerEnvironment(base, overrides, hostNames, noEval, literal);
    }

    /**
     * The messages the overrides of this launch give, one line each after {@code jsing: }: {@code warning: ...} for
     * an ignored one (an override of HOME, ...), and with {@code verbose} {@code verbose: ...} for each one set.
     */
    public static List<String> messages(
            Map<String, String> hostEnv, List<String> envFiles, List<String> envOptions, boolean verbose) {
        List<String> w = new ArrayList<>();
        List<String> f = verbose ? new ArrayList<>() : null;
        EnvOverrides.collect(
                RecordingEnv.unrecorded(hostEnv), envFiles, List.of(), envOptions, w, f, new java.util.HashSet<>());
        List<String> out = new ArrayList<>();
        w.forEach(m -> out.add("warning: " + m));
        if (f != null) {
            f.forEach(m -> out.add("verbose: " + m));
        }
        return out;
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

    /** What is wrong with an {@code --env} value ({@link EnvOverrides#splitEnvOption}), or null. */
    public static String envOptionProblem(String value) {
        try {
            EnvOverrides.splitEnvOption(value);
            return null;
        } catch (JsingException e) {
            return e.getMessage().replaceFirst("^--env ", "");
        }
    }

    /** Whether {@code k} is a shell variable name. */
    public static boolean validName(String k) {
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

    /** The environment for a payload exec'd directly (no shell: the overrides are taken literally). */
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

    /** What the wrapper does after the image's scripts, done here: the overrides, the user's PATH, the defaults. */
    private void applyOverrides(Map<String, String> env) {
        for (Map.Entry<String, String> e : overrides.entrySet()) {
            String k = e.getKey();
            if (!k.startsWith("SING_USER_DEFINED_")) {
                env.put(k, k.equals("LD_LIBRARY_PATH") ? libraryPath(e.getValue()) : e.getValue());
            }
        }
        String prepend = overrides.get(EnvOverrides.USER_PREPEND_PATH);
        String append = overrides.get(EnvOverrides.USER_APPEND_PATH);
        String path = overrides.get(EnvOverrides.USER_PATH);
        if (prepend != null && !prepend.isEmpty()) {
            env.put("PATH", prepend + ":" + env.get("PATH"));
        }
        if (append != null && !append.isEmpty()) {
            env.put("PATH", env.get("PATH") + ":" + append);
        }
        if (path != null && !path.isEmpty()) {
            env.put("PATH", path);
        }
        env.putIfAbsent("APPTAINER_ENVIRONMENT", DEFAULT_ENVIRONMENT);
        env.put("SINGULARITY_ENVIRONMENT", env.get("APPTAINER_ENVIRONMENT"));
    }

    /** An overriding LD_LIBRARY_PATH keeps the image's libraries directory last, as Apptainer's injection does. */
    private static String libraryPath(String v) {
        return v.isEmpty() ? v : v + ":/.singularity.d/libs";
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
     * A {@code sh -c} script run as {@code bash -p -c SCRIPT jsing-env CMD ARGS...} ({@link EnvInterpreter}: a static
     * bash; else the image's {@code /bin/sh}, so the script stays POSIX), doing what Apptainer's action
     * script does: it sets the host's variables aside; sources the image's env scripts in lexical order (else the
     * legacy {@code /environment}), padding a Docker {@code PATH} with the default directories after {@code
     * 10-docker*.sh} (Apptainer's {@code fixpath}) and injecting the overrides right after {@code 99-base.sh} (or
     * after the last script when there is none); applies the user's PATH ({@code SING_USER_DEFINED_*}, as {@code
     * 99-runtimevars.sh} does); restores each host variable the image did not set and unsets those left empty;
     * sets {@code PS1} ({@code Apptainer> } when empty), {@code PROMPT_COMMAND} (which keeps that prompt in a bash
     * started by the command) and {@code APPTAINER_ENVIRONMENT}; and execs the command.
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
        // bash's read-only variables (its own values; bash -p ignores SHELLOPTS and BASHOPTS from the environment).
        s.append("__jsing_ro() { case $1 in BASHOPTS|BASH_VERSINFO|EUID|PPID|SHELLOPTS|UID) return 0 ;; esac;"
                + " return 1; }\n");
        s.append("for __k in $__JSING_HOST; do __jsing_ro \"$__k\" && continue;"
                + " eval \"__jsing_h_$__k=\\${$__k}\"; unset \"$__k\"; done\n");
        // dash gives PS1 a default of its own; the host's, when it passes, is set aside above.
        s.append("unset PS1\n");
        if (!overrides.isEmpty()) {
            s.append("__jsing_inject() {\n__jsing_injected=1\n");
            for (Map.Entry<String, String> e : overrides.entrySet()) {
                String k = e.getKey();
                String v = k.equals("LD_LIBRARY_PATH") ? libraryPath(e.getValue()) : e.getValue();
                s.append("export ")
                        .append(k)
                        .append('=')
                        .append(noEval || literal.contains(k) ? quote(v) : doubleQuote(v))
                        .append('\n');
            }
            s.append("}\n");
        }
        s.append("__jsing_fixpath() { for __d in ")
                .append(DEFAULT_PATH.replace(':', ' '))
                .append("; do case \":$PATH:\" in *\":$__d:\"*) ;; *) PATH=\"${PATH:+$PATH:}$__d\" ;; esac; done;"
                        + " export PATH; unset __d; }\n");
        String inject = overrides.isEmpty() ? "" : " */99-base.sh) __jsing_inject ;;";
        s.append("if [ -d " + ENV_DIR + " ]; then for __f in " + ENV_DIR + "/*.sh; do if [ -f \"$__f\" ]; then"
                + " . \"$__f\"; case $__f in */10-docker.sh|*/10-docker2singularity.sh) __jsing_fixpath ;;" + inject
                + " esac; fi; done\n");
        s.append("elif [ -f /environment ]; then . /environment; __jsing_fixpath; fi\n");
        if (!overrides.isEmpty()) {
            s.append("[ -n \"${__jsing_injected:-}\" ] || __jsing_inject\n");
        }
        if (overrides.keySet().stream().anyMatch(k -> k.startsWith("SING_USER_DEFINED_"))) {
            s.append("if [ -n \"${SING_USER_DEFINED_PREPEND_PATH:-}\" ]; then"
                    + " PATH=\"$SING_USER_DEFINED_PREPEND_PATH:$PATH\"; fi\n");
            s.append("if [ -n \"${SING_USER_DEFINED_APPEND_PATH:-}\" ]; then"
                    + " PATH=\"$PATH:$SING_USER_DEFINED_APPEND_PATH\"; fi\n");
            s.append("if [ -n \"${SING_USER_DEFINED_PATH:-}\" ]; then PATH=\"$SING_USER_DEFINED_PATH\"; fi\n");
            s.append("unset SING_USER_DEFINED_PREPEND_PATH SING_USER_DEFINED_APPEND_PATH SING_USER_DEFINED_PATH;"
                    + " export PATH\n");
        }
        s.append(
                "for __k in $__JSING_HOST; do __jsing_ro \"$__k\" && continue; eval \"if [ -z \\\"\\${$__k+x}\\\" ]; then $__k=\\${__jsing_h_$__k}; "
                        + "export $__k; elif [ -z \\\"\\${$__k}\\\" ]; then unset $__k; fi; unset __jsing_h_$__k\"; done\n");
        s.append("unset __JSING_HOST __k __f __jsing_injected; unset -f __jsing_fixpath __jsing_ro");
        s.append(overrides.isEmpty() ? "\n" : " __jsing_inject\n");
        s.append("if [ -z \"${PS1:-}\" ]; then PS1='Apptainer> '; fi; export PS1\n");
        s.append(
                "if [ -z \"${PROMPT_COMMAND:-}\" ]; then export PROMPT_COMMAND=\"PS1=\\\"$PS1\\\"; unset PROMPT_COMMAND\";"
                        + " else export PROMPT_COMMAND=\"$PROMPT_COMMAND; PROMPT_COMMAND=\\\"\\${PROMPT_COMMAND%%; PROMPT_COMMAND=*}\\\";"
                        + " PS1=\\\"$PS1\\\"\"; fi\n");
        s.append("export APPTAINER_ENVIRONMENT=\"${APPTAINER_ENVIRONMENT:-" + DEFAULT_ENVIRONMENT + "}\";"
                + " export SINGULARITY_ENVIRONMENT=\"$APPTAINER_ENVIRONMENT\"\n");
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

    /**
     * Double-quotes a value for sh as Apptainer's injection does (only {@code "} escaped), so that the shell expands
     * {@code $X}, {@code $(cmd)} and {@code \\$}; an odd trailing backslash is kept literal rather than escaping the
     * closing quote.
     */
    static String doubleQuote(String v) {
        String q = v.replace("\"", "\\\"");
        int n = 0;
        while (n < q.length() && q.charAt(q.length() - 1 - n) == '\\') {
            n++;
        }
        return "\"" + q + (n % 2 == 1 ? "\\" : "") + "\"";
    }

    /** Single-quotes a value for sh. */
    public static String quote(String v) {
        return "'" + v.replace("'", "'\\''") + "'";
    }
}
