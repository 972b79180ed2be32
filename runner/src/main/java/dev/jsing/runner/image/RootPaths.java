package dev.jsing.runner.image;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Map;

/**
 * Resolves container paths in a root filesystem (a host directory, or a squashfs listing), following symlinks as if
 * the root were /, never leaving it.
 */
public final class RootPaths {
  /** A read-only view of a file tree: entry types and link targets by absolute container path. */
  public interface Tree {
    /** 'd' directory, '-' regular file, 'l' symlink, another char for other types, 0 when missing. */
    char type(String path);

    /** The target of the symlink at {@code path}. */
    String readlink(String path);
  }

  private RootPaths() {}

  /** A host directory as a tree. */
  public static Tree directory(Path root) {
    return new Tree() {
      @Override
      public char type(String path) {
        Path p = root.resolve(path.substring(1));
        if (Files.isSymbolicLink(p)) {
          return 'l';
        }
        if (Files.isDirectory(p, LinkOption.NOFOLLOW_LINKS)) {
          return 'd';
        }
        if (Files.isRegularFile(p, LinkOption.NOFOLLOW_LINKS)) {
          return '-';
        }
        return Files.exists(p, LinkOption.NOFOLLOW_LINKS) ? '?' : 0;
      }

      @Override
      public String readlink(String path) {
        try {
          return Files.readSymbolicLink(root.resolve(path.substring(1))).toString();
        } catch (IOException e) {
          return null;
        }
      }
    };
  }

  /** A listing ({@code path -> type}, {@code links: path -> target}) as a tree. */
  public static Tree listing(Map<String, Character> types, Map<String, String> links) {
    return new Tree() {
      @Override
      public char type(String path) {
        Character c = types.get(path);
        return c == null ? 0 : c;
      }

      @Override
      public String readlink(String path) {
        return links.get(path);
      }
    };
  }

  /** The resolved absolute container path of {@code path} (all symlinks followed), or null when missing. */
  public static String resolve(Tree tree, String path) {
    Deque<String> todo = new ArrayDeque<>();
    push(todo, path);
    StringBuilder cur = new StringBuilder();
    int hops = 0;
    while (!todo.isEmpty()) {
      String name = todo.pop();
      if (name.isEmpty() || name.equals(".")) {
        continue;
      }
      if (name.equals("..")) {
        int slash = cur.lastIndexOf("/");
        cur.setLength(Math.max(slash, 0));
        continue;
      }
      String next = cur + "/" + name;
      char t = tree.type(next);
      if (t == 'l') {
        String target = tree.readlink(next);
        if (target == null || ++hops > 40) {
          return null;
        }
        if (target.startsWith("/")) {
          cur.setLength(0);
        }
        push(todo, target);
      } else if (t != 0) {
        cur.append('/').append(name);
      } else {
        return null;
      }
    }
    return cur.length() == 0 ? "/" : cur.toString();
  }

  /** The host path of container path {@code path} in the root directory {@code root}, or null when missing. */
  public static Path resolve(Path root, String path) {
    String r = resolve(directory(root), path);
    return r == null ? null : (r.equals("/") ? root : root.resolve(r.substring(1)));
  }

  private static void push(Deque<String> todo, String path) {
    String[] parts = path.split("/");
    for (int i = parts.length - 1; i >= 0; i--) {
      todo.push(parts[i]);
    }
  }
}
