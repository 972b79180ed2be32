package dev.jsing.runner.launch;

import dev.jsing.runner.config.ConfigLoader;
import dev.jsing.runner.config.JsingConfig;
import dev.jsing.runner.device.DeviceSetup;
import dev.jsing.runner.device.Devices;
import dev.jsing.runner.error.ExitCodes;
import dev.jsing.runner.error.JsingException;
import dev.jsing.runner.host.SubordinateIds;
import dev.jsing.runner.image.ContainerImage;
import dev.jsing.runner.image.ImageMetadata;
import dev.jsing.slurm.LaunchEnvironment;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import java.util.Set;

/**
 * Computes a {@link LaunchPlan} from a request, the caller's context, the configuration and what the image holds.
 * Reads host paths (existence checks) but writes nothing except {@code --workdir} subdirectories.
 */
public final class LaunchPlanner {
    static final int TMPFS_MB = 1024;

    private LaunchPlanner() {}

    /**
     * Plans the launch of {@code req} in {@code image} whose root filesystem is {@code rootfs}.
     *
     * @param removeAfterExit a temporary sandbox to remove afterwards, or null
     */
    public static LaunchPlan plan(
            LaunchRequest req,
            HostContext host,
            JsingConfig config,
            ContainerImage image,
            ImageMetadata meta,
            LaunchPlan.Rootfs rootfs,
            String removeAfterExit) {
        return plan(req, host, config, image, meta, rootfs, removeAfterExit, HostFiles.REAL);
    }

    /** {@link #plan}, reading the host's filesystem through {@code files} (tests describe a host with it). */
    static LaunchPlan plan(
            LaunchRequest req,
            HostContext host,
            JsingConfig config,
            ContainerImage image,
            ImageMetadata meta,
            LaunchPlan.Rootfs rootfs,
            String removeAfterExit,
            HostFiles files) {
        return plan(req, host, config, image, meta, rootfs, removeAfterExit, files, null);
    }

