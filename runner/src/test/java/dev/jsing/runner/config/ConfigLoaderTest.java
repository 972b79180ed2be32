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

class ConfigLoaderTest {
  @TempDir Path dir;

  private Path site(String yaml) throws Exception {
    Path f = dir.resolve("site.yaml");
    Files.writeString(f, yaml);
    return f;
  }

  private void user(String yaml) throws Exception {
    Files.createDirectories(dir.resolve("home/.jsing"));
    Files.writeString(dir.resolve("home/.jsing/config.yaml"), yaml);
  }

  private JsingConfig load(Path site) {
    return ConfigLoader.load(Map.of("JSING_CONFIG", site.toString()), dir.resolve("home").toString());
  }

  @Test
  void defaultsWhenNoFiles() {
    JsingConfig c = ConfigLoader.load(Map.of(), dir.resolve("nohome").toString());
    assertTrue(c.allowUserBinds());
    assertEquals(List.of("squashfuse_ll", "squashfuse"), c.squashfuse());
    assertEquals("default", c.origins().get("tmp-dir"));
  }

  @Test
  void siteThenUserWithOrigins() throws Exception {
    Path s = site("bind-paths: [/opt/site]\nuser-bind-prefixes: [/scratch, /home]\ntmp-dir: /var/tmp\n");
    user("user-bind-prefixes: [/scratch/me]\nsquashfuse: /nowhere/squashfuse\n");
    JsingConfig c = load(s);
    assertEquals(List.of("/opt/site"), c.bindPaths());
    assertEquals(List.of("/scratch/me"), c.userBindPrefixes());
    assertEquals(List.of("/nowhere/squashfuse"), c.squashfuse());
    assertEquals("/var/tmp", c.tmpDir());
    assertEquals("site " + s + ":3", c.origins().get("tmp-dir"));
    assertTrue(c.origins().get("squashfuse").endsWith("config.yaml:2"));
    assertTrue(c.bindAllowed("/scratch/me/x"));
    assertFalse(c.bindAllowed("/scratch/other"));
  }

  @Test
  void userCannotWidenTheSite() throws Exception {
    Path s = site("allow-user-binds: false\n");
    user("allow-user-binds: true\n");
    JsingException e = assertThrows(JsingException.class, () -> load(s));
    assertEquals(ExitCodes.BAD_CONFIG, e.exitCode());
    assertTrue(e.getMessage().contains("config.yaml:1"), e.getMessage());

    Path s2 = site("user-bind-prefixes: [/scratch]\n");
    user("user-bind-prefixes: [/]\n");
    assertTrue(assertThrows(JsingException.class, () -> load(s2)).getMessage().contains("outside the site"));
  }

  @Test
  void unknownKeysAndBadValuesNameFileAndLine() throws Exception {
    Path s = site("tmp-dir: /tmp\nnonsense: 1\n");
    JsingException e = assertThrows(JsingException.class, () -> load(s));
    assertEquals(ExitCodes.BAD_CONFIG, e.exitCode());
    assertEquals(s + ":2: unknown key 'nonsense' (known: " + JsingConfig.KEYS + ")", e.getMessage());
    Path s2 = site("\nallow-user-binds: maybe\n");
    assertTrue(assertThrows(JsingException.class, () -> load(s2)).getMessage().startsWith(s2 + ":2: allow-user-binds"));
    Path s3 = site("tmp-dir: [unclosed\n");
    assertEquals(ExitCodes.BAD_CONFIG, assertThrows(JsingException.class, () -> load(s3)).exitCode());
    Path s4 = site("tmp-dir: relative\n");
    assertTrue(assertThrows(JsingException.class, () -> load(s4)).getMessage().contains("not an absolute path"));
  }

  @Test
  void missingExplicitSiteFileIsAnError() {
    JsingException e = assertThrows(JsingException.class, () -> load(dir.resolve("missing.yaml")));
    assertEquals(ExitCodes.BAD_CONFIG, e.exitCode());
  }
}
