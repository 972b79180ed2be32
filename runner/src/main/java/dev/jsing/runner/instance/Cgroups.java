package dev.jsing.runner.instance;

import java.nio.file.Path;

/**
 * Where a process's cgroup files are: its line in {@code /proc/PID/cgroup} for the unified hierarchy ({@code 0::/x})
 * or a v1 controller ({@code 4:memory:/x}), joined to the mount point of that hierarchy from {@code mountinfo}. Pure
 * functions of the two files' text.
 */
final class Cgroups {
    private Cgroups() {}

    /**
     * The directory of the cgroup {@code procCgroup} names for {@code controller} ({@code null}: the unified v2
     * hierarchy), or null when the process is in none or the hierarchy is not mounted.
     */
    static Path dir(String procCgroup, String mountinfo, String controller) {
        String rel = null;
        for (String line : procCgroup.split("\n")) {
            String[] f = line.split(":", 3);
            if (f.length < 3) {
                continue;
            }
            if (controller == null ? f[0].equals("0") && f[1].isEmpty() : contains(f[1], controller)) {
                rel = f[2];
            }
        }
        if (rel == null) {
            return null;
        }
        for (String line : mountinfo.split("\n")) {
            // ID PARENT MAJ:MIN ROOT MOUNTPOINT OPTS [OPTIONAL...] - FSTYPE SOURCE SUPEROPTS
            String[] f = line.split(" ");
            int dash = java.util.Arrays.asList(f).indexOf("-");
            if (dash < 0 || dash + 3 >= f.length) {
                continue;
            }
            String type = f[dash + 1];
            boolean match = controller == null
                    ? type.equals("cgroup2")
                    : type.equals("cgroup") && contains(f[dash + 3], controller);
            if (!match) {
                continue;
            }
            String root = unescape(f[3]);
            String mnt = unescape(f[4]);
            if (!(rel.equals(root) || root.equals("/") || rel.startsWith(root + "/"))) {
                continue; // the process's cgroup is not below this mount's root
            }
            String below = root.equals("/") ? rel : rel.substring(root.length());
            return Path.of(mnt, below.isEmpty() ? "." : below.substring(below.startsWith("/") ? 1 : 0))
                    .normalize();
        }
        return null;
    }

    private static boolean contains(String list, String item) {
        for (String s : list.split(",")) {
            if (s.equals(item)) {
                return true;
            }
        }
        return false;
    }

    private static String unescape(String s) {
        return s.replace("\\040", " ")
                .replace("\\011", "\t")
                .replace("\\012", "\n")
                .replace("\\134", "\\");
    }
}
