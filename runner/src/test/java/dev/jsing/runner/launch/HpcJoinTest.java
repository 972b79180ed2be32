package dev.jsing.runner.launch;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class HpcJoinTest {
    static final Map<String, String> SRUN = Map.of(
            "SLURM_JOB_ID",
            "42",
            "SLURM_STEP_ID",
            "0",
            "SLURM_LOCALID",
            "2",
            "SLURM_NODEID",
            "0",
            "SLURM_STEP_TASKS_PER_NODE",
            "4");

    static LaunchPlan plan(String image, boolean pid, String removeAfterExit) {
        return new LaunchPlan(
                LaunchPlan.Rootfs.squashfs(image, 4096, "/usr/bin/squashfuse_ll"),
                false,
                0,
                null,
                false,
                null,
                List.of(Mount.proc(false), Mount.bind("/tmp", "/tmp", false)),
                pid,
                false,
                null,
                "/tmp",
                false,
                List.of(),
                removeAfterExit,
                List.of("/opt/hello"),
                Map.of(),
                List.of());
    }

    static LaunchRequest req(boolean noJoin) {
        LaunchRequest.Builder b = LaunchRequest.builder("exec", "img.sif").args(List.of("/opt/hello"));
        if (noJoin) {
            b.join(false);
        }
        return b.build();
    }

    @Test
    void srunStepJoinsWithPeersAndRank() {
        List<String> a = HpcJoin.args(req(false), plan("/img.sif", false, null), SRUN);
        assertEquals(4, a.size(), a.toString());
        assertEquals("--join", a.get(0));
        assertTrue(a.get(1).startsWith("slurm-42.0-"), a.get(1));
        assertEquals("4", a.get(2));
        assertEquals("2", a.get(3));
    }

    @Test
    void mpirunRanksJoin() {
        Map<String, String> env = Map.of(
                "OMPI_COMM_WORLD_SIZE",
                "4",
                "OMPI_COMM_WORLD_LOCAL_SIZE",
                "4",
                "OMPI_COMM_WORLD_LOCAL_RANK",
                "1",
                "OMPI_MCA_ess_base_jobid",
                "123456");
        List<String> a = HpcJoin.args(req(false), plan("/img.sif", false, null), env);
        assertTrue(a.get(1).startsWith("ompi-123456-"), a.toString());
        assertEquals(List.of("4", "1"), a.subList(2, 4));
    }

    @Test
    void optOutsAndPerProcessFeaturesDisableJoining() {
        assertEquals(List.of(), HpcJoin.args(req(true), plan("/img.sif", false, null), SRUN));
        Map<String, String> env = new HashMap<>(SRUN);
        env.put("JSING_JOIN", "0");
        assertEquals(List.of(), HpcJoin.args(req(false), plan("/img.sif", false, null), env));
        assertEquals(List.of(), HpcJoin.args(req(false), plan("/img.sif", true, null), SRUN));
        assertEquals(List.of(), HpcJoin.args(req(false), plan("/img.sif", false, "/tmp/sandbox"), SRUN));
        env = new HashMap<>(SRUN);
        env.put("SLURM_STEP_TASKS_PER_NODE", "1");
        assertEquals(List.of(), HpcJoin.args(req(false), plan("/img.sif", false, null), env), "a single local rank");
        assertEquals(List.of(), HpcJoin.args(req(false), plan("/img.sif", false, null), Map.of()), "no launcher");
    }

    @Test
    void differentImagesInOneStepGetDifferentContainers() {
        String a = HpcJoin.args(req(false), plan("/a.sif", false, null), SRUN).get(1);
        String b = HpcJoin.args(req(false), plan("/b.sif", false, null), SRUN).get(1);
        assertNotEquals(a, b);
        assertEquals(
                a, HpcJoin.args(req(false), plan("/a.sif", false, null), SRUN).get(1), "stable");
    }

    @Test
    void applyInsertsAfterTheStarter() {
        StarterInvocation inv =
                new StarterInvocation("/s", List.of("/s", "--squashfs", "/a.sif", "0", "--", "x"), List.of(), null);
        StarterInvocation out = HpcJoin.apply(inv, req(false), plan("/a.sif", false, null), SRUN);
        assertEquals("--join", out.argv().get(1));
        assertEquals(List.of("--squashfs", "/a.sif", "0", "--", "x"), out.argv().subList(5, 10));
        assertEquals(inv, HpcJoin.apply(inv, req(true), plan("/a.sif", false, null), SRUN));
    }

    @Test
    void pmixDirIsBoundUnlessAlreadyVisible(@TempDir Path tmp) throws Exception {
        Path pmix = Files.createDirectories(tmp.resolve("spool/pmix.42.0"));
        Map<String, String> env = new HashMap<>(SRUN);
        env.put("PMIX_SERVER_TMPDIR", pmix + "/");
        List<Mount> mounts = new ArrayList<>();
        List<String> visible = new ArrayList<>();
        HpcMounts.add(mounts, visible, env, Set.of());
        assertTrue(mounts.contains(Mount.bind(pmix.toString(), pmix.toString(), false)), mounts.toString());
        assertTrue(visible.contains(pmix.toString()));

        mounts.clear();
        HpcMounts.add(mounts, new ArrayList<>(List.of(tmp.toString())), env, Set.of());
        assertTrue(
                mounts.stream().noneMatch(m -> m.source().equals(pmix.toString())), "under a visible bind: " + mounts);

        mounts.clear();
        HpcMounts.add(mounts, new ArrayList<>(), env, Set.of(pmix.toString()));
        assertTrue(mounts.stream().noneMatch(m -> m.source().equals(pmix.toString())), "--no-mount: " + mounts);

        mounts.clear();
        HpcMounts.add(
                mounts,
                new ArrayList<>(),
                Map.of("PMIX_SERVER_TMPDIR", tmp.resolve("missing").toString()),
                Set.of());
        assertEquals(List.of(), mounts, "a missing dir is not bound");
    }

    @Test
    void underMatchesWholeComponents() {
        assertTrue(HpcMounts.under("/tmp/a", List.of("/tmp")));
        assertTrue(HpcMounts.under("/tmp", List.of("/tmp")));
        assertTrue(!HpcMounts.under("/tmpx/a", List.of("/tmp")));
    }
}
