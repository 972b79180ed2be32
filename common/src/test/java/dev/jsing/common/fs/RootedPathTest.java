package dev.jsing.common.fs;

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

class RootedPathTest {
    @TempDir
    Path tmp;

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

    private RootedPath.Resolved resolve(String p) throws IOException {
        return RootedPath.resolve(root, p, RootedPath.AboveRoot.REFUSE, "test");
    }

    @Test
    void plainPathsAndMissingComponents() throws IOException {
        assertEquals(new RootedPath.Resolved(root.resolve("usr/lib"), List.of()), resolve("/usr/lib/"));
        RootedPath.Resolved r = resolve("usr/lib/a/b");
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
        RootedPath.Resolved r = resolve("/etc/opt/x/file");
        assertTrue(r.path().startsWith(root), r.toString());
        assertEquals(root.resolve(outside.toString().substring(1)).resolve("x/file"), r.path());
        assertEquals(new RootedPath.Resolved(root.resolve("etc/real"), List.of()), resolve("/etc/file"));
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
        RootedPathException e = assertThrows(RootedPathException.class, () -> resolve("/etc/escape/x"));
        assertEquals(RootedPathException.Reason.ABOVE_ROOT, e.reason());
    }

    @Test
    void symlinkLoopsHitTheHopLimit() throws IOException {
        Files.createSymbolicLink(root.resolve("a"), Path.of("/b"));
        Files.createSymbolicLink(root.resolve("b"), Path.of("a"));
        RootedPathException e = assertThrows(RootedPathException.class, () -> resolve("/a/x"));
        assertEquals(RootedPathException.Reason.TOO_MANY_SYMLINKS, e.reason());
        assertTrue(e.getMessage().contains("too many symlinks"), e.getMessage());
        // a chain of exactly MAX_SYMLINK_HOPS links still resolves
        Path prev = root.resolve("usr/lib");
        for (int i = 0; i < RootedPath.MAX_SYMLINK_HOPS; i++) {
            Path l = root.resolve("l" + i);
            Files.createSymbolicLink(l, Path.of("/" + root.relativize(prev)));
            prev = l;
        }
        assertEquals(
                root.resolve("usr/lib"), resolve("/" + root.relativize(prev)).path());
        Files.createSymbolicLink(root.resolve("one-more"), Path.of("/" + root.relativize(prev)));
        assertThrows(RootedPathException.class, () -> resolve("/one-more"));
    }

    @Test
    void aFileInTheMiddleIsNotADirectory() {
        RootedPathException e = assertThrows(RootedPathException.class, () -> resolve("/etc/real/x"));
        assertEquals(RootedPathException.Reason.NOT_A_DIRECTORY, e.reason());
    }

    @Test
    void danglingLinksResolveToTheirInRootTarget() throws IOException {
        Files.createSymbolicLink(root.resolve("etc/shadowlink"), outside.resolve("shadow"));
        RootedPath.Resolved r = resolve("/etc/shadowlink");
        assertFalse(r.exists());
        assertTrue(r.path().startsWith(root), r.toString());
        assertEquals(root.resolve(outside.toString().substring(1)).resolve("shadow"), r.path());
    }

    @Test
    void resolveParentKeepsTheFinalLink() throws IOException {
        Files.createSymbolicLink(root.resolve("etc/lib"), Path.of("/usr/lib"));
        Files.createSymbolicLink(root.resolve("usr/lib/secret"), outside.resolve("secret"));
        RootedPath.Resolved r = RootedPath.resolveParent(root, "/etc/lib/secret", RootedPath.AboveRoot.REFUSE, "test");
        assertEquals(new RootedPath.Resolved(root.resolve("usr/lib/secret"), List.of()), r);
        assertTrue(Files.isSymbolicLink(r.path()));
        RootedPath.Resolved m = RootedPath.resolveParent(root, "/etc/lib/none", RootedPath.AboveRoot.REFUSE, "test");
        assertEquals(List.of("none"), m.missing());
        assertEquals(root.resolve("usr/lib"), m.existing());
    }

    // ---- chroot semantics (AboveRoot.STAY), as the kernel resolves paths in a chroot ----

    private RootedPath.Resolved chroot(String p) throws IOException {
        return RootedPath.resolve(root, p, RootedPath.AboveRoot.STAY, "test");
    }

    @Test
    void dotDotAtTheRootStaysAtTheRoot() throws IOException {
        assertEquals(root, chroot("/..").path());
        assertEquals(
                root.resolve("etc/real"), chroot("/../../etc/../../etc/real").path());
        assertEquals(root.resolve("usr"), chroot("usr/lib/../../../usr").path());
    }

