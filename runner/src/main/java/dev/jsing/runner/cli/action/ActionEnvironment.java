package dev.jsing.runner.cli.action;

import dev.jsing.runner.error.ExitCodes;
import dev.jsing.runner.error.JsingException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The environment keys of {@link ActionOption}: {@code JSING_KEY} over {@code APPTAINER_KEY} over
 * {@code SINGULARITY_KEY} (the first set one of an option's keys wins), each used only where the command line did not
 * set the option, except the appending options ({@link ActionOption#envAppends()}), whose values are added after the
 * command line's. Empty values are ignored, as in Apptainer.
 */
public final class ActionEnvironment {
    /** The prefixes, strongest first. */
    public static final List<String> PREFIXES = List.of("JSING_", "APPTAINER_", "SINGULARITY_");

    private ActionEnvironment() {}

    /** One value found in the environment: which variable, which option, and its (trimmed) value. */
    public record Setting(ActionOption option, String variable, String value) {}

    /** The settings that {@code env} makes, in table order; for each option at most one variable (the strongest). */
    public static List<Setting> settings(Map<String, String> env) {
        List<Setting> out = new ArrayList<>();
        for (ActionOption o : ActionOption.values()) {
            Setting s = lookup(o, env);
            if (s != null) {
                out.add(s);
            }
        }
        return out;
    }

    private static Setting lookup(ActionOption o, Map<String, String> env) {
        for (String prefix : PREFIXES) {
            for (String key : o.envKeys()) {
                String v = env.get(prefix + key);
                if (v != null && !v.trim().isEmpty()) {
                    return new Setting(o, prefix + key, v.trim());
                }
            }
        }
        return null;
    }

    /** A flag's value as Go's {@code strconv.ParseBool} reads it; anything else is a usage error naming the variable. */
    public static boolean parseBool(String variable, String v) {
        Boolean b = goBool(v);
        if (b == null) {
            throw new JsingException(
                    ExitCodes.USAGE, variable + "='" + v + "' is not a boolean (use 1/true or 0/false)");
        }
        return b;
    }

    /** {@code v} as Go's {@code strconv.ParseBool} reads it, or null when it is not a boolean. */
    static Boolean goBool(String v) {
        switch (v) {
            case "1", "t", "T", "TRUE", "true", "True":
                return Boolean.TRUE;
            case "0", "f", "F", "FALSE", "false", "False":
                return Boolean.FALSE;
            default:
                return null;
        }
    }
}
