package dev.jsing.runner.launch;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * What jsing knows about its caller: environment, identity (from {@code /proc/self/status}, so no native call),
 * passwd entry, working directory.
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
    Map<String, String> env = System.getenv();
    int uid = -1;
    int gid = -1;
    List<Integer> groups = new ArrayList<>();
    try {
      for (String line : Files.readAllLines(Path.of("/proc/self/status"), StandardCharsets.UTF_8)) {
        if (line.startsWith("Uid:")) {
          uid = firstInt(line.substring(4));
        } else if (line.startsWith("Gid:")) {
          gid = firstInt(line.substring(4));
        } else if (line.startsWith("Groups:")) {
          java.util.StringTokenizer t = new java.util.StringTokenizer(line.substring(7));
          while (t.hasMoreTokens()) {
            groups.add(Integer.parseInt(t.nextToken()));
          }
        }
      }
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
    String[] pw = PasswdFiles.lookupUid(Path.of("/etc/passwd"), uid);
    String user = pw != null ? pw[0] : env.getOrDefault("USER", "user" + uid);
    String gecos = pw != null ? pw[4] : user;
    String home = pw != null ? pw[5] : env.getOrDefault("HOME", "/");
    String shell = pw != null ? pw[6] : "/bin/sh";
    String cwd = System.getProperty("user.dir");
    return new HostContext(env, uid, gid, groups, user, gecos, home, shell, cwd);
  }

  private static int firstInt(String fields) {
    return Integer.parseInt(new java.util.StringTokenizer(fields).nextToken());
  }
}
