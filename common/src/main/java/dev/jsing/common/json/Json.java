package dev.jsing.common.json;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * A small, strict JSON reader and writer for image manifests, configs and build metadata. Objects read as
 * {@link LinkedHashMap} (key order kept), arrays as {@link List}, numbers as {@link Long} or {@link Double}, plus
 * {@link String}, {@link Boolean} and {@code null}. Input is bounded by the caller (manifests are small).
 */
public final class Json {
    private final String s;
    private int i;

    private Json(String s) {
        this.s = s;
    }

    /** Parses one JSON value; throws {@link IllegalArgumentException} with the offset on bad input. */
    public static Object parse(String text) {
        Json p = new Json(text);
        p.ws();
        Object v = p.value(0);
        p.ws();
        if (p.i != text.length()) {
            throw p.err("trailing characters");
        }
        return v;
    }

    /** Parses a JSON object. */
    @SuppressWarnings("unchecked")
    public static Map<String, Object> parseObject(String text) {
        Object v = parse(text);
        if (!(v instanceof Map)) {
            throw new IllegalArgumentException("expected a JSON object");
        }
        return (Map<String, Object>) v;
    }

    private IllegalArgumentException err(String what) {
        return new IllegalArgumentException("bad JSON at offset " + i + ": " + what);
    }

    private void ws() {
        while (i < s.length()) {
            char c = s.charAt(i);
            if (c == ' ' || c == '\t' || c == '\n' || c == '\r') {
                i++;
            } else {
                break;
            }
        }
    }

    private Object value(int depth) {
        if (depth > 200) {
            throw err("nested too deeply");
        }
        if (i >= s.length()) {
            throw err("unexpected end");
        }
        char c = s.charAt(i);
        switch (c) {
            case '{':
                return object(depth);
            case '[':
                return array(depth);
            case '"':
                return string();
            case 't':
                return literal("true", Boolean.TRUE);
            case 'f':
                return literal("false", Boolean.FALSE);
            case 'n':
                return literal("null", null);
            default:
                if (c == '-' || (c >= '0' && c <= '9')) {
                    return number();
                }
                throw err("unexpected '" + c + "'");
        }
    }

    private Object literal(String word, Object v) {
        if (!s.startsWith(word, i)) {
            throw err("expected " + word);
        }
        i += word.length();
        return v;
    }

    private Object number() {
        int start = i;
        if (s.charAt(i) == '-') {
            i++;
        }
        boolean frac = false;
        while (i < s.length()) {
            char c = s.charAt(i);
            if (c >= '0' && c <= '9') {
                i++;
            } else if (c == '.' || c == 'e' || c == 'E' || c == '+' || c == '-') {
                frac = true;
                i++;
            } else {
                break;
            }
        }
        String t = s.substring(start, i);
        try {
            if (!frac) {
                try {
                    return Long.parseLong(t);
                } catch (NumberFormatException big) {
                    return Double.parseDouble(t);
                }
            }
            return Double.parseDouble(t);
        } catch (NumberFormatException e) {
            throw err("bad number '" + t + "'");
        }
    }

    private String string() {
        i++;
        StringBuilder b = new StringBuilder();
        while (true) {
            if (i >= s.length()) {
                throw err("unterminated string");
            }
            char c = s.charAt(i++);
            if (c == '"') {
                return b.toString();
            }
            if (c == '\\') {
                if (i >= s.length()) {
                    throw err("unterminated escape");
                }
                char e = s.charAt(i++);
                switch (e) {
                    case '"':
                    case '\\':
                    case '/':
                        b.append(e);
                        break;
                    case 'b':
                        b.append('\b');
                        break;
                    case 'f':
                        b.append('\f');
                        break;
                    case 'n':
                        b.append('\n');
                        break;
                    case 'r':
                        b.append('\r');
                        break;
                    case 't':
                        b.append('\t');
                        break;
                    case 'u':
                        if (i + 4 > s.length()) {
                            throw err("bad unicode escape");
                        }
                        try {
                            b.append((char) Integer.parseInt(s.substring(i, i + 4), 16));
                        } catch (NumberFormatException ex) {
                            throw err("bad unicode escape");
                        }
                        i += 4;
                        break;
                    default:
                        throw err("bad escape '\\" + e + "'");
                }
            } else if (c < 0x20) {
                throw err("control character in string");
            } else {
                b.append(c);
            }
        }
    }

