package dev.jsing.deffile;

import java.util.Objects;

/**
 * One section of a stage. Repeated sections are already merged: bodies concatenated in file order, the last non-empty
 * arguments kept; {@code %files} sections merge only when their arguments are identical.
 *
 * @param kind the section kind
 * @param app the app name for {@code %app*} kinds, {@code null} otherwise
 * @param args everything after the keyword (and app name) and one separating blank, verbatim, comments included;
 *     empty when there are none
 * @param body the lines after the section line, each ending in {@code \n}, byte for byte (empty when there are none)
 */
public record Section(SectionKind kind, String app, String args, String body) {
    public Section {
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(args, "args");
        Objects.requireNonNull(body, "body");
        if (kind.isApp() != (app != null)) {
            throw new IllegalArgumentException(
                    kind.isApp()
                            ? "%" + kind.keyword() + " needs an app name"
                            : "%" + kind.keyword() + " takes no app name");
        }
        if (app != null && (app.isEmpty() || Chars.nextBlank(app, 0) >= 0)) {
            throw new IllegalArgumentException("invalid app name " + Chars.quote(app));
        }
        if (!body.isEmpty() && !body.endsWith("\n")) {
            throw new IllegalArgumentException("a section body must end with a newline");
        }
    }

    /** A stage-level section. */
    public static Section of(SectionKind kind, String args, String body) {
        return new Section(kind, null, args, body);
    }

    /** An {@code %app*} section of app {@code app}. */
    public static Section ofApp(SectionKind kind, String app, String args, String body) {
        return new Section(kind, app, args, body);
    }

    /** True when there is neither a body nor arguments. */
    public boolean isEmpty() {
        return body.isEmpty() && args.isEmpty();
    }

    /** The arguments with any {@code #} comment cut off, trimmed (what interpreters and {@code from} read). */
    public String argsWithoutComment() {
        int hash = args.indexOf('#');
        return Chars.trim(hash >= 0 ? args.substring(0, hash) : args);
    }
}
