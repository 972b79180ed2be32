package dev.jsing.slurm;

/** What started this process. */
public enum Launcher {
    /** A task of a Slurm job step ({@code srun}); {@code SLURM_STEP_ID} is set. */
    SLURM_STEP,
    /** A rank started by Open MPI's {@code mpirun}/{@code prterun}; {@code OMPI_COMM_WORLD_SIZE} is set. */
    OPEN_MPI,
    /** A Slurm batch script or allocation outside any step. */
    SLURM_JOB,
    /** Neither: an interactive shell or another launcher. */
    NONE
}
