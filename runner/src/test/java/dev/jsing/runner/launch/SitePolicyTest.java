package dev.jsing.runner.launch;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jsing.runner.config.ApptainerConf;
import dev.jsing.runner.config.JsingConfig;
import dev.jsing.runner.error.JsingException;
import dev.jsing.runner.image.ContainerImage;
import dev.jsing.runner.image.ImageKind;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Tests for {@link SitePolicy}: denied namespaces are dropped with a warning, denied image kinds refused. */
class SitePolicyTest {
    @TempDir
    Path tmp;

    private JsingConfig conf(String text) throws IOException {
        Path f = tmp.resolve("apptainer.conf");
        Files.writeString(f, text);
        return ApptainerConf.apply(JsingConfig.defaults(), f);
    }

    @Test
    void deniedNamespacesAreDroppedAndEverythingElseKept() throws IOException {
        LaunchRequest req = LaunchRequest.builder("exec", "img")
                .args(java.util.List.of("true"))
                .pid(true)
                .ipc(true)
                .hostname("h")
                .bind("/a")
                .cwd("/w")
                .build();
        StringWriter err = new StringWriter();
        LaunchRequest out =
                SitePolicy.namespaces(req, conf("allow pid ns = no\nallow uts ns = no\n"), new PrintWriter(err));
        assertFalse(out.pid());
        assertTrue(out.ipc());
        assertNull(out.hostname());
        assertEquals(req.binds(), out.binds());
        assertEquals("/w", out.cwd());
        assertEquals(req.args(), out.args());
        assertTrue(
                err.toString().startsWith("jsing: warning: the site configuration does not allow --pid, --hostname"),
                err.toString());
        assertSame(req, SitePolicy.namespaces(req, JsingConfig.defaults(), new PrintWriter(err)));
    }

    @Test
    void deniedImageKindsAreRefused() throws IOException {
        JsingConfig c = conf("allow container dir = no\n");
        ContainerImage dir = new ContainerImage(tmp, ImageKind.SANDBOX, 0, 0, null);
        JsingException e = assertThrows(JsingException.class, () -> SitePolicy.checkImage(dir, c));
        assertEquals(72, e.exitCode());
        SitePolicy.checkImage(new ContainerImage(tmp.resolve("x.sif"), ImageKind.SIF, 0, 0, null), c);
    }
}
