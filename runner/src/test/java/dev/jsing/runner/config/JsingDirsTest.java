package dev.jsing.runner.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.jsing.runner.error.ExitCodes;
import dev.jsing.runner.error.JsingException;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Tests for {@link JsingDirs}: variable, then configuration, then the default. */
class JsingDirsTest {
    private static JsingConfig config(String tmp, String cache) {
        JsingConfig d = JsingConfig.defaults();
        return new JsingConfig(
                d.bindPaths(),
                d.allowUserBinds(),
                d.userBindPrefixes(),
                d.squashfuse(),
                d.unsquashfs(),
                tmp,
                cache,
                d.noMount(),
                d.sessiondirMaxMb(),
                d.deniedNamespaces(),
                d.deniedImages(),
                d.notices(),
                d.origins(),
                null);
    }

    @Test
    void cacheDirPrecedence(@TempDir Path t) {
        JsingConfig c = config("", "/site/cache");
        assertEquals(Path.of("/env/cache"), JsingDirs.cacheDir(Map.of("JSING_CACHEDIR", "/env/cache"), c, "/home/a"));
        assertEquals(Path.of("/site/cache"), JsingDirs.cacheDir(Map.of(), c, "/home/a"));
        assertEquals(Path.of("/home/a/.jsing/cache"), JsingDirs.cacheDir(Map.of(), config("", ""), "/home/a"));
        assertNull(JsingDirs.cacheDir(Map.of(), config("", ""), ""));
    }

    @Test
    void tmpDirPrecedenceAndCheck(@TempDir Path t) throws Exception {
        Path a = java.nio.file.Files.createDirectory(t.resolve("a"));
        Path b = java.nio.file.Files.createDirectory(t.resolve("b"));
        Path c = java.nio.file.Files.createDirectory(t.resolve("c"));
        assertEquals(
                a,
                JsingDirs.tmpDir(
                        Map.of("JSING_TMPDIR", a.toString(), "TMPDIR", c.toString()), config(b.toString(), "")));
        assertEquals(b, JsingDirs.tmpDir(Map.of("TMPDIR", c.toString()), config(b.toString(), "")));
        assertEquals(c, JsingDirs.tmpDir(Map.of("TMPDIR", c.toString()), config("", "")));
        assertEquals(Path.of("/tmp"), JsingDirs.tmpDir(Map.of(), config("", "")));
        JsingException e = assertThrows(
                JsingException.class,
                () -> JsingDirs.tmpDir(
                        Map.of("JSING_TMPDIR", t.resolve("missing").toString()), config("", "")));
        assertEquals(ExitCodes.CANT_CREATE, e.exitCode());
    }
}
