package dev.jsing.runner.launch;

import dev.jsing.common.fs.Trees;
import dev.jsing.runner.config.ApptainerConf;
import dev.jsing.runner.config.ConfigLoader;
import dev.jsing.runner.config.JsingConfig;
import dev.jsing.runner.config.JsingDirs;
import dev.jsing.runner.error.ExitCodes;
import dev.jsing.runner.error.JsingException;
import dev.jsing.runner.image.ContainerImage;
import dev.jsing.runner.image.ImageMetadata;
import dev.jsing.runner.image.ImageProbe;
import dev.jsing.runner.image.ImageResolver;
import dev.jsing.runner.image.TempDirs;
import dev.jsing.runner.image.Unsquashfs;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * {@code jsing exec/run/shell/test}: resolves the image, chooses how to mount it (squashfuse, or a temporary sandbox
 * extracted with unsquashfs), plans the launch and replaces the JVM with the starter. When the site activates the
 * execution control list, the image must pass it first ({@code trust.ExecutionCheck}). Everything it creates before
 * the exec is removed if it fails.
 */
public final class Launcher {
    private Launcher() {}

    /** Launches; returns an exit code only when nothing needs to run (e.g. an image without a test script). */
    public static int launch(LaunchRequest req, PrintWriter err) {
        Replay rec = Replay.start(System.getProperty("jsing.name", "jsing"), new String[0], System.getenv());
        rec.refuse("not a command-line launch");
        return launch(req, rec.env(), err, rec);
    }

    /**
     * {@link #launch(LaunchRequest, PrintWriter)} in the environment {@code env} (the recording one of {@code rec}),
     * leaving a replay entry for this launch ({@link Replay}) when it can be replayed.
     */
    public static int launch(LaunchRequest req, Map<String, String> env, PrintWriter err, Replay rec) {
        return launch(req, env, err, rec, null);
    }

    /**
     * {@link #launch(LaunchRequest, Map, PrintWriter, Replay)}, owning {@code owned} (when not null): a temporary
     * directory ({@code --disable-cache}'s download) removed once the container is gone, or at once on a failure.
     */
    public static int launch(LaunchRequest req, Map<String, String> env, PrintWriter err, Replay rec, Path owned) {
        try {
            return run(req, env, err, rec, null, owned).exitCode();
        } finally {
            if (owned != null) { // returning at all means nothing was exec'd: a failure, or nothing to run
                Trees.deleteQuietly(owned);
            }
        }
    }

    /**
     * Starts an instance of {@code req} (its image, options and, for {@code run}, arguments) detached; returns its
     * pids, or the exit code of a start that failed (its error line already printed).
     */
    public static InstanceLaunch.Started startInstance(
            LaunchRequest req, Map<String, String> env, PrintWriter err, InstanceLaunch.Start start) {
        Replay rec = Replay.start(System.getProperty("jsing.name", "jsing"), new String[0], env);
        rec.refuse("an instance");
        return run(req, rec.env(), err, rec, start, null);
    }

    /**
     * Runs {@code req} (whose image is the instance's) inside the running instance {@code enter}: its namespaces and
     * root, a payload planned as for any launch. Returns only when there is nothing to run.
     */
    public static int enterInstance(
            LaunchRequest req, Map<String, String> env, PrintWriter err, InstanceLaunch.Enter enter, Replay rec) {
        rec.refuse("an instance");
        return run(req, env, err, rec, enter, null).exitCode();
    }

