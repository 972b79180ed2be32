package dev.jsing.examples;

import static dev.jsing.examples.MpiSupport.assertNoLeftovers;
import static dev.jsing.examples.MpiSupport.ok;
import static dev.jsing.examples.MpiSupport.sh;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jsing.runner.testing.Commands;
import dev.jsing.runner.testing.Result;
import dev.jsing.runner.testing.TestUser;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The MPI hello image (examples/mpi-hello) under the real one-node Slurm cluster of scripts/start-slurm.sh and under
 * the host's mpirun, as the unprivileged test user: PMIx and PMI-2 wire-up, one container per node per step, Open
 * MPI's single-copy shared memory, batch scripts, accounting, cancellation and time limits, leftovers.
 */
class MpiSlurmIT {
    static final Duration MIN2 = Duration.ofMinutes(2);
    static TestUser user;
    static Path img;
    static Path dir;
    static String host;

    @BeforeAll
    static void setUp() {
        user = TestUser.get();
        img = MpiImages.hello();
        dir = user.newDir("jsing-mpi-it-");
        host = Commands.ok("hostname", "-s").trim();
        Result sinfo = Commands.run("sinfo", "-h", "-o", "%T");
        assertTrue(
                sinfo.stdout().matches("(?s).*(idle|mixed|allocated).*"),
                "Slurm must be up (scripts/start-slurm.sh)\n" + sinfo.describe());
    }

    @AfterAll
    static void tearDown() {
        if (dir != null) {
            Commands.run("rm", "-rf", dir.toString());
        }
    }

    @AfterEach
    void nothingLeft() {
        assertNoLeftovers(user, img);
    }

    private static List<String> sortedLines(String out) {
        return Arrays.stream(out.split("\n"))
                .map(String::trim)
                .filter(s -> !s.isEmpty())
                .sorted()
                .collect(Collectors.toList());
    }

    private List<String> expectedHello(int n) {
        return IntStream.range(0, n)
                .mapToObj(i -> "rank " + i + " of " + n + " on " + host + " uid " + user.uid())
                .sorted()
                .collect(Collectors.toList());
    }

    @Test
    void srunPmixGivesEachRankItsRank() {
        String out = ok(user, dir, "srun -n 4 -O --mpi=pmix $J exec " + img + " /opt/hello", MIN2);
        assertEquals(expectedHello(4), sortedLines(out));
    }

    @Test
    void pmixServerDirIsVisibleAtTheSamePath() {
        String out = ok(
                user,
                dir,
                "srun -n 2 -O --mpi=pmix $J exec " + img + " sh -c "
                        + "'echo \"$PMIX_SERVER_TMPDIR $(ls -A \"$PMIX_SERVER_TMPDIR\" | wc -l)"
                        + " $(grep -c \" ${PMIX_SERVER_TMPDIR%/} \" /proc/self/mountinfo)\"'",
                MIN2);
        List<String> lines = sortedLines(out);
        assertEquals(2, lines.size(), out);
        for (String l : lines) {
            String[] f = l.split(" ");
            assertTrue(f[0].startsWith("/var/spool/slurmd/pmix."), l);
            assertTrue(Integer.parseInt(f[1]) > 0, "the PMIx server's files are visible inside: " + l);
            assertEquals("1", f[2], "the PMIx dir is a bind mount inside: " + l);
        }
    }

    @Test
    void pmi2SocketReachesThePayload() {
        String out = ok(
                user,
                dir,
                "srun -n 2 -O --mpi=pmi2 $J exec " + img + " sh -c "
                        + "'echo \"$PMI_RANK $PMI_SIZE ${PMI_JOBID:+jobid} $(readlink /proc/self/fd/$PMI_FD)\"'",
                MIN2);
        List<String> lines = sortedLines(out);
        assertEquals(2, lines.size(), out);
        for (int i = 0; i < 2; i++) {
            assertTrue(
                    lines.get(i).matches(i + " 2 jobid socket:\\[\\d+\\]"),
                    "PMI_FD is an open socket: " + lines.get(i));
        }
    }

    /** Each rank reports its namespaces; the script counts squashfuse daemons while all ranks are up. */
    private List<String> namespacesAndDaemons(int n, String opts) {
        String sync = dir.resolve("sync-" + System.nanoTime()).toString();
        String script = "mkdir " + sync + "; "
                + "srun -n " + n + " -O --mpi=pmix $J exec " + opts + " " + img + " sh -c '"
                + "echo ns $(readlink /proc/self/ns/user) $(readlink /proc/self/ns/mnt); touch " + sync
                + "/up.$SLURM_PROCID; "
                + "while [ ! -e " + sync + "/go ]; do sleep 0.05; done' & "
                + "while [ $(ls " + sync + " | grep -c ^up) -lt " + n + " ]; do sleep 0.05; done; "
                + "echo daemons $(ps -u $(id -u) -o stat=,comm=,args= | awk -v img=" + img
                + " '$1 !~ /^Z/ && $2 ~ /^squashfuse/ && index($0, img)' | wc -l); "
                + "echo holders $(ps -u $(id -u) -o stat=,comm= | grep -v ^Z | grep -c jsing-holder); "
                + "touch " + sync + "/go; wait; rm -rf " + sync;
        return sortedLines(ok(user, dir, script, MIN2));
    }

