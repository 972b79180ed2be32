package dev.jsing.runner.device;

import dev.jsing.runner.error.ExitCodes;
import dev.jsing.runner.error.JsingException;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The CDI specs of a set of directories ({@code *.json}, {@code *.yaml}, {@code *.yml}; a missing directory has
 * none), and the resolution of fully qualified device names ({@code vendor.com/class=name}) to their edits. As in CDI,
 * a later directory has priority: its device of the same kind and name replaces an earlier one. {@code =all} names
 * the spec's device called {@code all} when there is one, else every device of the kind.
 */
final class CdiRegistry {
    private final List<String> dirs;
    private final List<CdiSpec> specs;

    private CdiRegistry(List<String> dirs, List<CdiSpec> specs) {
        this.dirs = dirs;
        this.specs = specs;
    }

    /** Reads every spec of {@code dirs}; a malformed one is a {@code BAD_CONFIG} error naming the file. */
    static CdiRegistry load(DeviceHost host, List<String> dirs) {
        List<CdiSpec> specs = new ArrayList<>();
        for (String dir : dirs) {
            for (String name : host.list(dir)) {
                if (!(name.endsWith(".json") || name.endsWith(".yaml") || name.endsWith(".yml"))) {
                    continue;
                }
                String file = dir + "/" + name;
                if (host.isDirectory(file)) {
                    continue;
                }
                String text;
                try {
                    text = host.read(file);
                } catch (IOException e) {
                    throw CdiSpec.bad(file, "cannot read: " + e.getMessage());
                }
                specs.add(CdiSpec.parse(file, text));
            }
        }
        return new CdiRegistry(List.copyOf(dirs), specs);
    }

    /** One resolved device: its spec and its own edits. */
    record Resolved(CdiSpec spec, CdiSpec.Device device) {}

    /** The devices {@code qualified} names, in order, each once. */
    List<Resolved> resolve(List<String> qualified) {
        Map<String, Resolved> out = new LinkedHashMap<>();
        for (String q : qualified) {
            int slash = q.indexOf('/');
            int eq = q.indexOf('=');
            if (slash <= 0
                    || eq < slash
                    || !CdiSpec.KIND.matcher(q.substring(0, eq)).matches()
                    || !(q.substring(eq + 1).equals("all")
                            || CdiSpec.NAME.matcher(q.substring(eq + 1)).matches())) {
                throw new JsingException(
                        ExitCodes.USAGE, "--device '" + q + "' is not a CDI device name (VENDOR/CLASS=NAME)");
            }
            String kind = q.substring(0, eq);
            String name = q.substring(eq + 1);
            Map<String, Resolved> ofKind = new LinkedHashMap<>(); // later specs (directories) replace earlier ones
            List<String> files = new ArrayList<>();
            for (CdiSpec s : specs) {
                if (s.kind().equals(kind)) {
                    files.add(s.file());
                    for (CdiSpec.Device d : s.devices()) {
                        ofKind.remove(d.name());
                        ofKind.put(d.name(), new Resolved(s, d));
                    }
                }
            }
            if (files.isEmpty()) {
                throw new JsingException(
                        ExitCodes.BAD_CONFIG,
                        "--device " + q + ": no CDI spec of kind " + kind + " in " + String.join(", ", dirs));
            }
            if (ofKind.containsKey(name)) {
                out.putIfAbsent(kind + "=" + name, ofKind.get(name));
            } else if (name.equals("all")) {
                for (Map.Entry<String, Resolved> e : ofKind.entrySet()) {
                    out.putIfAbsent(kind + "=" + e.getKey(), e.getValue());
                }
            } else {
                throw new JsingException(
                        ExitCodes.BAD_CONFIG,
                        "--device " + q + ": no device '" + name + "' in the CDI spec " + String.join(", ", files)
                                + " (devices: " + String.join(", ", ofKind.keySet()) + ")");
            }
        }
        return new ArrayList<>(out.values());
    }
}
