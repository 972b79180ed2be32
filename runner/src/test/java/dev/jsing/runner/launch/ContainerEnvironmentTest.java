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
        assertEquals(
                "host image override\n0",
                wrapped(
                        e,
                        Map.of("img.sh", "export B=image\nexport C=image\n"),
                        "/bin/sh",
                        "-c",
                        "echo $A $B $C; env | grep -c __jsing || true"));
    }

    @Test
    void homeOverrideIsIgnoredWithAWarningAndNamesAreChecked() {
        ContainerEnvironment e = ContainerEnvironment.compute(
                Map.of("APPTAINERENV_HOME", "/y"), false, List.of(), List.of("HOME=/x", "UID=5"), "/h", Map.of());
        assertTrue(e.overrides().isEmpty());
        assertEquals("/h", e.direct().get("HOME"));
        assertEquals(
                List.of(
                        "warning: overriding HOME with APPTAINERENV_HOME is not permitted (use --home); ignored",
                        "warning: overriding HOME with --env HOME=/x is not permitted (use --home); ignored"),
                ContainerEnvironment.messages(
                        Map.of("APPTAINERENV_HOME", "/y"), List.of(), List.of("HOME=/x", "UID=5"), false));
        assertThrows(
                JsingException.class,
                () -> ContainerEnvironment.compute(Map.of(), false, List.of(), List.of("1A=x"), "/h", Map.of()));
        assertTrue(ContainerEnvironment.validName("_a1"));
    }

    @Test
    void envOptionSplitsAsApptainersFlag() {
        assertEquals(List.of("A=1", "B=2"), EnvOverrides.splitEnvOption("A=1,B=2"));
        assertEquals(List.of("X=a,b"), EnvOverrides.splitEnvOption("X=a,b"));
        assertEquals(List.of("X=a"), EnvOverrides.splitEnvOption("\"X=a\""));
        assertEquals(List.of("A=1,2", "B=x\"y"), EnvOverrides.splitEnvOption("\"A=1,2\",\"B=x\"\"y\""));
        assertEquals(List.of("P=$HOME/x"), EnvOverrides.splitEnvOption("P=$HOME/x"));
        assertEquals("'A': expected NAME=VALUE", ContainerEnvironment.envOptionProblem("A"));
        assertEquals(
                "'A=1,B,C=3': 'B' is not NAME=VALUE (several assignments are separated by commas)",
                ContainerEnvironment.envOptionProblem("A=1,B,C=3"));
        ContainerEnvironment e =
                ContainerEnvironment.compute(Map.of(), false, List.of(), List.of("A=1,B=2"), "/h", Map.of());
        assertEquals("1", e.direct().get("A"));
        assertEquals("2", e.direct().get("B"));
    }

    @Test
    void pathOverridesBecomeApptainersUserPathVariables() {
        ContainerEnvironment e = ContainerEnvironment.compute(
                Map.of("APPTAINERENV_PREPEND_PATH", "/pre", "SINGULARITYENV_APPEND_PATH", "/app"),
                false,
                List.of(),
                List.of(),
                "/h",
                Map.of());
        assertEquals("/pre", e.overrides().get("SING_USER_DEFINED_PREPEND_PATH"));
        assertEquals(
                "/pre:" + ContainerEnvironment.DEFAULT_PATH + ":/app",
                e.direct().get("PATH"));
        e = ContainerEnvironment.compute(
                Map.of(), false, List.of(), List.of("PATH=/only", "LD_LIBRARY_PATH=/l"), "/h", Map.of());
        assertEquals("/only", e.direct().get("PATH"));
        assertEquals("/l:/.singularity.d/libs", e.direct().get("LD_LIBRARY_PATH"));
        assertEquals("/.singularity.d/env/91-environment.sh", e.direct().get("APPTAINER_ENVIRONMENT"));
    }

    @Test
    void noEnvNamesDoNotPassButMayBeOverridden() {
        ContainerEnvironment e = ContainerEnvironment.compute(
                Map.of("A", "1", "B", "2"),
                false,
                List.of("A", "B"),
                List.of(),
                List.of(),
                List.of("B=3"),
                false,
                "/h",
                Map.of());
        assertFalse(e.direct().containsKey("A"));
        assertEquals("3", e.direct().get("B"));
    }

    /** Runs the wrapper with {@code scripts} (name to content) as the image's env directory; returns its output. */
    private static String wrapped(ContainerEnvironment e, Map<String, String> scripts, String... cmd) throws Exception {
        Path root = Files.createTempDirectory("envtest");
        try {
            Path dir = root.resolve("env");
            Files.createDirectories(dir);
            for (Map.Entry<String, String> f : scripts.entrySet()) {
                Files.writeString(dir.resolve(f.getKey()), f.getValue());
            }
            String s = e.wrapperScript().replace(ContainerEnvironment.ENV_DIR, dir.toString());
            List<String> argv = new java.util.ArrayList<>(List.of("/bin/sh", "-c", s, "jsing-env"));
            argv.addAll(List.of(cmd));
            ProcessBuilder pb = new ProcessBuilder(argv);
            pb.environment().clear();
            pb.environment().putAll(e.forWrapper());
            pb.redirectErrorStream(true);
            Process p = pb.start();
            String out = new String(p.getInputStream().readAllBytes()).trim();
            assertEquals(0, p.waitFor(), out);
            return out;
        } finally {
            dev.jsing.common.fs.Trees.deleteQuietly(root);
        }
    }

    @Test
    void overridesAreEvaluatedAfter99BaseUnlessNoEval() throws Exception {
        Map<String, String> scripts = new TreeMap<>(Map.of(
                "90-environment.sh", "export LATE=image90\n",
                "99-base.sh", "export BASE=base\n",
                "99-zz.sh", "export AFTER=\"$LATE-after\"\n"));
        ContainerEnvironment e = ContainerEnvironment.compute(
                Map.of("USER", "u"),
                false,
                List.of(),
                List.of(),
                List.of("L=$HOME"),
                List.of("P=$HOME/x", "Q=$(echo sub)", "R=\\$HOME", "LATE=$BASE-over", "S='$HOME'"),
                false,
                "/h",
                Map.of());
        assertEquals(
                "/h/x sub $HOME base-over-after '/h' $HOME",
                wrapped(e, scripts, "/bin/sh", "-c", "echo \"$P $Q $R $AFTER $S $L\""));
        ContainerEnvironment literal = ContainerEnvironment.compute(
                Map.of(),
                false,
                List.of(),
                List.of(),
                List.of(),
                List.of("P=$HOME/x", "Q=$(echo sub)"),
                true,
                "/h",
                Map.of());
        assertEquals("$HOME/x $(echo sub)", wrapped(literal, scripts, "/bin/sh", "-c", "echo \"$P $Q\""));
    }

    @Test
    void emptyHostVariablesLeftEmptyAreUnsetAndPromptIsApptainers() throws Exception {
        ContainerEnvironment e = ContainerEnvironment.compute(
                Map.of("KEEP", "", "CLEARED", "x", "WIPED", "y"),
                false,
                List.of(),
                List.of(),
                List.of(),
                List.of("WIPED="),
                false,
                "/h",
                Map.of());
        String out = wrapped(
                e,
                Map.of("90-environment.sh", "export CLEARED=\n"),
                "/bin/sh",
                "-c",
                "echo ${KEEP+keep} ${CLEARED+cleared} ${WIPED+wiped} \"$PS1\" \"${APPTAINER_ENVIRONMENT##*/}\"; echo"
                        + " \"$PROMPT_COMMAND\"");
        assertEquals("keep Apptainer>  91-environment.sh\nPS1=\"Apptainer> \"; unset PROMPT_COMMAND", out);
    }

    @Test
    void dockerPathIsPaddedAndUserPathAppliedLast() throws Exception {
        ContainerEnvironment e = ContainerEnvironment.compute(
                Map.of("APPTAINERENV_PREPEND_PATH", "/pre"), false, List.of(), List.of(), "/h", Map.of());
        assertEquals(
                "/pre:/opt/conda/bin:/usr/bin:/usr/local/sbin:/usr/local/bin:/usr/sbin:/sbin:/bin",
                wrapped(
                        e,
                        Map.of("10-docker2singularity.sh", "export PATH=/opt/conda/bin:/usr/bin\n"),
                        "/bin/sh",
                        "-c",
                        "echo $PATH"));
    }

    @Test
    void quoteSurvivesSingleQuotes() {
        assertEquals("'it'\\''s'", ContainerEnvironment.quote("it's"));
    }
}
