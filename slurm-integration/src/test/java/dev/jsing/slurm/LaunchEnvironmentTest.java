package dev.jsing.slurm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import org.junit.jupiter.api.Test;

/** Tests for {@link LaunchEnvironment}, with environments recorded from Slurm 22.05 and Open MPI 4.1 here. */
class LaunchEnvironmentTest {
    /** Rank 1 of {@code srun -n 4 --mpi=pmix} on one node, as slurmstepd sets it. */
    private static final Map<String, String> SRUN_PMIX = Map.of(
            "SLURM_JOB_ID", "3",
            "SLURM_STEP_ID", "0",
            "SLURM_LOCALID", "1",
            "SLURM_NODEID", "0",
            "SLURM_STEP_TASKS_PER_NODE", "4",
            "PMIX_NAMESPACE", "slurm.pmix.3.0",
            "PMIX_SERVER_TMPDIR", "/var/spool/slurmd/pmix.3.0/",
            "TMPDIR", "/tmp");

    /** Rank 0 of {@code mpirun -np 2}, inside a Slurm allocation. */
    private static final Map<String, String> MPIRUN_IN_ALLOCATION = Map.of(
            "SLURM_JOB_ID", "7",
            "OMPI_COMM_WORLD_SIZE", "2",
            "OMPI_COMM_WORLD_LOCAL_RANK", "0",
            "OMPI_COMM_WORLD_LOCAL_SIZE", "2",
            "OMPI_MCA_ess_base_jobid", "1085341697",
            "PMIX_NAMESPACE", "1085341697",
            "PMIX_SERVER_TMPDIR", "/tmp/ompi.vm.1001/pid.11343");

    @Test
    void srunStep() {
        LaunchEnvironment e = LaunchEnvironment.from(SRUN_PMIX);
        assertEquals(Launcher.SLURM_STEP, e.launcher());
        assertEquals(OptionalInt.of(1), e.localRank());
        assertEquals(OptionalInt.of(4), e.localPeers());
        assertEquals(Optional.of("slurm-3.0"), e.stepKey());
        assertEquals(Optional.of(Path.of("/var/spool/slurmd/pmix.3.0")), e.pmixServerTmpdir());
        assertEquals(Optional.of(Path.of("/tmp")), e.scratchBase());
        assertEquals(Optional.of("3"), e.jobId());
        assertTrue(e.shouldJoin());
    }

    @Test
    void mpirunWinsOverTheSurroundingAllocation() {
        LaunchEnvironment e = LaunchEnvironment.from(MPIRUN_IN_ALLOCATION);
        assertEquals(Launcher.OPEN_MPI, e.launcher());
        assertEquals(OptionalInt.of(0), e.localRank());
        assertEquals(OptionalInt.of(2), e.localPeers());
        assertEquals(Optional.of("ompi-1085341697"), e.stepKey());
        assertTrue(e.shouldJoin());
    }

    @Test
    void mpirunKeyFallsBackToPmixNamespaceAndIsSanitised() {
        LaunchEnvironment e = LaunchEnvironment.from(Map.of(
                "OMPI_COMM_WORLD_SIZE", "2",
                "OMPI_COMM_WORLD_LOCAL_RANK", "1",
                "OMPI_COMM_WORLD_LOCAL_SIZE", "2",
                "PMIX_NAMESPACE", "prterun-vm-1/../x@1"));
        assertEquals(Optional.of("ompi-prterun-vm-1_.._x_1"), e.stepKey());
    }

    @Test
    void multiNodeStepUsesThisNodesTaskCount() {
        LaunchEnvironment e = LaunchEnvironment.from(Map.of(
                "SLURM_JOB_ID", "9",
                "SLURM_STEPID", "2",
                "SLURM_LOCALID", "0",
                "SLURM_NODEID", "2",
                "SLURM_STEP_TASKS_PER_NODE", "4(x2),1"));
        assertEquals(OptionalInt.of(1), e.localPeers());
        assertFalse(e.shouldJoin(), "a single local rank has nobody to share with");
    }

    @Test
    void batchScriptAndPlainShell() {
        assertEquals(
                Launcher.SLURM_JOB,
                LaunchEnvironment.from(Map.of("SLURM_JOB_ID", "5")).launcher());
        LaunchEnvironment none = LaunchEnvironment.from(Map.of("HOME", "/home/a"));
        assertEquals(Launcher.NONE, none.launcher());
        assertFalse(none.shouldJoin());
        assertEquals(Optional.empty(), none.stepKey());
        assertEquals(Optional.empty(), none.pmixServerTmpdir());
    }

    @Test
    void pmi2SocketAndScratchPreference() {
        LaunchEnvironment e = LaunchEnvironment.from(Map.of(
                "SLURM_JOB_ID", "4",
                "SLURM_STEP_ID", "1",
                "PMI_FD", "5",
                "SLURM_TMPDIR", "/local/job4",
                "TMPDIR", "/tmp"));
        assertEquals(OptionalInt.of(5), e.pmiFd());
        assertEquals(Optional.of(Path.of("/local/job4")), e.scratchBase());
    }

    @Test
    void badValuesAreIgnored() {
        LaunchEnvironment e = LaunchEnvironment.from(Map.of(
                "SLURM_JOB_ID", "4",
                "SLURM_STEP_ID", "1",
                "SLURM_LOCALID", "-1",
                "PMI_FD", "x",
                "PMIX_SERVER_TMPDIR", "relative/dir",
                "TMPDIR", "also-relative"));
        assertEquals(OptionalInt.empty(), e.localRank());
        assertEquals(OptionalInt.empty(), e.pmiFd());
        assertEquals(Optional.empty(), e.pmixServerTmpdir());
        assertEquals(Optional.empty(), e.scratchBase());
        assertFalse(e.shouldJoin());
    }
}
