package dev.jsing.runner.build.context;

import dev.jsing.runner.host.CallerIdentity;
import dev.jsing.runner.host.SubordinateIds;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Who the build runs as. As root, everything runs as plain root. As an ordinary user, build steps run as uid 0 of a
 * user namespace: with the user's {@code /etc/subuid} and {@code /etc/subgid} ranges mapped to ids 1.. (through
 * {@code newuidmap}/{@code newgidmap}) when there are any, so package managers can chown to their system users;
 * otherwise with only the user mapped to root. Root asking for {@code --fakeroot} builds the same way (as Apptainer's
 * fakeroot engine does for root): in a user namespace, with root's own ranges when it has any, so the build has no
 * privilege outside it.
 *
 * @param uid the caller's uid
 * @param gid the caller's gid
 * @param subids {uidStart, uidCount, gidStart, gidCount}, or null (real root, or no ranges)
 * @param userns whether build steps run in a user namespace (always for an ordinary user; root with --fakeroot)
 */
public record Privilege(int uid, int gid, int[] subids, boolean userns) {
    /** Whether the build runs as real root (not in a user namespace). */
    public boolean root() {
        return !userns;
    }

    /** Detects the caller and its subordinate ranges; {@code fakeroot} puts root in a user namespace too. */
    public static Privilege detect(boolean fakeroot) {
        CallerIdentity caller = CallerIdentity.current();
        int uid = caller.uid();
        int gid = caller.gid();
        if (uid == 0 && !fakeroot) {
            return new Privilege(0, gid, null, false);
        }
        SubordinateIds.Lookup found =
                SubordinateIds.lookup(Privilege::readLines, f -> Files.isExecutable(Path.of(f)), caller.user(), uid);
        return new Privilege(uid, gid, found.ids() == null ? null : found.ids().toArray(), true);
    }

    private static List<String> readLines(String file) {
        try {
            return Files.readAllLines(Path.of(file));
        } catch (IOException e) {
            return List.of();
        }
    }

    /** Why a single-id mapping is used, for the warning; null when subordinate ids are mapped. */
    public String limitation() {
        if (root() || subids != null) {
            return null;
        }
        boolean helpers = Files.isExecutable(Path.of("/usr/bin/newuidmap"));
        return (helpers
                        ? "no /etc/subuid and /etc/subgid ranges for " + (uid == 0 ? "root" : "this user")
                        : "newuidmap/newgidmap are not installed")
                + ": building with only your own id mapped to root; steps that change file ownership to other users"
                + " (apt-get's _apt sandbox, useradd, chown) will fail";
    }

    /** The first {@code name:start:count} (or {@code uid:start:count}) range with count > 0 in a subuid/subgid file, or null. */
    static long[] range(Path file, String name, int uid) {
        return SubordinateIds.range(readLines(file.toString()), name, uid);
    }

    /**
     * {@code argv} wrapped to run as (namespaced) root on the host: unchanged as root, else under util-linux
     * {@code unshare} with the same id mapping the starter uses. {@code newNamespaces} adds private mount and PID
     * namespaces (for debootstrap, which mounts /proc and binds /dev in the target).
     */
    public List<String> asRoot(List<String> argv, boolean newNamespaces) {
        List<String> out = new ArrayList<>();
        if (root()) {
            if (newNamespaces) {
                out.addAll(List.of("unshare", "--mount", "--pid", "--fork"));
            }
            out.addAll(argv);
            return out;
        }
        out.add("unshare");
        out.add("--map-root-user");
        if (subids != null) {
            out.add("--map-users=" + subids[0] + ",1," + subids[1]);
            out.add("--map-groups=" + subids[2] + ",1," + subids[3]);
        }
        if (newNamespaces) {
            out.addAll(List.of("--mount", "--pid", "--fork"));
        }
        out.addAll(argv);
        return out;
    }
}