    private static InstanceLaunch.Started run(
            LaunchRequest req, Map<String, String> env, PrintWriter err, Replay rec, InstanceLaunch mode, Path owned) {
        if (req.debug()) {
            rec.refuse("--debug");
        }
        if (!req.noEnv().isEmpty()) {
            rec.refuse("--no-env"); // the replay's rules of which host variables pass have no place for its names
        }
        // Each stamp is taken before its file is read: a file replaced in between makes the entry stale, not wrong.
        Path starter = StarterInvocation.installedStarter();
        installation(rec, starter);
        rec.stat("/etc/passwd");
        HostContext host = HostContext.current(env);
        for (Path f : ApptainerConf.DEFAULT_FILES) {
            rec.stat(f.toString());
        }
        rec.stat(ConfigLoader.siteFile().toString());
        Path envConfig = ConfigLoader.envFile(host.env());
        if (envConfig != null) {
            rec.stat(envConfig.toAbsolutePath().toString());
        }
        if (host.home() != null && !host.home().isEmpty()) {
            rec.stat(ConfigLoader.userFile(host.home()).toString());
        }
        JsingConfig config = ConfigLoader.load(host.env(), host.home());
        Path imagePath = Path.of(req.image()).toAbsolutePath().normalize(); // as ImageResolver names it
        rec.stat(imagePath.toString());
        ContainerImage image = ImageResolver.resolve(req.image());
        if (config.executionControlActive()) {
            // Before anything reads the image's filesystem or mounts it. The check (and the signature library it loads)
            // is reached only when the site activates the execution control list.
            dev.jsing.runner.trust.ExecutionCheck.require(
                    image.path(),
                    image.kind() == dev.jsing.runner.image.ImageKind.SIF,
                    config.executionControl(),
                    ConfigLoader.siteDir());
            // A replay could not re-check signatures: with execution control, every launch is a full one.
            rec.refuse("execution control is active");
        }
        if (!image.isSquashfs()) {
            rec.refuse("a sandbox image");
        }
        if (!image.path().equals(imagePath)) {
            rec.refuse("the image resolved to another path");
        }
        for (String f : req.envFiles()) {
            rec.stat(Path.of(f).toAbsolutePath().toString());
        }
        if (req.uts() && req.hostname() == null) {
            rec.refuse("--uts takes the host's name");
        }
        if (!req.limits().isEmpty()) {
            rec.refuse("resource limits (cgroups are created before the starter runs)");
        }
        SitePolicy.checkImage(image, config);
        boolean noPayload = false;
        if (mode instanceof InstanceLaunch.Start start) {
            noPayload = start.startscript() && !hasStartscript(image, config);
            req = instanceRequest(req, start, noPayload);
        }
        req = SitePolicy.namespaces(req, config, err);
        if (mode instanceof InstanceLaunch.Start && !req.pid()) {
            throw new JsingException(ExitCodes.INSTANCE, "instance: the site does not allow PID namespaces");
        }
        if (req.debug()) {
            for (String n : config.notices()) {
                err.println("jsing: debug: " + n);
            }
            String noBash = EnvInterpreter.missingNotice(HostFiles.REAL);
            if (noBash != null) {
                err.println("jsing: debug: " + noBash);
            }
        }
        Path tmpDir = JsingDirs.tmpDir(host.env(), config);
        rec.kind(tmpDir.toString());
        rec.access(tmpDir.toString(), 2, true);
        Path cacheDir = JsingDirs.cacheDir(host.env(), config, host.home());
        ImageMetadata meta = ImageProbe.probe(image, config.unsquashfs(), req.disableCache() ? null : cacheDir, tmpDir);
        if (req.app() != null) {
            ScifApp.require(image, config.unsquashfs(), req.app(), req.action());
        }
        if (!req.quiet()) {
            for (String m : ContainerEnvironment.messages(host.env(), req.envFiles(), req.envs(), req.verbose())) {
                err.println("jsing: " + m);
            }
            err.flush();
        }
        if (req.action().equals("run") && req.app() == null && meta.runscript() == null && !req.quiet()) {
            // As Apptainer's action script says it (its "info" level; a notice here, which -q silences).
            err.println("jsing: notice: no runscript found in container, executing /bin/sh");
            err.flush();
        }
        if (req.action().equals("test") && req.app() == null && !meta.hasTest()) {
            if (!req.quiet()) {
                err.println("jsing: no test script in " + image.path());
            }
            return new InstanceLaunch.Started(ExitCodes.OK, 0, 0);
        }
        Path temp = null;
        try {
            LaunchPlan.Rootfs rootfs;
            String removeAfterExit = null;
            if (mode instanceof InstanceLaunch.Enter) {
                // the instance's root is used; this plan only makes the payload's argv and environment
                rootfs = LaunchPlan.Rootfs.sandbox(image.path().toString());
            } else if (image.isSquashfs()) {
                String why = req.unsquash() ? "--unsquash given" : Fuse.unusableReason(config, host.env(), rec);
                if (why == null) {
                    rootfs = LaunchPlan.Rootfs.squashfs(
                            image.path().toString(), image.offset(), Fuse.program(config, host.env(), rec));
                } else {
                    rec.refuse("the unsquashfs fallback");
                    temp = TempDirs.create(owned != null ? owned : tmpDir, "jsing-sandbox-");
                    if (!req.quiet()) {
                        err.println("jsing: notice: " + why + "; extracting " + image.path()
                                + " to a temporary sandbox in " + tmpDir);
                        err.flush();
                    }
                    Path root = temp.resolve("root");
                    Unsquashfs.run(
                            List.of(
                                    config.unsquashfs(),
                                    "-o",
                                    String.valueOf(image.offset()),
                                    "-d",
                                    root.toString(),
                                    "-no-xattrs",
                                    "-n",
                                    "-q",
                                    "-ig",
                                    image.path().toString()),
                            image.path());
                    if (!Files.isDirectory(root)) {
                        throw new JsingException(ExitCodes.BAD_IMAGE, image.path() + ": unsquashfs extracted nothing");
                    }
                    rootfs = LaunchPlan.Rootfs.sandbox(root.toString());
                    removeAfterExit = (owned != null ? owned : temp).toString();
                }
            } else {
                rootfs = LaunchPlan.Rootfs.sandbox(image.path().toString());
            }
            if (owned != null) {
                removeAfterExit = owned.toString();
            }
            if (req.verbose()) {
                err.println("jsing: verbose: image " + image.path() + " (" + image.kind() + "), "
                        + (rootfs.isSandbox()
                                ? "root filesystem " + rootfs.file()
                                : "mounted with " + rootfs.squashfuse()));
            }
            rec.planningBegins();
            HostFiles files = rec.files(HostFiles.REAL);
            LaunchPlan plan = LaunchPlanner.plan(req, host, config, image, meta, rootfs, removeAfterExit, files, rec);
            if (!req.quiet()) {
                for (String w : plan.warnings()) {
                    err.println("jsing: warning: " + w); // printed: this launch is not recorded for a replay
                }
                err.flush();
            }
            if (mode instanceof InstanceLaunch.Enter enter) {
                StarterInvocation inv =
                        StarterInvocation.enter(plan, starter, enter.pid(), enter.startTime(), req.debug());
                if (req.debug()) {
                    err.println("jsing: debug: " + String.join(" ", inv.argv()));
                    err.flush();
                }
                NativeExec.execve(inv.starter(), inv.argv(), inv.env());
                throw new IllegalStateException("execve returned");
            }
            if (mode instanceof InstanceLaunch.Start start) {
                plan = plan.forInstance(noPayload);
                StarterInvocation inv = StarterInvocation.of(plan, starter, tmpDir, req.debug())
                        .withOptions(noInit(req, plan))
                        .withOptions(List.of(
                                "--instance",
                                start.logOut().toString(),
                                start.logErr().toString()));
                if (req.debug()) {
                    err.println("jsing: debug: " + String.join(" ", inv.argv()));
                    err.flush();
                }
                try {
                    InstanceLaunch.Started started = InstanceStarter.start(inv);
                    if (started.exitCode() == 0) {
                        temp = null; // the instance's now: its watcher removes the sandbox when the instance ends
                    }
                    return started;
                } finally {
                    if (inv.sessionDir() != null) {
                        Trees.deleteQuietly(inv.sessionDir()); // (the starter has removed it, unless it never ran)
                    }
                }
            }
            StarterInvocation inv = StarterInvocation.of(plan, starter, tmpDir, req.debug());
            List<String> cgroups = List.of();
            inv = HpcJoin.apply(inv, req, plan, host.env()); // one container per node per MPI job step
            inv = inv.withOptions(noInit(req, plan));
            if (req.debug()) {
                err.println("jsing: debug: " + String.join(" ", inv.argv()));
            }
            if (req.verbose()) {
                err.println("jsing: verbose: running " + String.join(" ", LaunchPlanner.command(req, meta)));
            }
            err.flush();
            try {
                boolean training = Boolean.getBoolean("jsing.cds.training");
                rec.commit(
                        host,
                        plan,
                        inv,
                        tmpDir,
                        new PlanAgain(req, host, config, image, meta, rootfs, removeAfterExit, files, plan, starter),
                        !training);
                if (!training && "1".equals(RecordingEnv.unrecorded(env).get("JSING_RECORD_ONLY"))) {
                    // planned and recorded for a replay, not run (the integration tests' priming)
                    return new InstanceLaunch.Started(ExitCodes.OK, 0, 0);
                }
                if (training) {
                    // Install-time class-data training run: everything but the exec (see scripts/install.sh).
                    try {
                        NativeExec.execve("/nonexistent/jsing-cds-training", inv.argv(), inv.env());
                    } catch (JsingException expected) {
                        return new InstanceLaunch.Started(ExitCodes.OK, 0, 0);
                    }
                }
                // Last: nothing is left to fail between their creation and the starter, which removes them.
                cgroups = dev.jsing.runner.cgroup.CgroupSetup.create(
                        plan.limits(), host.uid(), ProcessHandle.current().pid());
                inv = inv.withCgroups(cgroups);
                if (req.debug() && !cgroups.isEmpty()) {
                    err.println("jsing: debug: cgroups " + String.join(" ", cgroups) + ": "
                            + plan.limits().describe());
                    err.flush();
                }
                NativeExec.execve(inv.starter(), inv.argv(), inv.env());
            } finally {
                dev.jsing.runner.cgroup.CgroupSetup.removeQuietly(cgroups);
                if (inv.sessionDir() != null) {
                    Trees.deleteQuietly(inv.sessionDir());
                }
            }
            throw new IllegalStateException("execve returned");
        } catch (IOException e) {
            throw new JsingException(
                    ExitCodes.CANT_CREATE, "cannot create a temporary directory in " + tmpDir + ": " + e.getMessage());
        } finally {
            if (temp != null) {
                Trees.deleteQuietly(temp);
            }
        }
    }

