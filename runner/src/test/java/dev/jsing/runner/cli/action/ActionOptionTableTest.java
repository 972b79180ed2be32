package dev.jsing.runner.cli.action;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jsing.runner.error.UsageException;
import dev.jsing.runner.launch.LaunchRequest;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * Walks the whole {@link ActionOption} table: every option, under every name and every environment key with every
 * prefix, changes the request, and in the same way; so a new row cannot skip the parser, the environment or help.
 */
class ActionOptionTableTest {
    private static LaunchRequest parse(Map<String, String> env, String... args) {
        return parse(Action.EXEC, env, args);
    }

    private static LaunchRequest parse(Action action, Map<String, String> env, String... args) {
        ParsedAction p = ActionParser.parse(action, args, env, false, false);
        assertFalse(p.help());
        return p.request();
    }

    private static LaunchRequest parse(String... args) {
        return parse(Map.of(), args);
    }

    private static String[] cli(String name, ActionOption o, String value) {
        List<String> a = new ArrayList<>();
        a.add(name);
        if (o.kind() != ActionOption.Kind.FLAG) {
            a.add(value);
        }
        a.add("img.sif");
        a.add("true");
        return a.toArray(new String[0]);
    }

    private static final LaunchRequest NONE = parse("img.sif", "true");

    /** An action that takes {@code o} (exec, unless the option is another action's only). */
    private static Action actionOf(ActionOption o) {
        for (Action a : Action.values()) {
            if (o.appliesTo(a)) {
                return a;
            }
        }
        throw new AssertionError(o + " applies to no action");
    }

    /** A valid value {@code n} for {@code o} (paths for most; names for a host name, an app, --no-env; K=V for --env). */
    private static String v(ActionOption o, int n) {
        return switch (o) {
            case HOSTNAME, APP -> "v" + n;
            case NO_ENV -> "V" + n;
            case ENV -> "K=/v" + n;
            case TMPFS_SIZE -> String.valueOf(100 * n);
            case NETWORK -> n == 1 ? "none" : "slirp";
            case NETWORK_ARGS -> "portmap=808" + n + ":80/tcp";
            case DNS -> "10.0.0." + n;
            case MEMORY, MEMORY_RESERVATION, MEMORY_SWAP -> (64 * n) + "m";
            case CPUS -> String.valueOf(0.5 * n);
            case CPU_SHARES -> String.valueOf(512 * n);
            case CPUSET_CPUS, CPUSET_MEMS -> "0-" + n;
            case PIDS_LIMIT -> String.valueOf(10 * n);
            case BLKIO_WEIGHT -> String.valueOf(100 * n);
            default -> "/v" + n;
        };
    }

    @Test
    void everyNameOfEveryOptionChangesTheRequestTheSameWay() {
        for (ActionOption o : ActionOption.values()) {
            Action a = actionOf(o);
            LaunchRequest none = parse(a, Map.of(), "img.sif", "true");
            LaunchRequest canonical = parse(a, Map.of(), cli(o.canonicalName(), o, v(o, 1)));
            if (o.alwaysOn()) {
                assertEquals(none, canonical, o + " states what jsing always does");
            } else {
                assertNotEquals(none, canonical, o + " has no effect");
            }
            for (String name : o.names()) {
                assertEquals(canonical, parse(a, Map.of(), cli(name, o, v(o, 1))), o + " as " + name);
                if (name.startsWith("--") && o.kind() != ActionOption.Kind.FLAG) {
                    assertEquals(
                            canonical,
                            parse(a, Map.of(), name + "=" + v(o, 1), "img.sif", "true"),
                            o + " as " + name + "=");
                }
                if (!name.startsWith("--") && o.kind() != ActionOption.Kind.FLAG) {
                    assertEquals(
                            canonical,
                            parse(a, Map.of(), name + v(o, 1), "img.sif", "true"),
                            o + " as " + name + "VALUE");
                }
            }
            if (o.kind() != ActionOption.Kind.FLAG) {
                assertNotEquals(
                        canonical, parse(a, Map.of(), cli(o.canonicalName(), o, v(o, 2))), o + " ignores its value");
            } else {
                assertEquals(none, parse(a, Map.of(), o.canonicalName() + "=false", "img.sif", "true"), o + "=false");
                assertEquals(
                        canonical, parse(a, Map.of(), o.canonicalName() + "=true", "img.sif", "true"), o + "=true");
            }
        }
    }

    @Test
    void optionsOfOneActionAreUnknownToTheOthers() {
        assertEquals(
                "/bin/zsh",
                parse(Action.SHELL, Map.of(), "-s", "/bin/zsh", "img").shell());
        assertEquals(
                "/bin/zsh",
                parse(Action.SHELL, Map.of("APPTAINER_SHELL", "/bin/zsh"), "img")
                        .shell());
        assertThrows(UsageException.class, () -> parse("--shell", "/bin/zsh", "img", "x"));
        assertEquals(
                null, parse(Map.of("APPTAINER_SHELL", "/bin/zsh"), "img", "x").shell(), "exec ignores SHELL");
        assertFalse(ActionHelp.render(Action.EXEC).contains("--shell"));
        assertTrue(ActionHelp.render(Action.SHELL).contains("--shell"));
    }

