package dev.jsing.runner.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jsing.runner.error.JsingException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Tests for {@link ApptainerConf}: a site's apptainer.conf read for what jsing supports, below jsing.yaml. */
class ApptainerConfTest {
    @TempDir
    Path tmp;

    private JsingConfig read(String text) throws IOException {
        Path f = tmp.resolve("apptainer.conf");
        Files.writeString(f, text);
        return ApptainerConf.apply(JsingConfig.defaults(), f);
    }

    @Test
    void apptainersDefaultFileChangesNothingButItsBinds() throws IOException {
        JsingConfig c = read("# default\nbind path = /etc/localtime\nbind path = /etc/hosts\nmount home = yes\n"
                + "mount tmp = yes\nuser bind control = yes\nsessiondir max size = 64\nallow pid ns = yes\n");
        assertEquals(List.of(), c.bindPaths(), "jsing binds /etc/localtime and /etc/hosts itself");
        assertTrue(c.allowUserBinds());
        assertEquals(List.of(), c.noMount());
        assertEquals(64, c.sessiondirMaxMb());
        assertEquals(List.of(), c.deniedNamespaces());
        assertEquals(List.of(), c.notices());
    }

    @Test
    void supportedDirectivesMapToJsingSettings() throws IOException {
        JsingConfig c = read("bind path = /scratch\nbind path  =  /opt/data:/data\nUser Bind Control = no\n"
                + "mount home = no\nmount tmp = no\nmount proc = no\nmount sys = no\nmount dev = no\n"
                + "config passwd = no\nconfig group = no\nconfig resolv_conf = no\nsessiondir max size = 256\n"
                + "allow pid ns = no\nallow ipc ns = no\nallow uts ns = no\n"
                + "allow container squashfs = no\nallow container dir = no\n");
        assertEquals(List.of("/scratch", "/opt/data:/data"), c.bindPaths());
        assertFalse(c.allowUserBinds());
        assertEquals(
                List.of("home", "tmp", "proc", "sys", "dev", "/etc/passwd", "/etc/group", "/etc/resolv.conf"),
                c.noMount());
        assertEquals(256, c.sessiondirMaxMb());
        assertEquals(List.of("pid", "ipc", "uts"), c.deniedNamespaces());
        assertEquals(List.of("squashfs", "dir"), c.deniedImages());
        assertTrue(
                c.origins().get("allow-user-binds").endsWith("apptainer.conf:3"),
                c.origins().toString());
    }

    @Test
    void unsupportedDirectivesAreNoticesNotErrors() throws IOException {
        JsingConfig c = read("max loop devices = 256\nmount hostfs = no\nmount dev = minimal\nmount hostfs = yes\n");
        assertEquals(3, c.notices().size(), c.notices().toString());
        assertTrue(c.notices().get(0).endsWith(":1: 'max loop devices' is not supported by jsing; ignored"));
    }

    @Test
    void badValuesOfSupportedDirectivesNameFileAndLine() {
        JsingException e = assertThrows(JsingException.class, () -> read("\nmount home = maybe\n"));
        assertEquals(72, e.exitCode());
        assertTrue(
                e.getMessage().endsWith("apptainer.conf:2: 'mount home = maybe': the value must be one of yes, no"),
                e.getMessage());
        assertThrows(JsingException.class, () -> read("sessiondir max size = lots\n"));
        assertThrows(JsingException.class, () -> read("no equals sign here\n"));
    }

    @Test
    void itIsTheLowestSiteLayerBelowJsingYaml() throws IOException {
        Path conf = tmp.resolve("apptainer.conf");
        Files.writeString(conf, "user bind control = no\nmount tmp = no\n");
        Path site = Files.createDirectories(tmp.resolve("site"));
        JsingConfig only = ConfigLoader.load(site, List.of(tmp.resolve("absent.conf"), conf), Map.of(), null);
        assertFalse(only.allowUserBinds());
        Files.writeString(site.resolve("jsing.yaml"), "allow-user-binds: true\n");
        JsingConfig both = ConfigLoader.load(site, List.of(conf), Map.of(), null);
        assertTrue(both.allowUserBinds(), "jsing.yaml wins");
        assertEquals(List.of("tmp"), both.noMount());
        Path user = Files.createDirectories(tmp.resolve("home/.jsing"));
        Files.writeString(user.resolve("config.yaml"), "allow-user-binds: true\n");
        JsingException e = assertThrows(
                JsingException.class,
                () -> ConfigLoader.load(
                        site.resolveSibling("nosite"),
                        List.of(conf),
                        Map.of(),
                        tmp.resolve("home").toString()));
        assertTrue(e.getMessage().contains("disallows user binds"), "a user file cannot widen apptainer.conf");
    }
}
