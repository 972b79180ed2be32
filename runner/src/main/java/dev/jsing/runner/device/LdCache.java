package dev.jsing.runner.device;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The host's ld.so cache as {@code ldconfig -p} prints it ({@code \tlibcuda.so.1 (libc6,x86-64) => /usr/lib/...}):
 * each soname with its paths, in the cache's order (the order the dynamic loader prefers).
 */
record LdCache(Map<String, List<String>> paths) {
    static LdCache parse(List<String> lines) {
        Map<String, List<String>> m = new LinkedHashMap<>();
        for (String line : lines) {
            int arrow = line.indexOf("=>");
            int paren = line.indexOf('(');
            if (arrow < 0 || paren < 0 || paren > arrow) {
                continue; // the "N libs found in cache" header, or noise
            }
            String name = line.substring(0, paren).strip();
            String path = line.substring(arrow + 2).strip();
            if (name.isEmpty() || !path.startsWith("/")) {
                continue;
            }
            List<String> l = m.computeIfAbsent(name, k -> new ArrayList<>());
            if (!l.contains(path)) {
                l.add(path);
            }
        }
        return new LdCache(m);
    }
}