    /** {@link #plan}, telling {@code replay} (when not null) how the payload's environment was made. */
    static LaunchPlan plan(
            LaunchRequest req,
            HostContext host,
            JsingConfig config,
            ContainerImage image,
            ImageMetadata meta,
            LaunchPlan.Rootfs rootfs,
            String removeAfterExit,
            HostFiles files,
            Replay replay) {
        boolean writableRoot = writableRoot(req, image, host, files);
        int tmpfsMb = writableTmpfsMb(req, config);
        List<String> warnings = new ArrayList<>();
        int[] subids = req.fakeroot() ? fakerootIds(req, host, files, warnings) : null;
        OverlayLayers.Planned layered = OverlayLayers.plan(req, image, rootfs, config.squashfuse(), host, files);
        rootfs = layered.rootfs();
        Set<String> noMount = new LinkedHashSet<>(config.noMount()); // the site's, then the user's
        noMount.addAll(req.noMount());
        List<Mount> mounts = new ArrayList<>();
        List<String> visible = new ArrayList<>();

        if (!noMount.contains("proc")) {
            mounts.add(Mount.proc(req.pid()));
        }
        if (!noMount.contains("sys")) {
            mounts.add(Mount.sys());
        }
        if (!noMount.contains("dev")) {
            mounts.add(Mount.dev(req.contain()));
        }
        DeviceSetup devices = DeviceSetup.NONE;
        if (req.devices().any()) {
            if (replay != null && req.devices().nvccli()) {
                replay.refuse("--nvccli (its NVIDIA_* variables are not recorded)");
            }
            boolean hostDev = !noMount.contains("dev") && !req.contain();
            devices = Devices.plan(
                    req.devices(), files, host.env(), ConfigLoader.siteDir().toString(), hostDev, req.contain());
            for (DeviceSetup.Bind d : devices.devices()) {
                mounts.add(Mount.device(d.source(), d.destination()));
            }
            if (devices.writableTmpfs()
                    && tmpfsMb == 0
                    && layered.writableDir() == null
                    && rootfs.layers().stream().noneMatch(LaunchPlan.Layer::writable)
                    && !writableRoot) {
                tmpfsMb = config.sessiondirMaxMb(); // --nvccli writes into the container's root
            }
        }
        if (!noMount.contains("bind-paths")) {
            for (String b : config.bindPaths()) {
                for (BindSpec s : BindSpec.parseList(b, null)) {
                    if (files.exists(s.source())) {
                        addBind(mounts, visible, s, noMount);
                    }
                }
            }
        }

        // Home.
        String homeSrc = host.home();
        String homeDst = req.fakeroot() ? "/root" : host.home(); // as Apptainer: root's home, your files
        if (req.home() != null) {
            List<String> parts = BindSpec.split(req.home(), ':');
            homeSrc = absolute(BindSpec.unescape(parts.get(0)), host.cwd());
            homeDst = parts.size() > 1 ? BindSpec.unescape(parts.get(1)) : homeSrc;
            if (!homeDst.startsWith("/")) {
                throw new JsingException(ExitCodes.BAD_MOUNT, "--home destination '" + homeDst + "' is not absolute");
            }
        }
        boolean mountHome = !req.noHome() && !noMount.contains("home") && !homeDst.equals("/");
        if (mountHome) {
            if (req.contain() && req.home() == null) {
                if (req.workdir() != null) {
                    mounts.add(Mount.bind(workdirSub(files, req.workdir(), "home"), homeDst, false));
                } else {
                    mounts.add(Mount.tmpfs(homeDst, TMPFS_MB));
                }
            } else {
                requireSource(files, homeSrc, "home directory");
                mounts.add(Mount.bind(homeSrc, homeDst, false));
                if (homeSrc.equals(homeDst)) {
                    visible.add(homeDst);
                }
            }
        }

        // /tmp and /var/tmp.
        if (!noMount.contains("tmp")) {
            boolean varTmpIsTmp = files.sameFile("/var/tmp", "/tmp");
            if (req.contain()) {
                if (req.workdir() != null) {
                    mounts.add(Mount.bind(workdirSub(files, req.workdir(), "tmp"), "/tmp", false));
                    mounts.add(Mount.bind(workdirSub(files, req.workdir(), "var_tmp"), "/var/tmp", false));
                } else {
                    mounts.add(Mount.tmpfs("/tmp", TMPFS_MB));
                    mounts.add(Mount.tmpfs("/var/tmp", TMPFS_MB));
                }
            } else {
                mounts.add(Mount.bind("/tmp", "/tmp", false));
                visible.add("/tmp");
                if (!varTmpIsTmp && files.isDirectory("/var/tmp")) {
                    mounts.add(Mount.bind("/var/tmp", "/var/tmp", false));
                    visible.add("/var/tmp");
                }
            }
        }

        // Scratch.
        for (String d : req.scratch()) {
            for (String s : d.split(",")) {
                if (s.isEmpty()) {
                    continue;
                }
                if (!s.startsWith("/")) {
                    throw new JsingException(ExitCodes.BAD_MOUNT, "--scratch '" + s + "' is not an absolute path");
                }
                if (req.workdir() != null) {
                    mounts.add(Mount.bind(workdirSub(files, req.workdir(), "scratch" + s), s, false));
                } else {
                    mounts.add(Mount.tmpfs(s, TMPFS_MB));
                }
            }
        }

        // Files. As Apptainer: root in a writable container keeps the image's own passwd and group (so that
        // useradd and package managers can edit them); otherwise they are generated for the user inside.
        boolean writableLayer = writableRoot
                || tmpfsMb > 0
                || layered.writableDir() != null
                || rootfs.layers().stream().anyMatch(LaunchPlan.Layer::writable);
        HostContext inside = req.fakeroot() ? asRoot(host) : host;
        if (!noMount.contains("/etc/passwd") && !(req.fakeroot() && writableLayer)) {
            mounts.add(Mount.generated("passwd", "/etc/passwd", PasswdFiles.passwd(meta.passwd(), inside, homeDst)));
        }
        if (!noMount.contains("/etc/group") && !(req.fakeroot() && writableLayer)) {
            Set<Integer> gids = new LinkedHashSet<>(inside.groups());
            gids.add(inside.gid());
            mounts.add(Mount.generated(
                    "group",
                    "/etc/group",
                    PasswdFiles.group(
                            meta.group(), inside, PasswdFiles.hostGroupNames(files.readLines("/etc/group"), gids))));
        }
        String uts = req.hostname() != null ? req.hostname() : req.uts() ? hostName() : null;
        if (req.hostname() != null && !noMount.contains("/etc/hostname")) {
            // As Apptainer: a container given a host name also reads it from /etc/hostname.
            mounts.add(Mount.generated("hostname", "/etc/hostname", req.hostname() + "\n"));
        }
        NetworkPlan network = NetworkPlan.of(req.network(), host.env(), files);
        dev.jsing.runner.cgroup.Limits limits = req.limits().resolve();
        List<String> dns = new ArrayList<>(req.network().dns());
        if (dns.isEmpty() && network != null && network.slirp() != null) {
            dns.add(NetworkPlan.SLIRP_DNS); // the host's resolver may be a loopback address the namespace cannot reach
        }
        if (!dns.isEmpty() && !noMount.contains("/etc/resolv.conf")) {
            // As Apptainer's --dns: the container's resolv.conf names these servers only.
            StringBuilder rc = new StringBuilder();
            for (String d : dns) {
                rc.append("nameserver ").append(d).append('\n');
            }
            mounts.add(Mount.generated("resolv.conf", "/etc/resolv.conf", rc.toString()));
        }
        // As Apptainer, also under --contain: a contained container still resolves names (config resolv_conf).
        for (String f : List.of("/etc/hosts", "/etc/localtime", "/etc/resolv.conf")) {
            if (noMount.contains(f) || (f.equals("/etc/resolv.conf") && !dns.isEmpty())) {
                continue;
            }
            if (files.isRegularFile(f)) {
                try {
                    mounts.add(Mount.file(files.realPath(f), f));
                } catch (IOException e) {
                    // skip on error, as Apptainer does for these
                }
            }
        }

        // GPU driver files (--nv, --rocm) and CDI mounts, before the user's binds (Apptainer's "files" step).
        warnings.addAll(devices.warnings());
        if (!config.allowUserBinds()
                && !(devices.libraries().isEmpty() && devices.files().isEmpty())) {
            // As Apptainer ("user bind control" off): the driver's files are user binds, so they are left out.
            warnings.add("user binds are disabled by the site configuration: the GPU libraries and programs are not"
                    + " bound");
            devices = new DeviceSetup(
                    List.of(),
                    List.of(),
                    devices.devices(),
                    devices.mounts(),
                    devices.env(),
                    devices.hooks(),
                    devices.warnings(),
                    devices.writableTmpfs());
        }
        if (!devices.libraries().isEmpty()) {
            mounts.add(Mount.tmpfs(DeviceSetup.LIBS_DIR, 1));
            for (String lib : devices.libraries()) {
                mounts.add(Mount.bind(lib, DeviceSetup.LIBS_DIR + "/" + lib.substring(lib.lastIndexOf('/') + 1), true));
            }
        }
        for (DeviceSetup.Bind f : devices.files()) {
            if (!noMount.contains(f.destination())) {
                mounts.add(Mount.bind(f.source(), f.destination(), true));
            }
        }
        for (DeviceSetup.Bind m : devices.mounts()) {
            mounts.add(Mount.bind(m.source(), m.destination(), m.readOnly()));
        }

        HpcMounts.add(mounts, visible, host.env(), noMount, files); // Slurm/MPI: PMIx server dir, munge

        // User binds: -B, --mount (and their environment keys, which the option table has added to the request).
        List<BindSpec> user = new ArrayList<>();
        for (String b : req.binds()) {
            user.addAll(BindSpec.parseList(b, host.cwd()));
        }
        for (String m : req.mounts()) {
            user.add(BindSpec.parseMount(m, host.cwd()));
        }
        for (BindSpec s : user) {
            if (!config.bindAllowed(s.source())) {
                throw new JsingException(
                        ExitCodes.BAD_MOUNT,
                        "bind of " + s.source() + " is not allowed by the configuration ("
                                + (config.allowUserBinds()
                                        ? "allowed prefixes: " + config.userBindPrefixes()
                                        : "user binds are disabled")
                                + ")");
            }
            requireSource(files, s.source(), "bind source");
            addBind(mounts, visible, s, noMount);
        }
        // Inside, APPTAINER_BIND lists the user binds' destinations, so that a nested launch binds them again.
        StringBuilder bindDsts = new StringBuilder();
        for (BindSpec s : user) {
            bindDsts.append(bindDsts.length() == 0 ? "" : ",")
                    .append(s.destination().replace(",", "\\,").replace(":", "\\:"));
        }

        // Working directory.
        String cwd;
        boolean cwdRequired = false;
        if (req.cwd() != null) {
            cwd = req.cwd();
            cwdRequired = true;
            if (!cwd.startsWith("/")) {
                throw new JsingException(ExitCodes.USAGE, "--cwd '" + cwd + "' is not an absolute path");
            }
        } else if (req.contain()) {
            cwd = homeDst;
        } else {
            cwd = host.cwd();
            if (CwdRules.mountCwd(cwd, false, noMount.contains("cwd"), visible)
                    && config.allowUserBinds()
                    && files.isDirectory(cwd)) {
                mounts.add(Mount.bind(cwd, cwd, false));
            }
        }

        // Environment and argv.
        Map<String, String> set = new LinkedHashMap<>();
        for (String p : new String[] {"JSING", "APPTAINER", "SINGULARITY"}) {
            set.put(p + "_CONTAINER", image.path().toString());
            set.put(p + "_NAME", image.name());
            set.put(p + "_COMMAND", req.action());
            if (req.app() != null) {
                set.put(p + "_APPNAME", req.app());
            }
            set.put(p + "_BIND", bindDsts.toString());
            if (req.noEval()) {
                set.put(p + "_NO_EVAL", "1"); // as Apptainer passes --no-eval on to a nested launch
            }
            if (req.shell() != null) {
                set.put(p + "_SHELL", req.shell());
            }
        }
        if (req.action().equals("shell") && req.shell() == null) {
            set.put("SHELL", meta.hasBash() ? "/bin/bash" : "/bin/sh"); // as Apptainer's action script sets it
        }
        ContainerEnvironment env = ContainerEnvironment.compute(
                host.env(),
                req.cleanEnv(),
                req.noEnv(),
                req.envFiles(),
                devices.env(), // CDI's variables: below --env, and never evaluated
                req.envs(),
                req.noEval(),
                homeDst,
                set);
        String libDir = req.devices().nvidia() || req.devices().amd() ? DeviceSetup.LIBS_DIR : null;
        String interpreter = EnvInterpreter.find(files, replay);
        boolean wrapper = interpreter != null || meta.hasSh();
        if (replay != null) {
            replay.environment(env, wrapper, req.cleanEnv());
        }
        List<String> command = command(req, meta);
        List<String> argv = new ArrayList<>();
        Map<String, String> finalEnv;
        if (wrapper) {
            if (interpreter != null) {
                // -p: bash reads no BASH_ENV, imports no functions and no SHELLOPTS from the host's environment.
                mounts.add(Mount.bind(interpreter, EnvInterpreter.CONTAINER_PATH, true));
                argv.add(EnvInterpreter.CONTAINER_PATH);
                argv.add("-p");
            } else {
                argv.add("/bin/sh");
            }
            argv.add("-c");
            argv.add(env.wrapperScript(libDir));
            argv.add("jsing-env");
            argv.addAll(command);
            finalEnv = env.forWrapper();
        } else {
            argv.addAll(command);
            finalEnv = env.direct(libDir);
        }

        return new LaunchPlan(
                rootfs,
                writableRoot,
                tmpfsMb,
                layered.writableDir(),
                req.fakeroot(),
                subids,
                mounts,
                req.pid(),
                req.ipc(),
                uts,
                cwd,
                cwdRequired,
                req.noUmask() ? 022 : -1,
                keepFds(host.env(), files),
                removeAfterExit,
                argv,
                finalEnv,
                devices.hooks(),
                warnings,
                network,
                limits);
    }

