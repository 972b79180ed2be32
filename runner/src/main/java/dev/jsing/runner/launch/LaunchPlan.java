package dev.jsing.runner.launch;

import java.util.List;
import java.util.Map;

/**
 * Everything the starter needs to build and enter a container: computed entirely in Java, turned into starter argv
 * by {@link StarterInvocation}. Immutable.
 *
 * @param rootfs the root filesystem
 * @param writable a sandbox used read-write in place (no layer; builds)
 * @param writableTmpfsMb size of a throw-away writable layer (0: none)
 * @param overlayDir persistent writable layer directory, or null
 * @param fakeroot map the caller to root
 * @param subids with fakeroot: {uidStart, uidCount, gidStart, gidCount}, or null
 * @param mounts mounts in order
 * @param pid new PID namespace
 * @param ipc new IPC namespace
 * @param hostname new UTS namespace with this name, or null
 * @param cwd working directory inside, or null
 * @param cwdRequired whether a failing cwd is fatal
 * @param umask the payload's umask ({@code --no-umask}: 022), or -1 for the caller's
 * @param keepFds inherited fds (above 2) the payload keeps
 * @param removeAfterExit a temporary sandbox to remove when the container is gone, or null
 * @param argv the payload's argv (argv[0] looked up with the env's PATH)
 * @param env the payload's exact environment
 * @param hooks hooks the starter runs (CDI, {@code --nvccli}), in order
 * @param warnings one-line warnings for the caller (the launcher prints them unless {@code -q})
 * @param network the container's own network namespace, or null for the host's
 * @param limits the resource limits (cgroups), {@code Limits.NONE} for none
 */
public record LaunchPlan(
        Rootfs rootfs,
        boolean writable,
        int writableTmpfsMb,
        String overlayDir,
        boolean fakeroot,
        int[] subids,
        List<Mount> mounts,
        boolean pid,
        boolean ipc,
        String hostname,
        String cwd,
        boolean cwdRequired,
        int umask,
        List<Integer> keepFds,
        String removeAfterExit,
        List<String> argv,
        Map<String, String> env,
        List<dev.jsing.runner.device.DeviceSetup.Hook> hooks,
        List<String> warnings,
        NetworkPlan network,
        dev.jsing.runner.cgroup.Limits limits) {
    /** A plan without hooks, on the host's network, without resource limits, with the caller's umask. */
    public LaunchPlan(
            Rootfs rootfs,
            boolean writable,
            int writableTmpfsMb,
            String overlayDir,
            boolean fakeroot,
            int[] subids,
            List<Mount> mounts,
            boolean pid,
            boolean ipc,
            String hostname,
            String cwd,
            boolean cwdRequired,
            List<Integer> keepFds,
            String removeAfterExit,
            List<String> argv,
            Map<String, String> env,
            List<String> warnings) {
        this(
                rootfs,
                writable,
                writableTmpfsMb,
                overlayDir,
                fakeroot,
                subids,
                mounts,
                pid,
                ipc,
                hostname,
                cwd,
                cwdRequired,
                -1,
                keepFds,
                removeAfterExit,
                argv,
                env,
                List.of(),
                warnings,
                null,
                dev.jsing.runner.cgroup.Limits.NONE);
    }

    public LaunchPlan {
        hooks = List.copyOf(hooks);
        warnings = List.copyOf(warnings);
        mounts = List.copyOf(mounts);
        keepFds = List.copyOf(keepFds);
        argv = List.copyOf(argv);
        env = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(env));
        subids = subids == null ? null : subids.clone();
        limits = limits == null ? dev.jsing.runner.cgroup.Limits.NONE : limits;
    }

    /**
     * The plan of a detached instance: no inherited fds (it outlives the caller's), and without a payload when {@code
     * noPayload} (its init alone keeps the container).
     */
    public LaunchPlan forInstance(boolean noPayload) {
        return new LaunchPlan(
                rootfs,
                writable,
                writableTmpfsMb,
                overlayDir,
                fakeroot,
                subids,
                mounts,
                pid,
                ipc,
                hostname,
                cwd,
                cwdRequired,
                umask,
                List.of(),
                removeAfterExit,
                noPayload ? List.of() : argv,
                env,
                hooks,
                warnings,
                network,
                limits);
    }

    /**
     * The root filesystem: a squashfs at {@code offset} in {@code file} served by {@code squashfuse}, or a sandbox
     * directory ({@code file}, offset -1); and the overlay layers stacked on it ({@code --overlay} and a SIF's embedded
     * overlay, bottom first, at most one writable and then on top), with the programs that serve them ({@code
     * squashfuse} also serves squashfs layers; {@code fuse2fs} and {@code fuseOverlayfs} are set when a layer is ext3).
     */
    public record Rootfs(
            String file, long offset, String squashfuse, List<Layer> layers, String fuse2fs, String fuseOverlayfs) {
        public Rootfs {
            layers = List.copyOf(layers);
        }

        public static Rootfs squashfs(String file, long offset, String squashfuse) {
            return new Rootfs(file, offset, squashfuse, List.of(), null, null);
        }

        public static Rootfs sandbox(String dir) {
            return new Rootfs(dir, -1, null, List.of(), null, null);
        }

        public boolean isSandbox() {
            return offset < 0;
        }

        /** This root filesystem with {@code layers} on it, served by these programs. */
        public Rootfs withLayers(List<Layer> layers, String squashfuse, String fuse2fs, String fuseOverlayfs) {
            return new Rootfs(file, offset, squashfuse, layers, fuse2fs, fuseOverlayfs);
        }
    }

    /**
     * One overlay layer: a directory, or the squashfs or ext3 file system at {@code offset} in {@code path}; {@code
     * writable} only for the ext3 image on top (a writable directory is {@link LaunchPlan#overlayDir}).
     */
    public record Layer(Kind kind, String path, long offset, boolean writable) {
        /** What a layer is, as the starter's {@code --layer} names it. */
        public enum Kind {
            DIR("dir"),
            SQUASHFS("squashfs"),
            EXT3("ext3");

            private final String arg;

            Kind(String arg) {
                this.arg = arg;
            }

            /** The starter's name for it. */
            public String arg() {
                return arg;
            }
        }
    }
}
