package dev.jsing.runner.device;

import java.util.List;

/**
 * What the devices of a launch add to the container, planned on the host: libraries for {@link #LIBS_DIR}, read-only
 * file binds, device nodes (bound from the host, without {@code nodev}), CDI mounts, environment and hooks, and the
 * warnings to print. Immutable.
 *
 * @param libraries host libraries bound read-only into {@link #LIBS_DIR} under their own names
 * @param files host files bound read-only (programs at {@code /usr/bin/NAME}, absolute files at their path)
 * @param devices host device nodes or directories of nodes, with their container path
 * @param mounts CDI mounts (host path, container path, read-only or not)
 * @param env {@code K=V} set in the container (CDI {@code env}); they win over the image's environment
 * @param hooks hooks the starter runs
 * @param warnings one line each, without the {@code jsing: warning: } prefix
 * @param writableTmpfs the launch needs a writable layer ({@code --nvccli} writes into the container's root)
 */
public record DeviceSetup(
        List<String> libraries,
        List<Bind> files,
        List<Bind> devices,
        List<Bind> mounts,
        List<String> env,
        List<Hook> hooks,
        List<String> warnings,
        boolean writableTmpfs) {
    /** Where GPU libraries appear in the container (as in Apptainer); appended to {@code LD_LIBRARY_PATH}. */
    public static final String LIBS_DIR = "/.singularity.d/libs";

    public static final DeviceSetup NONE =
            new DeviceSetup(List.of(), List.of(), List.of(), List.of(), List.of(), List.of(), List.of(), false);

    public DeviceSetup {
        libraries = List.copyOf(libraries);
        files = List.copyOf(files);
        devices = List.copyOf(devices);
        mounts = List.copyOf(mounts);
        env = List.copyOf(env);
        hooks = List.copyOf(hooks);
        warnings = List.copyOf(warnings);
    }

    /** A host path and where it appears in the container. */
    public record Bind(String source, String destination, boolean readOnly) {}

    /**
     * A hook run by the starter (OCI's {@code createContainer} or {@code startContainer}), as the calling user.
     *
     * @param when {@code create}: after the container's mounts are made, before it is entered, with the host's root as
     *     its root (the path is a host path); {@code start}: inside the container, just before the payload
     * @param path the program
     * @param args its argv (argv[0] included)
     * @param env its exact environment, {@code K=V}
     * @param timeoutSeconds 0: none
     * @param rootfsArg the container's root directory (as the hook sees it) is appended to its argv
     */
    public record Hook(
            String when, String path, List<String> args, List<String> env, int timeoutSeconds, boolean rootfsArg) {
        public Hook {
            args = List.copyOf(args);
            env = List.copyOf(env);
        }
    }
}