    /**
     * Whether the image itself is used read-write ({@code --writable}): only a sandbox directory the caller owns; a
     * SIF or squashfs image is a read-only file system (a writable layer comes from {@code --writable-tmpfs} or
     * {@code --overlay}), except that a SIF with an embedded overlay partition is allowed {@code --writable}: then
     * that partition is its writable layer ({@link OverlayLayers#embedded}) and this returns false.
     */
    static boolean writableRoot(LaunchRequest req, ContainerImage image, HostContext host, HostFiles files) {
        if (!req.writable()) {
            return false;
        }
        if (req.writableTmpfs() || !req.overlays().isEmpty()) {
            throw new JsingException(
                    ExitCodes.USAGE,
                    "--writable opens the image itself read-write: it excludes "
                            + (req.writableTmpfs() ? "--writable-tmpfs" : "--overlay"));
        }
        if (image.isSquashfs() && OverlayLayers.embedded(image, files).isPresent()) {
            return false; // a SIF with an overlay partition: that partition is the writable layer (OverlayLayers)
        }
        if (image.isSquashfs()) {
            throw new JsingException(
                    ExitCodes.USAGE,
                    "--writable: " + image.path() + " is a read-only "
                            + (image.kind() == dev.jsing.runner.image.ImageKind.SIF ? "SIF" : "squashfs")
                            + " image; use --writable-tmpfs (changes vanish at exit) or --overlay DIR (they persist),"
                            + " or build a sandbox directory (jsing build --sandbox)");
        }
        String dir = image.path().toString();
        int owner = files.owner(dir);
        if (host.uid() != 0 && owner != host.uid()) {
            throw new JsingException(
                    ExitCodes.CANT_CREATE,
                    "--writable: sandbox " + dir + " belongs to "
                            + (owner < 0 ? "an unknown user" : "uid " + owner) + ", not to you (uid " + host.uid()
                            + ")");
        }
        return true;
    }

