package dev.jsing.runner.launch;

import java.util.List;
import java.util.Set;

/** Whether the caller's working directory is bind-mounted at the same path (reference §3.5). */
public final class CwdRules {
    private static final Set<String> REFUSED =
            Set.of("/", "/etc", "/bin", "/mnt", "/usr", "/var", "/opt", "/sbin", "/lib", "/lib64");
    private static final List<String> REFUSED_TREES = List.of("/sys", "/proc", "/dev");

    private CwdRules() {}

    /**
     * Whether to bind {@code cwd}: not with {@code --contain} or {@code --no-mount cwd}, never a system directory, and
     * not when it is already visible through another mount at the same path ({@code visible}: destinations mounted
     * from the same host path).
     */
    public static boolean mountCwd(String cwd, boolean contain, boolean noMountCwd, List<String> visible) {
        if (contain || noMountCwd || cwd == null || !cwd.startsWith("/")) {
            return false;
        }
        if (REFUSED.contains(cwd)) {
            return false;
        }
        for (String t : REFUSED_TREES) {
            if (cwd.equals(t) || cwd.startsWith(t + "/")) {
                return false;
            }
        }
        for (String v : visible) {
            if (cwd.equals(v) || cwd.startsWith(v.endsWith("/") ? v : v + "/")) {
                return false;
            }
        }
        return true;
    }
}
