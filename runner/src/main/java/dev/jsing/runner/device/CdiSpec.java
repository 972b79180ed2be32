package dev.jsing.runner.device;

import dev.jsing.common.json.Json;
import dev.jsing.runner.error.ExitCodes;
import dev.jsing.runner.error.JsingException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;

/**
 * One CDI spec file (Container Device Interface, versions 0.5.0 to 0.8.0, JSON or YAML): its kind ({@code
 * vendor/class}), its devices and the container edits of the spec and of each device. Annotations are read and
 * ignored, as CDI's runtimes ignore what they do not know of them.
 *
 * @param file where it was read
 * @param kind {@code vendor/class}
 * @param edits the spec's own edits (applied once when any of its devices is used)
 * @param devices each device's name and edits, in the file's order
 */
record CdiSpec(String file, String kind, Edits edits, List<Device> devices) {
    static final Set<String> VERSIONS = Set.of("0.5.0", "0.6.0", "0.7.0", "0.8.0");
    static final Pattern KIND =
            Pattern.compile("[A-Za-z0-9]([A-Za-z0-9.-]*[A-Za-z0-9])?/[A-Za-z0-9]([A-Za-z0-9_.-]*[A-Za-z0-9])?");
    static final Pattern NAME = Pattern.compile("[A-Za-z0-9]([A-Za-z0-9_.:-]*[A-Za-z0-9])?");

    /** A device of the spec. */
    record Device(String name, Edits edits) {}

    /** A device node: the container's {@code path}, bound from {@code hostPath} (default: the same path). */
    record Node(String path, String hostPath) {}

    /** Container edits ({@code containerEdits}). */
    record Edits(List<String> env, List<Node> nodes, List<DeviceSetup.Bind> mounts, List<DeviceSetup.Hook> hooks) {}

    /** Parses {@code text}, read from {@code file} ({@code .json} as JSON, anything else as YAML). */
    static CdiSpec parse(String file, String text) {
        Object doc;
        try {
            if (file.endsWith(".json")) {
                doc = Json.parse(text);
            } else {
                doc = new Yaml(new SafeConstructor(new LoaderOptions())).load(text);
            }
        } catch (RuntimeException e) {
            throw bad(file, "not valid " + (file.endsWith(".json") ? "JSON" : "YAML") + ": " + oneLine(e.getMessage()));
        }
        Map<?, ?> top = map(file, doc, "the spec");
        Object version = top.get("cdiVersion");
        if (!(version instanceof String v) || !VERSIONS.contains(v)) {
            throw bad(
                    file,
                    "cdiVersion " + (version == null ? "is missing" : "'" + version + "' is not supported")
                            + " (jsing reads 0.5.0 to 0.8.0)");
        }
        Object kind = top.get("kind");
        if (!(kind instanceof String k) || !KIND.matcher(k).matches()) {
            throw bad(file, "kind " + (kind == null ? "is missing" : "'" + kind + "' is not VENDOR/CLASS"));
        }
        Edits edits = top.containsKey("containerEdits")
                ? edits(file, top.get("containerEdits"), "containerEdits")
                : new Edits(List.of(), List.of(), List.of(), List.of());
        Object devs = top.get("devices");
        if (!(devs instanceof List<?> dl) || dl.isEmpty()) {
            throw bad(file, "devices must be a non-empty list");
        }
        List<Device> devices = new ArrayList<>();
        List<String> names = new ArrayList<>();
        for (Object o : dl) {
            Map<?, ?> d = map(file, o, "a device");
            Object name = d.get("name");
            if (!(name instanceof String n) || !NAME.matcher(n).matches()) {
                throw bad(file, "device name " + (name == null ? "is missing" : "'" + name + "' is not valid"));
            }
            if (names.contains(n)) {
                throw bad(file, "device '" + n + "' is defined twice");
            }
            names.add(n);
            if (!(d.get("containerEdits") instanceof Map)) {
                throw bad(file, "device '" + n + "' has no containerEdits");
            }
            devices.add(new Device(n, edits(file, d.get("containerEdits"), "device '" + n + "'")));
        }
        return new CdiSpec(file, k, edits, devices);
    }

