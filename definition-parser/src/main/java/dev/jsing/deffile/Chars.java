package dev.jsing.deffile;

/** Character helpers matching the Go functions Apptainer's parser uses ({@code unicode.IsSpace}, TrimSpace). */
final class Chars {
    private static final int MAX_QUOTED = 60;

    private Chars() {}

    /** Go's {@code unicode.IsSpace}: ASCII whitespace, NEL, NBSP and the Unicode space separators. */
    static boolean isSpace(char c) {
        switch (c) {
            case ' ',
                    '\t',
                    '\n',
                    '\u000B',
                    '\f',
                    '\r',
                    '\u0085',
                    '\u00A0',
                    '\u1680',
                    '\u2028',
                    '\u2029',
                    '\u202F',
                    '\u205F',
                    '\u3000':
                return true;
            default:
                return c >= '\u2000' && c <= '\u200A';
        }
    }

    /** Go's {@code strings.TrimSpace}. */
    static String trim(String s) {
        int start = 0;
        int end = s.length();
        while (start < end && isSpace(s.charAt(start))) {
            start++;
        }
        while (end > start && isSpace(s.charAt(end - 1))) {
            end--;
        }
        return s.substring(start, end);
    }

    /** Index of the first non-space character, or {@code s.length()}. */
    static int leadingSpace(String s) {
        int i = 0;
        while (i < s.length() && isSpace(s.charAt(i))) {
            i++;
        }
        return i;
    }

    /** Index of the first space or tab at or after {@code from}, or -1. */
    static int nextBlank(String s, int from) {
        for (int i = from; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == ' ' || c == '\t') {
                return i;
            }
        }
        return -1;
    }

    /** {@code 'text'} for an error message: one line, control characters escaped, long text shortened. */
    static String quote(String text) {
        StringBuilder b = new StringBuilder("'");
        int n = Math.min(text.length(), MAX_QUOTED);
        for (int i = 0; i < n; i++) {
            char c = text.charAt(i);
            if (c == '\n') {
                b.append("\\n");
            } else if (c == '\r') {
                b.append("\\r");
            } else if (c == '\t') {
                b.append("\\t");
            } else if (c < 0x20 || c == 0x7f || c == '\u2028' || c == '\u2029' || c == '\u0085') {
                b.append(String.format("\\x%02x", (int) c));
            } else {
                b.append(c);
            }
        }
        if (text.length() > n) {
            b.append("...");
        }
        return b.append('\'').toString();
    }
}
