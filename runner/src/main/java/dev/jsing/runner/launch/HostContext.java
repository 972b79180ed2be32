package dev.jsing.runner.launch;

import dev.jsing.runner.host.CallerIdentity;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * What jsing knows about its caller: environment, identity ({@link CallerIdentity}), working directory.
 *
 * @param env the caller's environment
 * @param uid real uid
 * @param gid real gid
 * @param groups supplementary gids
 * @param user login name
 * @param gecos passwd gecos field
 * @param home home directory (passwd, else $HOME)
 * @param shell login shell
 * @param cwd working directory
 */
public record HostContext(
        Map<String, String> env,
        int uid,
        int gid,
        List<Integer> groups,
        String user,
        String gecos,
        String home,
        String shell,
        String cwd) {
    public HostContext {
        env = env instanceof RecordingEnv ? env : Map.copyOf(env); // a recording view is read-only already
        groups = List.copyOf(groups);
    }

    /** The running process's context. */
    public static HostContext current() {
        return current(System.getenv());
    }

    /** The running process's context, with its environment {@code env} (a {@link RecordingEnv} for launches). */
    public static HostContext current(Map<String, String> env) {
        CallerIdentity id = CallerIdentity.of(Path.of("/proc/self/status"), Path.of("/etc/passwd"), env);
        return new HostContext(
                env,
                id.uid(),
                id.gid(),
                id.groups(),
                id.user(),
                id.gecos(),
                id.home(),
                id.shell(),
                System.getProperty("user.dir"));
    }

    /** This context with another environment. */
    HostContext withEnv(Map<String, String> other) {
        return new HostContext(other, uid, gid, groups, user, gecos, home, shell, cwd);
    }
}