    private static Edits edits(String file, Object o, String where) {
        Map<?, ?> m = map(file, o, where);
        List<String> env = new ArrayList<>();
        for (Object e : list(file, m.get("env"), where + " env")) {
            if (!(e instanceof String s) || s.indexOf('=') <= 0) {
                throw bad(file, where + ": env entry '" + e + "' is not NAME=VALUE");
            }
            env.add(s);
        }
        List<Node> nodes = new ArrayList<>();
        for (Object n : list(file, m.get("deviceNodes"), where + " deviceNodes")) {
            Map<?, ?> dn = map(file, n, where + " device node");
            String path = absolute(file, dn.get("path"), where + " device node path");
            String host = dn.get("hostPath") == null ? path : absolute(file, dn.get("hostPath"), where + " hostPath");
            nodes.add(new Node(path, host));
        }
        List<DeviceSetup.Bind> mounts = new ArrayList<>();
        for (Object x : list(file, m.get("mounts"), where + " mounts")) {
            Map<?, ?> mm = map(file, x, where + " mount");
            String host = absolute(file, mm.get("hostPath"), where + " mount hostPath");
            String ctr = absolute(file, mm.get("containerPath"), where + " mount containerPath");
            Object type = mm.get("type");
            if (type != null && !"bind".equals(type)) {
                throw bad(file, where + ": mount type '" + type + "' is not supported (only bind mounts)");
            }
            boolean ro = false;
            for (Object opt : list(file, mm.get("options"), where + " mount options")) {
                ro |= "ro".equals(opt);
            }
            mounts.add(new DeviceSetup.Bind(host, ctr, ro));
        }
        List<DeviceSetup.Hook> hooks = new ArrayList<>();
        for (Object h : list(file, m.get("hooks"), where + " hooks")) {
            Map<?, ?> hm = map(file, h, where + " hook");
            Object name = hm.get("hookName");
            String when = switch (String.valueOf(name)) {
                case "prestart", "createRuntime", "createContainer" -> "create";
                case "startContainer" -> "start";
                case "poststart", "poststop" ->
                    throw bad(
                            file,
                            where + ": hook " + name + " is not supported (no jsing process remains"
                                    + " once the payload runs)");
                default -> throw bad(file, where + ": hookName '" + name + "' is not a hook name");
            };
            String path = absolute(file, hm.get("path"), where + " hook path");
            List<String> args = strings(file, hm.get("args"), where + " hook args");
            if (args.isEmpty()) {
                args = List.of(path);
            }
            List<String> henv = strings(file, hm.get("env"), where + " hook env");
            int timeout = 0;
            Object t = hm.get("timeout");
            if (t != null) {
                if (!(t instanceof Number num) || num.longValue() <= 0 || num.longValue() > 86400) {
                    throw bad(file, where + ": hook timeout '" + t + "' is not a number of seconds");
                }
                timeout = num.intValue();
            }
            hooks.add(new DeviceSetup.Hook(when, path, args, henv, timeout, false));
        }
        return new Edits(env, nodes, mounts, hooks);
    }

    private static Map<?, ?> map(String file, Object o, String what) {
        if (!(o instanceof Map<?, ?> m)) {
            throw bad(file, what + " is not a mapping");
        }
        return m;
    }

    private static List<?> list(String file, Object o, String what) {
        if (o == null) {
            return List.of();
        }
        if (!(o instanceof List<?> l)) {
            throw bad(file, what + " is not a list");
        }
        return l;
    }

    private static List<String> strings(String file, Object o, String what) {
        List<String> out = new ArrayList<>();
        for (Object x : list(file, o, what)) {
            if (!(x instanceof String s)) {
                throw bad(file, what + ": '" + x + "' is not a string");
            }
            out.add(s);
        }
        return out;
    }

    private static String absolute(String file, Object o, String what) {
        if (!(o instanceof String s) || !s.startsWith("/")) {
            throw bad(file, what + " " + (o == null ? "is missing" : "'" + o + "' is not an absolute path"));
        }
        return s;
    }

    private static String oneLine(String s) {
        return s == null ? "" : s.replaceAll("\\s*\n\\s*", " ").strip();
    }

    static JsingException bad(String file, String what) {
        return new JsingException(ExitCodes.BAD_CONFIG, "CDI spec " + file + ": " + what);
    }
}
