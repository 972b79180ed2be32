package dev.jsing.runner.cgroup;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The host's cgroup layout as this process sees it: the cgroup2 mount and each cgroup v1 controller mount
 * ({@code /proc/self/mountinfo}), and the process's own cgroup in each ({@code /proc/self/cgroup}). A controller is
 * used on cgroup v2 when the v2 root offers it ({@code cgroup.controllers}), else on the v1 hierarchy that mounts it;
 * so pure v2 hosts, pure v1 hosts and hybrids (some controllers moved to v2) all work.
 */
record Hierarchies(Hierarchy v2, List<Hierarchy> v1) {
    /** One mounted hierarchy: its mount point, its controllers (v1 names; empty for v2) and our cgroup's directory. */
    record Hierarchy(Path mount, List<String> controllers, Path own) {}

    static Hierarchies read() {
        return parse(lines("/proc/self/mountinfo"), lines("/proc/self/cgroup"));
    }

    static Hierarchies parse(List<String> mountinfo, List<String> cgroup) {
        Map<String, String> v1Paths = new LinkedHashMap<>(); // controller list as in /proc/self/cgroup -> path
        String v2Path = null;
        for (String l : cgroup) {
            String[] f = l.split(":", 3);
            if (f.length < 3) {
                continue;
            }
            if (f[0].equals("0") && f[1].isEmpty()) {
                v2Path = f[2];
            } else {
                v1Paths.put(f[1], f[2]);
            }
        }
        Hierarchy v2 = null;
        List<Hierarchy> v1 = new ArrayList<>();
        for (String l : mountinfo) {
            int dash = l.indexOf(" - ");
            if (dash < 0) {
                continue;
            }
            String[] pre = l.substring(0, dash).split(" ");
            String[] post = l.substring(dash + 3).split(" ");
            if (pre.length < 5 || post.length < 3) {
                continue;
            }
            String root = unescape(pre[3]);
            Path mount = Path.of(unescape(pre[4]));
            if (post[0].equals("cgroup2") && v2 == null && v2Path != null) {
                v2 = new Hierarchy(mount, List.of(), under(mount, root, v2Path));
            } else if (post[0].equals("cgroup")) {
                List<String> ctl = new ArrayList<>();
                for (String o : post[2].split(",")) {
                    if (!o.equals("rw")
                            && !o.equals("ro")
                            && !o.startsWith("name=")
                            && !o.contains("=")
                            && !o.equals("clone_children")
                            && !o.startsWith("noprefix")
                            && !o.equals("xattr")) {
                        ctl.add(o);
                    }
                }
                String key = String.join(",", ctl);
                String path = null;
                for (Map.Entry<String, String> e : v1Paths.entrySet()) {
                    if (List.of(e.getKey().split(",")).containsAll(ctl) && !ctl.isEmpty()) {
                        path = e.getValue();
                    }
                }
                if (!ctl.isEmpty()
                        && path != null
                        && v1.stream()
                                .noneMatch(
                                        h -> String.join(",", h.controllers()).equals(key))) {
                    v1.add(new Hierarchy(mount, ctl, under(mount, root, path)));
                }
            }
        }
        return new Hierarchies(v2, v1);
    }

    /** The v1 hierarchy that mounts {@code controller} (v2 name: io is blkio there), or null. */
    Hierarchy v1For(String controller) {
        String name = controller.equals("io") ? "blkio" : controller;
        for (Hierarchy h : v1) {
            if (h.controllers().contains(name)) {
                return h;
            }
        }
        return null;
    }

    private static Path under(Path mount, String root, String path) {
        String rel = path;
        if (!root.equals("/") && (path.equals(root) || path.startsWith(root + "/"))) {
            rel = path.substring(root.length());
        }
        rel = rel.startsWith("/") ? rel.substring(1) : rel;
        return rel.isEmpty() ? mount : mount.resolve(rel);
    }

    private static String unescape(String s) {
        return s.replace("\\040", " ")
                .replace("\\011", "\t")
                .replace("\\012", "\n")
                .replace("\\134", "\\");
    }

    private static List<String> lines(String file) {
        try {
            return Files.readAllLines(Path.of(file), StandardCharsets.UTF_8);
        } catch (IOException e) {
            return List.of();
        }
    }
}
