package dev.jsing.runner.config;

import dev.jsing.runner.error.ExitCodes;
import dev.jsing.runner.error.JsingException;
import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;
import org.yaml.snakeyaml.error.Mark;
import org.yaml.snakeyaml.error.MarkedYAMLException;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.NodeTuple;
import org.yaml.snakeyaml.nodes.ScalarNode;
import org.yaml.snakeyaml.nodes.SequenceNode;

/** One YAML configuration file applied over a configuration (safe loading: nodes only, no object construction). */
final class YamlConfigFile {
    private final Path file;
    private final boolean site;

    private YamlConfigFile(Path file, boolean site) {
        this.file = file;
        this.site = site;
    }

    static JsingConfig apply(JsingConfig base, Path file, boolean site) {
        return new YamlConfigFile(file, site).apply(base);
    }

    private JsingConfig apply(JsingConfig base) {
        Node root;
        try (Reader r = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            root = new Yaml(new SafeConstructor(new LoaderOptions())).compose(r);
        } catch (MarkedYAMLException e) {
            Mark m = e.getProblemMark();
            throw error(m, "invalid YAML: " + e.getProblem());
        } catch (org.yaml.snakeyaml.error.YAMLException e) {
            throw new JsingException(ExitCodes.BAD_CONFIG, file + ": invalid YAML: " + e.getMessage());
        } catch (IOException e) {
            throw new JsingException(ExitCodes.BAD_CONFIG, file + ": cannot read: " + e.getMessage());
        }
        if (root == null) {
            return base;
        }
        if (!(root instanceof MappingNode)) {
            throw error(root.getStartMark(), "expected a mapping of configuration keys");
        }
        List<String> bindPaths = new ArrayList<>(base.bindPaths());
        boolean allow = base.allowUserBinds();
        List<String> prefixes = base.userBindPrefixes();
        List<String> squashfuse = base.squashfuse();
        String unsquashfs = base.unsquashfs();
        String tmpDir = base.tmpDir();
        String cacheDir = base.cacheDir();
        List<String> noMount = new ArrayList<>(base.noMount());
        int sessiondirMb = base.sessiondirMaxMb();
        ExecutionControl ecl = base.executionControl();
        Map<String, String> origins = new HashMap<>(base.origins());
        String where = site ? "site" : "user";
        for (NodeTuple t : ((MappingNode) root).getValue()) {
            String key = scalar(t.getKeyNode(), "a key");
            Node v = t.getValueNode();
            String origin = file + ":" + (t.getKeyNode().getStartMark().getLine() + 1);
            switch (key) {
                case "bind-paths":
                    for (String b : strings(v, key)) {
                        if (!b.startsWith("/")) {
                            throw error(v.getStartMark(), "bind-paths: '" + b + "' is not an absolute path");
                        }
                        // A user layer's binds are user binds: the site's policy applies to them as to -B.
                        for (String src : bindSources(b)) {
                            if (!site && !base.bindAllowed(src)) {
                                throw error(
                                        v.getStartMark(),
                                        "bind-paths: '" + src + "' is not allowed by the bind policy ("
                                                + (base.allowUserBinds()
                                                        ? "allowed prefixes: " + base.userBindPrefixes()
                                                        : "user binds are disabled")
                                                + ")");
                            }
                        }
                        bindPaths.add(b);
                    }
                    break;
                case "allow-user-binds":
                    boolean a = bool(v, key);
                    if (a && !base.allowUserBinds() && !site) {
                        throw error(v.getStartMark(), "allow-user-binds: the site configuration disallows user binds");
                    }
                    allow = a;
                    break;
                case "user-bind-prefixes":
                    List<String> p = strings(v, key);
                    for (String s : p) {
                        if (!s.startsWith("/")) {
                            throw error(v.getStartMark(), "user-bind-prefixes: '" + s + "' is not an absolute path");
                        }
                        if (!site && !base.userBindPrefixes().isEmpty() && !withinAny(s, base.userBindPrefixes())) {
                            throw error(
                                    v.getStartMark(),
                                    "user-bind-prefixes: '" + s + "' is outside the site's " + base.userBindPrefixes());
                        }
                    }
                    prefixes = p;
                    break;
                case "squashfuse":
                    squashfuse = v instanceof SequenceNode ? strings(v, key) : List.of(scalar(v, key));
                    break;
                case "unsquashfs":
                    unsquashfs = scalar(v, key);
                    break;
                case "tmp-dir":
                    tmpDir = absolute(v, key);
                    break;
                case "cache-dir":
                    cacheDir = absolute(v, key);
                    break;
                case "no-mount":
                    for (String m : strings(v, key)) {
                        if (!NoMountNames.valid(m)) {
                            throw error(v.getStartMark(), "no-mount: '" + m + "' is not " + NoMountNames.DESCRIPTION);
                        }
                        noMount.add(m);
                    }
                    break;
                case "sessiondir-max-size":
                    sessiondirMb = megabytes(v, key);
                    break;
                case "execution-control":
                    if (!site) {
                        throw error(
                                t.getKeyNode().getStartMark(),
                                "execution-control: only the site configuration can set it");
                    }
                    ecl = executionControl(v);
                    break;
                default:
                    throw error(
                            t.getKeyNode().getStartMark(),
                            "unknown key '" + key + "' (known: " + JsingConfig.KEYS + ")");
            }
            origins.put(key, where + " " + origin);
        }
        return new JsingConfig(
                bindPaths,
                allow,
                prefixes,
                squashfuse,
                unsquashfs,
                tmpDir,
                cacheDir,
                noMount,
                sessiondirMb,
                base.deniedNamespaces(),
                base.deniedImages(),
                base.notices(),
                origins,
                ecl);
    }

