package dev.jsing.oci;

import java.io.IOException;
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
 * Resolves paths inside a root directory (an image's rootfs) with chroot semantics, on the host: every component is
 * looked up without following symlinks, and a symlink found on the way is followed only inside the root. An absolute
 * target restarts at the root (as it would inside the container), a relative one continues from the link's directory,
 * and a {@code ..} that would climb above the root is refused ({@link OciException.Kind#UNSAFE_PATH}), as are more
 * than {@link #MAX_SYMLINK_HOPS} symlinks. The result is a real host path under the root that the host's own tools
 * ({@code mkdir}, {@code cp}) may then use without being led outside it by a symlink in the image.
 *
 * <p>Not atomic: the caller must be the only one changing the root while it uses the result (true during a build and
 * while applying layers).
 */
public final class RootedPaths {
  /** The most symlinks followed while resolving one path (Linux's limit). */
  public static final int MAX_SYMLINK_HOPS = 40;

  /** What to do with a missing component. */
  enum Missing {
    /** Create it as a directory and go on. */
    CREATE,
    /** Fail ({@link OciException.Kind#BAD_IMAGE}). */
    FAIL,
    /** Stop resolving there: it and the components after it are returned in {@link Resolved#missing()}. */
    COLLECT
  }

  /**
   * A path resolved inside a root.
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

  private RootedPaths() {}

  /**
   * Resolves {@code path} (absolute or relative, both taken from the root) inside {@code root}, following every
   * symlink on the way, the final component's included, as a process chrooted to {@code root} would. Nothing is
   * created. A non-directory followed by more components, a symlink climbing above the root, or too many symlinks
   * throw {@link OciException} ({@link OciException.Kind#UNSAFE_PATH} for the escapes).
   *
   * @param root the root directory (it must exist; symlinks in its own path are resolved first)
   * @param path the path as seen inside the root
   * @param what names the caller in error messages
   */
  public static Resolved resolve(Path root, String path, String what) throws IOException {
    return walk(root.toRealPath(), Arrays.asList(path.split("/")), Missing.COLLECT, path, what);
  }

  /**
   * Like {@link #resolve} but the final component is not followed when it is a symlink: the result names the link
   * itself (its parent resolved inside the root). For copying a link as a link.
   */
  public static Resolved resolveParent(Path root, String path, String what) throws IOException {
    List<String> parts = new ArrayList<>();
    for (String c : path.split("/")) {
      if (!c.isEmpty() && !c.equals(".")) {
        parts.add(c);
      }
    }
    Path realRoot = root.toRealPath();
    if (parts.isEmpty()) {
      return new Resolved(realRoot, List.of());
    }
    String last = parts.get(parts.size() - 1);
    if (last.equals("..")) {
      return walk(realRoot, parts, Missing.COLLECT, path, what);
    }
    Resolved dir = walk(realRoot, parts.subList(0, parts.size() - 1), Missing.COLLECT, path, what);
    if (dir.exists() && !Files.isDirectory(dir.existing(), LinkOption.NOFOLLOW_LINKS)) {
      throw new OciException(
          OciException.Kind.BAD_IMAGE, what + ": '" + path + "': a parent component is not a directory");
    }
    List<String> missing = new ArrayList<>(dir.missing());
    if (!missing.isEmpty() || !Files.exists(dir.existing().resolve(last), LinkOption.NOFOLLOW_LINKS)) {
      missing.add(last);
      return new Resolved(dir.existing(), missing);
    }
    return new Resolved(dir.existing().resolve(last), List.of());
  }

  /**
   * Walks {@code parts} from {@code root} (already a real path). With {@link Missing#CREATE} or {@link Missing#FAIL}
   * every component must end up a directory (the layer applier's parent directories); with {@link Missing#COLLECT}
   * the final one may be a file.
   */
  static Resolved walk(Path root, List<String> parts, Missing onMissing, String name, String what) throws IOException {
    Deque<String> todo = new ArrayDeque<>(parts);
    Path cur = root;
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
        if (cur.equals(root)) {
          throw new OciException(
              OciException.Kind.UNSAFE_PATH, what + ": '" + name + "' resolves outside the root through a symlink");
        }
        cur = cur.getParent();
        continue;
      }
      if (c.indexOf('\0') >= 0) {
        throw new OciException(OciException.Kind.UNSAFE_PATH, what + ": NUL in path '" + name + "'");
      }
      if (!missing.isEmpty()) {
        missing.add(c);
        continue;
      }
      Path next = cur.resolve(c);
      BasicFileAttributes a;
      try {
        a = Files.readAttributes(next, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
      } catch (NoSuchFileException absent) {
        switch (onMissing) {
          case CREATE -> {
            Files.createDirectory(next);
            cur = next;
          }
          case FAIL -> throw new OciException(
              OciException.Kind.BAD_IMAGE, what + ": '" + name + "': no such directory in root");
          default -> missing.add(c);
        }
        continue;
      }
      if (a.isSymbolicLink()) {
        if (++hops > MAX_SYMLINK_HOPS) {
          throw new OciException(OciException.Kind.UNSAFE_PATH, what + ": too many symlinks resolving '" + name + "'");
        }
        String target = Files.readSymbolicLink(next).toString();
        List<String> t = List.of(target.split("/"));
        for (int k = t.size() - 1; k >= 0; k--) {
          todo.addFirst(t.get(k));
        }
        if (target.startsWith("/")) {
          cur = root;
        }
        continue;
      }
      if (!a.isDirectory() && (onMissing != Missing.COLLECT || !onlyTrivial(todo))) {
        throw new OciException(
            OciException.Kind.BAD_IMAGE, what + ": '" + name + "': a parent component is not a directory");
      }
      cur = next;
    }
    return new Resolved(cur, missing);
  }

  private static boolean onlyTrivial(Deque<String> todo) {
    return todo.stream().allMatch(c -> c.isEmpty() || c.equals("."));
  }
}
