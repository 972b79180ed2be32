package dev.jsing.runner.instance;

import java.util.List;

/** Columns as Go's tabwriter makes them for Apptainer (padding 4, left-aligned). */
final class Table {
    private Table() {}

    static String render(List<String[]> rows) {
        int cols = rows.get(0).length;
        int[] width = new int[cols];
        for (String[] r : rows) {
            for (int i = 0; i < cols - 1; i++) {
                width[i] = Math.max(width[i], r[i].length());
            }
        }
        StringBuilder sb = new StringBuilder();
        for (String[] r : rows) {
            for (int i = 0; i < cols; i++) {
                sb.append(r[i]);
                if (i < cols - 1) {
                    sb.append(" ".repeat(width[i] - r[i].length() + 4));
                }
            }
            sb.append('\n');
        }
        return sb.toString();
    }
}