    @Test
    void symlinksPointingOutsideTheRootStayInside() throws IOException {
        Files.writeString(outside.resolve("secret"), "host\n");
        // relative, climbing above the root: the climb stops at the root
        Files.createSymbolicLink(root.resolve("etc/escape"), Path.of("../../../../outside/secret"));
        RootedPath.Resolved r = chroot("/etc/escape");
        assertEquals(root.resolve("outside/secret"), r.path());
        assertFalse(r.exists());
        Files.createDirectories(root.resolve("outside"));
        Files.writeString(root.resolve("outside/secret"), "image\n");
        assertEquals(new RootedPath.Resolved(root.resolve("outside/secret"), List.of()), chroot("/etc/escape"));
        // absolute, naming the host's real path: looked up inside the root
        Files.createSymbolicLink(root.resolve("etc/abs"), outside.resolve("secret"));
        assertTrue(chroot("/etc/abs").path().startsWith(root));
        assertEquals(
                root.resolve(outside.toString().substring(1)).resolve("secret"),
                chroot("/etc/abs").path());
        // the find view: the image's file, never the host's
        assertEquals(root.resolve("outside/secret"), RootedPath.find(root, "/etc/escape"));
        assertEquals("image\n", Files.readString(RootedPath.find(root, "/etc/escape")));
        assertEquals(null, RootedPath.find(root, "/etc/abs"));
    }

    @Test
    void relativeAndAbsoluteLinksInTheMiddle() throws IOException {
        Files.createDirectories(root.resolve("opt/app/bin"));
        Files.writeString(root.resolve("opt/app/bin/tool"), "x");
        Files.createSymbolicLink(root.resolve("usr/lib/app"), Path.of("../../opt/app"));
        Files.createSymbolicLink(root.resolve("etc/app"), Path.of("/usr/lib/app/bin"));
        assertEquals(root.resolve("opt/app/bin/tool"), RootedPath.find(root, "/etc/app/tool"));
        assertEquals(root.resolve("opt/app"), RootedPath.find(root, "/etc/app/.."));
        assertEquals(root.resolve("opt/app/bin/tool"), RootedPath.find(root, "etc/./app//tool/"));
    }

    @Test
    void symlinkLoopsAreAClearError() throws IOException {
        Files.createSymbolicLink(root.resolve("loop"), Path.of("loop"));
        RootedPathException e = assertThrows(RootedPathException.class, () -> chroot("/loop"));
        assertEquals(RootedPathException.Reason.TOO_MANY_SYMLINKS, e.reason());
        assertEquals("test: too many symlinks resolving '/loop'", e.getMessage());
        assertEquals(null, RootedPath.find(root, "/loop/x"));
    }

    @Test
    void missingComponents() throws IOException {
        RootedPath.Resolved r = chroot("/usr/share/doc/x");
        assertEquals(root.resolve("usr"), r.existing());
        assertEquals(List.of("share", "doc", "x"), r.missing());
        assertEquals(null, RootedPath.find(root, "/usr/share"));
        assertEquals(null, RootedPath.find(root, "/etc/real/x"));
        RootedPathException e = assertThrows(
                RootedPathException.class,
                () -> RootedPath.directoryPath(
                        root,
                        List.of("usr", "share"),
                        RootedPath.Missing.FAIL,
                        RootedPath.AboveRoot.REFUSE,
                        "usr/share/x",
                        "layer"));
        assertEquals(RootedPathException.Reason.NO_SUCH_DIRECTORY, e.reason());
        assertEquals("layer: 'usr/share/x': no such directory in root", e.getMessage());
    }

    @Test
    void createMakesDirectoriesOnTheResolvedPath() throws IOException {
        Files.createSymbolicLink(root.resolve("lib"), Path.of("usr/lib"));
        Path d = RootedPath.directoryPath(
                root,
                List.of("lib", "x", "y"),
                RootedPath.Missing.CREATE,
                RootedPath.AboveRoot.REFUSE,
                "lib/x/y/f",
                "layer");
        assertEquals(root.resolve("usr/lib/x/y"), d);
        assertTrue(Files.isDirectory(d));
        assertTrue(Files.isSymbolicLink(root.resolve("lib")));
    }

    @Test
    void nulIsRefused() {
        RootedPathException e = assertThrows(RootedPathException.class, () -> chroot("/etc/a\0b"));
        assertEquals(RootedPathException.Reason.NUL_IN_PATH, e.reason());
    }

    @Test
    void anyTreeResolvesTheSameWay() {
        java.util.Map<String, RootedPath.Type> types = new java.util.HashMap<>();
        java.util.Map<String, String> links = new java.util.HashMap<>();
        types.put("/etc", RootedPath.Type.DIRECTORY);
        types.put("/etc/passwd", RootedPath.Type.SYMLINK);
        links.put("/etc/passwd", "../../../data/passwd");
        types.put("/data", RootedPath.Type.DIRECTORY);
        types.put("/data/passwd", RootedPath.Type.FILE);
        RootedPath.Tree tree = new RootedPath.Tree() {
            @Override
            public RootedPath.Type type(String path) {
                return types.get(path);
            }

            @Override
            public String readlink(String path) {
                return links.get(path);
            }
        };
        assertEquals("/data/passwd", RootedPath.find(tree, "/etc/passwd"));
        assertEquals("/", RootedPath.find(tree, "/etc/.."));
        assertEquals(null, RootedPath.find(tree, "/etc/group"));
    }
}
