package dev.jsing.runner.host;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.StringTokenizer;

/**
 * Who called jsing, computed in one place for launches and builds: real uid and gid and supplementary groups from
 * {@code /proc/self/status} (no native call), and the passwd entry for the uid from {@code /etc/passwd} (login name,
 * gecos, home, shell), falling back to {@code $USER} and {@code $HOME} when the file has no entry.
 *
 * @param uid real uid
 * @param gid real gid
 * @param groups supplementary gids
 * @param user login name
 * @param gecos passwd gecos field
 * @param home home directory (passwd, else $HOME)
 * @param shell login shell
 */
public record CallerIdentity(
        int uid, int gid, List<Integer> groups, String user, String gecos, String home, String shell) {
    public CallerIdentity {
        groups = List.copyOf(groups);
    }

    /** The running process's caller. */
    public static CallerIdentity current() {
        return of(Path.of("/proc/self/status"), Path.of("/etc/passwd"), System.getenv());
    }

    /** The caller described by a {@code /proc/<pid>/status} file, a passwd file and an environment. */
    public static CallerIdentity of(Path status, Path passwd, Map<String, String> env) {
        int uid = -1;
        int gid = -1;
        List<Integer> groups = new ArrayList<>();
        try {
            for (String line : Files.readAllLines(status, StandardCharsets.UTF_8)) {
                if (line.startsWith("Uid:")) {
                    uid = firstInt(line.substring(4));
                } else if (line.startsWith("Gid:")) {
                    gid = firstInt(line.substring(4));
                } else if (line.startsWith("Groups:")) {
                    StringTokenizer t = new StringTokenizer(line.substring(7));
                    while (t.hasMoreTokens()) {
                        groups.add(Integer.parseInt(t.nextToken()));
                    }
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        String[] pw = passwdEntry(passwd, uid);
        String user = pw != null ? pw[0] : env.getOrDefault("USER", "user" + uid);
        String gecos = pw != null ? pw[4] : user;
        String home = pw != null ? pw[5] : env.getOrDefault("HOME", "/");
        String shell = pw != null ? pw[6] : "/bin/sh";
        return new CallerIdentity(uid, gid, groups, user, gecos, home, shell);
    }

    /** The fields of the first line of {@code passwdFile} for {@code uid}, or null (also when it cannot be read). */
    public static String[] passwdEntry(Path passwdFile, int uid) {
        String u = String.valueOf(uid);
        List<String> lines;
        try {
            lines = Files.readAllLines(passwdFile, StandardCharsets.UTF_8);
        } catch (IOException e) {
            return null;
        }
        for (String line : lines) {
            String[] f = line.split(":", -1);
            if (f.length >= 7 && f[2].equals(u)) {
                return f;
            }
        }
        return null;
    }

    private static int firstInt(String fields) {
        return Integer.parseInt(new StringTokenizer(fields).nextToken());
    }
}
