package dev.jsing.runner.launch;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import dev.jsing.runner.error.JsingException;
import dev.jsing.runner.testing.Golden;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Golden tests for the Java/C contract ({@code runner/src/main/c/README.md}): each case of {@code golden/launch/}
 * planned as in {@link LaunchPlannerGoldenTest}, turned into the starter's argv and envp by {@link
 * StarterInvocation#of} and {@link HpcJoin#apply} (what {@link Launcher} execs), against {@code starter.golden}: one
 * argv element per line, then {@code envp}. Keys {@code starter.*} adjust the plan first for what only builds use
 * ({@code fakeroot}, {@code subids}, {@code writable}) and set {@code debug}.
 */
class StarterInvocationGoldenTest {
    static final Path STARTER = Path.of("/opt/jsing/libexec/jsing/jsing-starter");

    static List<LaunchCase> cases() {
        return LaunchCase.all();
    }

    /** Pins the starter argv and envp of each case that plans (a refused case has no starter.golden). */
    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void argvMatchesGolden(LaunchCase c, @TempDir Path tmp) throws IOException {
        Path golden = c.dir.resolve("starter.golden");
        LaunchPlan plan;
        try {
            plan = adjust(c, c.plan());
        } catch (JsingException e) {
            assertFalse(Files.exists(golden) && !Golden.updating(), "refused case with a " + golden);
            Files.deleteIfExists(golden);
            return;
        }
        StarterInvocation inv = StarterInvocation.of(plan, STARTER, tmp, c.flag("starter.debug"));
        inv = HpcJoin.apply(inv, c.request(), plan, c.host().env());
        assertEquals(STARTER.toString(), inv.starter());
        assertEquals(inv.starter(), inv.argv().get(0));

        // Generated files are written into one private session directory, passed with --remove-before-exec.
        String session = inv.sessionDir() == null ? null : inv.sessionDir().toString();
        for (Mount m : plan.mounts()) {
            if (m.type() == Mount.Type.GENERATED) {
                Path f = inv.sessionDir().resolve(m.source());
                assertEquals(m.content(), Files.readString(f, StandardCharsets.UTF_8), f.toString());
            }
        }
        if (session != null) {
            assertEquals(tmp, inv.sessionDir().getParent());
            assertEquals(
                    "rwx------",
                    java.nio.file.attribute.PosixFilePermissions.toString(
                            Files.getPosixFilePermissions(inv.sessionDir())));
        }

        StringBuilder b = new StringBuilder();
        for (String a : inv.argv()) {
            String line = LaunchPlannerGoldenTest.escape(a);
            b.append(session != null ? line.replace(session, "$SESSION") : line).append('\n');
        }
        b.append("--- envp\n");
        for (String kv : inv.env()) {
            b.append(LaunchPlannerGoldenTest.escape(kv)).append('\n');
        }
        Golden.assertMatches(golden, b.toString().replace(c.dir.toString(), "${case}"));
    }

    /** The plan with the case's {@code starter.*} adjustments (build-only features the planner never sets). */
    private static LaunchPlan adjust(LaunchCase c, LaunchPlan p) {
        boolean fakeroot = c.flag("starter.fakeroot");
        boolean writable = c.flag("starter.writable");
        String subids = c.get("starter.subids");
        if (!fakeroot && !writable && subids == null) {
            return p;
        }
        int[] ids = null;
        if (subids != null) {
            String[] f = subids.trim().split("\\s+");
            ids = new int[f.length];
            for (int i = 0; i < f.length; i++) {
                ids[i] = Integer.parseInt(f[i]);
            }
        }
        return new LaunchPlan(
                p.rootfs(),
                writable,
                p.writableTmpfsMb(),
                p.overlayDir(),
                fakeroot,
                ids,
                p.mounts(),
                p.pid(),
                p.ipc(),
                p.hostname(),
                p.cwd(),
                p.cwdRequired(),
                p.umask(),
                p.keepFds(),
                p.removeAfterExit(),
                p.argv(),
                p.env(),
                p.hooks(),
                p.warnings(),
                p.network(),
                p.limits());
    }
}
