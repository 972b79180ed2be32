package dev.jsing.common.fs;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Deque;
import java.util.List;

/**
 * The one resolver of container paths inside a root (an image's rootfs on the host, or a listing of a squashfs), with
 * the kernel's chroot semantics: every component is looked up without following symlinks, and a symlink found on the
 * way is followed inside the root: an absolute target restarts at the root, a relative one continues from the link's
 * directory, and {@code ..} at the root stays at the root ({@link AboveRoot#STAY}), so the result never leaves it.
 * More than {@link #MAX_SYMLINK_HOPS} symlinks fail ({@link RootedPathException.Reason#TOO_MANY_SYMLINKS}, the
 * kernel's {@code ELOOP}).
 *
 * <p>Writers that fill a root from untrusted content (layers, {@code %files}) use {@link AboveRoot#REFUSE}: the same
 * walk, but a {@code ..} that would climb above the root fails ({@link RootedPathException.Reason#ABOVE_ROOT})
 * instead of staying, since such an image is broken or hostile and copying into it should not guess.
 *
 * <p>Not atomic: the caller must be the only one changing the root while it uses the result (true during a build and
 * while applying layers).
 */
public final class RootedPath {
    /** The most symlinks followed while resolving one path (Linux's limit). */
    public static final int MAX_SYMLINK_HOPS = 40;

    /** What a {@code ..} at the root does. */
    public enum AboveRoot {
        /** Stays at the root, as in a chroot. */
        STAY,
        /** Fails with {@link RootedPathException.Reason#ABOVE_ROOT}. */
        REFUSE
    }

    /** What to do with a missing component. */
    public enum Missing {
        /** Create it as a directory and go on (needs a tree that can {@link Tree#mkdir}). */
        CREATE,
        /** Fail ({@link RootedPathException.Reason#NO_SUCH_DIRECTORY}). */
        FAIL,
        /** Stop resolving there: it and the components after it are returned as missing. */
        COLLECT
    }

    /** An entry's type, the final component not followed. */
    public enum Type {
        DIRECTORY,
        FILE,
        SYMLINK,
        OTHER
    }

    /** A file tree addressed by absolute container paths ({@code "/"} is the root, no trailing slash). */
    public interface Tree {
        /** The type of the entry at {@code path} (a symlink is {@link Type#SYMLINK}), or null when there is none. */
        Type type(String path) throws IOException;

        /** The target of the symlink at {@code path}. */
        String readlink(String path) throws IOException;

        /** Creates the directory {@code path} (its parent exists). */
        default void mkdir(String path) throws IOException {
            throw new UnsupportedOperationException("read-only tree");
        }
    }

    /**
     * A path resolved in a {@link Tree}.
     *
     * @param existing the resolved container path of the deepest existing component
     * @param missing the plain names after it that do not exist (empty when the whole path exists)
     */
    public record Location(String existing, List<String> missing) {
        public Location {
            missing = List.copyOf(missing);
        }

        /** Whether the whole path exists. */
        public boolean exists() {
            return missing.isEmpty();
        }
    }

    /**
     * A path resolved inside a host directory.
     *
     * @param existing the real host path (under the root) of the deepest existing component: a directory, or the final
     *     component itself when that is not a directory
     * @param missing the components after {@code existing} that do not exist yet (plain names: no symlink, {@code .} or
     *     {@code ..}); empty when the whole path exists
     */
    public record Resolved(Path existing, List<String> missing) {
        public Resolved {
            missing = List.copyOf(missing);
        }

        /** Whether the whole path exists. */
        public boolean exists() {
            return missing.isEmpty();
        }

        /** The full host path: {@link #existing()} with the missing components appended. */
        public Path path() {
            Path p = existing;
            for (String m : missing) {
                p = p.resolve(m);
            }
            return p;
        }

        /** The directory that will hold the final component: {@link #path()}'s parent. */
        public Path parent() {
            return path().getParent();
        }
    }

    private RootedPath() {}

    // ---- host directories ----

