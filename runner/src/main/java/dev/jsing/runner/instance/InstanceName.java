package dev.jsing.runner.instance;

import dev.jsing.runner.error.ExitCodes;
import dev.jsing.runner.error.JsingException;
import java.util.regex.Pattern;

/** Instance names (Apptainer's rule: letters, digits, '.', '_' and '-') and the glob patterns that select them. */
public final class InstanceName {
    private static final Pattern VALID = Pattern.compile("[a-zA-Z0-9._-]+");

    private InstanceName() {}

    /** {@code name}, or a usage error when it is not a valid instance name. */
    public static String check(String name) {
        if (!VALID.matcher(name).matches() || name.startsWith(".")) {
            throw new JsingException(
                    ExitCodes.USAGE,
                    "'" + name + "' is not a valid instance name (letters, digits, '.', '_' and '-'; not starting with"
                            + " '.')");
        }
        return name;
    }

    /** Whether {@code pattern} (a name, or a glob with {@code *}, {@code ?} and {@code [...]}) selects {@code name}. */
    public static boolean matches(String pattern, String name) {
        StringBuilder re = new StringBuilder();
        for (int i = 0; i < pattern.length(); i++) {
            char c = pattern.charAt(i);
            switch (c) {
                case '*' -> re.append(".*");
                case '?' -> re.append('.');
                case '[' -> {
                    int end = pattern.indexOf(']', i + 1);
                    if (end < 0) {
                        re.append("\\[");
                    } else {
                        String set = pattern.substring(i + 1, end).replace("\\", "\\\\");
                        re.append('[')
                                .append(set.startsWith("!") ? "^" + set.substring(1) : set)
                                .append(']');
                        i = end;
                    }
                }
                default -> re.append(Pattern.quote(String.valueOf(c)));
            }
        }
        return Pattern.matches(re.toString(), name);
    }

    /** Whether {@code pattern} is a glob rather than one name. */
    public static boolean isGlob(String pattern) {
        return pattern.contains("*") || pattern.contains("?") || pattern.contains("[");
    }
}