    @Test
    void ranksOfAStepShareOneContainerPerNode() {
        List<String> lines = namespacesAndDaemons(4, "");
        assertTrue(lines.contains("daemons 1"), "one squashfuse per node: " + lines);
        assertTrue(lines.contains("holders 1"), "one holder: " + lines);
        Set<String> ns = lines.stream().filter(l -> l.startsWith("ns ")).collect(Collectors.toCollection(TreeSet::new));
        assertEquals(1, ns.size(), "all 4 ranks in one user and mount namespace: " + lines);
        assertEquals(4, lines.stream().filter(l -> l.startsWith("ns ")).count(), lines.toString());
    }

    @Test
    void staleStateOfAKilledHolderIsRemovedByTheNextStep() {
        String sync = dir.resolve("stale-" + System.nanoTime()).toString();
        String out = ok(
                user,
                dir,
                "mkdir " + sync + "; "
                        + "srun -n 2 -O --mpi=pmix $J exec " + img + " sh -c 'touch " + sync + "/up.$SLURM_PROCID; "
                        + "while [ ! -e " + sync + "/go ]; do sleep 0.05; done' & "
                        + "while [ $(ls " + sync + " | grep -c ^up) -lt 2 ]; do sleep 0.05; done; "
                        + "kill -9 $(ps -u $(id -u) -o pid=,comm= | awk '$2 == \"jsing-holder\" {print $1}'); "
                        + "touch " + sync + "/go; wait; rm -rf " + sync + "; "
                        + "echo stale $(ls /dev/shm/jsing-$(id -u) | grep -c holder); "
                        + "srun -n 2 -O --mpi=pmix $J exec " + img + " true; echo next $?",
                MIN2);
        assertTrue(out.contains("stale 1"), "the killed holder left its state: " + out);
        assertTrue(out.contains("next 0"), out);
        // nothingLeft(): the next step's leader removed the stale state, and its own holder cleaned up after it.
    }

    @Test
    void noJoinGivesEachRankItsOwnContainer() {
        List<String> lines = namespacesAndDaemons(3, "--no-join");
        assertTrue(lines.contains("daemons 3"), "one squashfuse per rank: " + lines);
        assertTrue(lines.contains("holders 0"), lines.toString());
        assertEquals(
                3, lines.stream().filter(l -> l.startsWith("ns ")).distinct().count(), lines.toString());
    }

    @Test
    void singleCopySharedMemoryWorksWithJoining() {
        // vader (shared memory) only; its default single-copy mechanism CMA needs the ranks in one user namespace.
        Result r = sh(
                user,
                dir,
                "OMPI_MCA_btl=self,vader " + "srun -n 2 -O --mpi=pmix $J exec " + img + " /opt/pingpong",
                MIN2);
        assertEquals(0, r.exitCode(), r.describe());
        assertFalse(r.stdout().contains("single-copy") || r.stderr().contains("single-copy"), r.describe());
        assertTrue(r.stdout().contains("2097152"), "ping-pong reached 2 MiB: " + r.describe());
    }

    @Test
    void singleCopyFailsWithoutJoining() {
        // The counter-test: without joining, Open MPI sees different user namespaces and warns that CMA is off.
        Result r = sh(
                user,
                dir,
                "OMPI_MCA_btl=self,vader " + "srun -n 2 -O --mpi=pmix $J exec --no-join " + img + " /opt/pingpong",
                MIN2);
        String all = r.stdout() + r.stderr();
        assertEquals(0, r.exitCode(), r.describe());
        assertTrue(
                all.contains("single_copy_mechanism CMA is") && all.contains("different user namespaces"),
                r.describe());
    }

    @Test
    void mpirunOutsideSlurm() {
        String out =
                ok(user, dir, "env -u SLURM_JOB_ID mpirun -np 4 --oversubscribe $J exec " + img + " /opt/hello", MIN2);
        assertEquals(expectedHello(4), sortedLines(out));
    }

    @Test
    void mpirunInsideAnAllocation() {
        String out = ok(user, dir, "salloc -n 4 -O mpirun -np 4 --oversubscribe $J exec " + img + " /opt/hello", MIN2);
        assertEquals(expectedHello(4), sortedLines(out.replaceAll("(?m)^salloc:.*$", "")));
    }

