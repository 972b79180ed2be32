package dev.jsing.deffile;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * {@code %arguments} lines: {@code KEY=VALUE} defaults for {@code {{ KEY }}}, trimmed; blank and {@code #} lines
 * skipped. Other lines are skipped too (Apptainer warns about them); {@link #problem} says why.
 */
final class ArgumentLines {
    private ArgumentLines() {}

    /** The defaults in file order; a repeated key keeps its last value. */
    static Map<String, String> arguments(String body) {
        Map<String, String> map = new LinkedHashMap<>();
        for (String raw : body.split("\n", -1)) {
            String line = Chars.trim(raw);
            if (line.isEmpty() || line.startsWith("#") || problem(line) != null) {
                continue;
            }
            int eq = line.indexOf('=');
            map.put(Chars.trim(line.substring(0, eq)), Chars.trim(line.substring(eq + 1)));
        }
        return Collections.unmodifiableMap(map);
    }

    /** Why a trimmed, non-comment {@code KEY=VALUE} line is skipped, or {@code null} when it is valid. */
    static String problem(String line) {
        int eq = line.indexOf('=');
        if (eq < 0) {
            return "is not a KEY=VALUE pair";
        }
        if (Chars.trim(line.substring(0, eq)).isEmpty()) {
            return "has no KEY before '='";
        }
        return null;
    }
}
