package dev.jsing.oci;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RootedPathsTest {
  @TempDir Path tmp;
  Path root;
  Path outside;

  @BeforeEach
  void setUp() throws IOException {
    root = Files.createDirectories(tmp.resolve("root")).toRealPath();
    outside = Files.createDirectories(tmp.resolve("outside")).toRealPath();
    Files.createDirectories(root.resolve("etc"));
    Files.createDirectories(root.resolve("usr/lib"));
    Files.writeString(root.resolve("etc/real"), "in root\n");
  }

  private RootedPaths.Resolved resolve(String p) throws IOException {
    return RootedPaths.resolve(root, p, "test");
  }

  @Test
  void plainPathsAndMissingComponents() throws IOException {
    assertEquals(new RootedPaths.Resolved(root.resolve("usr/lib"), List.of()), resolve("/usr/lib/"));
    RootedPaths.Resolved r = resolve("usr/lib/a/b");
    assertEquals(root.resolve("usr/lib"), r.existing());
    assertEquals(List.of("a", "b"), r.missing());
    assertFalse(r.exists());
    assertEquals(root.resolve("usr/lib/a/b"), r.path());
    assertEquals(root.resolve("usr/lib/a"), r.parent());
    assertEquals(root.resolve("usr"), resolve("/usr/new/../").path());
    assertEquals(root.resolve("etc/real"), resolve("/etc/real").path());
  }

  @Test
  void absoluteSymlinksRestartAtTheRoot() throws IOException {
    // the host path the link names exists, but it must be looked up inside the root
    Files.createSymbolicLink(root.resolve("etc/opt"), outside);
    Files.createSymbolicLink(root.resolve("etc/lib"), Path.of("/usr/lib"));
    Files.createSymbolicLink(root.resolve("etc/file"), Path.of("/etc/real"));
    assertEquals(root.resolve("usr/lib/x"), resolve("/etc/lib/x").path());
    RootedPaths.Resolved r = resolve("/etc/opt/x/file");
    assertTrue(r.path().startsWith(root), r.toString());
    assertEquals(root.resolve(outside.toString().substring(1)).resolve("x/file"), r.path());
    assertEquals(new RootedPaths.Resolved(root.resolve("etc/real"), List.of()), resolve("/etc/file"));
  }

  @Test
  void relativeSymlinksStayInside() throws IOException {
    Files.createSymbolicLink(root.resolve("etc/up"), Path.of("../usr/lib"));
    Files.createSymbolicLink(root.resolve("usr/lib/chain"), Path.of("../../etc/up"));
    assertEquals(root.resolve("usr/lib/y"), resolve("/etc/up/y").path());
    assertEquals(root.resolve("usr/lib"), resolve("/usr/lib/chain").path());
  }

  @Test
  void dotDotAtTheRootThroughASymlinkIsRefused() throws IOException {
    Files.createSymbolicLink(root.resolve("etc/escape"), Path.of("../../outside"));
    OciException e = assertThrows(OciException.class, () -> resolve("/etc/escape/x"));
    assertEquals(OciException.Kind.UNSAFE_PATH, e.kind());
  }

  @Test
  void symlinkLoopsHitTheHopLimit() throws IOException {
    Files.createSymbolicLink(root.resolve("a"), Path.of("/b"));
    Files.createSymbolicLink(root.resolve("b"), Path.of("a"));
    OciException e = assertThrows(OciException.class, () -> resolve("/a/x"));
    assertEquals(OciException.Kind.UNSAFE_PATH, e.kind());
    assertTrue(e.getMessage().contains("too many symlinks"), e.getMessage());
    // a chain of exactly MAX_SYMLINK_HOPS links still resolves
    Path prev = root.resolve("usr/lib");
    for (int i = 0; i < RootedPaths.MAX_SYMLINK_HOPS; i++) {
      Path l = root.resolve("l" + i);
      Files.createSymbolicLink(l, Path.of("/" + root.relativize(prev)));
      prev = l;
    }
    assertEquals(root.resolve("usr/lib"), resolve("/" + root.relativize(prev)).path());
    Files.createSymbolicLink(root.resolve("one-more"), Path.of("/" + root.relativize(prev)));
    assertThrows(OciException.class, () -> resolve("/one-more"));
  }

  @Test
  void aFileInTheMiddleIsNotADirectory() {
    OciException e = assertThrows(OciException.class, () -> resolve("/etc/real/x"));
    assertEquals(OciException.Kind.BAD_IMAGE, e.kind());
  }

  @Test
  void danglingLinksResolveToTheirInRootTarget() throws IOException {
    Files.createSymbolicLink(root.resolve("etc/shadowlink"), outside.resolve("shadow"));
    RootedPaths.Resolved r = resolve("/etc/shadowlink");
    assertFalse(r.exists());
    assertTrue(r.path().startsWith(root), r.toString());
    assertEquals(root.resolve(outside.toString().substring(1)).resolve("shadow"), r.path());
  }

  @Test
  void resolveParentKeepsTheFinalLink() throws IOException {
    Files.createSymbolicLink(root.resolve("etc/lib"), Path.of("/usr/lib"));
    Files.createSymbolicLink(root.resolve("usr/lib/secret"), outside.resolve("secret"));
    RootedPaths.Resolved r = RootedPaths.resolveParent(root, "/etc/lib/secret", "test");
    assertEquals(new RootedPaths.Resolved(root.resolve("usr/lib/secret"), List.of()), r);
    assertTrue(Files.isSymbolicLink(r.path()));
    RootedPaths.Resolved m = RootedPaths.resolveParent(root, "/etc/lib/none", "test");
    assertEquals(List.of("none"), m.missing());
    assertEquals(root.resolve("usr/lib"), m.existing());
  }
}
