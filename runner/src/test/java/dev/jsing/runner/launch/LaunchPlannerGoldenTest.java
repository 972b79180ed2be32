package dev.jsing.runner.launch;

import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jsing.runner.error.JsingException;
import dev.jsing.runner.testing.Golden;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Golden tests for {@link LaunchPlanner#plan}: each case of {@code golden/launch/} (request as a command line, caller,
 * environment, described host filesystem, site configuration, image contents) against its {@code plan.golden}, a
 * readable rendering of the plan (or of the error) with one item per line.
 */
class LaunchPlannerGoldenTest {
    static List<LaunchCase> cases() {
        return LaunchCase.all();
    }

    /** Pins the planned plan of each case (mount order, binds, cwd, fds, argv, env, generated files). */
    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void planMatchesGolden(LaunchCase c) {
        String actual;
        try {
            LaunchPlan plan = c.plan();
            actual = render(plan, c.files.created);
        } catch (JsingException e) {
            actual = error(e);
        }
        Golden.assertMatches(c.dir.resolve("plan.golden"), actual.replace(c.dir.toString(), "${case}"));
    }

    /** Pins that the case corpus covers what the planner decides (at least the 15 cases the issue lists). */
    @Test
    void corpusIsLargeEnough() {
        assertTrue(cases().size() >= 15, "cases: " + cases());
    }

    /** What the user sees for a refused launch: the exit status and the one error line. */
    static String error(JsingException e) {
        return "exit " + e.exitCode() + "\njsing: error: " + e.getMessage() + "\n";
    }

    /** The plan, one item per line, then the generated files and the {@code sh -c} wrapper script in full. */
    static String render(LaunchPlan plan, List<String> created) {
        StringBuilder b = new StringBuilder();
        LaunchPlan.Rootfs r = plan.rootfs();
        b.append("rootfs: ")
                .append(
                        r.isSandbox()
                                ? "sandbox " + r.file()
                                : "squashfs " + r.file() + " offset " + r.offset() + " via " + r.squashfuse())
                .append('\n');
        String layer = plan.writable()
                ? "writable (the sandbox itself)"
                : plan.writableTmpfsMb() > 0
                        ? "writable-tmpfs " + plan.writableTmpfsMb() + " MiB"
                        : plan.overlayDir() != null
                                ? "overlay " + plan.overlayDir()
                                : r.layers().stream().anyMatch(LaunchPlan.Layer::writable)
                                        ? "overlay image (the top layer below)"
                                        : "read-only";
        b.append("layer: ").append(layer).append('\n');
        for (LaunchPlan.Layer l : r.layers()) { // bottom first
            b.append("overlay layer: ")
                    .append(l.kind().arg())
                    .append(' ')
                    .append(l.path())
                    .append(l.offset() != 0 ? " offset " + l.offset() : "")
                    .append(l.writable() ? " writable" : " read-only")
                    .append('\n');
        }
        if (r.fuse2fs() != null) {
            b.append("overlay programs: ")
                    .append(r.fuse2fs())
                    .append(' ')
                    .append(r.fuseOverlayfs())
                    .append('\n');
        }
        if (plan.fakeroot()) {
            b.append("fakeroot")
                    .append(plan.subids() == null ? "" : " subids " + java.util.Arrays.toString(plan.subids()))
                    .append('\n');
        }
        for (String w : plan.warnings()) {
            b.append("warning: ").append(w).append('\n');
        }
        b.append("namespaces: user mnt")
                .append(plan.pid() ? " pid" : "")
                .append(plan.ipc() ? " ipc" : "")
                .append(plan.hostname() != null ? " uts(" + plan.hostname() + ")" : "")
                .append('\n');
        if (plan.network() != null) {
            b.append("network: ").append(plan.network().describe()).append('\n');
        }
        if (!plan.limits().isEmpty()) {
            b.append("limits: ").append(plan.limits().describe()).append('\n');
        }
        for (Mount m : plan.mounts()) {
            b.append("mount: ").append(mount(m)).append('\n');
        }
        b.append("cwd: ")
                .append(plan.cwd())
                .append(plan.cwdRequired() ? " (required)" : " (falls back to $HOME)")
                .append('\n');
        for (int fd : plan.keepFds()) {
            b.append("keep-fd: ").append(fd).append('\n');
        }
        if (plan.removeAfterExit() != null) {
            b.append("remove-after-exit: ").append(plan.removeAfterExit()).append('\n');
        }
        for (String d : created) {
            b.append("host mkdir -p: ").append(d).append('\n');
        }
        for (dev.jsing.runner.device.DeviceSetup.Hook h : plan.hooks()) {
            b.append("hook: ")
                    .append(h.when())
                    .append(h.rootfsArg() ? " (rootfs appended)" : "")
                    .append(h.timeoutSeconds() > 0 ? " timeout " + h.timeoutSeconds() + " s" : "")
                    .append(' ')
                    .append(h.path())
                    .append(" argv ")
                    .append(h.args())
                    .append(" env ")
                    .append(h.env())
                    .append('\n');
        }
        String script = null;
        for (int i = 0; i < plan.argv().size(); i++) {
            String a = plan.argv().get(i);
            boolean sh = plan.argv().get(0).equals("/bin/sh") && i == 2;
            boolean bash = plan.argv().get(0).equals(EnvInterpreter.CONTAINER_PATH) && i == 3;
            if ((sh || bash) && plan.argv().get(i - 1).equals("-c")) {
                script = a;
                a = "<wrapper script, below>";
            }
            b.append("argv: ").append(escape(a)).append('\n');
        }
        for (Map.Entry<String, String> e : plan.env().entrySet()) {
            b.append("env: ")
                    .append(e.getKey())
                    .append('=')
                    .append(escape(e.getValue()))
                    .append('\n');
        }
        for (Mount m : plan.mounts()) {
            if (m.type() == Mount.Type.GENERATED) {
                b.append("--- generated ")
                        .append(m.source())
                        .append(" -> ")
                        .append(m.destination())
                        .append('\n');
                b.append(m.content());
            }
        }
        if (script != null) {
            b.append("--- wrapper script\n").append(script);
        }
        return b.toString();
    }

    private static String mount(Mount m) {
        return switch (m.type()) {
            case PROC -> "proc " + m.source();
            case SYS -> "sys " + m.source();
            case DEV -> "dev " + m.source();
            case BIND -> "bind " + m.source() + " -> " + m.destination() + (m.readOnly() ? " ro" : " rw");
            case FILE -> "file " + m.source() + " -> " + m.destination();
            case GENERATED -> "generated " + m.source() + " -> " + m.destination();
            case TMPFS -> "tmpfs " + m.destination() + " " + m.sizeMb() + " MiB";
            case DEVICE -> "device " + m.source() + " -> " + m.destination();
        };
    }

    /** A value on one line: backslash, newline, tab and other control characters escaped. */
    static String escape(String s) {
        StringBuilder b = new StringBuilder(s.length());
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '\\' -> b.append("\\\\");
                case '\n' -> b.append("\\n");
                case '\t' -> b.append("\\t");
                default -> {
                    if (c < 0x20 || c == 0x7f) {
                        b.append(String.format("\\x%02x", (int) c));
                    } else {
                        b.append(c);
                    }
                }
            }
        }
        return b.toString();
    }
}