    private int megabytes(Node v, String key) {
        String s = scalar(v, key);
        try {
            int n = Integer.parseInt(s.trim());
            if (n > 0) {
                return n;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw error(v.getStartMark(), key + ": '" + s + "' is not a positive number of MiB");
    }

    /** The {@code execution-control} block (keys as in Apptainer's ecl.toml, spelled in this file's style). */
    private ExecutionControl executionControl(Node v) {
        if (!(v instanceof MappingNode)) {
            throw error(v.getStartMark(), "execution-control: expected a mapping");
        }
        boolean activated = false;
        boolean legacy = false;
        String keyring = "";
        List<ExecutionControl.Group> groups = new ArrayList<>();
        for (NodeTuple t : ((MappingNode) v).getValue()) {
            String k = scalar(t.getKeyNode(), "a key");
            Node n = t.getValueNode();
            switch (k) {
                case "activated" -> activated = bool(n, "execution-control.activated");
                case "legacy-insecure" -> legacy = bool(n, "execution-control.legacy-insecure");
                case "keyring" -> keyring = absolute(n, "execution-control.keyring");
                case "groups" -> {
                    if (!(n instanceof SequenceNode)) {
                        throw error(n.getStartMark(), "execution-control.groups: expected a list");
                    }
                    for (Node g : ((SequenceNode) n).getValue()) {
                        groups.add(execGroup(g, groups));
                    }
                }
                default ->
                    throw error(
                            t.getKeyNode().getStartMark(),
                            "execution-control: unknown key '" + k
                                    + "' (known: activated, legacy-insecure, keyring, groups)");
            }
        }
        if (activated && groups.isEmpty()) {
            throw error(v.getStartMark(), "execution-control: activated with no groups would refuse every image");
        }
        return new ExecutionControl(activated, legacy, keyring, groups);
    }

    private ExecutionControl.Group execGroup(Node g, List<ExecutionControl.Group> before) {
        if (!(g instanceof MappingNode)) {
            throw error(g.getStartMark(), "execution-control.groups: each group is a mapping");
        }
        String name = "";
        String mode = null;
        String dir = "";
        List<String> fps = new ArrayList<>();
        for (NodeTuple t : ((MappingNode) g).getValue()) {
            String k = scalar(t.getKeyNode(), "a key");
            Node n = t.getValueNode();
            switch (k) {
                case "name" -> name = scalar(n, "name");
                case "mode" -> {
                    mode = scalar(n, "mode");
                    if (!ExecutionControl.MODES.contains(mode)) {
                        throw error(n.getStartMark(), "mode: '" + mode + "' is not one of " + ExecutionControl.MODES);
                    }
                }
                case "dir" -> {
                    dir = absolute(n, "dir");
                    if (!Path.of(dir).normalize().toString().equals(dir)) {
                        throw error(n.getStartMark(), "dir: '" + dir + "' is not a normalized path");
                    }
                }
                case "fingerprints" -> {
                    for (String f : strings(n, "fingerprints")) {
                        String fp = f.replace(" ", "").toUpperCase(java.util.Locale.ROOT);
                        if (!fp.matches("[0-9A-F]{40}")) {
                            throw error(
                                    n.getStartMark(), "fingerprints: '" + f + "' is not a 40-digit hex fingerprint");
                        }
                        fps.add(fp);
                    }
                }
                default ->
                    throw error(
                            t.getKeyNode().getStartMark(),
                            "unknown group key '" + k + "' (known: name, mode, dir, fingerprints)");
            }
        }
        if (mode == null) {
            throw error(
                    g.getStartMark(),
                    "execution group needs a mode (" + String.join(", ", ExecutionControl.MODES) + ")");
        }
        if (fps.isEmpty() && !mode.equals("blacklist")) {
            throw error(g.getStartMark(), "execution group in " + mode + " mode needs fingerprints");
        }
        for (ExecutionControl.Group o : before) {
            if (o.dir().equals(dir)) {
                throw error(
                        g.getStartMark(),
                        (dir.isEmpty()
                                ? "only one execution group may omit dir"
                                : "dir " + dir + " is in two execution groups"));
            }
        }
        return new ExecutionControl.Group(name.isEmpty() ? "group " + (before.size() + 1) : name, mode, dir, fps);
    }

    /** The host sources of a {@code src[:dst[:opts]][,...]} bind list ({@code \\,} and {@code \\:} escape). */
    static List<String> bindSources(String value) {
        List<String> out = new ArrayList<>();
        StringBuilder cur = new StringBuilder();
        boolean inSource = true;
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c == '\\' && i + 1 < value.length() && (value.charAt(i + 1) == ',' || value.charAt(i + 1) == ':')) {
                if (inSource) {
                    cur.append(value.charAt(i + 1));
                }
                i++;
            } else if (c == ',') {
                if (cur.length() > 0) {
                    out.add(cur.toString());
                }
                cur.setLength(0);
                inSource = true;
            } else if (c == ':') {
                inSource = false;
            } else if (inSource) {
                cur.append(c);
            }
        }
        if (cur.length() > 0) {
            out.add(cur.toString());
        }
        return out;
    }

