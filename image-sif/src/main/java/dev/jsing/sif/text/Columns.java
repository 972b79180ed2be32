package dev.jsing.sif.text;

import java.util.ArrayList;
import java.util.List;

/**
 * Two-column alignment as Go's {@code text/tabwriter} does it for siftool: each row is an optional indent cell plus a
 * key cell, padded to the widest key plus {@code padding} spaces, then the value.
 */
final class Columns {
    private final int padding;
    private final boolean indented;
    private final List<String[]> rows = new ArrayList<>();

    Columns(int padding, boolean indented) {
        this.padding = padding;
        this.indented = indented;
    }

    Columns row(String key, Object value) {
        rows.add(new String[] {key, String.valueOf(value)});
        return this;
    }

    String render() {
        int width = 0;
        for (String[] r : rows) {
            width = Math.max(width, r[0].length());
        }
        StringBuilder sb = new StringBuilder();
        for (String[] r : rows) {
            if (indented) {
                sb.append(" ".repeat(padding));
            }
            sb.append(r[0])
                    .append(" ".repeat(width - r[0].length() + padding))
                    .append(r[1])
                    .append('\n');
        }
        return sb.toString();
    }
}