    /** The size of {@code --writable-tmpfs}'s layer: {@code --tmpfs-size}, else the configuration's; 0 for none. */
    static int writableTmpfsMb(LaunchRequest req, JsingConfig config) {
        if (req.tmpfsSizeMb() > 0 && !req.writableTmpfs()) {
            throw new JsingException(ExitCodes.USAGE, "--tmpfs-size sizes --writable-tmpfs's layer: give both");
        }
        if (!req.writableTmpfs()) {
            return 0;
        }
        return req.tmpfsSizeMb() > 0 ? req.tmpfsSizeMb() : config.sessiondirMaxMb();
    }

    /**
     * The subordinate ranges mapped to ids 1.. with {@code --fakeroot} (read through {@code files}, so a replay checks
     * them), or null with the reason added to {@code warnings}: then only the caller is mapped, to root.
     */
    private static int[] fakerootIds(LaunchRequest req, HostContext host, HostFiles files, List<String> warnings) {
        SubordinateIds.Lookup found = req.ignoreSubuid()
                ? new SubordinateIds.Lookup(null, "--ignore-subuid given")
                : SubordinateIds.lookup(files::readLines, files::isRegularFile, host.user(), host.uid());
        if (found.ids() != null) {
            return found.ids().toArray();
        }
        warnings.add("--fakeroot: " + found.missing() + ": only your own id is mapped (to root); changing a file's"
                + " owner to another user or group (apt-get's _apt, useradd, chown) will fail");
        return null;
    }

