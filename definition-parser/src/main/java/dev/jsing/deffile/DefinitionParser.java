package dev.jsing.deffile;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Parses definition text into a {@link Definition}, as Apptainer reads it (see the module README for the rules). This
 * does no templating: {@code {{ VAR }}} stays verbatim. {@link DefinitionLoader} reads files and applies build
 * arguments.
 */
public final class DefinitionParser {
    /** Lines end at LF only ({@code d}, as in Go, Apptainer's regexp): a lone CR does not start a line. */
    private static final Pattern STAGE_START = Pattern.compile("(?dmi)^bootstrap:");

    private DefinitionParser() {}

    /**
     * Parses {@code text}; {@code fileName} is used in error messages.
     *
     * @throws DefinitionException when the text is not a valid definition
     */
    public static Definition parse(String fileName, String text) throws DefinitionException {
        return parse(fileName, text, new ArrayList<>());
    }

    /** As {@link #parse(String, String)}, adding warnings (one line each, {@code file:line:col: ...}) to {@code warnings}. */
    public static Definition parse(String fileName, String text, List<String> warnings) throws DefinitionException {
        String normalized = normalize(fileName, text);
        ParseContext ctx = new ParseContext(fileName, warnings, new LinkedHashSet<>());
        List<Stage> stages = new ArrayList<>();
        for (Chunk c : split(normalized)) {
            Stage s = parseStage(ctx, c);
            if (s != null) {
                stages.add(s);
            }
        }
        if (stages.isEmpty()) {
            throw emptyError(fileName, normalized);
        }
        return Definition.of(stages, text);
    }

    /** Parses one stage, recording its name in {@code ctx.earlierStages()} when references are checked. */
    static Stage parseStage(ParseContext ctx, Chunk chunk) throws DefinitionException {
        Stage s = StageParser.parse(ctx, chunk);
        if (s != null && s.name() != null && ctx.earlierStages() != null) {
            ctx.earlierStages().add(s.name());
        }
        return s;
    }

    /** CRLF (and a final CR) become LF; a leading byte order mark is dropped; NUL characters are rejected. */
    static String normalize(String fileName, String text) throws DefinitionException {
        int nul = text.indexOf('\0');
        if (nul >= 0) {
            String before = text.substring(0, nul);
            int line = 1 + (int) before.chars().filter(c -> c == '\n').count();
            int col = nul - before.lastIndexOf('\n');
            throw DefinitionException.at(
                    fileName, line, col, "binary data: a NUL character '\\x00' (expected a UTF-8 text" + " file)");
        }
        String t = text.startsWith("\uFEFF") ? text.substring(1) : text;
        t = t.replace("\r\n", "\n");
        return t.endsWith("\r") ? t.substring(0, t.length() - 1) : t;
    }

    /** Splits normalised text before each line that starts with {@code bootstrap:} (any case). */
    static List<Chunk> split(String text) {
        List<Chunk> chunks = new ArrayList<>();
        Matcher m = STAGE_START.matcher(text);
        int start = 0;
        int line = 1;
        while (m.find()) {
            if (m.start() > start) {
                chunks.add(new Chunk(text.substring(start, m.start()), line));
                line += count(text, start, m.start());
            }
            start = m.start();
        }
        if (start < text.length()) {
            chunks.add(new Chunk(text.substring(start), line));
        }
        return chunks;
    }

    private static int count(String text, int from, int to) {
        int n = 0;
        for (int i = from; i < to; i++) {
            if (text.charAt(i) == '\n') {
                n++;
            }
        }
        return n;
    }

    /** The error for text that defines nothing: empty, only comments, or only empty sections. */
    static DefinitionException emptyError(String fileName, String text) {
        String expected = " (expected a header such as 'Bootstrap: docker' or a section such as '%post')";
        if (Chars.trim(text).isEmpty()) {
            return DefinitionException.at(fileName, 1, 1, "empty definition file" + expected);
        }
        boolean comments =
                StageParser.lines(text).stream().map(Chars::trim).allMatch(l -> l.isEmpty() || l.startsWith("#"));
        if (comments) {
            return DefinitionException.at(fileName, 1, 1, "definition file has only comments" + expected);
        }
        return DefinitionException.at(
                fileName, 1, 1, "definition file has no header keyword and only empty sections" + expected);
    }
}
