package dev.jsing.runner.launch;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jsing.runner.error.JsingException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ContainerEnvironmentTest {
    private static final Map<String, String> HOST = new TreeMap<>(Map.of(
            "HOME", "/home/u",
            "PATH", "/host/bin",
            "LD_LIBRARY_PATH", "/host/lib",
            "TERM", "xterm",
            "https_proxy", "http://p",
            "SLURM_JOB_ID", "42",
            "JSING_BIND", "/x",
            "APPTAINER_BIND", "/y",
            "JSINGENV_FOO", "jsing",
            "APPTAINERENV_FOO", "apptainer"));

    @Test
    void hostPassesExceptHomePathLibraryPathAndOwnVariables() {
        ContainerEnvironment e =
                ContainerEnvironment.compute(HOST, false, List.of(), List.of(), "/home/u", Map.of("JSING_NAME", "img"));
        Map<String, String> env = e.direct();
        assertEquals("42", env.get("SLURM_JOB_ID"));
        assertEquals("/home/u", env.get("HOME"));
        assertEquals(ContainerEnvironment.DEFAULT_PATH, env.get("PATH"));
        assertFalse(env.containsKey("LD_LIBRARY_PATH"));
        assertFalse(env.containsKey("JSING_BIND"));
        assertFalse(env.containsKey("APPTAINER_BIND"));
        assertEquals("img", env.get("JSING_NAME"));
    }

    @Test
    void cleanEnvKeepsTermAndProxiesAndSetsLang() {
        Map<String, String> env = ContainerEnvironment.compute(HOST, true, List.of(), List.of(), "/h", Map.of())
                .direct();
        assertEquals("xterm", env.get("TERM"));
        assertEquals("http://p", env.get("https_proxy"));
        assertEquals("C", env.get("LANG"));
        assertFalse(env.containsKey("SLURM_JOB_ID"));
    }

    @Test
    void overridePrecedenceJsingenvThenFileThenOption(@TempDir Path dir) throws Exception {
        assertEquals(
                "jsing",
                ContainerEnvironment.compute(HOST, false, List.of(), List.of(), "/h", Map.of())
                        .overrides()
                        .get("FOO"));
        Path f = dir.resolve("env");
        Files.writeString(f, "# comment\nexport FOO=\"file\"\nBAR='b c'\n");
        ContainerEnvironment e =
                ContainerEnvironment.compute(HOST, false, List.of(f.toString()), List.of(), "/h", Map.of());
        assertEquals("file", e.overrides().get("FOO"));
        assertEquals("b c", e.overrides().get("BAR"));
        e = ContainerEnvironment.compute(HOST, false, List.of(f.toString()), List.of("FOO=opt"), "/h", Map.of());
        assertEquals("opt", e.overrides().get("FOO"));
        assertEquals("opt", e.direct().get("FOO"));
    }

    @Test
    void wrapperLetsImageWinOverHostAndOverridesWinOverImage() throws Exception {
        ContainerEnvironment e = ContainerEnvironment.compute(
                Map.of("A", "host", "B", "host", "C", "host"), false, List.of(), List.of("C=override"), "/h", Map.of());
        Path root = Files.createTempDirectory("envtest");
        Path script = root.resolve("img.sh");
        // The image's env script is simulated by a function the wrapper's loop cannot see; run the real script with a
        // modified glob instead.
        String s = e.wrapperScript().replace("/.singularity.d/env/*.sh", root + "/*.sh");
        Files.writeString(script, "export B=image\nexport C=image\n");
        ProcessBuilder pb = new ProcessBuilder(
                "/bin/sh", "-c", s, "jsing-env", "/bin/sh", "-c", "echo $A $B $C; env | grep -c __jsing || true");
        pb.environment().clear();
        pb.environment().putAll(e.forWrapper());
        Process p = pb.start();
        String out = new String(p.getInputStream().readAllBytes()).trim();
        assertEquals(0, p.waitFor());
        assertEquals("host image override\n0", out);
        Files.delete(script);
        Files.delete(root);
    }

    @Test
    void homeCannotBeOverriddenAndNamesAreChecked() {
        assertThrows(
                JsingException.class,
                () -> ContainerEnvironment.compute(Map.of(), false, List.of(), List.of("HOME=/x"), "/h", Map.of()));
        assertThrows(
                JsingException.class,
                () -> ContainerEnvironment.compute(Map.of(), false, List.of(), List.of("1A=x"), "/h", Map.of()));
        assertTrue(ContainerEnvironment.validName("_a1"));
    }

    @Test
    void quoteSurvivesSingleQuotes() {
        assertEquals("'it'\\''s'", ContainerEnvironment.quote("it's"));
    }
}
