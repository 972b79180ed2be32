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
import java.util.Set;
import java.util.TreeMap;

/**
 * The variables set over the image's environment, collected as Apptainer does ({@code internal/pkg/util/env}, the
 * launcher's {@code --env}/{@code --env-file} handling), lowest precedence first: {@code SINGULARITYENV_K}, {@code
 * APPTAINERENV_K}, {@code JSINGENV_K}, each {@code --env-file}, each {@code --env}. Names are mapped as Apptainer
 * maps them: {@code PATH}, {@code PREPEND_PATH} and {@code APPEND_PATH} become {@code SING_USER_DEFINED_PATH} (and
 * {@code _PREPEND_PATH}, {@code _APPEND_PATH}), applied after the image's scripts; {@code UID} and {@code GID} are
 * skipped; {@code HOME}, {@code APPTAINER_SHELL}, {@code APPTAINER_APPNAME} and their {@code SINGULARITY_} twins are
 * ignored with a warning (use {@code --home}, {@code --shell}, {@code --app}). The values are kept as given: they are
 * evaluated by the container's shell when injected ({@link ContainerEnvironment}), unless {@code --no-eval}.
 */
final class EnvOverrides {
    /** The prefixes of host variables that set a variable inside, lowest precedence first. */
    static final List<String> PREFIXES = List.of("SINGULARITYENV_", "APPTAINERENV_", "JSINGENV_");

    static final String USER_PATH = "SING_USER_DEFINED_PATH";
    static final String USER_PREPEND_PATH = "SING_USER_DEFINED_PREPEND_PATH";
    static final String USER_APPEND_PATH = "SING_USER_DEFINED_APPEND_PATH";

    /** Names that an override may not set (Apptainer's {@code alwaysOmitKeys} that are not permitted). */
    private static final Set<String> NOT_PERMITTED = Set.of(
            "HOME",
            "APPTAINER_SHELL",
            "APPTAINER_APPNAME",
            "SINGULARITY_SHELL",
            "SINGULARITY_APPNAME",
            "JSING_APPNAME");
    /** Names skipped silently (read-only in the shell). */
    private static final Set<String> SKIPPED = Set.of("UID", "GID");

    private EnvOverrides() {}

    /**
     * The overrides, by their name inside (mapped), in precedence order (a later source replaced an earlier one).
     *
     * @param warnings receives one line per ignored override (without the {@code jsing: warning:} prefix)
     * @param literalEnv {@code K=V} assignments (a CDI spec's), after the env files and before {@code --env}
     * @param forwarded receives one line per override set ({@code -v}), or null
     * @param literal receives the names whose value came from {@code literalEnv} (never evaluated)
     */
    static Map<String, String> collect(
            Map<String, String> hostEnv,
            List<String> envFiles,
            List<String> literalEnv,
            List<String> envOptions,
            List<String> warnings,
            List<String> forwarded,
            Set<String> literal) {
        Map<String, String> out = new LinkedHashMap<>();
        for (String prefix : PREFIXES) {
            for (Map.Entry<String, String> e : new TreeMap<>(hostEnv).entrySet()) {
                if (e.getKey().startsWith(prefix) && e.getKey().length() > prefix.length()) {
                    put(out, e.getKey().substring(prefix.length()), e.getValue(), e.getKey(), warnings, forwarded);
                }
            }
        }
        for (String f : envFiles) {
            for (String[] kv : readEnvFile(Path.of(f))) {
                put(out, kv[0], kv[1], kv[2], warnings, forwarded);
            }
        }
        for (String kv : literalEnv) {
            int eq = kv.indexOf('=');
            String name = eq > 0
                    ? put(out, kv.substring(0, eq), kv.substring(eq + 1), "a CDI spec", warnings, forwarded)
                    : null;
            if (name != null) {
                literal.add(name);
            }
        }
        for (String option : envOptions) {
            for (String pair : splitEnvOption(option)) {
                int eq = pair.indexOf('=');
                literal.remove(
                        put(out, pair.substring(0, eq), pair.substring(eq + 1), "--env " + pair, warnings, forwarded));
            }
        }
        return out;
    }

    /** Sets {@code k} (mapped) to {@code v}; returns the name set, or null when it was ignored or skipped. */
    private static String put(
            Map<String, String> out, String k, String v, String from, List<String> warnings, List<String> forwarded) {
        if (!ContainerEnvironment.validName(k)) {
            throw new JsingException(ExitCodes.USAGE, from + ": '" + k + "' is not a valid variable name");
        }
        if (NOT_PERMITTED.contains(k)) {
            warnings.add("overriding " + k + " with " + from + " is not permitted"
                    + (k.equals("HOME") ? " (use --home)" : "") + "; ignored");
            return null;
        }
        if (SKIPPED.contains(k)) {
            return null;
        }
        String name = switch (k) {
            case "PATH" -> USER_PATH;
            case "PREPEND_PATH" -> USER_PREPEND_PATH;
            case "APPEND_PATH" -> USER_APPEND_PATH;
            default -> k;
        };
        out.remove(name);
        out.put(name, v);
        if (forwarded != null) {
            forwarded.add("setting " + name + " inside (from " + from + ")");
        }
        return name;
    }

