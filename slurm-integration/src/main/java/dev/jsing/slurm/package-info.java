/**
 * The rules that read Slurm and MPI launch environments, in one place, as plain functions of an environment map.
 *
 * <p>{@link dev.jsing.slurm.LaunchEnvironment#from(java.util.Map)} answers what the launcher needs to know: who
 * launched this process (a Slurm job step, Open MPI's {@code mpirun}, or neither), this rank's local index and the
 * number of peers on the node (to share one container per node), a key naming the job step (for the join lock), the
 * PMIx server directory that must be visible inside, the PMI-2 socket fd to keep open, and a per-job scratch base.
 * Nothing here touches the file system, processes or the CLI.
 */
package dev.jsing.slurm;
