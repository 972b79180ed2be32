package dev.jsing.deffile;

import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Replaces {@code {{ NAME }}} in a stage's text, as Apptainer's build-args reader does: values come from the build
 * arguments, then the stage's {@code %arguments}; a match on a line where a {@code #} followed by anything but
 * {@code !} comes before it is left untouched; {@code {{ }}} inside a value is resolved one level.
 */
final class Templater {
    static final Pattern VARIABLE = Pattern.compile("\\{\\{[\\t\\n\\f\\r ]*(\\w+)[\\t\\n\\f\\r ]*}}");

    private Templater() {}

    /**
     * The templated text of {@code chunk}; names that were replaced are added to {@code consumed}.
     *
     * @throws DefinitionException for a variable with no value
     */
    static String apply(
            String file, Chunk chunk, Map<String, String> buildArgs, Map<String, String> defaults, Set<String> consumed)
            throws DefinitionException {
        String src = chunk.text();
        Matcher m = VARIABLE.matcher(src);
        StringBuilder out = new StringBuilder();
        int i = 0;
        while (m.find()) {
            int lineStart = i;
            for (int k = m.start(); k >= i; k--) {
                if (src.charAt(k) == '\n') {
                    lineStart = k;
                    break;
                }
            }
            if (commented(src, lineStart, m.start())) {
                continue;
            }
            String name = m.group(1);
            String val = buildArgs.containsKey(name) ? buildArgs.get(name) : defaults.get(name);
            if (val == null) {
                int line = chunk.firstLine() + count(src, 0, m.start());
                int col = m.start() - src.lastIndexOf('\n', m.start() - 1);
                throw DefinitionException.at(
                        file,
                        line,
                        col,
                        "undefined build variable " + Chars.quote(m.group())
                                + " (expected --build-arg " + name + "=..., a " + name
                                + "=... line in the --build-arg-file, or a "
                                + name + "=... line in %arguments)");
            }
            out.append(src, i, m.start()).append(nested(val, buildArgs, defaults));
            consumed.add(name);
            i = m.end();
        }
        return out.append(src, i, src.length()).toString();
    }

    /** Apptainer's {@code \s*[#][^!]\s*.*} test: a '#' followed by a character other than '!'. */
    private static boolean commented(String src, int from, int to) {
        for (int k = from; k < to - 1; k++) {
            if (src.charAt(k) == '#' && src.charAt(k + 1) != '!') {
                return true;
            }
        }
        return false;
    }

    private static String nested(String val, Map<String, String> buildArgs, Map<String, String> defaults) {
        Matcher m = VARIABLE.matcher(val);
        String result = val;
        while (m.find()) {
            String v = buildArgs.containsKey(m.group(1)) ? buildArgs.get(m.group(1)) : defaults.get(m.group(1));
            if (v != null) {
                result = result.replace(m.group(), v);
            }
        }
        return result;
    }

    private static int count(String s, int from, int to) {
        int n = 0;
        for (int k = from; k < to; k++) {
            if (s.charAt(k) == '\n') {
                n++;
            }
        }
        return n;
    }
}
