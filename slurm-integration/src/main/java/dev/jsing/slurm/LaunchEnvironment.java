package dev.jsing.slurm;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * What the launch environment says about this process, read from environment variables only.
 *
 * <p>Rules (the single place where jsing interprets Slurm and Open MPI variables):
 *
 * <ul>
 *   <li>Launcher: {@code SLURM_STEP_ID} (or {@code SLURM_STEPID}) with {@code SLURM_JOB_ID} is a Slurm step; else
 *       {@code OMPI_COMM_WORLD_SIZE} is Open MPI's mpirun; else {@code SLURM_JOB_ID} alone is a batch script or
 *       allocation; else none. Inside a Slurm allocation, mpirun's ranks carry both, and mpirun wins because the ranks
 *       are its children, not srun's.
 *   <li>Local rank and local peer count: Open MPI's {@code OMPI_COMM_WORLD_LOCAL_RANK}/{@code _LOCAL_SIZE}; Slurm's
 *       {@code SLURM_LOCALID} and this node's entry of {@code SLURM_STEP_TASKS_PER_NODE} (index {@code SLURM_NODEID}).
 *   <li>Step key: {@code slurm-JOB.STEP} or {@code ompi-JOBID} (Open MPI's {@code OMPI_MCA_ess_base_jobid}, else
 *       {@code PMIX_NAMESPACE}); it names the per-node join point of one job step.
 *   <li>PMIx: {@code PMIX_SERVER_TMPDIR} must be visible inside at the same path (Slurm 22.05 puts it under slurmd's
 *       spool; mpirun under /tmp). PMI-2: {@code PMI_FD} is a socket the payload must inherit.
 *   <li>Scratch base: {@code SLURM_TMPDIR} (set by some sites' job_container plugins), else {@code TMPDIR}.
 * </ul>
 */
public final class LaunchEnvironment {
    private final Launcher launcher;
    private final OptionalInt localRank;
    private final OptionalInt localPeers;
    private final Optional<String> stepKey;
    private final Optional<Path> pmixServerTmpdir;
    private final OptionalInt pmiFd;
    private final Optional<Path> scratchBase;
    private final Optional<String> jobId;

    private LaunchEnvironment(
            Launcher launcher,
            OptionalInt localRank,
            OptionalInt localPeers,
            Optional<String> stepKey,
            Optional<Path> pmixServerTmpdir,
            OptionalInt pmiFd,
            Optional<Path> scratchBase,
            Optional<String> jobId) {
        this.launcher = launcher;
        this.localRank = localRank;
        this.localPeers = localPeers;
        this.stepKey = stepKey;
        this.pmixServerTmpdir = pmixServerTmpdir;
        this.pmiFd = pmiFd;
        this.scratchBase = scratchBase;
        this.jobId = jobId;
    }

    /**
     * The variables whose values differ between the ranks and the steps of a job and that {@link #from} uses only as
     * text (ids and the local rank, in the step key and the join arguments) or for their presence: a launch replayed
     * without a JVM (runner's {@code Replay}) takes their values from its live environment, so that every rank and
     * every later step of the same shape replays one plan. A new rule that uses one of them otherwise (a number
     * compared, a path checked) must take it off this list; the replay's own check of its template against the full
     * plan catches a use that changes the plan for the value at hand.
     */
    public static final List<String> PER_STEP_TEXT = List.of(
            "SLURM_JOB_ID",
            "SLURM_JOBID",
            "SLURM_STEP_ID",
            "SLURM_STEPID",
            "SLURM_LOCALID",
            "OMPI_COMM_WORLD_LOCAL_RANK");

    /** Reads {@code env} (typically {@code System.getenv()}). */
    public static LaunchEnvironment from(Map<String, String> env) {
        String job = nonEmpty(env.get("SLURM_JOB_ID"));
        if (job == null) {
            job = nonEmpty(env.get("SLURM_JOBID"));
        }
        String step = nonEmpty(env.get("SLURM_STEP_ID"));
        if (step == null) {
            step = nonEmpty(env.get("SLURM_STEPID"));
        }
        boolean ompi = nonEmpty(env.get("OMPI_COMM_WORLD_SIZE")) != null;

        Launcher launcher;
        OptionalInt localRank = OptionalInt.empty();
        OptionalInt localPeers = OptionalInt.empty();
        Optional<String> key = Optional.empty();
        if (ompi) {
            launcher = Launcher.OPEN_MPI;
            localRank = integer(env.get("OMPI_COMM_WORLD_LOCAL_RANK"));
            localPeers = integer(env.get("OMPI_COMM_WORLD_LOCAL_SIZE"));
            String id = nonEmpty(env.get("OMPI_MCA_ess_base_jobid"));
            if (id == null) {
                id = nonEmpty(env.get("PMIX_NAMESPACE"));
            }
            key = id == null ? Optional.empty() : Optional.of("ompi-" + sanitize(id));
        } else if (job != null && step != null) {
            launcher = Launcher.SLURM_STEP;
            localRank = integer(env.get("SLURM_LOCALID"));
            OptionalInt node = integer(env.get("SLURM_NODEID"));
            localPeers = TasksPerNode.forNode(env.get("SLURM_STEP_TASKS_PER_NODE"), node.orElse(0));
            key = Optional.of("slurm-" + sanitize(job) + "." + sanitize(step));
        } else if (job != null) {
            launcher = Launcher.SLURM_JOB;
        } else {
            launcher = Launcher.NONE;
        }

        // Plain code rather than Optional chains: this runs on every launch, and each lambda costs a class spin-up.
        Optional<Path> pmix = absolute(env.get("PMIX_SERVER_TMPDIR"));
        OptionalInt pmiFd = integer(env.get("PMI_FD"));
        String scratch = nonEmpty(env.get("SLURM_TMPDIR"));
        if (scratch == null) {
            scratch = nonEmpty(env.get("TMPDIR"));
        }
        Optional<Path> scratchBase = absolute(scratch);
        return new LaunchEnvironment(
                launcher, localRank, localPeers, key, pmix, pmiFd, scratchBase, Optional.ofNullable(job));
    }

    public Launcher launcher() {
        return launcher;
    }

    /** This process's index among the ranks on its node (0-based). */
    public OptionalInt localRank() {
        return localRank;
    }

    /** How many ranks of this step run on this node, this one included. */
    public OptionalInt localPeers() {
        return localPeers;
    }

    /** A file-name-safe key naming this job step (the same for every rank of the step), when known. */
    public Optional<String> stepKey() {
        return stepKey;
    }

    /** The PMIx server's directory, which must be visible inside the container at the same path. */
    public Optional<Path> pmixServerTmpdir() {
        return pmixServerTmpdir;
    }

    /** The PMI-2 socket the payload must inherit ({@code PMI_FD}). */
    public OptionalInt pmiFd() {
        return pmiFd;
    }

    /** The directory under which per-job scratch space goes. */
    public Optional<Path> scratchBase() {
        return scratchBase;
    }

    /** The Slurm job id, when inside a Slurm job. */
    public Optional<String> jobId() {
        return jobId;
    }

    /**
     * Whether the ranks on this node should share one container: launched as a step or by mpirun, with more than one
     * local peer, a known local rank and a step key.
     */
    public boolean shouldJoin() {
        return (launcher == Launcher.SLURM_STEP || launcher == Launcher.OPEN_MPI)
                && localPeers.orElse(1) > 1
                && localRank.isPresent()
                && stepKey.isPresent();
    }

    /** {@code s} as a normalised absolute path; empty when unset, empty or relative. */
    private static Optional<Path> absolute(String s) {
        return s == null || !s.startsWith("/")
                ? Optional.empty()
                : Optional.of(Path.of(s).normalize());
    }

    private static String nonEmpty(String s) {
        return s == null || s.isEmpty() ? null : s;
    }

    private static OptionalInt integer(String s) {
        if (s == null) {
            return OptionalInt.empty();
        }
        try {
            int v = Integer.parseInt(s.trim());
            return v < 0 ? OptionalInt.empty() : OptionalInt.of(v);
        } catch (NumberFormatException e) {
            return OptionalInt.empty();
        }
    }

    /** Keeps a value safe to use in a file name: letters, digits, '.', '_', '-'. */
    private static String sanitize(String v) {
        return v.replaceAll("[^A-Za-z0-9._-]", "_");
    }
}