    /** Records the stamps of this installation and of the JDK: a reinstall or upgrade invalidates every entry. */
    private static void installation(Replay rec, Path starter) {
        try {
            stampInstallation(rec, starter);
        } catch (IOException | RuntimeException e) {
            rec.refuse("cannot list the installation: " + e.getMessage());
        }
    }

    private static void stampInstallation(Replay rec, Path starter) throws IOException {
        Path prefix = starter.getParent().getParent().getParent();
        rec.stat(prefix.resolve("bin/jsing").toString());
        rec.stat(starter.toString());
        Path lib = prefix.resolve("lib/jsing");
        rec.stat(lib.toString());
        List<Path> all = new ArrayList<>();
        try (java.nio.file.DirectoryStream<Path> ds = Files.newDirectoryStream(lib)) {
            for (Path p : ds) {
                all.add(p);
            }
        }
        java.util.Collections.sort(all);
        for (Path p : all) {
            rec.stat(p.toString());
            if (Files.isDirectory(p)) {
                try (java.nio.file.DirectoryStream<Path> ds = Files.newDirectoryStream(p)) {
                    for (Path q : ds) {
                        rec.stat(q.toString());
                    }
                }
            }
        }
        rec.stat(Path.of(System.getProperty("java.home"), "lib", "modules").toString());
    }

