package dev.jsing.runner.cgroup;

import dev.jsing.runner.error.ExitCodes;
import dev.jsing.runner.error.JsingException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads an {@code --apply-cgroups} file: the subset of TOML that Apptainer's {@code cgroups.Config} files use for the
 * limits jsing applies ({@code [memory]} limit, reservation, swap, disableOOMKiller, swappiness; {@code [cpu]} shares,
 * quota, period, cpus, mems; {@code [pids]} limit; {@code [blockIO]} weight; {@code [unified]} "file" = "value").
 * Tables, {@code key = value} with integers, booleans and strings, and comments. Anything else (the device rules,
 * hugepage and network arrays, per-device weights) is an error naming it, never skipped.
 */
final class CgroupToml {
    private CgroupToml() {}

    private static final Map<String, List<String>> KEYS = Map.of(
            "memory", List.of("limit", "reservation", "swap", "disableOOMKiller", "swappiness"),
            "cpu", List.of("shares", "quota", "period", "cpus", "mems"),
            "pids", List.of("limit"),
            "blockIO", List.of("weight"));

    static Limits read(String file) {
        String text;
        try {
            text = Files.readString(Path.of(file), StandardCharsets.UTF_8);
        } catch (NoSuchFileException e) {
            throw new JsingException(ExitCodes.NOT_FOUND, "--apply-cgroups: " + file + " does not exist");
        } catch (IOException e) {
            throw new JsingException(
                    ExitCodes.NOT_FOUND, "--apply-cgroups: cannot read " + file + ": " + e.getMessage());
        }
        return parse(text, file);
    }

    static Limits parse(String text, String file) {
        Map<String, Object> v = new LinkedHashMap<>(); // "table.key" -> Long, Boolean or String
        Map<String, String> unified = new LinkedHashMap<>();
        String table = null;
        String[] lines = text.split("\n", -1);
        for (int i = 0; i < lines.length; i++) {
            String where = file + ":" + (i + 1) + ": ";
            String line = stripComment(lines[i]).trim();
            if (line.isEmpty()) {
                continue;
            }
            if (line.startsWith("[[")) {
                throw bad(where + "arrays of tables (" + line + ") are not supported by jsing");
            }
            if (line.startsWith("[")) {
                if (!line.endsWith("]")) {
                    throw bad(where + "'" + line + "' is not a table header");
                }
                table = line.substring(1, line.length() - 1).trim();
                if (!KEYS.containsKey(table) && !table.equals("unified")) {
                    throw bad(where + "[" + table + "] is not supported by jsing (only memory, cpu, pids, blockIO and"
                            + " unified)");
                }
                continue;
            }
            int eq = line.indexOf('=');
            if (eq < 0) {
                throw bad(where + "'" + line + "' is not key = value");
            }
            if (table == null) {
                throw bad(where + "'" + line + "' is outside a table");
            }
            String key = unquote(line.substring(0, eq).trim(), where);
            Object value = value(line.substring(eq + 1).trim(), where);
            if (table.equals("unified")) {
                if (!key.matches("[a-z]+\\.[A-Za-z0-9_.]+") || key.startsWith("cgroup.")) {
                    throw bad(
                            where + "[unified] '" + key + "' is not a controller's file (memory.high, pids.max, ...)");
                }
                unified.put(key, String.valueOf(value));
                continue;
            }
            if (!KEYS.get(table).contains(key)) {
                throw bad(where + table + "." + key + " is not supported by jsing (" + table + ": "
                        + String.join(", ", KEYS.get(table)) + ")");
            }
            if (v.put(table + "." + key, value) != null) {
                throw bad(where + table + "." + key + " is given twice");
            }
        }
        return new Limits(
                num(v, "memory.limit", file),
                num(v, "memory.reservation", file),
                num(v, "memory.swap", file),
                Boolean.TRUE.equals(bool(v, "memory.disableOOMKiller", file)),
                num(v, "memory.swappiness", file),
                num(v, "cpu.shares", file),
                num(v, "cpu.quota", file),
                num(v, "cpu.period", file),
                str(v, "cpu.cpus", file),
                str(v, "cpu.mems", file),
                num(v, "pids.limit", file),
                v.containsKey("blockIO.weight")
                        ? Integer.valueOf(num(v, "blockIO.weight", file).intValue())
                        : null,
                unified);
    }

    private static String stripComment(String line) {
        boolean inString = false;
        for (int i = 0; i < line.length(); i++) {
            char c = line.charAt(i);
            if (c == '"' || c == '\'') {
                inString = !inString;
            } else if (c == '#' && !inString) {
                return line.substring(0, i);
            }
        }
        return line;
    }

    private static String unquote(String s, String where) {
        if (s.length() >= 2 && (s.startsWith("\"") && s.endsWith("\"") || s.startsWith("'") && s.endsWith("'"))) {
            return s.substring(1, s.length() - 1);
        }
        if (!s.matches("[A-Za-z0-9_-]+")) {
            throw bad(where + "'" + s + "' is not a key");
        }
        return s;
    }

    private static Object value(String s, String where) {
        if (s.equals("true") || s.equals("false")) {
            return Boolean.valueOf(s);
        }
        if (s.length() >= 2 && (s.startsWith("\"") && s.endsWith("\"") || s.startsWith("'") && s.endsWith("'"))) {
            String inner = s.substring(1, s.length() - 1);
            if (inner.contains("\\") && s.startsWith("\"")) {
                throw bad(where + "escapes in strings are not supported by jsing");
            }
            return inner;
        }
        if (s.matches("[+-]?[0-9][0-9_]*")) {
            try {
                return Long.valueOf(s.replace("_", "").replace("+", ""));
            } catch (NumberFormatException e) {
                throw bad(where + "'" + s + "' is too large");
            }
        }
        throw bad(where + "'" + s + "' is not an integer, a boolean or a string (arrays, floats and dates are not"
                + " supported)");
    }

    private static Long num(Map<String, Object> v, String key, String file) {
        Object o = v.get(key);
        if (o == null || o instanceof Long) {
            return (Long) o;
        }
        throw bad(file + ": " + key + " must be an integer");
    }

    private static Boolean bool(Map<String, Object> v, String key, String file) {
        Object o = v.get(key);
        if (o == null || o instanceof Boolean) {
            return (Boolean) o;
        }
        throw bad(file + ": " + key + " must be true or false");
    }

    private static String str(Map<String, Object> v, String key, String file) {
        Object o = v.get(key);
        if (o == null) {
            return null;
        }
        if (o instanceof String s && Values.cpusetProblem(s) == null) {
            return s;
        }
        throw bad(file + ": " + key + " must be a cpuset list in a string (\"0-3\")");
    }

    private static JsingException bad(String message) {
        return new JsingException(ExitCodes.BAD_CONFIG, "--apply-cgroups: " + message);
    }
}
