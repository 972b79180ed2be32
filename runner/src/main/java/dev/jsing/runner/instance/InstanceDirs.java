package dev.jsing.runner.instance;

import dev.jsing.runner.error.ExitCodes;
import dev.jsing.runner.error.JsingException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Map;

/**
 * Where a user's instances are recorded: {@code $XDG_RUNTIME_DIR/jsing/instances/HOST} when that runtime directory is
 * the caller's own (a tmpfs that the login session removes), else {@code ~/.jsing/instances/HOST}. Keyed by host
 * because a home directory is shared by the nodes of a cluster and an instance lives on one. Mode 0700: another
 * user's instances are out of reach.
 */
public final class InstanceDirs {
    private InstanceDirs() {}

    /** The directory of this user's instances on this host (not created). */
    public static Path hostDir(Map<String, String> env, String home, int uid) {
        return base(env, home, uid).resolve(hostName());
    }

    static Path base(Map<String, String> env, String home, int uid) {
        String xdg = env.get("XDG_RUNTIME_DIR");
        if (xdg != null && xdg.startsWith("/")) {
            Path x = Path.of(xdg);
            try {
                if (Files.isDirectory(x, LinkOption.NOFOLLOW_LINKS)
                        && ((Integer) Files.getAttribute(x, "unix:uid", LinkOption.NOFOLLOW_LINKS)) == uid
                        && Files.isWritable(x)) {
                    return x.resolve("jsing").resolve("instances");
                }
            } catch (IOException | UnsupportedOperationException e) {
                // not usable: the home directory then
            }
        }
        return Path.of(home).resolve(".jsing").resolve("instances");
    }

    /** Creates {@code dir} (and its parents) private to the caller, refusing one that is not ours or a symlink. */
    static Path create(Path dir, int uid) {
        try {
            Files.createDirectories(
                    dir, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
            if (Files.isSymbolicLink(dir)
                    || ((Integer) Files.getAttribute(dir, "unix:uid", LinkOption.NOFOLLOW_LINKS)) != uid) {
                throw new JsingException(ExitCodes.INSTANCE, "instance: " + dir + " is not a directory of yours");
            }
            Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwx------"));
            return dir;
        } catch (IOException e) {
            throw new JsingException(ExitCodes.CANT_CREATE, "instance: cannot create " + dir + ": " + e.getMessage());
        }
    }

    /** This host's name, as {@code /proc/sys/kernel/hostname} (what {@code hostname} prints). */
    static String hostName() {
        try {
            return Files.readString(Path.of("/proc/sys/kernel/hostname")).trim();
        } catch (IOException e) {
            return "localhost";
        }
    }
}