    private List<Object> array(int depth) {
        i++;
        List<Object> out = new ArrayList<>();
        ws();
        if (i < s.length() && s.charAt(i) == ']') {
            i++;
            return out;
        }
        while (true) {
            ws();
            out.add(value(depth + 1));
            ws();
            if (i >= s.length()) {
                throw err("unterminated array");
            }
            char c = s.charAt(i++);
            if (c == ']') {
                return out;
            }
            if (c != ',') {
                throw err("expected ',' or ']'");
            }
        }
    }

    private Map<String, Object> object(int depth) {
        i++;
        Map<String, Object> out = new LinkedHashMap<>();
        ws();
        if (i < s.length() && s.charAt(i) == '}') {
            i++;
            return out;
        }
        while (true) {
            ws();
            if (i >= s.length() || s.charAt(i) != '"') {
                throw err("expected a key");
            }
            String k = string();
            ws();
            if (i >= s.length() || s.charAt(i++) != ':') {
                throw err("expected ':'");
            }
            ws();
            out.put(k, value(depth + 1));
            ws();
            if (i >= s.length()) {
                throw err("unterminated object");
            }
            char c = s.charAt(i++);
            if (c == '}') {
                return out;
            }
            if (c != ',') {
                throw err("expected ',' or '}'");
            }
        }
    }

    // ---- writing ----

    /** Compact JSON, map keys in the map's order. */
    public static String write(Object v) {
        StringBuilder b = new StringBuilder();
        write(b, v, null, 0, false);
        return b.toString();
    }

    /** Compact JSON with every object's keys sorted (reproducible output). */
    public static String writeSorted(Object v) {
        StringBuilder b = new StringBuilder();
        write(b, v, null, 0, true);
        return b.toString();
    }

    /** Indented JSON (tab-indented like Go's MarshalIndent with "\t"), keys sorted. */
    public static String writeIndented(Object v) {
        StringBuilder b = new StringBuilder();
        write(b, v, "\t", 0, true);
        return b.toString();
    }

    private static void write(StringBuilder b, Object v, String indent, int level, boolean sort) {
        if (v == null) {
            b.append("null");
        } else if (v instanceof String) {
            quote(b, (String) v);
        } else if (v instanceof Number || v instanceof Boolean) {
            b.append(v);
        } else if (v instanceof Map) {
            Map<?, ?> m = (Map<?, ?>) v;
            if (sort) {
                Map<String, Object> t = new TreeMap<>();
                m.forEach((k, x) -> t.put(String.valueOf(k), x));
                m = t;
            }
            if (m.isEmpty()) {
                b.append("{}");
                return;
            }
            b.append('{');
            boolean first = true;
            for (Map.Entry<?, ?> e : m.entrySet()) {
                if (!first) {
                    b.append(',');
                }
                first = false;
                newline(b, indent, level + 1);
                quote(b, String.valueOf(e.getKey()));
                b.append(indent != null ? ": " : ":");
                write(b, e.getValue(), indent, level + 1, sort);
            }
            newline(b, indent, level);
            b.append('}');
        } else if (v instanceof Iterable) {
            List<Object> l = new ArrayList<>();
            ((Iterable<?>) v).forEach(l::add);
            if (l.isEmpty()) {
                b.append("[]");
                return;
            }
            b.append('[');
            for (int k = 0; k < l.size(); k++) {
                if (k > 0) {
                    b.append(',');
                }
                newline(b, indent, level + 1);
                write(b, l.get(k), indent, level + 1, sort);
            }
            newline(b, indent, level);
            b.append(']');
        } else {
            quote(b, v.toString());
        }
    }

    private static void newline(StringBuilder b, String indent, int level) {
        if (indent != null) {
            b.append('\n');
            b.append(String.join("", Collections.nCopies(level, indent)));
        }
    }

    private static void quote(StringBuilder b, String s) {
        b.append('"');
        for (int k = 0; k < s.length(); k++) {
            char c = s.charAt(k);
            switch (c) {
                case '"':
                    b.append("\\\"");
                    break;
                case '\\':
                    b.append("\\\\");
                    break;
                case '\n':
                    b.append("\\n");
                    break;
                case '\r':
                    b.append("\\r");
                    break;
                case '\t':
                    b.append("\\t");
                    break;
                case '<':
                    b.append("\\u003c");
                    break;
                case '>':
                    b.append("\\u003e");
                    break;
                case '&':
                    b.append("\\u0026");
                    break;
                default:
                    if (c < 0x20) {
                        b.append(String.format("\\u%04x", (int) c));
                    } else {
                        b.append(c);
                    }
            }
        }
        b.append('"');
    }
}