    /** Who the caller is inside with {@code --fakeroot}: root, in the container's passwd and group files. */
    private static HostContext asRoot(HostContext host) {
        return new HostContext(host.env(), 0, 0, List.of(), "root", "root", "/root", "/bin/sh", host.cwd());
    }

    /** The payload command for the action. */
    static List<String> command(LaunchRequest req, ImageMetadata meta) {
        List<String> c = new ArrayList<>();
        switch (req.action()) {
            case "exec":
                if (req.args().isEmpty()) {
                    throw new JsingException(ExitCodes.USAGE, "exec: missing command to run in the container");
                }
                c.addAll(req.args());
                break;
            case "run":
                if (req.app() != null) {
                    c.add(appFile(req.app(), "runscript"));
                } else {
                    c.add(meta.runscript() != null ? meta.runscript() : "/bin/sh");
                }
                c.addAll(req.args());
                break;
            case "test":
                c.add(req.app() != null ? appFile(req.app(), "test") : "/.singularity.d/test");
                c.addAll(req.args());
                break;
            case "shell":
                if (req.shell() != null) {
                    c.add(req.shell());
                } else if (meta.hasBash()) {
                    c.add("/bin/bash");
                    c.add("--norc");
                } else {
                    c.add("/bin/sh");
                }
                c.addAll(req.args());
                break;
            default:
                throw new IllegalArgumentException(req.action());
        }
        return c;
    }