    @Test
    void everyEnvironmentKeyWithEveryPrefixSetsItsOption() {
        for (ActionOption o : ActionOption.values()) {
            Action a = actionOf(o);
            LaunchRequest none = parse(a, Map.of(), "img.sif", "true");
            String value = o.kind() == ActionOption.Kind.FLAG ? "true" : v(o, 1);
            LaunchRequest expected = parse(a, Map.of(), cli(o.canonicalName(), o, v(o, 1)));
            for (String key : o.envKeys()) {
                for (String prefix : ActionEnvironment.PREFIXES) {
                    assertEquals(expected, parse(a, Map.of(prefix + key, value), "img.sif", "true"), prefix + key);
                }
            }
            if (o.kind() == ActionOption.Kind.FLAG) {
                for (String key : o.envKeys()) {
                    assertEquals(none, parse(a, Map.of("APPTAINER_" + key, "0"), "img.sif", "true"), key + "=0");
                }
            }
        }
    }

    @Test
    void theTableHasTheApptainerKeysOfItsFlags() {
        assertEquals(List.of("BIND", "BINDPATH"), ActionOption.BIND.envKeys());
        assertEquals(List.of("CWD", "TARGET_CWD"), ActionOption.CWD.envKeys());
        assertEquals(List.of("OVERLAY", "OVERLAYIMAGE"), ActionOption.OVERLAY.envKeys());
        assertEquals(List.of("PID", "UNSHARE_PID"), ActionOption.PID.envKeys());
        assertTrue(ActionOption.ENV.envKeys().isEmpty(), "--env has no key (APPTAINERENV_ is separate)");
    }

    @Test
    void namesAreUnique() {
        Set<String> seen = new HashSet<>();
        for (ActionOption o : ActionOption.values()) {
            assertTrue(o.canonicalName().startsWith("--"), o + ": the first name is the long one");
            for (String n : o.names()) {
                assertTrue(seen.add(n), "duplicate name " + n);
            }
        }
    }

    @Test
    void precedenceIsFlagThenJsingThenApptainerThenSingularity() {
        Map<String, String> all = Map.of("JSING_HOSTNAME", "j", "APPTAINER_HOSTNAME", "a", "SINGULARITY_HOSTNAME", "s");
        assertEquals("flag", parse(all, "--hostname", "flag", "img", "x").hostname());
        assertEquals("j", parse(all, "img", "x").hostname());
        assertEquals(
                "a",
                parse(Map.of("APPTAINER_HOSTNAME", "a", "SINGULARITY_HOSTNAME", "s"), "img", "x")
                        .hostname());
        assertEquals("s", parse(Map.of("SINGULARITY_HOSTNAME", "s"), "img", "x").hostname());
        assertEquals(
                "/c",
                parse(Map.of("APPTAINER_PWD", "/p"), "--cwd", "/c", "img", "x").cwd(),
                "--cwd hides PWD");
    }

    @Test
    void bindAndMountFromTheEnvironmentAreAddedAfterTheCommandLine() {
        LaunchRequest r = parse(
                Map.of("APPTAINER_BINDPATH", "/e1,/e2", "APPTAINER_MOUNT", "type=bind,src=/m,dst=/m"),
                "-B",
                "/c",
                "img",
                "x");
        assertEquals(List.of("/c", "/e1,/e2"), r.binds());
        assertEquals(List.of("type=bind,src=/m,dst=/m"), r.mounts());
    }

    @Test
    void listKeysAreSplitOnCommas() {
        assertEquals(
                List.of("/a", "/b"),
                parse(Map.of("APPTAINER_SCRATCH", "/a , /b"), "img", "x").scratch());
        assertEquals(
                List.of("tmp", "cwd"),
                parse(Map.of("APPTAINER_NO_MOUNT", "tmp,cwd"), "img", "x").noMount());
    }

    @Test
    void emptyValuesAreIgnoredAndBadBooleansAreUsageErrors() {
        assertEquals(NONE, parse(Map.of("APPTAINER_HOSTNAME", " "), "img.sif", "true"));
        var e = assertThrows(
                dev.jsing.runner.error.JsingException.class,
                () -> parse(Map.of("APPTAINER_CONTAIN", "yes"), "img", "x"));
        assertEquals(64, e.exitCode());
        assertTrue(e.getMessage().contains("APPTAINER_CONTAIN='yes'"), e.getMessage());
    }

    @Test
    void commandLinesAsBatchScriptsWriteThem() {
        LaunchRequest r =
                parse("-B", "/a:/b:ro,/c", "--bind=/d", "--mount", "type=bind,src=/s,dst=/t", "img", "id", "-u");
        assertEquals(List.of("/a:/b:ro,/c", "/d"), r.binds());
        assertEquals(List.of("type=bind,src=/s,dst=/t"), r.mounts());
        assertEquals("img", r.image());
        assertEquals(List.of("id", "-u"), r.args());
        LaunchRequest c = parse("-ce", "img", "x");
        assertTrue(c.contain() && c.cleanEnv());
        LaunchRequest all = parse("-C", "img", "x");
        assertTrue(all.contain() && all.pid() && all.ipc() && all.cleanEnv());
        assertEquals(List.of("-la"), parse("--", "img", "-la").args());
        assertEquals("-weird", parse("--", "-weird", "x").image());
    }