    /**
     * Splits one {@code --env} value as Apptainer's flag (pflag's string-to-string) does: a value with one {@code =}
     * is one assignment (surrounding double quotes removed), so {@code --env X=a,b} sets {@code X} to {@code a,b}; a
     * value with more is a comma-separated (CSV, double quotes protect commas) list of assignments, so {@code --env
     * A=1,B=2} sets two.
     *
     * @throws JsingException (usage) naming the value when an element is not {@code NAME=VALUE}
     */
    static List<String> splitEnvOption(String value) {
        long n = value.chars().filter(c -> c == '=').count();
        List<String> pairs;
        if (n == 0) {
            throw new JsingException(ExitCodes.USAGE, "--env '" + value + "': expected NAME=VALUE");
        } else if (n == 1) {
            pairs = List.of(trimQuotes(value));
        } else {
            pairs = csv(value);
        }
        for (String p : pairs) {
            if (p.indexOf('=') <= 0) {
                throw new JsingException(
                        ExitCodes.USAGE,
                        "--env '" + value + "': '" + p + "' is not NAME=VALUE"
                                + (p.indexOf('=') < 0 ? " (several assignments are separated by commas)" : ""));
            }
        }
        return pairs;
    }

    private static String trimQuotes(String v) {
        int a = 0;
        int b = v.length();
        while (a < b && v.charAt(a) == '"') {
            a++;
        }
        while (b > a && v.charAt(b - 1) == '"') {
            b--;
        }
        return v.substring(a, b);
    }

    /** One CSV record (Go's {@code encoding/csv}: {@code "..."} fields with {@code ""} for a quote). */
    private static List<String> csv(String s) {
        List<String> fields = new ArrayList<>();
        int i = 0;
        while (true) {
            StringBuilder f = new StringBuilder();
            if (i < s.length() && s.charAt(i) == '"') {
                i++;
                while (true) {
                    if (i >= s.length()) {
                        throw new JsingException(ExitCodes.USAGE, "--env '" + s + "': unterminated quote");
                    }
                    char c = s.charAt(i++);
                    if (c == '"') {
                        if (i < s.length() && s.charAt(i) == '"') {
                            f.append('"');
                            i++;
                        } else {
                            break;
                        }
                    } else {
                        f.append(c);
                    }
                }
                if (i < s.length() && s.charAt(i) != ',') {
                    throw new JsingException(ExitCodes.USAGE, "--env '" + s + "': extraneous text after a quote");
                }
            } else {
                while (i < s.length() && s.charAt(i) != ',') {
                    char c = s.charAt(i++);
                    if (c == '"') {
                        throw new JsingException(
                                ExitCodes.USAGE, "--env '" + s + "': a quote inside an unquoted field");
                    }
                    f.append(c);
                }
            }
            fields.add(f.toString());
            if (i >= s.length()) {
                return fields;
            }
            i++; // the comma
        }
    }

    /**
     * Reads {@code [export] K=V} lines (blank lines and {@code #} comments ignored, one level of matching quotes
     * removed) as {name, value, where}. Apptainer evaluates the file with its shell interpreter on the host; here
     * the values are evaluated inside, with the other overrides (so {@code P=$HOME/x} works the same).
     */
    static List<String[]> readEnvFile(Path file) {
        List<String> lines;
        try {
            lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        } catch (java.nio.file.NoSuchFileException e) {
            throw new JsingException(ExitCodes.NOT_FOUND, file + ": environment file not found");
        } catch (IOException e) {
            throw new JsingException(ExitCodes.IO_ERROR, file + ": cannot read: " + e.getMessage());
        }
        List<String[]> out = new ArrayList<>();
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
            if (eq <= 0 || !ContainerEnvironment.validName(line.substring(0, eq))) {
                throw new JsingException(ExitCodes.USAGE, file + ":" + n + ": expected NAME=VALUE");
            }
            String v = line.substring(eq + 1);
            if (v.length() >= 2
                    && ((v.startsWith("\"") && v.endsWith("\"")) || (v.startsWith("'") && v.endsWith("'")))) {
                v = v.substring(1, v.length() - 1);
            }
            out.add(new String[] {line.substring(0, eq), v, file + ":" + n});
        }
        return out;
    }
}
