package dev.jsing.deffile;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * The header of a stage: {@code Keyword: value} lines before the first section, as Apptainer reads them. Lines are
 * trimmed; blank lines and lines starting with {@code #} are skipped; anything after a {@code #} is cut; a value
 * ending in {@code \} continues on the next line, and a trailing {@code \n\} puts a newline into the value.
 */
final class HeaderParser {
    /** The parsed header: values by lowercased keyword, and the line each keyword was given on. */
    record Header(Map<String, String> values, Map<String, Integer> lines) {}

    private final ParseContext ctx;
    private final Map<String, String> values = new LinkedHashMap<>();
    private final Map<String, Integer> lines = new LinkedHashMap<>();

    private HeaderParser(ParseContext ctx) {
        this.ctx = ctx;
    }

    static Header parse(ParseContext ctx, List<String> headerLines, int firstLine) throws DefinitionException {
        HeaderParser p = new HeaderParser(ctx);
        p.run(headerLines, firstLine);
        return new Header(p.values, p.lines);
    }

    private void run(List<String> headerLines, int firstLine) throws DefinitionException {
        String contKey = null;
        String contVal = null;
        int keyLine = 0;
        int keyCol = 0;
        String keyText = null;
        for (int i = 0; i < headerLines.size(); i++) {
            String raw = headerLines.get(i);
            int lineNo = firstLine + i;
            String line = Chars.trim(raw);
            if (line.isEmpty() || line.startsWith("#")) {
                if (contKey != null) {
                    put(contKey, contVal, keyText, keyLine, keyCol);
                    contKey = null;
                }
                continue;
            }
            int hash = line.indexOf('#');
            String cut = hash >= 0 ? line.substring(0, hash) : line;
            String key;
            String val;
            if (contKey == null) {
                int colon = cut.indexOf(':');
                keyLine = lineNo;
                keyCol = Chars.leadingSpace(raw) + 1;
                if (colon < 0) {
                    throw ctx.error(
                            lineNo,
                            keyCol,
                            "header line without ':' " + Chars.quote(cut) + " (expected " + hint(cut) + ")");
                }
                keyText = Chars.trim(cut.substring(0, colon));
                key = keyText.toLowerCase(Locale.ROOT);
                val = Chars.trim(cut.substring(colon + 1));
            } else {
                key = contKey;
                val = contVal + Chars.trim(cut);
                contKey = null;
            }
            if (val.endsWith("\\")) {
                contKey = key;
                contVal = val.substring(0, val.length() - 1);
                if (contVal.endsWith("\\n")) {
                    contVal = contVal.substring(0, contVal.length() - 2) + "\n";
                }
                continue;
            }
            put(key, val, keyText, keyLine, keyCol);
        }
        if (contKey != null) {
            put(contKey, contVal, keyText, keyLine, keyCol);
        }
    }

    private void put(String key, String val, String keyText, int line, int col) throws DefinitionException {
        if (key.isEmpty()) {
            throw ctx.error(
                    line,
                    col,
                    "missing header keyword before ':' (expected 'Keyword: value', e.g. 'Bootstrap: " + "docker')");
        }
        if (!HeaderKeywords.isValid(key)) {
            Optional<String> s = HeaderKeywords.suggest(keyText);
            throw ctx.error(
                    line,
                    col,
                    "unknown header keyword " + Chars.quote(keyText)
                            + s.map(k -> " (did you mean '" + k + "'?)")
                                    .orElse(" (expected one of " + String.join(", ", HeaderKeywords.DISPLAY) + ")"));
        }
        values.put(key, val);
        lines.put(key, line);
    }

    private static String hint(String line) {
        String word = Chars.trim(line).split("[ \\t]", 2)[0];
        Optional<String> section = Suggestions.closest("%" + word, SectionKind.percentKeywords());
        if (section.isPresent()) {
            return "'Keyword: value', or did you mean the section '" + section.get() + "'?";
        }
        return "'Keyword: value', e.g. 'Bootstrap: docker', or a section line such as '%post'";
    }
}