    /** The launch planned again in another environment, as a template (see {@link Replay#entry}). */
    private static final class PlanAgain implements Replay.Templater {
        private final LaunchRequest req;
        private final HostContext host;
        private final JsingConfig config;
        private final ContainerImage image;
        private final ImageMetadata meta;
        private final LaunchPlan.Rootfs rootfs;
        private final String removeAfterExit;
        private final HostFiles files;
        private final LaunchPlan plan;
        private final Path starter;

        PlanAgain(
                LaunchRequest req,
                HostContext host,
                JsingConfig config,
                ContainerImage image,
                ImageMetadata meta,
                LaunchPlan.Rootfs rootfs,
                String removeAfterExit,
                HostFiles files,
                LaunchPlan plan,
                Path starter) {
            this.req = req;
            this.host = host;
            this.config = config;
            this.image = image;
            this.meta = meta;
            this.rootfs = rootfs;
            this.removeAfterExit = removeAfterExit;
            this.files = files;
            this.plan = plan;
            this.starter = starter;
        }

        @Override
        public StarterInvocation template(Map<String, String> env) {
            HostContext h = env == host.env() ? host : host.withEnv(env);
            LaunchPlan p = env == host.env()
                    ? plan
                    : LaunchPlanner.plan(req, h, config, image, meta, rootfs, removeAfterExit, files, null);
            return HpcJoin.apply(StarterInvocation.template(p, starter, req.debug()), req, p, h.env())
                    .withOptions(noInit(req, p));
        }
    }

