package dev.jsing.runner.launch;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * A {@link LaunchPlan} turned into the starter's argv and envp ({@code runner/src/main/c/README.md}). Used by {@code
 * jsing exec/run/shell/test} and by builds (a plan with a writable sandbox and fakeroot for %post).
 *
 * @param starter path of {@code jsing-starter}
 * @param argv full argv, argv[0] being the starter
 * @param env the payload's environment as {@code K=V} strings
 * @param sessionDir the directory holding generated files (removed by the starter once mounted), or null
 */
public record StarterInvocation(String starter, List<String> argv, List<String> env, Path sessionDir) {
    public StarterInvocation {
        argv = List.copyOf(argv);
        env = List.copyOf(env);
    }

    /** The starter installed with this jsing: {@code PREFIX/libexec/jsing/jsing-starter}. */
    public static Path installedStarter() {
        String prefix = System.getProperty("jsing.prefix");
        if (prefix == null) {
            throw new dev.jsing.runner.error.JsingException(
                    dev.jsing.runner.error.ExitCodes.INTERNAL, "jsing.prefix is not set (run jsing through bin/jsing)");
        }
        return Path.of(prefix, "libexec", "jsing", "jsing-starter");
    }

    /**
     * Builds the invocation: writes the plan's generated files into a new private directory under {@code tmpDir}
     * (when it has any) and returns argv and env. {@code debug} adds the starter's {@code --debug}.
     */
    public static StarterInvocation of(LaunchPlan plan, Path starter, Path tmpDir, boolean debug) {
        return build(plan, starter, tmpDir, debug, false);
    }

    /** This invocation with {@code options} inserted after the starter's path (the order of options is free). */
    public StarterInvocation withOptions(List<String> options) {
        if (options.isEmpty()) {
            return this;
        }
        List<String> a = new ArrayList<>(argv);
        a.addAll(1, options);
        return new StarterInvocation(starter, a, env, sessionDir);
    }

    /**
     * The invocation that runs the plan's payload inside the running instance whose init is {@code pid} (started at
     * {@code startTime}): {@code --enter}, the working directory, the kept fds and the payload. The plan's mounts are
     * the instance's already; nothing is written.
     */
    static StarterInvocation enter(LaunchPlan plan, Path starter, long pid, long startTime, boolean debug) {
        List<String> a = new ArrayList<>();
        a.add(starter.toString());
        if (debug) {
            a.add("--debug");
        }
        add(a, "--enter", String.valueOf(pid), String.valueOf(startTime));
        if (plan.cwd() != null) {
            add(a, "--cwd", plan.cwd());
            if (plan.cwdRequired()) {
                a.add("--cwd-required");
            }
        }
        for (int fd : plan.keepFds()) {
            add(a, "--keep-fd", String.valueOf(fd));
        }
        a.add("--");
        a.addAll(plan.argv());
        List<String> env = new ArrayList<>(plan.env().size());
        for (Map.Entry<String, String> e : plan.env().entrySet()) {
            env.add(e.getKey() + "=" + e.getValue());
        }
        return new StarterInvocation(starter.toString(), a, env, null);
    }

    /** In a {@link #template} argv: the session directory the replaying starter creates. */
    static final String SESSION = "\u0001S\u0001";
    /** In a {@link #template} argv: one element that stands for the {@code --keep-fd N} pairs of the live launch. */
    static final String KEEP_FDS = "\u0001K\u0001";

    /**
     * The invocation as a template for {@link Replay}: the generated files are under {@link #SESSION} (the replaying
     * starter writes them into a new session directory) and the kept fds are the one element {@link #KEEP_FDS}. Writes
     * nothing.
     */
    static StarterInvocation template(LaunchPlan plan, Path starter, boolean debug) {
        return build(plan, starter, null, debug, true);
    }

