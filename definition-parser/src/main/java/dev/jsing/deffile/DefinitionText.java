package dev.jsing.deffile;

import java.util.Locale;
import java.util.Map;

/**
 * Definition text: the original (what goes into the SIF deffile object and {@code jsing inspect --deffile}) or a
 * canonical rendering of the model, which parses back to an equal model. The canonical text drops comments, merges
 * repeated sections and spells header keywords the usual way ({@code Bootstrap}, {@code From}).
 */
public final class DefinitionText {
    private DefinitionText() {}

    /** The text the definition was read from, unchanged. */
    public static String original(Definition d) {
        return d.raw();
    }

    /** Canonical text for the whole model. */
    public static String canonical(Definition d) {
        StringBuilder b = new StringBuilder();
        for (Stage s : d.stages()) {
            appendStage(b, s);
        }
        return b.toString();
    }

    /** Canonical text for one stage. */
    public static String canonical(Stage s) {
        StringBuilder b = new StringBuilder();
        appendStage(b, s);
        return b.toString();
    }

    private static void appendStage(StringBuilder b, Stage s) {
        boolean first = true;
        for (Map.Entry<String, String> e : s.header().entrySet()) {
            String key = display(e.getKey());
            // A later "Bootstrap:" at the start of a line would start a new stage; Apptainer also reads "Bootstrap :".
            b.append(key).append(!first && e.getKey().equals("bootstrap") ? " :" : ":");
            String[] parts = e.getValue().split("\n", -1);
            for (int i = 0; i < parts.length; i++) {
                if (i > 0) {
                    b.append("\\n\\\n");
                }
                if (!parts[i].isEmpty()) {
                    b.append(i == 0 ? " " : "").append(parts[i]);
                }
            }
            String last = parts[parts.length - 1];
            if (!last.isEmpty() && (Chars.isSpace(last.charAt(last.length() - 1)) || last.endsWith("\\"))) {
                // kept only as a continued line ended by a blank one (a plain line loses them to trimming)
                b.append("\\\n");
            }
            b.append('\n');
            first = false;
        }
        if (!s.header().isEmpty() && !s.sections().isEmpty()) {
            b.append('\n');
        }
        for (Section sec : s.sections()) {
            b.append('%').append(sec.kind().keyword());
            if (sec.app() != null) {
                b.append(' ').append(sec.app());
            }
            if (!sec.args().isEmpty()) {
                b.append(' ').append(sec.args());
            }
            // reading turns CRLF into LF, so a CR that ends a body line is written doubled
            b.append('\n').append(sec.body().replace("\r\n", "\r\r\n"));
        }
    }

    private static String display(String key) {
        if (key.startsWith("otherurl")) {
            return "OtherURL" + key.substring("otherurl".length());
        }
        for (String d : HeaderKeywords.DISPLAY) {
            if (d.toLowerCase(Locale.ROOT).equals(key)) {
                return d;
            }
        }
        return key;
    }
}
