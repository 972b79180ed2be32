package dev.jsing.runner.launch;

import dev.jsing.runner.error.ExitCodes;
import dev.jsing.runner.error.JsingException;
import java.util.ArrayList;
import java.util.List;

/**
 * A user bind: host {@code source} at container {@code destination}. Parses Apptainer's {@code -B} syntax ({@code
 * src[:dst[:ro|rw]]}, comma-separated lists, {@code \,} and {@code \:} escapes) and {@code --mount} syntax ({@code
 * type=bind,src=..,dst=..[,ro]}).
 */
public record BindSpec(String source, String destination, boolean readOnly) {
    public BindSpec {
        if (!destination.startsWith("/")) {
            throw new JsingException(
                    ExitCodes.BAD_MOUNT, "bind destination '" + destination + "' is not an absolute path");
        }
    }

    /** Parses one {@code -B} value (a comma-separated list). Relative sources are resolved against {@code cwd}. */
    public static List<BindSpec> parseList(String value, String cwd) {
        List<BindSpec> out = new ArrayList<>();
        for (String item : split(value, ',')) {
            if (item.isEmpty()) {
                continue;
            }
            List<String> parts = split(item, ':');
            if (parts.size() > 3 || parts.get(0).isEmpty()) {
                throw new JsingException(
                        ExitCodes.BAD_MOUNT, "invalid bind '" + unescape(item) + "' (use src[:dst[:ro|rw]])");
            }
            String src = absolute(unescape(parts.get(0)), cwd);
            String dst = parts.size() > 1 && !parts.get(1).isEmpty() ? unescape(parts.get(1)) : src;
            boolean ro = false;
            if (parts.size() == 3) {
                ro = readOnlyOption(parts.get(2), item);
            }
            out.add(new BindSpec(src, dst, ro));
        }
        return out;
    }

    /** Parses one {@code --mount} value. */
    public static BindSpec parseMount(String value, String cwd) {
        String type = "bind";
        String src = null;
        String dst = null;
        boolean ro = false;
        for (String f : split(value, ',')) {
            String field = unescape(f);
            int eq = field.indexOf('=');
            String k = eq < 0 ? field : field.substring(0, eq);
            String v = eq < 0 ? null : field.substring(eq + 1);
            switch (k) {
                case "type":
                    type = v;
                    break;
                case "src":
                case "source":
                    src = v;
                    break;
                case "dst":
                case "destination":
                case "target":
                    dst = v;
                    break;
                case "ro":
                case "readonly":
                    ro = v == null || v.equals("true") || v.equals("1");
                    break;
                case "rw":
                    ro = false;
                    break;
                default:
                    throw new JsingException(
                            ExitCodes.BAD_MOUNT, "--mount '" + value + "': unsupported field '" + k + "'");
            }
        }
        if (!"bind".equals(type)) {
            throw new JsingException(ExitCodes.BAD_MOUNT, "--mount '" + value + "': only type=bind is supported");
        }
        if (src == null || src.isEmpty() || dst == null || dst.isEmpty()) {
            throw new JsingException(ExitCodes.BAD_MOUNT, "--mount '" + value + "': needs src= and dst=");
        }
        return new BindSpec(absolute(src, cwd), dst, ro);
    }

    private static boolean readOnlyOption(String opts, String item) {
        boolean ro = false;
        for (String o : opts.split("\\+|;")) {
            if (o.equals("ro")) {
                ro = true;
            } else if (o.equals("rw")) {
                ro = false;
            } else {
                throw new JsingException(
                        ExitCodes.BAD_MOUNT,
                        "invalid bind option '" + o + "' in '" + unescape(item) + "' (use ro or rw)");
            }
        }
        return ro;
    }

    private static String absolute(String p, String cwd) {
        if (p.startsWith("/") || cwd == null) {
            return p;
        }
        return java.nio.file.Path.of(cwd).resolve(p).normalize().toString();
    }

    /** Splits on {@code sep} not preceded by a backslash; escapes are kept for {@link #unescape}. */
    static List<String> split(String s, char sep) {
        List<String> out = new ArrayList<>();
        StringBuilder cur = new StringBuilder();
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '\\' && i + 1 < s.length()) {
                cur.append(c).append(s.charAt(++i));
            } else if (c == sep) {
                out.add(cur.toString());
                cur.setLength(0);
            } else {
                cur.append(c);
            }
        }
        out.add(cur.toString());
        return out;
    }

    static String unescape(String s) {
        StringBuilder b = new StringBuilder(s.length());
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '\\' && i + 1 < s.length() && (s.charAt(i + 1) == ',' || s.charAt(i + 1) == ':')) {
                b.append(s.charAt(++i));
            } else {
                b.append(c);
            }
        }
        return b.toString();
    }
}
