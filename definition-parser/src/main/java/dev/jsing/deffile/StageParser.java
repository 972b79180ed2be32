package dev.jsing.deffile;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Parses one stage's text. A line whose first word starts with {@code %} opens a section (so an indented
 * {@code %word} inside a script does too, and is rejected as Apptainer rejects it); the text before the first section
 * is the header. Repeated sections concatenate; {@code %files} sections merge when their arguments are identical.
 */
final class StageParser {
    private final ParseContext ctx;
    private final Chunk chunk;
    private final Map<String, SectionBuilder> merged = new LinkedHashMap<>();

    private static final class SectionBuilder {
        final SectionKind kind;
        final String app;
        String args;
        final StringBuilder body = new StringBuilder();

        SectionBuilder(SectionKind kind, String app, String args) {
            this.kind = kind;
            this.app = app;
            this.args = args;
        }
    }

    private StageParser(ParseContext ctx, Chunk chunk) {
        this.ctx = ctx;
        this.chunk = chunk;
    }

    /** The stage, or {@code null} when the text holds no header keyword and only empty sections. */
    static Stage parse(ParseContext ctx, Chunk chunk) throws DefinitionException {
        return new StageParser(ctx, chunk).run();
    }

    private Stage run() throws DefinitionException {
        List<String> lines = lines(chunk.text());
        int first = 0;
        while (first < lines.size() && !isSectionLine(lines.get(first))) {
            first++;
        }
        HeaderParser.Header header = HeaderParser.parse(ctx, lines.subList(0, first), chunk.firstLine());
        boolean headerBlank =
                lines.subList(0, first).stream().allMatch(l -> Chars.trim(l).isEmpty());
        int i = first;
        while (i < lines.size()) {
            int next = i + 1;
            while (next < lines.size() && !isSectionLine(lines.get(next))) {
                next++;
            }
            section(lines, i, next, headerBlank && i == first);
            i = next;
        }
        List<Section> sections = new ArrayList<>();
        boolean empty = header.values().isEmpty();
        for (SectionBuilder b : merged.values()) {
            Section s = new Section(b.kind, b.app, b.args, b.body.toString());
            empty &= s.isEmpty();
            sections.add(s);
        }
        if (empty) {
            return null;
        }
        checkStageName(header);
        return Stage.of(header.values(), sections, chunk.text());
    }

    private void checkStageName(HeaderParser.Header header) throws DefinitionException {
        String name = header.values().get("stage");
        if (name == null) {
            return;
        }
        int line = header.lines().get("stage");
        if (name.isEmpty()) {
            throw ctx.error(line, 1, "empty stage name 'Stage:' (expected 'Stage: <name>')");
        }
        if (ctx.earlierStages() != null && ctx.earlierStages().contains(name)) {
            throw ctx.error(
                    line,
                    1,
                    "duplicate stage name " + Chars.quote(name) + " (expected a name not used by an "
                            + "earlier stage)");
        }
    }

    private void section(List<String> lines, int at, int end, boolean indentAllowed) throws DefinitionException {
        String line = lines.get(at);
        int lineNo = chunk.firstLine() + at;
        int ws = Chars.leadingSpace(line);
        int p = ws;
        while (p < line.length() && line.charAt(p) == '%') {
            p++;
        }
        int sep = Chars.nextBlank(line, p);
        String name = sep < 0 ? line.substring(p) : line.substring(p, sep);
        String rest = sep < 0 ? "" : line.substring(sep + 1);
        int restCol = sep < 0 ? line.length() + 1 : sep + 2;
        if (name.isEmpty()) {
            throw ctx.error(
                    lineNo,
                    ws + 1,
                    "missing section name " + Chars.quote(Chars.trim(line)) + " (expected a section such as '%post')");
        }
        Optional<SectionKind> kind = SectionKind.fromKeyword(name);
        if (kind.isEmpty()) {
            Optional<String> s = Suggestions.closest("%" + name, SectionKind.percentKeywords());
            String why = ws > 0 ? "; a line whose first word starts with '%' opens a section, even when indented" : "";
            throw ctx.error(
                    lineNo,
                    ws + 1,
                    "unknown section " + Chars.quote("%" + name)
                            + s.map(k -> " (did you mean '" + k + "'?" + why + ")")
                                    .orElse(" (expected one of " + String.join(" ", SectionKind.percentKeywords()) + why
                                            + ")"));
        }
        if (ws > 0 && !indentAllowed) {
            throw ctx.error(
                    lineNo,
                    ws + 1,
                    "indented section line " + Chars.quote(Chars.trim(line)) + " (expected '%"
                            + kind.get().keyword()
                            + "' at the start of the line; a line whose first word starts with '%' always "
                            + "opens a section)");
        }
        String app = null;
        String args = rest;
        if (kind.get().isApp()) {
            int appSep = Chars.nextBlank(rest, 0);
            app = appSep < 0 ? rest : rest.substring(0, appSep);
            args = appSep < 0 ? "" : rest.substring(appSep + 1);
            if (app.isEmpty()) {
                throw ctx.error(
                        lineNo,
                        ws + 1,
                        "app section " + Chars.quote(Chars.trim(line)) + " has no app name" + " (expected '%"
                                + kind.get().keyword() + " <app name>')");
            }
        }
        String body = body(lines, at + 1, end);
        check(kind.get(), args, restCol, lineNo, at + 1, end, lines);
        add(kind.get(), app, args, body);
    }

