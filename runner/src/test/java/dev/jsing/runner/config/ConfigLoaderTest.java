package dev.jsing.runner.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jsing.runner.error.ExitCodes;
import dev.jsing.runner.error.JsingException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The configuration layers, with the site directory injected: the host's /etc/jsing is never read. */
class ConfigLoaderTest {
    @TempDir
    Path dir;

    private Path siteDir() throws Exception {
        return Files.createDirectories(dir.resolve("etc-jsing"));
    }

    /** Writes the site file, {@code <siteDir>/jsing.yaml}. */
    private Path site(String yaml) throws Exception {
        Path f = siteDir().resolve("jsing.yaml");
        Files.writeString(f, yaml);
        return f;
    }

    /** Writes a file for {@code $JSING_CONFIG}. */
    private Path envFile(String yaml) throws Exception {
        Path f = dir.resolve("env.yaml");
        Files.writeString(f, yaml);
        return f;
    }

    private void user(String yaml) throws Exception {
        Files.createDirectories(dir.resolve("home/.jsing"));
        Files.writeString(dir.resolve("home/.jsing/config.yaml"), yaml);
    }

    private JsingConfig load() throws Exception {
        return ConfigLoader.load(siteDir(), Map.of(), dir.resolve("home").toString());
    }

    private JsingConfig load(Path jsingConfig) throws Exception {
        return ConfigLoader.load(
                siteDir(),
                Map.of("JSING_CONFIG", jsingConfig.toString()),
                dir.resolve("home").toString());
    }

    @Test
    void defaultsWhenNoFiles() throws Exception {
        JsingConfig c =
                ConfigLoader.load(siteDir(), Map.of(), dir.resolve("nohome").toString());
        assertTrue(c.allowUserBinds());
        assertEquals(List.of(), c.bindPaths());
        assertEquals(List.of("squashfuse_ll", "squashfuse"), c.squashfuse());
        for (String k : JsingConfig.KEYS) {
            assertEquals("default", c.origins().get(k), k);
        }
    }

    @Test
    void siteFileComesFromTheSiteDirectory() throws Exception {
        Path s = site("tmp-dir: /var/tmp\n");
        JsingConfig c = load();
        assertEquals("/var/tmp", c.tmpDir());
        assertEquals("site " + s + ":1", c.origins().get("tmp-dir"));
        assertEquals(Path.of("/etc/jsing/jsing.yaml"), ConfigLoader.siteFile());
    }

    @Test
    void siteThenUserWithOrigins() throws Exception {
        Path s = site("bind-paths: [/opt/site]\nuser-bind-prefixes: [/scratch, /home]\ntmp-dir: /var/tmp\n");
        user("user-bind-prefixes: [/scratch/me]\nsquashfuse: /nowhere/squashfuse\n");
        JsingConfig c = load();
        assertEquals(List.of("/opt/site"), c.bindPaths());
        assertEquals(List.of("/scratch/me"), c.userBindPrefixes());
        assertEquals(List.of("/nowhere/squashfuse"), c.squashfuse());
        assertEquals("/var/tmp", c.tmpDir());
        assertEquals("site " + s + ":3", c.origins().get("tmp-dir"));
        assertEquals(
                "user " + dir.resolve("home/.jsing/config.yaml") + ":2",
                c.origins().get("squashfuse"));
        assertTrue(c.bindAllowed("/scratch/me/x"));
        assertFalse(c.bindAllowed("/scratch/other"));
    }

    @Test
    void userCannotWidenTheSite() throws Exception {
        Path s = site("allow-user-binds: false\n");
        user("allow-user-binds: true\n");
        JsingException e = assertThrows(JsingException.class, this::load);
        assertEquals(ExitCodes.BAD_CONFIG, e.exitCode());
        assertEquals(
                dir.resolve("home/.jsing/config.yaml")
                        + ":1: allow-user-binds: the site configuration disallows user binds",
                e.getMessage());

        site("user-bind-prefixes: [/scratch]\n");
        user("user-bind-prefixes: [/]\n");
        assertTrue(assertThrows(JsingException.class, this::load).getMessage().contains("outside the site"));

        // bind-paths in a user file are user binds: the site's prefixes apply to them.
        user("bind-paths: [/etc/shadow]\n");
        e = assertThrows(JsingException.class, this::load);
        assertEquals(
                dir.resolve("home/.jsing/config.yaml")
                        + ":1: bind-paths: '/etc/shadow' is not allowed by the bind policy"
                        + " (allowed prefixes: [/scratch])",
                e.getMessage());
        user("bind-paths: ['/scratch/a:/a:ro,/srv\\:x:/b']\n");
        assertTrue(assertThrows(JsingException.class, this::load).getMessage().contains("'/srv:x' is not allowed"));
        user("bind-paths: ['/scratch/a:/a:ro']\n");
        assertEquals(List.of("/scratch/a:/a:ro"), load().bindPaths());
        assertTrue(s.toString().endsWith("jsing.yaml"));
    }

