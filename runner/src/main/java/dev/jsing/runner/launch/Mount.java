package dev.jsing.runner.launch;

/**
 * One mount of a launch plan, in the starter's vocabulary ({@code runner/src/main/c/README.md}).
 *
 * @param type what kind of mount
 * @param source host path (BIND, FILE, DEVICE), {@code host|new} (PROC), {@code host|minimal} (DEV); for GENERATED the file
 *     name in the session directory
 * @param destination container path
 * @param readOnly for BIND
 * @param sizeMb for TMPFS
 * @param content for GENERATED: the file's text
 */
public record Mount(Type type, String source, String destination, boolean readOnly, int sizeMb, String content) {
    /** Mount kinds. */
    public enum Type {
        PROC,
        SYS,
        DEV,
        BIND,
        FILE,
        GENERATED,
        TMPFS,
        /** A host device node (or a directory of nodes, {@code /dev/dri}) bound without {@code nodev}. */
        DEVICE
    }

    public static Mount proc(boolean newProc) {
        return new Mount(Type.PROC, newProc ? "new" : "host", "/proc", false, 0, null);
    }

    public static Mount sys() {
        return new Mount(Type.SYS, "host", "/sys", false, 0, null);
    }

    public static Mount dev(boolean minimal) {
        return new Mount(Type.DEV, minimal ? "minimal" : "host", "/dev", false, 0, null);
    }

    public static Mount bind(String source, String destination, boolean readOnly) {
        return new Mount(Type.BIND, source, destination, readOnly, 0, null);
    }

    /** A host file bound over a container file. */
    public static Mount file(String source, String destination) {
        return new Mount(Type.FILE, source, destination, false, 0, null);
    }

    /** A file jsing generates (passwd, group), written to the session directory and bound over {@code destination}. */
    public static Mount generated(String name, String destination, String content) {
        return new Mount(Type.GENERATED, name, destination, false, 0, content);
    }

    /** A host device node or directory of nodes bound at {@code destination}, usable (no {@code nodev}). */
    public static Mount device(String source, String destination) {
        return new Mount(Type.DEVICE, source, destination, false, 0, null);
    }

    public static Mount tmpfs(String destination, int sizeMb) {
        return new Mount(Type.TMPFS, null, destination, false, sizeMb, null);
    }
}
