package dev.jsing.runner.build;

import dev.jsing.common.proc.Processes;
import dev.jsing.deffile.Section;
import dev.jsing.runner.build.context.BuildContext;
import dev.jsing.runner.build.context.BuildFailure;
import dev.jsing.runner.build.context.Privilege;
import dev.jsing.runner.launch.ContainerEnvironment;
import dev.jsing.runner.launch.LaunchPlan;
import dev.jsing.runner.launch.Mount;
import dev.jsing.runner.launch.StarterInvocation;
import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Runs the build's scripts: %setup on the host, %post inside the container being built (as root, or as uid 0 of a
 * user namespace through the starter), %test inside the finished root as the calling user. Scripts run with {@code
 * -x} so that a failure names the last command that ran.
 */
public final class ScriptRunner {
    private final BuildContext ctx;

    public ScriptRunner(BuildContext ctx) {
        this.ctx = ctx;
    }

    /**
     * The interpreter argv for a section: {@code /bin/sh -ex SCRIPT}, with the section's arguments (comments cut)
     * inserted; with {@code -c}, the words after it are joined with the script path into one argument.
     */
    static List<String> interpreter(Section s, String script) {
        List<String> argv = new ArrayList<>(List.of("/bin/sh", "-ex"));
        String args = s.argsWithoutComment();
        List<String> words = args.isEmpty() ? List.of() : List.of(args.trim().split("\\s+"));
        int c = words.indexOf("-c");
        if (c >= 0) {
            argv.addAll(words.subList(0, c + 1));
            List<String> rest = new ArrayList<>(words.subList(c + 1, words.size()));
            rest.add(script);
            argv.add(String.join(" ", rest));
        } else {
            argv.addAll(words);
            argv.add(script);
        }
        return argv;
    }

    /** The one-line failure of a script section: exit status, the line of {@code body} that failed, its command. */
    static BuildFailure failure(String where, Processes.Outcome o, String body) {
        String cmd = o.lastTrace() != null ? o.lastTrace().replaceFirst("^\\++ ", "") : null;
        String line = "";
        if (cmd != null) {
            int n = lineOf(body, cmd);
            line = (n > 0 ? " at line " + n + " of the section" : "") + "; last command: " + cmd;
        }
        String last = o.lastLine();
        return new BuildFailure(where + " failed with exit status " + o.exitCode() + line
                + (cmd == null && !last.isEmpty() ? "; " + last : ""));
    }

    /** The 1-based line of {@code body} that most likely ran {@code traced} (sh -x prints the expanded command). */
    static int lineOf(String body, String traced) {
        if (body == null) {
            return 0;
        }
        String[] lines = body.split("\n", -1);
        String t = traced.strip();
        String first = t.split("\\s+")[0].replace("'", "");
        int candidate = 0;
        for (int i = lines.length - 1; i >= 0; i--) {
            String l = lines[i].strip();
            if (l.isEmpty() || l.startsWith("#")) {
                continue;
            }
            if (l.equals(t)) {
                return i + 1;
            }
            if (candidate == 0 && (l.startsWith(first + " ") || l.equals(first))) {
                candidate = i + 1;
            }
        }
        return candidate;
    }

    /** %setup: on the host, {@code /bin/sh -ex}, with the root in JSING_ROOTFS/APPTAINER_ROOTFS/SINGULARITY_ROOTFS. */
    public void setup(Section s, Path rootfs, String where) throws IOException {
        Path script = ctx.tmp().resolve("setup.script");
        Files.writeString(script, s.body());
        Map<String, String> env = ctx.hostEnv();
        for (String k : List.of("JSING_ROOTFS", "APPTAINER_ROOTFS", "SINGULARITY_ROOTFS")) {
            env.put(k, rootfs.toString());
        }
        env.put("APPTAINER_ENVIRONMENT", rootfs + "/.singularity.d/env/91-environment.sh");
        env.put("SINGULARITY_ENVIRONMENT", rootfs + "/.singularity.d/env/91-environment.sh");
        List<String> argv = ctx.privilege().asRoot(interpreter(s, script.toString()), false);
        Processes.Outcome o = Processes.run(
                argv, env, (File) null, !ctx.progress().quiet(), ctx.progress().err());
        Files.deleteIfExists(script);
        if (o.exitCode() != 0) {
            throw failure(where, o, s.body());
        }
    }