    @Test
    void jsingConfigIsAUserLayerOverTheSiteFile() throws Exception {
        site("bind-paths: [/opt/site]\nuser-bind-prefixes: [/scratch]\ntmp-dir: /var/tmp\n");
        Path env = envFile("tmp-dir: /local/tmp\nbind-paths: [/scratch/data]\n");
        JsingConfig c = load(env);
        assertEquals(List.of("/opt/site", "/scratch/data"), c.bindPaths(), "the site's binds stay");
        assertEquals(List.of("/scratch"), c.userBindPrefixes(), "the site's policy stays");
        assertEquals("/local/tmp", c.tmpDir());
        assertEquals("user " + env + ":1", c.origins().get("tmp-dir"));

        // It may narrow the site's policy...
        envFile("user-bind-prefixes: [/scratch/me]\n");
        assertEquals(List.of("/scratch/me"), load(env).userBindPrefixes());
        envFile("allow-user-binds: false\n");
        assertFalse(load(env).allowUserBinds());
        // ...and the user file cannot widen what it narrowed.
        user("allow-user-binds: true\n");
        assertEquals(
                ExitCodes.BAD_CONFIG,
                assertThrows(JsingException.class, () -> load(env)).exitCode());
        Files.delete(dir.resolve("home/.jsing/config.yaml"));

        // It cannot widen it.
        envFile("user-bind-prefixes: [/]\n");
        assertTrue(assertThrows(JsingException.class, () -> load(env))
                .getMessage()
                .startsWith(env + ":1: user-bind-prefixes: '/' is outside the site's [/scratch]"));
        envFile("bind-paths: [/home/other]\n");
        assertTrue(assertThrows(JsingException.class, () -> load(env))
                .getMessage()
                .startsWith(env + ":1: bind-paths: '/home/other' is not allowed"));
        site("allow-user-binds: false\n");
        envFile("allow-user-binds: true\n");
        assertEquals(
                ExitCodes.BAD_CONFIG,
                assertThrows(JsingException.class, () -> load(env)).exitCode());
    }

    @Test
    void unknownKeysAndBadValuesNameFileAndLine() throws Exception {
        Path s = envFile("tmp-dir: /tmp\nnonsense: 1\n");
        JsingException e = assertThrows(JsingException.class, () -> load(s));
        assertEquals(ExitCodes.BAD_CONFIG, e.exitCode());
        assertEquals(s + ":2: unknown key 'nonsense' (known: " + JsingConfig.KEYS + ")", e.getMessage());
        Path s2 = site("\nallow-user-binds: maybe\n");
        assertTrue(assertThrows(JsingException.class, this::load).getMessage().startsWith(s2 + ":2: allow-user-binds"));
        site("tmp-dir: [unclosed\n");
        assertEquals(
                ExitCodes.BAD_CONFIG,
                assertThrows(JsingException.class, this::load).exitCode());
        site("tmp-dir: relative\n");
        assertTrue(assertThrows(JsingException.class, this::load).getMessage().contains("not an absolute path"));
    }

    @Test
    void missingJsingConfigFileIsAnError() {
        JsingException e = assertThrows(JsingException.class, () -> load(dir.resolve("missing.yaml")));
        assertEquals(ExitCodes.BAD_CONFIG, e.exitCode());
        assertEquals(dir.resolve("missing.yaml") + ": configuration file (JSING_CONFIG) not found", e.getMessage());
    }

    @Test
    void executionControl() throws Exception {
        site("execution-control:\n"
                + "  activated: true\n"
                + "  legacy-insecure: false\n"
                + "  keyring: /etc/jsing/keys.pub\n"
                + "  groups:\n"
                + "    - name: trusted\n"
                + "      mode: whitestrict\n"
                + "      dir: /srv/images\n"
                + "      fingerprints: [12045c8c0b1004d058de4beda20c27ee7ff7ba84]\n"
                + "    - mode: blacklist\n"
                + "      fingerprints: []\n");
        JsingConfig c = load();
        assertTrue(c.executionControlActive());
        ExecutionControl e = c.executionControl();
        assertEquals("/etc/jsing/keys.pub", e.keyring());
        assertEquals("trusted", e.groupFor("/srv/images").name());
        assertEquals(
                List.of("12045C8C0B1004D058DE4BEDA20C27EE7FF7BA84"),
                e.groupFor("/srv/images").fingerprints());
        assertEquals("blacklist", e.groupFor("/elsewhere").mode());
        assertTrue(c.display("execution-control").startsWith("activated; trusted: whitestrict /srv/images"));
    }

    @Test
    void executionControlIsSiteOnly() throws Exception {
        user("execution-control:\n  activated: false\n");
        JsingException e = assertThrows(JsingException.class, this::load);
        assertEquals(ExitCodes.BAD_CONFIG, e.exitCode());
        assertTrue(e.getMessage().contains("only the site configuration can set it"), e.getMessage());
    }

    @Test
    void executionControlErrors() throws Exception {
        String[][] cases = {
            {"  activated: true\n", "activated with no groups"},
            {"  groups:\n    - mode: greylist\n      fingerprints: [x]\n", "is not one of"},
            {"  groups:\n    - mode: whitelist\n      fingerprints: [ABCD]\n", "40-digit hex"},
            {"  groups:\n    - mode: whitelist\n", "needs fingerprints"},
            {"  groups:\n    - mode: blacklist\n    - mode: blacklist\n", "only one execution group may omit dir"},
            {"  groups:\n    - mode: blacklist\n      dir: /a/../b\n", "not a normalized path"},
            {"  enabled: true\n", "unknown key 'enabled'"},
        };
        for (String[] c : cases) {
            site("execution-control:\n" + c[0]);
            JsingException e = assertThrows(JsingException.class, this::load, c[0]);
            assertEquals(ExitCodes.BAD_CONFIG, e.exitCode());
            assertTrue(e.getMessage().contains(c[1]), c[0] + " -> " + e.getMessage());
        }
    }
}