    /** A SCIF app's file ({@code runscript}, {@code test}), as Apptainer's action script runs it. */
    static String appFile(String app, String name) {
        return "/scif/apps/" + app + "/scif/" + name;
    }

    /** Inherited fds for the payload: those the launcher script saw open (above 2), and {@link LaunchEnvironment#pmiFd}. */
    static List<Integer> keepFds(Map<String, String> env, HostFiles files) {
        Set<Integer> fds = new LinkedHashSet<>();
        String list = env.get("JSING_INHERITED_FDS");
        if (list != null) {
            for (String s : list.split(",")) {
                addFd(fds, s.trim(), files);
            }
        }
        OptionalInt pmi = LaunchEnvironment.from(env).pmiFd();
        if (pmi.isPresent()) {
            addFd(fds, String.valueOf(pmi.getAsInt()), files);
        }
        return new ArrayList<>(fds);
    }

    private static void addFd(Set<Integer> fds, String s, HostFiles files) {
        try {
            int fd = Integer.parseInt(s);
            if (fd > 2 && files.fdOpen(fd)) {
                fds.add(fd);
            }
        } catch (NumberFormatException e) {
            // not an fd number
        }
    }

    private static void addBind(List<Mount> mounts, List<String> visible, BindSpec s, Set<String> noMount) {
        if (noMount.contains(s.destination())) {
            return;
        }
        mounts.add(Mount.bind(s.source(), s.destination(), s.readOnly()));
        if (s.source().equals(s.destination())) {
            visible.add(s.destination());
        }
    }

    private static void requireSource(HostFiles files, String src, String what) {
        if (!files.exists(src)) {
            throw new JsingException(ExitCodes.BAD_MOUNT, what + " " + src + " does not exist");
        }
    }

    private static String workdirSub(HostFiles files, String workdir, String sub) {
        Path p = Path.of(workdir).toAbsolutePath().resolve(sub.startsWith("/") ? sub.substring(1) : sub);
        try {
            files.createDirectories(p.toString());
        } catch (IOException e) {
            throw new JsingException(ExitCodes.CANT_CREATE, "cannot create " + p + ": " + e.getMessage());
        }
        return p.toString();
    }

    private static String absolute(String p, String cwd) {
        return p.startsWith("/") ? p : Path.of(cwd).resolve(p).normalize().toString();
    }

    /** The host's name, which a new UTS namespace ({@code --uts} without {@code --hostname}) starts with. */
    private static String hostName() {
        try {
            return java.nio.file.Files.readString(Path.of("/proc/sys/kernel/hostname"))
                    .trim();
        } catch (java.io.IOException e) {
            throw new JsingException(ExitCodes.LAUNCH_FAILED, "--uts: cannot read the host name: " + e.getMessage());
        }
    }
}
