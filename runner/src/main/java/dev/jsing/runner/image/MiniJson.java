package dev.jsing.runner.image;

import java.util.LinkedHashMap;
import java.util.Map;

/** The little JSON jsing reads and writes for inspect: a flat object of strings (labels.json). */
final class MiniJson {
  private MiniJson() {}

  static String quote(String s) {
    StringBuilder b = new StringBuilder("\"");
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
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
        case '\t':
          b.append("\\t");
          break;
        case '\r':
          b.append("\\r");
          break;
        default:
          if (c < 0x20) {
            b.append(String.format("\\u%04x", (int) c));
          } else {
            b.append(c);
          }
      }
    }
    return b.append('"').toString();
  }

  static String object(Map<String, String> m) {
    StringBuilder b = new StringBuilder("{");
    for (Map.Entry<String, String> e : m.entrySet()) {
      if (b.length() > 1) {
        b.append(',');
      }
      b.append(quote(e.getKey())).append(':').append(quote(e.getValue()));
    }
    return b.append('}').toString();
  }

  /** Parses an object whose values are strings (other values are kept as their JSON text). */
  static Map<String, String> parseStringMap(String json) {
    Map<String, String> out = new LinkedHashMap<>();
    int[] pos = {skip(json, 0)};
    if (pos[0] >= json.length() || json.charAt(pos[0]) != '{') {
      return out;
    }
    pos[0]++;
    while (true) {
      pos[0] = skip(json, pos[0]);
      if (pos[0] >= json.length() || json.charAt(pos[0]) == '}') {
        return out;
      }
      String k = string(json, pos);
      pos[0] = skip(json, pos[0]) + 1;
      pos[0] = skip(json, pos[0]);
      String v;
      if (json.charAt(pos[0]) == '"') {
        v = string(json, pos);
      } else {
        int start = pos[0];
        while (pos[0] < json.length() && ",}".indexOf(json.charAt(pos[0])) < 0) {
          pos[0]++;
        }
        v = json.substring(start, pos[0]).strip();
      }
      out.put(k, v);
      pos[0] = skip(json, pos[0]);
      if (pos[0] < json.length() && json.charAt(pos[0]) == ',') {
        pos[0]++;
      }
    }
  }

  private static int skip(String s, int i) {
    while (i < s.length() && Character.isWhitespace(s.charAt(i))) {
      i++;
    }
    return i;
  }

  private static String string(String s, int[] pos) {
    StringBuilder b = new StringBuilder();
    int i = pos[0] + 1;
    while (i < s.length() && s.charAt(i) != '"') {
      char c = s.charAt(i++);
      if (c == '\\' && i < s.length()) {
        char e = s.charAt(i++);
        switch (e) {
          case 'n':
            b.append('\n');
            break;
          case 't':
            b.append('\t');
            break;
          case 'u':
            b.append((char) Integer.parseInt(s.substring(i, i + 4), 16));
            i += 4;
            break;
          default:
            b.append(e);
        }
      } else {
        b.append(c);
      }
    }
    pos[0] = i + 1;
    return b.toString();
  }
}
