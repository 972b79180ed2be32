package dev.jsing.runner.config;

import java.util.List;
import java.util.Map;

/**
 * jsing's effective configuration: built-in defaults, then the site file, then the user file (which may narrow but
 * never widen the site's bind policy). {@code origins} names where each key's value came from.
 *
 * @param bindPaths binds applied to every container ({@code src[:dst[:ro|rw]]}, as {@code -B})
 * @param allowUserBinds whether {@code -B}/{@code --mount}/{@code JSING_BIND} are allowed at all
 * @param userBindPrefixes host path prefixes user bind sources must lie under (empty: anywhere)
 * @param squashfuse squashfuse_ll/squashfuse program (absolute path, or a name looked up in PATH; "" to disable FUSE)
 * @param unsquashfs unsquashfs program
 * @param tmpDir directory for temporary sandboxes ("" = $JSING_TMPDIR, $TMPDIR or /tmp)
 * @param cacheDir cache directory ("" = $JSING_CACHEDIR or ~/.jsing/cache)
 * @param noMount default mounts a site turns off, as {@code --no-mount} names them ({@code home}, {@code tmp},
 *     {@code proc}, {@code sys}, {@code /etc/resolv.conf}, ...); from {@code no-mount} or apptainer.conf's {@code mount
 *     ...}/{@code config ...} keys
 * @param sessiondirMaxMb the size of {@code --writable-tmpfs}'s layer, MiB (apptainer.conf's {@code sessiondir max
 *     size})
 * @param deniedNamespaces namespaces a site does not allow ({@code pid}, {@code ipc}, {@code uts}: apptainer.conf's
 *     {@code allow pid ns = no}, ...): requests for them are dropped with a warning, as Apptainer does
 * @param deniedImages image kinds a site does not allow ({@code sif}, {@code squashfs}, {@code dir}: apptainer.conf's
 *     {@code allow container sif = no}, ...): such images are refused
 * @param notices settings read and not applied (apptainer.conf keys jsing does not support), for {@code --debug}
 * @param executionControl the site's execution control list, or null when the site sets none
 */
public record JsingConfig(
        List<String> bindPaths,
        boolean allowUserBinds,
        List<String> userBindPrefixes,
        List<String> squashfuse,
        String unsquashfs,
        String tmpDir,
        String cacheDir,
        List<String> noMount,
        int sessiondirMaxMb,
        List<String> deniedNamespaces,
        List<String> deniedImages,
        List<String> notices,
        Map<String, String> origins,
        ExecutionControl executionControl) {

    /** The configuration keys, in the order {@code config show} prints them. */
    public static final List<String> KEYS = List.of(
            "bind-paths",
            "allow-user-binds",
            "user-bind-prefixes",
            "squashfuse",
            "unsquashfs",
            "tmp-dir",
            "cache-dir",
            "no-mount",
            "sessiondir-max-size",
            "denied-namespaces",
            "denied-images",
            "execution-control");

    /** Apptainer's default {@code sessiondir max size}, MiB. */
    public static final int DEFAULT_SESSIONDIR_MB = 64;

    public JsingConfig {
        bindPaths = List.copyOf(bindPaths);
        userBindPrefixes = List.copyOf(userBindPrefixes);
        squashfuse = List.copyOf(squashfuse);
        noMount = List.copyOf(noMount);
        deniedNamespaces = List.copyOf(deniedNamespaces);
        deniedImages = List.copyOf(deniedImages);
        notices = List.copyOf(notices);
        origins = Map.copyOf(origins);
    }

    /** Built-in defaults: no extra binds, user binds anywhere, squashfuse_ll then squashfuse from PATH. */
    public static JsingConfig defaults() {
        Map<String, String> o = new java.util.HashMap<>();
        for (String k : KEYS) {
            o.put(k, "default");
        }
        return new JsingConfig(
                List.of(),
                true,
                List.of(),
                List.of("squashfuse_ll", "squashfuse"),
                "unsquashfs",
                "",
                "",
                List.of(),
                DEFAULT_SESSIONDIR_MB,
                List.of(),
                List.of(),
                List.of(),
                o,
                null);
    }

    /** Whether the site's execution control list is in force. */
    public boolean executionControlActive() {
        return executionControl != null && executionControl.activated();
    }

    /** Whether a host path may be the source of a user bind under this policy. */
    public boolean bindAllowed(String hostPath) {
        if (!allowUserBinds) {
            return false;
        }
        if (userBindPrefixes.isEmpty()) {
            return true;
        }
        for (String p : userBindPrefixes) {
            if (under(hostPath, p)) {
                return true;
            }
        }
        return false;
    }

    static boolean under(String path, String prefix) {
        String p = prefix.endsWith("/") && prefix.length() > 1 ? prefix.substring(0, prefix.length() - 1) : prefix;
        return p.equals("/") || path.equals(p) || path.startsWith(p + "/");
    }

    /** The value of a key as {@code config show} prints it. */
    public String display(String key) {
        switch (key) {
            case "bind-paths":
                return String.valueOf(bindPaths);
            case "allow-user-binds":
                return String.valueOf(allowUserBinds);
            case "user-bind-prefixes":
                return String.valueOf(userBindPrefixes);
            case "squashfuse":
                return String.valueOf(squashfuse);
            case "unsquashfs":
                return unsquashfs;
            case "tmp-dir":
                return tmpDir.isEmpty() ? "(unset: $JSING_TMPDIR, $TMPDIR or /tmp)" : tmpDir;
            case "cache-dir":
                return cacheDir.isEmpty() ? "(unset: $JSING_CACHEDIR or ~/.jsing/cache)" : cacheDir;
            case "no-mount":
                return String.valueOf(noMount);
            case "sessiondir-max-size":
                return sessiondirMaxMb + " MiB";
            case "denied-namespaces":
                return String.valueOf(deniedNamespaces);
            case "denied-images":
                return String.valueOf(deniedImages);
            case "execution-control":
                if (executionControl == null || !executionControl.activated()) {
                    return "(not activated)";
                }
                StringBuilder b = new StringBuilder("activated");
                if (executionControl.legacyInsecure()) {
                    b.append(", legacy-insecure");
                }
                for (ExecutionControl.Group g : executionControl.groups()) {
                    b.append("; ")
                            .append(g.name())
                            .append(": ")
                            .append(g.mode())
                            .append(' ')
                            .append(g.dir().isEmpty() ? "(any other directory)" : g.dir())
                            .append(' ')
                            .append(g.fingerprints());
                }
                return b.toString();
            default:
                throw new IllegalArgumentException(key);
        }
    }
}