    private void check(SectionKind kind, String args, int argsCol, int lineNo, int from, int end, List<String> lines)
            throws DefinitionException {
        if (kind == SectionKind.FILES) {
            String stage;
            try {
                stage = FilesLines.sourceStage(args);
            } catch (LineProblem p) {
                throw ctx.error(lineNo, argsCol + p.column - 1, p.getMessage());
            }
            if (stage != null
                    && ctx.earlierStages() != null
                    && !ctx.earlierStages().contains(stage)) {
                String known = ctx.earlierStages().isEmpty()
                        ? "the name of an earlier stage, but none has a 'Stage:' name"
                        : "an earlier stage: " + String.join(", ", ctx.earlierStages());
                Optional<String> s = Suggestions.closest(stage, ctx.earlierStages());
                throw ctx.error(
                        lineNo,
                        argsCol + args.indexOf(stage),
                        "%files from unknown stage " + Chars.quote(stage)
                                + s.map(x -> " (did you mean '" + x + "'?)").orElse(" (expected " + known + ")"));
            }
        }
        for (int i = from; i < end; i++) {
            if (kind == SectionKind.FILES || kind == SectionKind.APPFILES) {
                try {
                    FilesLines.parseLine(lines.get(i));
                } catch (LineProblem p) {
                    throw ctx.error(chunk.firstLine() + i, p.column, p.getMessage());
                }
            } else if (kind == SectionKind.ARGUMENTS && ctx.earlierStages() != null) {
                String t = Chars.trim(lines.get(i));
                String problem = t.isEmpty() || t.startsWith("#") ? null : ArgumentLines.problem(t);
                if (problem != null) {
                    ctx.warn(
                            chunk.firstLine() + i,
                            Chars.leadingSpace(lines.get(i)) + 1,
                            "skipping %arguments line " + Chars.quote(t) + ": it " + problem);
                }
            }
        }
    }

    private void add(SectionKind kind, String app, String args, String body) {
        String key = kind + "\0" + app + (kind == SectionKind.FILES ? "\0" + args : "");
        SectionBuilder b = merged.computeIfAbsent(key, k -> new SectionBuilder(kind, app, args));
        if (!args.isEmpty()) {
            b.args = args;
        }
        b.body.append(body);
    }

    private static String body(List<String> lines, int from, int end) {
        StringBuilder b = new StringBuilder();
        for (int i = from; i < end; i++) {
            b.append(lines.get(i)).append('\n');
        }
        return b.toString();
    }

    static boolean isSectionLine(String line) {
        int ws = Chars.leadingSpace(line);
        return ws < line.length() && line.charAt(ws) == '%';
    }

    /** The lines of {@code text}; a final newline does not start another line. */
    static List<String> lines(String text) {
        if (text.isEmpty()) {
            return List.of();
        }
        String[] parts = text.split("\n", -1);
        int n = text.endsWith("\n") ? parts.length - 1 : parts.length;
        return Arrays.asList(parts).subList(0, n);
    }
}