    @Test
    void batchScriptExitStatusIsTheStepsInSacct() throws Exception {
        Path script = dir.resolve("exit7.sbatch");
        Files.writeString(
                script,
                "#!/bin/bash\n#SBATCH --ntasks=2\n#SBATCH --oversubscribe\n#SBATCH --output=" + dir + "/exit7.out\n"
                        + "srun --mpi=pmix " + "$J exec " + img
                        + " sh -c 'echo job=$SLURM_JOB_ID step=$SLURM_STEP_ID rank=$SLURM_PROCID; exit 7'\n");
        user.own(script);
        Result r = sh(user, dir, "sbatch --parsable --wait " + script, MIN2);
        assertEquals(7, r.exitCode(), "sbatch --wait returns the job's exit status\n" + r.describe());
        String job = r.stdout().trim().split(";")[0];
        List<String> out =
                sortedLines(Files.readString(dir.resolve("exit7.out")).replaceAll("(?m)^srun: .*$", ""));
        assertEquals(List.of("job=" + job + " step=0 rank=0", "job=" + job + " step=0 rank=1"), out);
        String exit = "";
        for (int i = 0; i < 50 && !exit.contains(job + ".0|7:0"); i++) {
            exit = ok(user, dir, "sacct -n -P -j " + job + " -o JobID,ExitCode", MIN2);
            MpiSupport.sleep(200);
        }
        assertTrue(exit.contains(job + ".0|7:0"), "sacct: the step's exit status is the payload's\n" + exit);
    }

    @Test
    void scancelAndTimeLimitDeliverSigtermToThePayload() throws Exception {
        // Both jobs run at once: the time-limited one needs a minute whatever we do.
        List<String> jobs = new ArrayList<>();
        for (String kind : List.of("cancel", "timeout")) {
            Path script = dir.resolve(kind + ".sbatch");
            Files.writeString(
                    script,
                    "#!/bin/bash\n#SBATCH --ntasks=2\n#SBATCH --oversubscribe\n#SBATCH --output=" + dir + "/" + kind
                            + ".out\n"
                            + (kind.equals("timeout") ? "#SBATCH --time=1\n" : "")
                            + "srun --mpi=pmix $J exec " + img + " bash -c '"
                            + "trap \"echo TERM > " + dir + "/" + kind + ".term.$SLURM_PROCID; exit 0\" TERM; "
                            + "touch " + dir + "/" + kind + ".up.$SLURM_PROCID; while :; do sleep 0.1; done'\n");
            user.own(script);
            jobs.add(ok(user, dir, "sbatch --parsable " + script, MIN2).trim().split(";")[0]);
        }
        ok(
                user,
                dir,
                "for i in $(seq 1 600); do [ -e cancel.up.0 ] && [ -e cancel.up.1 ] && break; sleep 0.1; done; scancel "
                        + jobs.get(0),
                MIN2);
        ok(
                user,
                dir,
                "while squeue -h -j " + String.join(",", jobs) + " 2>/dev/null | grep -q .; do sleep 1; done",
                Duration.ofMinutes(4));
        for (String kind : List.of("cancel", "timeout")) {
            for (int rank = 0; rank < 2; rank++) {
                Path term = dir.resolve(kind + ".term." + rank);
                assertTrue(
                        Files.exists(term),
                        kind + ": rank " + rank + " got SIGTERM\n" + Files.readString(dir.resolve(kind + ".out")));
            }
        }
        String state = ok(user, dir, "sacct -X -n -P -j " + String.join(",", jobs) + " -o JobID,State", MIN2);
        assertTrue(state.contains(jobs.get(0) + "|CANCELLED"), state);
        assertTrue(state.contains(jobs.get(1) + "|TIMEOUT"), state);
    }

    @Test
    void scratchIsSharedByTheStepsRanksAndGoneAfterTheJob() throws Exception {
        Path script = dir.resolve("scratch.sbatch");
        Files.writeString(
                script,
                "#!/bin/bash\n#SBATCH --ntasks=2\n#SBATCH --oversubscribe\n#SBATCH --output=" + dir + "/scratch.out\n"
                        + "srun --mpi=pmix $J exec --scratch /scratch " + img + " sh -c '"
                        + "echo $SLURM_PROCID > /scratch/r.$SLURM_PROCID; "
                        + "while [ $(ls /scratch | wc -l) -lt 2 ]; do sleep 0.05; done; echo rank $SLURM_PROCID sees $(ls /scratch)'\n");
        user.own(script);
        ok(user, dir, "sbatch --wait " + script, MIN2);
        List<String> out = sortedLines(Files.readString(dir.resolve("scratch.out")));
        assertEquals(List.of("rank 0 sees r.0 r.1", "rank 1 sees r.0 r.1"), out);
        Result find = Commands.run(
                "find", "/tmp", "/var/tmp", "/dev/shm", "-maxdepth", "2", "-name", "r.0", "-user", user.name());
        assertEquals("", find.stdout().trim(), "no scratch file on the host");
    }
}