    /** {@code --no-init} for the starter, when the request asks for it and the plan has a PID namespace. */
    static List<String> noInit(LaunchRequest req, LaunchPlan plan) {
        return plan.pid() && req.noInit() ? List.of("--no-init") : List.of();
    }

    /**
     * The request an instance runs: its startscript ({@code instance start}; with {@code noPayload}, when the image has
     * none, a placeholder that is planned and then dropped: the init alone keeps the instance) or its runscript
     * ({@code instance run}), in a new PID namespace under the init.
     */
    private static LaunchRequest instanceRequest(LaunchRequest req, InstanceLaunch.Start start, boolean noPayload) {
        if (req.noPid() || req.noInit()) {
            throw new JsingException(
                    ExitCodes.INSTANCE,
                    "instance: " + (req.noPid() ? "--no-pid" : "--no-init")
                            + " is not supported: an instance runs under its init in a PID namespace");
        }
        if (!start.startscript()) {
            return req.forInstance("run", req.args());
        }
        List<String> args = new ArrayList<>();
        args.add("/.singularity.d/startscript");
        if (!noPayload) {
            args.addAll(req.args());
        }
        return req.forInstance("exec", args);
    }

    private static boolean hasStartscript(ContainerImage image, JsingConfig config) {
        return dev.jsing.runner.image.ImageInspector.read(
                        image, List.of("startscript"), null, false, config.unsquashfs())
                .containsKey("startscript");
    }

    /** Whether FUSE can serve squashfs images here. */
    static final class Fuse {
        private Fuse() {}

        static String unusableReason(JsingConfig config, Map<String, String> env) {
            return unusableReason(config, env, null);
        }

        static String unusableReason(JsingConfig config, Map<String, String> env, Replay rec) {
            if (program(config, env, rec) == null) {
                return "squashfuse not found (tried " + String.join(", ", config.squashfuse()) + ")";
            }
            Path fuse = Path.of("/dev/fuse");
            boolean r = Files.isReadable(fuse);
            boolean w = r && Files.isWritable(fuse);
            if (rec != null) {
                rec.access("/dev/fuse", 4, r);
                if (r) {
                    rec.access("/dev/fuse", 2, w);
                }
            }
            if (!r || !w) {
                return "/dev/fuse is not usable";
            }
            return null;
        }

        static String program(JsingConfig config, Map<String, String> env) {
            return program(config, env, null);
        }

        /** The squashfuse program; each candidate tried is recorded in {@code rec} (when not null). */
        static String program(JsingConfig config, Map<String, String> env, Replay rec) {
            List<String> path = new ArrayList<>();
            String p = env.getOrDefault("PATH", "/usr/local/bin:/usr/bin:/bin");
            path.addAll(List.of(p.split(":")));
            path.add("/usr/sbin");
            path.add("/sbin");
            for (String c : config.squashfuse()) {
                if (c.isEmpty()) {
                    continue;
                }
                if (c.contains("/")) {
                    if (executable(c, rec)) {
                        return c;
                    }
                    continue;
                }
                for (String dir : path) {
                    if (!dir.isEmpty() && executable(Path.of(dir, c).toString(), rec)) {
                        return Path.of(dir, c).toString();
                    }
                }
            }
            return null;
        }

        private static boolean executable(String p, Replay rec) {
            boolean x = Files.isExecutable(Path.of(p));
            if (rec != null) {
                rec.access(p, 1, x);
            }
            return x;
        }
    }
}