    @Test
    void badCommandLinesAreUsageErrorsNamingTheProblem() {
        assertEquals(
                "Unknown option: '--no-such'",
                assertThrows(UsageException.class, () -> parse("--no-such", "img", "x"))
                        .getMessage());
        assertEquals(
                "Unknown option: '-cZ'",
                assertThrows(UsageException.class, () -> parse("-cZ", "img", "x"))
                        .getMessage());
        assertTrue(assertThrows(UsageException.class, () -> parse("-B"))
                .getMessage()
                .contains("'-B'"));
        assertEquals(
                "Missing required parameter: 'IMAGE'",
                assertThrows(UsageException.class, () -> parse()).getMessage());
        assertEquals(
                "Missing required parameter: 'COMMAND'",
                assertThrows(UsageException.class, () -> parse("img")).getMessage());
        assertEquals(
                "jsing exec",
                assertThrows(UsageException.class, () -> parse("img")).command());
        assertTrue(ActionParser.parse(Action.RUN, new String[] {"img"}, Map.of(), false, false)
                .request()
                .args()
                .isEmpty());
    }

    @Test
    void helpAndCompletionListEveryNameAndKey() {
        assertTrue(ActionParser.parse(Action.EXEC, new String[] {"-B", "/x", "--help"}, Map.of(), false, false)
                .help());
        String help = "";
        for (Action a : Action.values()) {
            help += ActionHelp.render(a);
        }
        Set<String> completion = new HashSet<>(
                List.of(dev.jsing.runner.cli.CompletionCommand.bash().split("[\\s']+")));
        for (ActionOption o : ActionOption.values()) {
            for (String n : o.names()) {
                assertTrue(help.contains(n), "help lacks " + n);
                assertTrue(completion.contains(n), "completion lacks " + n);
            }
            for (String k : o.envKeys()) {
                assertTrue(help.contains(k), "help lacks key " + k);
            }
        }
    }

    @Test
    void parsingChangesNoGlobalState() {
        parse("--no-https", "docker://example.org/x", "true");
        assertTrue(parse("--no-https", "img", "x").noHttps());
        assertFalse(NONE.noHttps());
        assertTrue(ActionParser.parse(Action.EXEC, new String[] {"img", "x"}, Map.of(), true, true)
                .request()
                .quiet());
    }

    @Test
    void overlayIsAListInCommandLineOrderAndTheEnvironmentSetsItOnlyWhenTheCommandLineDoesNot() {
        assertEquals(
                List.of("/a.img:ro", "/b", "/c.sqfs:ro"),
                parse("--overlay", "/a.img:ro,/b", "-o", "/c.sqfs:ro", "img", "x")
                        .overlays());
        assertEquals(
                List.of("/e1:ro", "/e2"),
                parse(Map.of("APPTAINER_OVERLAY", "/e1:ro , /e2"), "img", "x").overlays());
        assertEquals(
                List.of("/o"),
                parse(Map.of("SINGULARITY_OVERLAYIMAGE", "/e1"), "--overlay", "/o", "img", "x")
                        .overlays());
        assertEquals(
                List.of("/j"),
                parse(Map.of("APPTAINER_OVERLAY", "/a", "JSING_OVERLAY", "/j"), "img", "x")
                        .overlays());
    }

    @Test
    void valuesAreValidatedWithAnErrorNamingTheOption() {
        assertEquals(
                "--no-mount: 'proc2' is not one of " + dev.jsing.runner.config.NoMountNames.KINDS
                        + " or an absolute path",
                assertThrows(UsageException.class, () -> parse("--no-mount", "tmp,proc2", "img", "x"))
                        .getMessage());
        assertEquals(
                "--overlay: 'dir:x': the only suffixes are :ro and :rw",
                assertThrows(UsageException.class, () -> parse("--overlay", "dir:x", "img", "x"))
                        .getMessage());
        assertEquals(
                "--overlay: an empty path",
                assertThrows(UsageException.class, () -> parse("--overlay", "a,:ro", "img", "x"))
                        .getMessage());
        assertTrue(assertThrows(UsageException.class, () -> parse("--hostname", "a b", "img", "x"))
                .getMessage()
                .startsWith("--hostname: 'a b' is not a host name"));
        var env = assertThrows(
                dev.jsing.runner.error.JsingException.class,
                () -> parse(Map.of("APPTAINER_NO_MOUNT", "bogus"), "img", "x"));
        assertEquals(64, env.exitCode());
        assertTrue(env.getMessage().startsWith("APPTAINER_NO_MOUNT (--no-mount): 'bogus'"), env.getMessage());
        assertEquals(
                List.of("/etc/resolv.conf"),
                parse("--no-mount", "/etc/resolv.conf", "img", "x").noMount());
    }
}
