package dev.jsing.runner.launch;

import dev.jsing.slurm.LaunchEnvironment;
import dev.jsing.slurm.Launcher;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The binds a Slurm or MPI rank needs beyond Apptainer's defaults, from the rules in {@link LaunchEnvironment}:
 *
 * <ul>
 *   <li>{@code PMIX_SERVER_TMPDIR} at the same path (Slurm 22.05 puts it under slurmd's spool, e.g. {@code
 *       /var/spool/slurmd/pmix.5.0}; the PMIx client in the image finds its server's rendezvous files there), unless it
 *       is already visible through a bind of a parent ({@code /tmp} for mpirun's).
 *   <li>{@code /run/munge} (read-only; sockets stay connectable) inside a Slurm job or step, for PMIx's munge security
 *       mode and Slurm clients in the image.
 * </ul>
 *
 * {@code PMI_FD} (PMI-2's socket) is kept open by {@link LaunchPlanner#keepFds}. {@code --no-mount} with the path
 * skips a bind.
 */
public final class HpcMounts {
    static final String MUNGE = "/run/munge";

    private HpcMounts() {}

    /** Adds the binds to {@code mounts} (and their paths to {@code visible}). */
    static void add(List<Mount> mounts, List<String> visible, Map<String, String> env, Set<String> noMount) {
        add(mounts, visible, env, noMount, HostFiles.REAL);
    }

    /** {@link #add}, checking host directories through {@code files}. */
    static void add(
            List<Mount> mounts, List<String> visible, Map<String, String> env, Set<String> noMount, HostFiles files) {
        LaunchEnvironment le = LaunchEnvironment.from(env);
        le.pmixServerTmpdir()
                .map(Path::toString)
                .filter(d -> !noMount.contains(d) && files.isDirectory(d) && !under(d, visible))
                .ifPresent(d -> {
                    mounts.add(Mount.bind(d, d, false));
                    visible.add(d);
                });
        if (le.launcher() != Launcher.NONE
                && !noMount.contains(MUNGE)
                && files.isDirectory(MUNGE)
                && !under(MUNGE, visible)) {
            mounts.add(Mount.bind(MUNGE, MUNGE, true));
        }
    }

    /** Whether {@code path} is {@code v} or below it for some {@code v} in {@code visible}. */
    static boolean under(String path, List<String> visible) {
        for (String v : visible) {
            if (path.equals(v) || path.startsWith(v.endsWith("/") ? v : v + "/")) {
                return true;
            }
        }
        return false;
    }
}
