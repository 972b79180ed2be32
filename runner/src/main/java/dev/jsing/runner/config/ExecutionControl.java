package dev.jsing.runner.config;

import java.util.List;

/**
 * The site's execution control list (Apptainer's ECL): which SIF images {@code exec}, {@code run}, {@code shell} and
 * {@code test} may start, by the directory an image lies in and the OpenPGP keys that signed it. Only the site file
 * sets it. Checked by {@code trust.ExecutionCheck} before anything is mounted.
 *
 * @param activated whether the rules apply at all
 * @param legacyInsecure accept legacy signatures (of the primary partition's data only) instead of current ones
 * @param keyring the OpenPGP public keyring signatures are verified with ("" = {@code <site dir>/global-pgp-public})
 * @param groups the execution groups: an image is checked by the group of its directory, else by the group without
 *     a directory; an image in neither is refused
 */
public record ExecutionControl(boolean activated, boolean legacyInsecure, String keyring, List<Group> groups) {
    /** The modes, as Apptainer names them. */
    public static final List<String> MODES = List.of("whitelist", "whitestrict", "blacklist");

    public ExecutionControl {
        groups = List.copyOf(groups);
    }

    /**
     * One execution group.
     *
     * @param name a label for messages
     * @param mode {@code whitelist} (signed by at least one of the keys), {@code whitestrict} (signed by all of them)
     *     or {@code blacklist} (validly signed, and by none of them)
     * @param dir the directory (absolute, symlinks resolved) whose images it governs; "" for every other directory
     * @param fingerprints the keys' fingerprints, 40 upper-case hex digits
     */
    public record Group(String name, String mode, String dir, List<String> fingerprints) {
        public Group {
            fingerprints = List.copyOf(fingerprints);
        }
    }

    /** The group that governs an image in {@code dir} (its real parent directory), or null. */
    public Group groupFor(String dir) {
        for (Group g : groups) {
            if (g.dir().equals(dir)) {
                return g;
            }
        }
        for (Group g : groups) {
            if (g.dir().isEmpty()) {
                return g;
            }
        }
        return null;
    }
}
