package dev.jsing.runner.host;

import java.util.List;
import java.util.function.Function;
import java.util.function.Predicate;

/**
 * The caller's subordinate uid and gid ranges ({@code /etc/subuid}, {@code /etc/subgid}), which {@code newuidmap} and
 * {@code newgidmap} map to ids 1.. of a fakeroot user namespace. One lookup, shared by builds ({@code
 * build.context.Privilege}) and container launches ({@code --fakeroot}).
 *
 * @param uidStart first host uid of the range
 * @param uidCount number of uids
 * @param gidStart first host gid of the range
 * @param gidCount number of gids
 */
public record SubordinateIds(long uidStart, long uidCount, long gidStart, long gidCount) {
    public static final String SUBUID = "/etc/subuid";
    public static final String SUBGID = "/etc/subgid";
    /** The helpers the starter runs (the only privileged programs jsing ever uses). */
    public static final List<String> HELPERS = List.of("/usr/bin/newuidmap", "/usr/bin/newgidmap");

    /**
     * What a lookup found: the ranges, or null and why there are none.
     *
     * @param ids the ranges, or null
     * @param missing why {@code ids} is null (for a warning), or null
     */
    public record Lookup(SubordinateIds ids, String missing) {}

    /**
     * Looks up the ranges of the user {@code name} (uid {@code uid}), reading the files with {@code readLines} (empty
     * when unreadable) and checking the helpers with {@code present}.
     */
    public static Lookup lookup(
            Function<String, List<String>> readLines, Predicate<String> present, String name, int uid) {
        for (String helper : HELPERS) {
            if (!present.test(helper)) {
                return new Lookup(null, "newuidmap/newgidmap are not installed");
            }
        }
        long[] u = range(readLines.apply(SUBUID), name, uid);
        long[] g = range(readLines.apply(SUBGID), name, uid);
        if (u == null || g == null) {
            return new Lookup(null, "no " + SUBUID + " and " + SUBGID + " ranges for " + (uid == 0 ? "root" : name));
        }
        return new Lookup(new SubordinateIds(u[0], u[1], g[0], g[1]), null);
    }

    /** The starter's {@code --subids} values: uid start, uid count, gid start, gid count. */
    public int[] toArray() {
        return new int[] {(int) uidStart, (int) uidCount, (int) gidStart, (int) gidCount};
    }

    /** The first {@code name:start:count} (or {@code uid:start:count}) line with count > 0, or null. */
    public static long[] range(List<String> lines, String name, int uid) {
        for (String line : lines) {
            String[] f = line.trim().split(":");
            if (f.length != 3 || !(f[0].trim().equals(name) || f[0].trim().equals(String.valueOf(uid)))) {
                continue;
            }
            try {
                long start = Long.parseLong(f[1].trim());
                long count = Long.parseLong(f[2].trim());
                if (count > 0) {
                    return new long[] {start, count};
                }
            } catch (NumberFormatException e) {
                // a malformed line of ours: newuidmap would refuse it too; a later valid line may follow
            }
        }
        return null;
    }
}
