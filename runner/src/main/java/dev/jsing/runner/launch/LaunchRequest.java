package dev.jsing.runner.launch;

import dev.jsing.runner.device.DeviceRequest;
import java.util.ArrayList;
import java.util.List;

/**
 * What the user asked for: the action, the image, the payload arguments and the action options ({@code -B},
 * {@code --home}, ...), as given on the command line. Immutable; build with {@link #builder}.
 */
public record LaunchRequest(
        String action,
        String image,
        List<String> args,
        List<String> binds,
        List<String> mounts,
        String home,
        boolean noHome,
        boolean contain,
        boolean cleanEnv,
        List<String> envs,
        List<String> envFiles,
        List<String> noEnv,
        boolean noEval,
        boolean noUmask,
        String app,
        String cwd,
        List<String> scratch,
        String workdir,
        boolean writableTmpfs,
        int tmpfsSizeMb,
        boolean writable,
        boolean fakeroot,
        boolean ignoreSubuid,
        List<String> overlays,
        List<String> noMount,
        boolean pid,
        boolean ipc,
        String hostname,
        boolean uts,
        String shell,
        boolean unsquash,
        boolean debug,
        boolean quiet,
        boolean verbose,
        boolean disableCache,
        boolean noHttps,
        Boolean join,
        DeviceRequest devices,
        dev.jsing.runner.cgroup.LimitRequest limits,
        NetworkRequest network,
        boolean noInit,
        boolean noPid) {
    public LaunchRequest {
        devices = devices == null ? DeviceRequest.NONE : devices;
        args = List.copyOf(args);
        binds = List.copyOf(binds);
        overlays = List.copyOf(overlays);
        mounts = List.copyOf(mounts);
        envs = List.copyOf(envs);
        envFiles = List.copyOf(envFiles);
        noEnv = List.copyOf(noEnv);
        scratch = List.copyOf(scratch);
        noMount = List.copyOf(noMount);
    }

    /** The same request for another image: a registry image once it has been pulled to a local SIF. */
    public LaunchRequest withImage(String localImage) {
        return toBuilder(localImage).build();
    }

    /** The same request without the namespaces a site does not allow ({@code pid}, {@code ipc}, {@code uts}). */
    public LaunchRequest withoutNamespaces(java.util.Collection<String> denied) {
        Builder b = toBuilder(image);
        b.pid = pid && !denied.contains("pid");
        b.ipc = ipc && !denied.contains("ipc");
        if (denied.contains("uts")) {
            b.hostname = null;
            b.uts = false;
        }
        return b.build();
    }

    /** The same request with other payload arguments. */
    public LaunchRequest withArgs(List<String> newArgs) {
        Builder b = toBuilder(image);
        b.args.clear();
        b.args.addAll(newArgs);
        return b.build();
    }

    /**
     * The request of an instance ({@code instance start|run}): in a new PID namespace, running {@code action} ({@code
     * exec} of the startscript, or {@code run}) with {@code args}.
     */
    public LaunchRequest forInstance(String instanceAction, List<String> instanceArgs) {
        Builder c = toBuilder(instanceAction, image);
        c.args.clear();
        c.args.addAll(instanceArgs);
        c.pid = true;
        return c.build();
    }

    /** A builder holding every field of this request, for {@code image}. */
    private Builder toBuilder(String image) {
        return toBuilder(action, image);
    }

    /** A builder holding every field of this request, for {@code newAction} and {@code image}. */
    private Builder toBuilder(String newAction, String image) {
        Builder b = new Builder(newAction, image);
        b.args.addAll(args);
        b.binds.addAll(binds);
        b.mounts.addAll(mounts);
        b.home = home;
        b.noHome = noHome;
        b.contain = contain;
        b.cleanEnv = cleanEnv;
        b.envs.addAll(envs);
        b.envFiles.addAll(envFiles);
        b.noEnv.addAll(noEnv);
        b.noEval = noEval;
        b.noUmask = noUmask;
        b.app = app;
        b.cwd = cwd;
        b.scratch.addAll(scratch);
        b.workdir = workdir;
        b.writableTmpfs = writableTmpfs;
        b.tmpfsSizeMb = tmpfsSizeMb;
        b.writable = writable;
        b.fakeroot = fakeroot;
        b.ignoreSubuid = ignoreSubuid;
        b.overlays.addAll(overlays);
        b.noMount.addAll(noMount);
        b.pid = pid;
        b.ipc = ipc;
        b.hostname = hostname;
        b.uts = uts;
        b.shell = shell;
        b.unsquash = unsquash;
        b.debug = debug;
        b.quiet = quiet;
        b.verbose = verbose;
        b.disableCache = disableCache;
        b.noHttps = noHttps;
        b.join = join;
        b.devices = devices;
        b.limits = limits;
        b.network = network;
        b.noInit = noInit;
        b.noPid = noPid;
        return b;
    }

    public static Builder builder(String action, String image) {
        return new Builder(action, image);
    }

    /** Collects options; {@link #build} makes the immutable request. */
    public static final class Builder {
        private final String action;
        private final String image;
        private final List<String> args = new ArrayList<>();
        private final List<String> binds = new ArrayList<>();
        private final List<String> mounts = new ArrayList<>();
        private String home;
        private boolean noHome;
        private boolean contain;
        private boolean cleanEnv;
        private final List<String> envs = new ArrayList<>();
        private final List<String> envFiles = new ArrayList<>();
        private final List<String> noEnv = new ArrayList<>();
        private boolean noEval;
        private boolean noUmask;
        private String app;
        private String cwd;
        private final List<String> scratch = new ArrayList<>();
        private String workdir;
        private boolean writableTmpfs;
        private int tmpfsSizeMb;
        private boolean writable;
        private boolean fakeroot;
        private boolean ignoreSubuid;
        private final List<String> overlays = new ArrayList<>();
        private final List<String> noMount = new ArrayList<>();
        private boolean pid;
        private boolean ipc;
        private String hostname;
        private boolean uts;
        private String shell;
        private boolean unsquash;
        private boolean debug;
        private boolean quiet;
        private boolean verbose;
        private boolean disableCache;
        private boolean noHttps;
        private dev.jsing.runner.cgroup.LimitRequest limits = dev.jsing.runner.cgroup.LimitRequest.NONE;
        private NetworkRequest network = NetworkRequest.NONE;
        private Boolean join;
        private DeviceRequest devices = DeviceRequest.NONE;
        private boolean noInit;
        private boolean noPid;

        private Builder(String action, String image) {
            this.action = action;
            this.image = image;
        }

        public Builder args(List<String> v) {
            args.addAll(v);
            return this;
        }

        public Builder bind(String v) {
            binds.add(v);
            return this;
        }

        public Builder mount(String v) {
            mounts.add(v);
            return this;
        }

        public Builder home(String v) {
            home = v;
            return this;
        }

        public Builder noHome(boolean v) {
            noHome = v;
            return this;
        }

        public Builder contain(boolean v) {
            contain = v;
            return this;
        }

        /** {@code --containall}: contain + pid + ipc + cleanenv. */
        public Builder containAll(boolean v) {
            if (v) {
                contain = true;
                pid = true;
                ipc = true;
                cleanEnv = true;
            }
            return this;
        }

        public Builder cleanEnv(boolean v) {
            cleanEnv |= v;
            return this;
        }

        public Builder env(String v) {
            envs.add(v);
            return this;
        }

        public Builder envFile(String v) {
            envFiles.add(v);
            return this;
        }

        /** {@code --no-env LIST}: host variables that do not pass (comma list). */
        public Builder noEnv(String v) {
            for (String s : v.split(",")) {
                if (!s.isBlank()) {
                    noEnv.add(s.trim());
                }
            }
            return this;
        }

        /** {@code --no-eval}: override values are not evaluated by the container's shell. */
        public Builder noEval(boolean v) {
            noEval |= v;
            return this;
        }

        /** {@code --no-umask}: the payload starts with umask 0022 instead of the caller's. */
        public Builder noUmask(boolean v) {
            noUmask |= v;
            return this;
        }

        /** {@code --app NAME}: the SCIF app to run. */
        public Builder app(String v) {
            app = v;
            return this;
        }

        public Builder cwd(String v) {
            cwd = v;
            return this;
        }

        public Builder scratch(String v) {
            scratch.add(v);
            return this;
        }

        public Builder workdir(String v) {
            workdir = v;
            return this;
        }

        public Builder writableTmpfs(boolean v) {
            writableTmpfs = v;
            return this;
        }

        /** {@code --tmpfs-size MiB}: the size of {@code --writable-tmpfs}'s layer (0: the configuration's). */
        public Builder tmpfsSizeMb(int v) {
            tmpfsSizeMb = v;
            return this;
        }

        /** {@code --writable}: the image itself read-write (a sandbox directory). */
        public Builder writable(boolean v) {
            writable |= v;
            return this;
        }

        /** {@code --fakeroot}: uid 0 and gid 0 inside, mapped to the caller. */
        public Builder fakeroot(boolean v) {
            fakeroot |= v;
            return this;
        }

        /** {@code --ignore-subuid}: with {@code --fakeroot}, map only the caller, as if it had no subordinate ids. */
        public Builder ignoreSubuid(boolean v) {
            ignoreSubuid |= v;
            return this;
        }

        /** One {@code --overlay} value, {@code PATH[:ro|:rw]}; each is a layer, later ones higher. */
        public Builder overlay(String v) {
            overlays.add(v);
            return this;
        }

        public Builder noMount(String v) {
            for (String s : v.split(",")) {
                if (!s.isBlank()) {
                    noMount.add(s.trim());
                }
            }
            return this;
        }

        public Builder pid(boolean v) {
            pid |= v;
            return this;
        }

        public Builder ipc(boolean v) {
            ipc |= v;
            return this;
        }

        public Builder hostname(String v) {
            hostname = v;
            return this;
        }

        /** {@code --uts}: a new UTS namespace; it keeps the host's name unless {@code --hostname} gives another. */
        public Builder uts(boolean v) {
            uts |= v;
            return this;
        }

        /** {@code shell --shell PATH}: the program to run instead of bash or sh. */
        public Builder shell(String v) {
            shell = v;
            return this;
        }

        public Builder unsquash(boolean v) {
            unsquash = v;
            return this;
        }

        public Builder debug(boolean v) {
            debug = v;
            return this;
        }

        /** {@code -q}: only errors from jsing itself (no notices or warnings). */
        public Builder quiet(boolean v) {
            quiet = v;
            return this;
        }

        /** {@code -v}: the launch's steps on stderr. */
        public Builder verbose(boolean v) {
            verbose = v;
            return this;
        }

        /** {@code --disable-cache}: a registry image is pulled into a temporary directory, removed after exit. */
        public Builder disableCache(boolean v) {
            disableCache |= v;
            return this;
        }

        /** {@code --no-https}: plain HTTP to the registry of a registry image. */
        public Builder noHttps(boolean v) {
            noHttps |= v;
            return this;
        }

        /** {@code --join} (true), {@code --no-join} (false); unset: join when the launch environment says so. */
        public Builder join(boolean v) {
            join = v;
            return this;
        }

        /** A resource limit option ({@code --memory}, ..., {@code --apply-cgroups}); null value for a flag. */
        public Builder limit(String option, String value) {
            limits = limits.with(option, value);
            return this;
        }

        /** A network option ({@code --net}, {@code --network}, {@code --network-args}, {@code --dns}, ...). */
        public Builder network(String option, String value) {
            network = network.with(option, value);
            return this;
        }

        /** {@code --no-init}: under {@code --pid}, the payload itself is PID 1 (no init reaps or forwards signals). */
        public Builder noInit(boolean v) {
            noInit |= v;
            return this;
        }

        /** {@code --no-pid}: no PID namespace, even with {@code --pid} or {@code --containall}. */
        public Builder noPid(boolean v) {
            noPid |= v;
            return this;
        }

        /** {@code --nv}: the host's NVIDIA driver files and devices. */
        public Builder nv(boolean v) {
            devices = devices.withNv(devices.nv() || v);
            return this;
        }

        /** {@code --nvccli}: NVIDIA setup by nvidia-container-cli (implies {@code --nv}). */
        public Builder nvccli(boolean v) {
            devices = devices.withNvccli(devices.nvccli() || v);
            return this;
        }

        /** {@code --rocm}: the host's ROCm files and devices. */
        public Builder rocm(boolean v) {
            devices = devices.withRocm(devices.rocm() || v);
            return this;
        }

        /** {@code --no-nv}: cancels {@code --nv} (set, say, by {@code APPTAINER_NV}). */
        public Builder noNv(boolean v) {
            devices = devices.withNoNv(devices.noNv() || v);
            return this;
        }

        /** {@code --no-rocm}: cancels {@code --rocm}. */
        public Builder noRocm(boolean v) {
            devices = devices.withNoRocm(devices.noRocm() || v);
            return this;
        }

        /** {@code --device VENDOR/CLASS=NAME[,...]}: CDI devices. */
        public Builder device(String v) {
            devices = devices.withDevice(v);
            return this;
        }

        /** {@code --cdi-dirs DIR[,...]}: where CDI specs are read. */
        public Builder cdiDirs(String v) {
            devices = devices.withCdiDir(v);
            return this;
        }

        public LaunchRequest build() {
            return new LaunchRequest(
                    action,
                    image,
                    args,
                    binds,
                    mounts,
                    home,
                    noHome,
                    contain,
                    cleanEnv,
                    envs,
                    envFiles,
                    noEnv,
                    noEval,
                    noUmask,
                    app,
                    cwd,
                    scratch,
                    workdir,
                    writableTmpfs,
                    tmpfsSizeMb,
                    writable,
                    fakeroot,
                    ignoreSubuid,
                    overlays,
                    noMount,
                    pid && !noPid,
                    ipc,
                    hostname,
                    uts,
                    shell,
                    unsquash,
                    debug,
                    quiet,
                    verbose,
                    disableCache,
                    noHttps,
                    join,
                    devices,
                    limits,
                    network,
                    noInit,
                    noPid);
        }
    }
}
