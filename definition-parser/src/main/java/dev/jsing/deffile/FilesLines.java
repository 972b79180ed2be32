package dev.jsing.deffile;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * {@code %files} and {@code %appfiles} lines: {@code src [dst]}. Blank lines and lines starting with {@code #} are
 * skipped; double quotes allow blanks in a path; a field starting with {@code #} after the source starts a comment;
 * {@code {{ VAR }}} stays one field; globs are kept verbatim.
 */
final class FilesLines {
    private static final Pattern TEMPLATE = Pattern.compile("\\{\\{[ \\t\\f\\r\\n]*\\w+[ \\t\\f\\r\\n]*}}");

    private FilesLines() {}

    /** The entries of a section body; {@code stage} is the source stage or {@code null} for the host. */
    static List<FileEntry> entries(String body, String stage) {
        List<FileEntry> out = new ArrayList<>();
        for (String line : body.split("\n", -1)) {
            String[] f;
            try {
                f = parseLine(line);
            } catch (LineProblem p) {
                throw new IllegalArgumentException(p.getMessage());
            }
            if (f != null) {
                out.add(new FileEntry(f[0], f[1], stage));
            }
        }
        return out;
    }

    /** {@code {src, dst}} of one line ({@code dst} empty when absent), or {@code null} for a blank or comment line. */
    static String[] parseLine(String line) {
        int i = Chars.leadingSpace(line);
        if (i == line.length() || line.charAt(i) == '#') {
            return null;
        }
        List<String> fields = new ArrayList<>();
        while (i < line.length()) {
            if (Chars.isSpace(line.charAt(i))) {
                i++;
                continue;
            }
            if (!fields.isEmpty() && line.charAt(i) == '#') {
                break;
            }
            if (fields.size() == 2) {
                throw new LineProblem(
                        i + 1,
                        "unexpected third field " + Chars.quote(line.substring(i))
                                + " in %files line (expected 'src [dst]'"
                                + ", with double quotes around paths that contain blanks)");
            }
            StringBuilder field = new StringBuilder();
            Matcher m = TEMPLATE.matcher(line);
            while (i < line.length() && !Chars.isSpace(line.charAt(i))) {
                char c = line.charAt(i);
                if (c == '"') {
                    int close = line.indexOf('"', i + 1);
                    if (close < 0) {
                        throw new LineProblem(
                                i + 1,
                                "unterminated double quote " + Chars.quote(line.substring(i))
                                        + " in %files line (expected a closing '\"')");
                    }
                    field.append(line, i + 1, close);
                    i = close + 1;
                } else if (c == '{' && m.find(i) && m.start() == i) {
                    field.append(m.group());
                    i = m.end();
                } else {
                    field.append(c);
                    i++;
                }
            }
            if (field.length() == 0) {
                throw new LineProblem(i, "empty path \"\" in %files line (expected 'src [dst]')");
            }
            fields.add(field.toString());
        }
        return new String[] {fields.get(0), fields.size() > 1 ? fields.get(1) : ""};
    }

    /**
     * The source stage named by {@code %files} arguments: {@code null} for none (host), the name for
     * {@code from <stage>}; a {@code #} comment is ignored. Throws {@link LineProblem} (column within {@code args}).
     */
    static String sourceStage(String args) {
        int hash = args.indexOf('#');
        String clean = hash >= 0 ? args.substring(0, hash) : args;
        String[] words = Chars.trim(clean).split("[ \\t]+");
        if (words.length == 1 && words[0].isEmpty()) {
            return null;
        }
        if (words.length == 2 && words[0].equals("from")) {
            return words[1];
        }
        throw new LineProblem(
                Chars.leadingSpace(args) + 1,
                "invalid %files arguments " + Chars.quote(Chars.trim(clean))
                        + " (expected nothing, or 'from <stage>')");
    }
}