    /** The clean environment scripts see inside the container during the build. */
    static Map<String, String> containerEnv() {
        Map<String, String> env = new LinkedHashMap<>();
        env.put("PATH", "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin");
        env.put("HOME", "/root");
        env.put("LANG", "C");
        env.put("TERM", "dumb");
        for (String p : List.of("APPTAINER_", "SINGULARITY_", "JSING_")) {
            env.put(p + "ENVIRONMENT", "/.singularity.d/env/91-environment.sh");
            env.put(p + "LABELS", "/.build.labels");
            env.put(p + "CONTAINER", "build");
            env.put(p + "NAME", "build");
        }
        return env;
    }

    /** %post (with the apps' %appinstall appended): inside the root, writable, as (namespaced) root, cwd /. */
    public void post(Section s, String body, Path rootfs, String where) throws IOException {
        Path script = rootfs.resolve(".post.script");
        SingularityLayout.writeFile(rootfs, ".post.script", body, 0755, true);
        try {
            List<String> payload = interpreter(s, "/.post.script");
            Processes.Outcome o;
            if (ctx.privilege().root()) {
                o = Processes.run(
                        chroot(rootfs, payload, true),
                        containerEnv(),
                        (File) null,
                        !ctx.progress().quiet(),
                        ctx.progress().err());
            } else {
                o = starter(rootfs, payload, true);
            }
            if (o.exitCode() != 0) {
                throw failure(where, o, body);
            }
        } finally {
            Files.deleteIfExists(script);
        }
    }

    /** %test: inside the finished root, read-only, as the calling user. */
    public void test(Path rootfs, String where) {
        List<String> payload = List.of("/bin/sh", "-e", "/.singularity.d/actions/test");
        Processes.Outcome o = starter(rootfs, payload, false);
        if (o.exitCode() != 0) {
            throw failure(where, o, null);
        }
    }

    /** As real root: private mount and PID namespaces, /proc, /sys, /dev and the host's resolv.conf/hosts, chroot. */
    private List<String> chroot(Path rootfs, List<String> payload, boolean writable) {
        String sh = "set -e; R=" + ContainerEnvironment.quote(rootfs.toString()) + "\n"
                + "mount --make-rprivate /\n"
                + "mkdir -p \"$R/proc\" \"$R/sys\" \"$R/dev\" \"$R/etc\"\n"
                + "mount -t proc proc \"$R/proc\"\n"
                + "mount --rbind /sys \"$R/sys\"\n"
                + "mount --rbind /dev \"$R/dev\"\n"
                + "for f in resolv.conf hosts; do\n"
                + "  if [ -f /etc/$f ]; then [ -L \"$R/etc/$f\" ] && rm -f \"$R/etc/$f\"; [ -e \"$R/etc/$f\" ] || : > \"$R/etc/$f\";"
                + " mount --bind /etc/$f \"$R/etc/$f\"; fi\n"
                + "done\n"
                + "cd \"$R\"\n"
                + "exec chroot \"$R\" /bin/sh -c 'cd / && exec \"$@\"' sh \"$@\"\n";
        List<String> argv =
                new ArrayList<>(List.of("unshare", "--mount", "--pid", "--fork", "/bin/sh", "-c", sh, "jsing-build"));
        argv.addAll(payload);
        return argv;
    }

    private Processes.Outcome starter(Path rootfs, List<String> payload, boolean writable) {
        Privilege p = ctx.privilege();
        boolean fakeroot = writable && !p.root();
        List<Mount> mounts = new ArrayList<>();
        mounts.add(Mount.proc(false));
        mounts.add(Mount.sys());
        mounts.add(Mount.dev(false));
        if (writable) {
            for (String f : List.of("/etc/resolv.conf", "/etc/hosts")) {
                if (Files.isRegularFile(Path.of(f))) {
                    mounts.add(Mount.file(f, f));
                }
            }
        } else {
            mounts.add(Mount.tmpfs("/tmp", 64));
        }
        Map<String, String> env = containerEnv();
        if (!writable) {
            env.put("HOME", "/");
        }
        LaunchPlan plan = new LaunchPlan(
                LaunchPlan.Rootfs.sandbox(rootfs.toString()),
                writable,
                0,
                null,
                fakeroot,
                fakeroot ? p.subids() : null,
                mounts,
                false,
                false,
                null,
                "/",
                true,
                List.of(),
                null,
                payload,
                env,
                List.of());
        StarterInvocation inv = StarterInvocation.of(plan, StarterInvocation.installedStarter(), ctx.tmp(), false);
        Map<String, String> envMap = new LinkedHashMap<>();
        for (String kv : inv.env()) {
            int eq = kv.indexOf('=');
            envMap.put(kv.substring(0, eq), kv.substring(eq + 1));
        }
        return Processes.run(
                inv.argv(),
                envMap,
                (File) null,
                !ctx.progress().quiet(),
                ctx.progress().err());
    }
}
