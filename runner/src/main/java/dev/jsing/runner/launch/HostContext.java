package dev.jsing.runner.launch;

import dev.jsing.runner.host.CallerIdentity;
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
        env = Map.copyOf(env);
        groups = List.copyOf(groups);
    }

    /** The running process's context. */
    public static HostContext current() {
        CallerIdentity id = CallerIdentity.current();
        return new HostContext(
                System.getenv(),
                id.uid(),
                id.gid(),
                id.groups(),
                id.user(),
                id.gecos(),
                id.home(),
                id.shell(),
                System.getProperty("user.dir"));
    }
}