    private static boolean withinAny(String path, List<String> prefixes) {
        for (String p : prefixes) {
            if (JsingConfig.under(path, p)) {
                return true;
            }
        }
        return false;
    }

    private String absolute(Node v, String key) {
        String s = scalar(v, key);
        if (!s.startsWith("/")) {
            throw error(v.getStartMark(), key + ": '" + s + "' is not an absolute path");
        }
        return s;
    }

    private String scalar(Node n, String what) {
        if (!(n instanceof ScalarNode)) {
            throw error(n.getStartMark(), what + ": expected a single value");
        }
        return ((ScalarNode) n).getValue();
    }

    private boolean bool(Node n, String key) {
        String s = scalar(n, key);
        switch (s) {
            case "true":
            case "yes":
                return true;
            case "false":
            case "no":
                return false;
            default:
                throw error(n.getStartMark(), key + ": expected true or false, got '" + s + "'");
        }
    }

    private List<String> strings(Node n, String key) {
        if (n instanceof ScalarNode) {
            String s = ((ScalarNode) n).getValue();
            return s.isEmpty() ? List.of() : List.of(s);
        }
        if (!(n instanceof SequenceNode)) {
            throw error(n.getStartMark(), key + ": expected a list");
        }
        List<String> out = new ArrayList<>();
        for (Node e : ((SequenceNode) n).getValue()) {
            out.add(scalar(e, key));
        }
        return out;
    }

    private JsingException error(Mark m, String msg) {
        String at = m == null ? "" : ":" + (m.getLine() + 1);
        return new JsingException(ExitCodes.BAD_CONFIG, file + at + ": " + msg);
    }
}
