package dev.jsing.deffile;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** {@code %labels} lines: {@code KEY VALUE} split at the first blank; blank and {@code #} lines skipped. */
final class LabelLines {
    private LabelLines() {}

    /** The labels in order of first appearance; a repeated key keeps its last value. */
    static List<Label> labels(String body) {
        Map<String, String> map = new LinkedHashMap<>();
        for (String raw : body.split("\n", -1)) {
            String line = Chars.trim(raw);
            if (line.isEmpty() || line.startsWith("#")) {
                continue;
            }
            int blank = Chars.nextBlank(line, 0);
            if (blank < 0) {
                map.put(line, "");
            } else {
                map.put(line.substring(0, blank), Chars.trim(line.substring(blank + 1)));
            }
        }
        List<Label> out = new ArrayList<>();
        map.forEach((k, v) -> out.add(Label.of(k, v)));
        return List.copyOf(out);
    }
}
