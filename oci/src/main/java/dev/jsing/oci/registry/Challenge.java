package dev.jsing.oci.registry;

import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/** Parses a {@code WWW-Authenticate} header: {@code Bearer realm="…",service="…",scope="…"}. */
final class Challenge {
    private Challenge() {}

    /** The scheme (lower case) under the key {@code ""}, and each parameter by lower-case name. */
    static Map<String, String> parse(String header) {
        Map<String, String> m = new LinkedHashMap<>();
        String h = header.trim();
        int sp = h.indexOf(' ');
        m.put("", (sp < 0 ? h : h.substring(0, sp)).toLowerCase(Locale.ROOT));
        if (sp < 0) {
            return m;
        }
        String s = h.substring(sp + 1);
        int i = 0;
        while (i < s.length()) {
            while (i < s.length() && (s.charAt(i) == ' ' || s.charAt(i) == ',')) {
                i++;
            }
            int eq = s.indexOf('=', i);
            if (eq < 0) {
                break;
            }
            String key = s.substring(i, eq).trim().toLowerCase(Locale.ROOT);
            i = eq + 1;
            StringBuilder v = new StringBuilder();
            if (i < s.length() && s.charAt(i) == '"') {
                i++;
                while (i < s.length() && s.charAt(i) != '"') {
                    if (s.charAt(i) == '\\' && i + 1 < s.length()) {
                        i++;
                    }
                    v.append(s.charAt(i++));
                }
                i++;
            } else {
                while (i < s.length() && s.charAt(i) != ',') {
                    v.append(s.charAt(i++));
                }
            }
            m.put(key, v.toString().trim());
        }
        return m;
    }
}