    /** The host directory {@code root} as a tree (it must be a real path for {@link Resolved}'s contract). */
    public static Tree directory(Path root) {
        return new Tree() {
            @Override
            public Type type(String path) throws IOException {
                BasicFileAttributes a;
                try {
                    a = Files.readAttributes(host(root, path), BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
                } catch (NoSuchFileException absent) {
                    return null;
                }
                return a.isSymbolicLink()
                        ? Type.SYMLINK
                        : a.isDirectory() ? Type.DIRECTORY : a.isRegularFile() ? Type.FILE : Type.OTHER;
            }

            @Override
            public String readlink(String path) throws IOException {
                return Files.readSymbolicLink(host(root, path)).toString();
            }

            @Override
            public void mkdir(String path) throws IOException {
                Files.createDirectory(host(root, path));
            }
        };
    }

    /**
     * Resolves {@code path} (absolute or relative, both taken from the root) inside {@code root}, following every
     * symlink on the way, the final component's included, as a process chrooted to {@code root} would. Nothing is
     * created. A non-directory followed by more components, too many symlinks, and (with {@link AboveRoot#REFUSE}) a
     * climb above the root throw {@link RootedPathException}.
     *
     * @param root the root directory (it must exist; symlinks in its own path are resolved first)
     * @param path the path as seen inside the root
     * @param what names the caller in error messages
     */
    public static Resolved resolve(Path root, String path, AboveRoot aboveRoot, String what) throws IOException {
        Path real = root.toRealPath();
        return onHost(real, walk(directory(real), split(path), Missing.COLLECT, aboveRoot, path, what));
    }

    /**
     * Like {@link #resolve} but the final component is not followed when it is a symlink: the result names the link
     * itself (its parent resolved inside the root). For copying a link as a link.
     */
    public static Resolved resolveParent(Path root, String path, AboveRoot aboveRoot, String what) throws IOException {
        List<String> parts = new ArrayList<>();
        for (String c : path.split("/")) {
            if (!c.isEmpty() && !c.equals(".")) {
                parts.add(c);
            }
        }
        Path realRoot = root.toRealPath();
        Tree tree = directory(realRoot);
        if (parts.isEmpty()) {
            return new Resolved(realRoot, List.of());
        }
        String last = parts.get(parts.size() - 1);
        if (last.equals("..")) {
            return onHost(realRoot, walk(tree, parts, Missing.COLLECT, aboveRoot, path, what));
        }
        Location dir = walk(tree, parts.subList(0, parts.size() - 1), Missing.COLLECT, aboveRoot, path, what);
        if (dir.exists() && tree.type(dir.existing()) != Type.DIRECTORY) {
            throw notADirectory(path, what);
        }
        List<String> missing = new ArrayList<>(dir.missing());
        String child = child(dir.existing(), last);
        if (!missing.isEmpty() || tree.type(child) == null) {
            missing.add(last);
            return onHost(realRoot, new Location(dir.existing(), missing));
        }
        return new Resolved(host(realRoot, child), List.of());
    }

    /**
     * Walks the directory path {@code parts} from {@code root} (a real path), creating missing directories with
     * {@link Missing#CREATE} or failing with {@link Missing#FAIL}; every component must end up a directory. Returns the
     * real host directory.
     */
    public static Path directoryPath(
            Path root, List<String> parts, Missing onMissing, AboveRoot aboveRoot, String name, String what)
            throws IOException {
        return onHost(root, walk(directory(root), parts, onMissing, aboveRoot, name, what))
                .existing();
    }

    /**
     * The host path of container path {@code path} in the root directory {@code root}, all symlinks followed with
     * chroot semantics; null when it does not resolve to an existing entry (missing, a file in the middle, a loop).
     */
    public static Path find(Path root, String path) {
        String r = find(directory(root), path);
        return r == null ? null : host(root, r);
    }

    /** The resolved container path of {@code path} in {@code tree}, or null (as {@link #find(Path, String)}). */
    public static String find(Tree tree, String path) {
        try {
            Location l = walk(tree, split(path), Missing.COLLECT, AboveRoot.STAY, path, "resolve");
            return l.exists() ? l.existing() : null;
        } catch (IOException | UncheckedIOException e) {
            return null;
        }
    }

    // ---- the walk ----

    /**
     * Walks {@code parts} from the root of {@code tree}. With {@link Missing#CREATE} or {@link Missing#FAIL} every
     * component must end up a directory (parent directories); with {@link Missing#COLLECT} the final one may be a file.
     *
     * @param name the path as the caller knows it, for messages
     * @param what names the caller in error messages
     */
    public static Location walk(
            Tree tree, List<String> parts, Missing onMissing, AboveRoot aboveRoot, String name, String what)
            throws IOException {
        Deque<String> todo = new ArrayDeque<>(parts);
        String cur = "/";
        List<String> missing = new ArrayList<>();
        int hops = 0;
        while (!todo.isEmpty()) {
            String c = todo.pollFirst();
            if (c.isEmpty() || c.equals(".")) {
                continue;
            }
            if (c.equals("..")) {
                if (!missing.isEmpty()) {
                    // a directory that will be created: its parent is where we were
                    missing.remove(missing.size() - 1);
                    continue;
                }
                if (cur.equals("/")) {
                    if (aboveRoot == AboveRoot.REFUSE) {
                        throw new RootedPathException(
                                RootedPathException.Reason.ABOVE_ROOT,
                                what + ": '" + name + "' resolves outside the root through a symlink");
                    }
                    continue;
                }
                cur = parent(cur);
                continue;
            }
            if (c.indexOf('\0') >= 0) {
                throw new RootedPathException(
                        RootedPathException.Reason.NUL_IN_PATH, what + ": NUL in path '" + name + "'");
            }
            if (!missing.isEmpty()) {
                missing.add(c);
                continue;
            }
            String next = child(cur, c);
            Type t = tree.type(next);
            if (t == null) {
                switch (onMissing) {
                    case CREATE -> {
                        tree.mkdir(next);
                        cur = next;
                    }
                    case FAIL ->
                        throw new RootedPathException(
                                RootedPathException.Reason.NO_SUCH_DIRECTORY,
                                what + ": '" + name + "': no such directory in root");
                    default -> missing.add(c);
                }
                continue;
            }
            if (t == Type.SYMLINK) {
                if (++hops > MAX_SYMLINK_HOPS) {
                    throw new RootedPathException(
                            RootedPathException.Reason.TOO_MANY_SYMLINKS,
                            what + ": too many symlinks resolving '" + name + "'");
                }
                String target = tree.readlink(next);
                List<String> tp = split(target);
                for (int k = tp.size() - 1; k >= 0; k--) {
                    todo.addFirst(tp.get(k));
                }
                if (target.startsWith("/")) {
                    cur = "/";
                }
                continue;
            }
            if (t != Type.DIRECTORY && (onMissing != Missing.COLLECT || !onlyTrivial(todo))) {
                throw notADirectory(name, what);
            }
            cur = next;
        }
        return new Location(cur, missing);
    }

    private static RootedPathException notADirectory(String name, String what) {
        return new RootedPathException(
                RootedPathException.Reason.NOT_A_DIRECTORY,
                what + ": '" + name + "': a parent component is not a directory");
    }

    private static boolean onlyTrivial(Deque<String> todo) {
        for (String c : todo) {
            if (!c.isEmpty() && !c.equals(".")) {
                return false;
            }
        }
        return true;
    }

    private static List<String> split(String path) {
        return Arrays.asList(path.split("/"));
    }

    private static String child(String dir, String name) {
        return dir.equals("/") ? "/" + name : dir + "/" + name;
    }

    private static String parent(String path) {
        int slash = path.lastIndexOf('/');
        return slash <= 0 ? "/" : path.substring(0, slash);
    }

    private static Path host(Path root, String path) {
        return path.equals("/") ? root : root.resolve(path.substring(1));
    }

    private static Resolved onHost(Path root, Location l) {
        return new Resolved(host(root, l.existing()), l.missing());
    }
}
