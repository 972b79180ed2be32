package dev.jsing.deffile;

import java.util.List;
import java.util.Map;

/**
 * The model as JSON, for tooling and tests: keys in a fixed order, two-space indentation, a final newline.
 *
 * <pre>
 * {"stages": [{"name", "header": {}, "sections": [{"kind", "args", "body"}],
 *              "apps": [{"name", "sections", "files", "labels"}],
 *              "files": [{"src", "dst", "from"}], "labels": [{"key", "value"}], "arguments": {}}]}
 * </pre>
 *
 * {@code sections} lists the stage-level sections; each app lists its own. {@code from} is null for host files.
 */
public final class DefinitionJson {
    private final StringBuilder out = new StringBuilder();
    private int depth;

    private DefinitionJson() {}

    /** The JSON document for {@code d}. */
    public static String render(Definition d) {
        DefinitionJson j = new DefinitionJson();
        j.open('{');
        j.key("stages");
        j.open('[');
        for (int i = 0; i < d.stages().size(); i++) {
            j.comma(i);
            j.newline();
            j.stage(d.stages().get(i));
        }
        j.close(']', d.stages().isEmpty());
        j.close('}', false);
        return j.out.append('\n').toString();
    }

    private void stage(Stage s) {
        open('{');
        key("name");
        string(s.name());
        out.append(',');
        key("header");
        map(s.header());
        out.append(',');
        key("sections");
        sections(s.sections().stream().filter(x -> x.app() == null).toList());
        out.append(',');
        key("apps");
        open('[');
        for (int i = 0; i < s.apps().size(); i++) {
            comma(i);
            newline();
            App a = s.apps().get(i);
            open('{');
            key("name");
            string(a.name());
            out.append(',');
            key("sections");
            sections(a.sections());
            out.append(',');
            key("files");
            files(a.files());
            out.append(',');
            key("labels");
            labels(a.labels());
            close('}', false);
        }
        close(']', s.apps().isEmpty());
        out.append(',');
        key("files");
        files(s.files());
        out.append(',');
        key("labels");
        labels(s.labels());
        out.append(',');
        key("arguments");
        map(s.arguments());
        close('}', false);
    }

    private void sections(List<Section> sections) {
        open('[');
        for (int i = 0; i < sections.size(); i++) {
            comma(i);
            newline();
            Section s = sections.get(i);
            open('{');
            key("kind");
            string(s.kind().keyword());
            out.append(',');
            key("args");
            string(s.args());
            out.append(',');
            key("body");
            string(s.body());
            close('}', false);
        }
        close(']', sections.isEmpty());
    }

    private void files(List<FileEntry> files) {
        open('[');
        for (int i = 0; i < files.size(); i++) {
            comma(i);
            newline();
            FileEntry f = files.get(i);
            open('{');
            key("src");
            string(f.src());
            out.append(',');
            key("dst");
            string(f.dst());
            out.append(',');
            key("from");
            string(f.sourceStage());
            close('}', false);
        }
        close(']', files.isEmpty());
    }

    private void labels(List<Label> labels) {
        open('[');
        for (int i = 0; i < labels.size(); i++) {
            comma(i);
            newline();
            open('{');
            key("key");
            string(labels.get(i).key());
            out.append(',');
            key("value");
            string(labels.get(i).value());
            close('}', false);
        }
        close(']', labels.isEmpty());
    }

    private void map(Map<String, String> map) {
        open('{');
        int i = 0;
        for (Map.Entry<String, String> e : map.entrySet()) {
            comma(i++);
            key(e.getKey());
            string(e.getValue());
        }
        close('}', map.isEmpty());
    }

    private void open(char c) {
        out.append(c);
        depth++;
    }

    private void close(char c, boolean empty) {
        depth--;
        if (!empty) {
            newline();
        }
        out.append(c);
    }

    private void comma(int index) {
        if (index > 0) {
            out.append(',');
        }
    }

    private void key(String k) {
        newline();
        string(k);
        out.append(": ");
    }

    private void newline() {
        out.append('\n');
        out.append("  ".repeat(depth));
    }

    private void string(String s) {
        if (s == null) {
            out.append("null");
            return;
        }
        out.append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"' -> out.append("\\\"");
                case '\\' -> out.append("\\\\");
                case '\n' -> out.append("\\n");
                case '\r' -> out.append("\\r");
                case '\t' -> out.append("\\t");
                default -> {
                    if (c < 0x20 || c == 0x7f || c == '\u2028' || c == '\u2029') {
                        out.append(String.format("\\u%04x", (int) c));
                    } else {
                        out.append(c);
                    }
                }
            }
        }
        out.append('"');
    }
}