    private static StarterInvocation build(
            LaunchPlan plan, Path starter, Path tmpDir, boolean debug, boolean template) {
        Path session = null;
        boolean generated = false;
        List<String> a = new ArrayList<>();
        a.add(starter.toString());
        if (debug) {
            a.add("--debug");
        }
        LaunchPlan.Rootfs r = plan.rootfs();
        if (r.isSandbox()) {
            a.add("--sandbox");
            a.add(r.file());
            if (plan.writable()) {
                a.add("--writable");
            }
        } else {
            add(a, "--squashfs", r.file(), String.valueOf(r.offset()));
            add(a, "--squashfuse", r.squashfuse());
        }
        if (plan.writableTmpfsMb() > 0) {
            add(a, "--writable-tmpfs", String.valueOf(plan.writableTmpfsMb()));
        }
        if (plan.overlayDir() != null) {
            add(a, "--overlay", plan.overlayDir());
        }
        for (LaunchPlan.Layer l : r.layers()) {
            if (!l.writable()) {
                add(a, "--layer", l.kind().arg(), l.path(), String.valueOf(l.offset()));
            } else {
                add(a, "--overlay-image", l.path(), String.valueOf(l.offset()));
            }
        }
        if (r.isSandbox() && r.squashfuse() != null) {
            add(a, "--squashfuse", r.squashfuse()); // for squashfs layers
        }
        if (r.fuse2fs() != null) {
            add(a, "--fuse2fs", r.fuse2fs());
            add(a, "--fuse-overlayfs", r.fuseOverlayfs());
        }
        if (plan.fakeroot()) {
            a.add("--fakeroot");
            if (plan.subids() != null) {
                a.add("--subids");
                for (int i : plan.subids()) {
                    a.add(String.valueOf(i));
                }
            }
        }
        if (plan.pid()) {
            a.add("--pid");
        }
        if (plan.ipc()) {
            a.add("--ipc");
        }
        if (plan.hostname() != null) {
            add(a, "--uts", plan.hostname());
        }
        if (plan.network() != null) {
            a.add("--net");
            if (plan.network().slirp() != null) {
                add(a, "--slirp", plan.network().slirp());
                for (NetworkPlan.Portmap m : plan.network().portmaps()) {
                    add(a, "--portmap", String.valueOf(m.host()), String.valueOf(m.container()), m.proto());
                }
            }
        }
        try {
            for (Mount m : plan.mounts()) {
                switch (m.type()) {
                    case PROC:
                        add(a, "--proc", m.source());
                        break;
                    case SYS:
                        a.add("--sys");
                        break;
                    case DEV:
                        add(a, "--dev", m.source());
                        break;
                    case BIND:
                        add(a, "--bind", m.source(), m.destination(), m.readOnly() ? "ro" : "rw");
                        break;
                    case FILE:
                        add(a, "--file", m.source(), m.destination());
                        break;
                    case TMPFS:
                        add(a, "--tmpfs", m.destination(), String.valueOf(m.sizeMb()));
                        break;
                    case DEVICE:
                        add(a, "--dev-bind", m.source(), m.destination());
                        break;
                    case GENERATED:
                        if (template) {
                            generated = true;
                            add(a, "--file", SESSION + "/" + m.source(), m.destination());
                            break;
                        }
                        if (session == null) {
                            dev.jsing.runner.image.TempDirs.sweepStale(
                                    tmpDir, "jsing-session-", java.time.Duration.ofMinutes(1));
                            session = dev.jsing.runner.image.TempDirs.create(tmpDir, "jsing-session-");
                        }
                        Path f = session.resolve(m.source());
                        Files.writeString(f, m.content(), StandardCharsets.UTF_8);
                        add(a, "--file", f.toString(), m.destination());
                        break;
                    default:
                        throw new IllegalStateException(m.type().toString());
                }
            }
        } catch (IOException e) {
            if (session != null) {
                dev.jsing.common.fs.Trees.deleteQuietly(session);
            }
            throw new dev.jsing.runner.error.JsingException(
                    dev.jsing.runner.error.ExitCodes.CANT_CREATE,
                    "cannot write session files in " + tmpDir + ": " + e.getMessage());
        }
        if (session != null) {
            add(a, "--remove-before-exec", session.toString());
        } else if (generated) {
            add(a, "--remove-before-exec", SESSION);
        }
        for (dev.jsing.runner.device.DeviceSetup.Hook h : plan.hooks()) {
            add(a, "--hook", h.when().equals("create") && h.rootfsArg() ? "create-rootfs" : h.when());
            add(
                    a,
                    String.valueOf(h.timeoutSeconds()),
                    h.path(),
                    String.valueOf(h.args().size()));
            a.addAll(h.args());
            a.add(String.valueOf(h.env().size()));
            a.addAll(h.env());
        }
        if (plan.cwd() != null) {
            add(a, "--cwd", plan.cwd());
            if (plan.cwdRequired()) {
                a.add("--cwd-required");
            }
        }
        if (template) {
            a.add(KEEP_FDS);
        } else {
            for (int fd : plan.keepFds()) {
                add(a, "--keep-fd", String.valueOf(fd));
            }
        }
        if (plan.removeAfterExit() != null) {
            add(a, "--remove-after-exit", plan.removeAfterExit());
        }
        if (plan.umask() >= 0) {
            add(a, "--umask", String.format("%04o", plan.umask()));
        }
        a.add("--");
        a.addAll(plan.argv());
        List<String> env = new ArrayList<>(plan.env().size());
        for (Map.Entry<String, String> e : plan.env().entrySet()) {
            env.add(e.getKey() + "=" + e.getValue());
        }
        return new StarterInvocation(starter.toString(), a, env, session);
    }

    /** This invocation with the starter joining {@code cgroups} ({@code --cgroup DIR}, after the starter's path). */
    public StarterInvocation withCgroups(List<String> cgroups) {
        if (cgroups.isEmpty()) {
            return this;
        }
        List<String> a = new ArrayList<>(argv());
        List<String> add = new ArrayList<>();
        for (String d : cgroups) {
            add.add("--cgroup");
            add.add(d);
        }
        a.addAll(1, add);
        return new StarterInvocation(starter(), a, env(), sessionDir());
    }

    private static void add(List<String> a, String... items) {
        a.addAll(List.of(items));
    }
}
