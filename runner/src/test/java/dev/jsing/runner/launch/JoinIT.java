package dev.jsing.runner.launch;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jsing.runner.testing.Commands;
import dev.jsing.runner.testing.MinbaseImage;
import dev.jsing.runner.testing.Result;
import dev.jsing.runner.testing.TestDist;
import dev.jsing.runner.testing.TestUser;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * {@code --join} without Slurm: two launches of one image with the environment Open MPI's mpirun gives two local ranks
 * ({@code OMPI_COMM_WORLD_LOCAL_SIZE=2}, ranks 0 and 1, one job id), as the unprivileged test user, share one
 * container (see {@code runner/src/main/c/join.c}).
 */
class JoinIT {
    static TestUser user;
    static Path work;
    static Path image;

    @BeforeAll
    static void image() throws IOException {
        user = TestUser.get();
        work = user.newDir("jsing-join-it-");
        image = MinbaseImage.busyboxCopy(
                work.resolve("join.sqfs")); // a path of our own, so that daemons of other tests are not counted
        user.own(work);
    }

    /**
     * The test user's live squashfuse daemons serving this test's image (by the program run: the join holder keeps the
     * starter's argv, which names squashfuse and the image too).
     */
    static List<String> daemons() {
        return Commands.run("ps", "-u", String.valueOf(user.uid()), "-o", "stat=,args=")
                .stdout()
                .lines()
                .map(String::trim)
                .filter(l -> !l.startsWith("Z"))
                .map(l -> l.substring(l.indexOf(' ') + 1).trim())
                .filter(a -> a.split(" ")[0].matches(".*/squashfuse(_ll)?") && a.contains(image.toString()))
                .toList();
    }

    /** The join holders (comm jsing-holder) of the test user whose starter argv names this test's image. */
    static List<String> holders() {
        return Commands.run("ps", "-u", String.valueOf(user.uid()), "-o", "stat=,comm=,args=")
                .stdout()
                .lines()
                .filter(l -> !l.trim().startsWith("Z") && l.contains("jsing-holder") && l.contains(image.toString()))
                .toList();
    }

    /** The join state files of job {@code jobid} in the user's /dev/shm/jsing-UID directory. */
    static List<String> joinState(String jobid) throws IOException {
        Path dir = Path.of("/dev/shm/jsing-" + user.uid());
        if (!Files.isDirectory(dir)) {
            return List.of();
        }
        try (Stream<Path> s = Files.list(dir)) {
            return s.map(p -> p.getFileName().toString())
                    .filter(n -> n.startsWith("ompi-" + jobid + "-"))
                    .toList();
        }
    }

    static void await(String what, java.util.function.BooleanSupplier done) throws InterruptedException {
        for (int i = 0; i < 600 && !done.getAsBoolean(); i++) {
            Thread.sleep(100);
        }
        assertTrue(done.getAsBoolean(), "timed out waiting for " + what);
    }

    /** Pins that two local ranks share the user and mount namespaces and one squashfuse, and leave no state behind. */
    @Test
    void twoRanksShareOneContainer() throws Exception {
        String jobid = String.valueOf(ProcessHandle.current().pid()) + System.nanoTime() % 100000;
        Path go = work.resolve("go");
        // Each rank prints its namespaces into work/rankN, then waits (inside the container) until the test says go.
        String payload = "echo $(readlink /proc/self/ns/user) $(readlink /proc/self/ns/mnt) > " + work + "/rank$R.tmp"
                + " && mv " + work + "/rank$R.tmp " + work + "/rank$R;"
                + " i=0; while [ ! -e " + go + " ] && [ $i -lt 600 ]; do sleep 0.1; i=$((i+1)); done";
        List<CompletableFuture<Result>> ranks = Stream.of("0", "1")
                .map(r -> CompletableFuture.supplyAsync(() -> user.run(
                        TestDist.jsing("exec", image.toString(), "sh", "-c", payload),
                        Map.of(
                                "R", r,
                                "OMPI_COMM_WORLD_SIZE", "2",
                                "OMPI_COMM_WORLD_LOCAL_SIZE", "2",
                                "OMPI_COMM_WORLD_LOCAL_RANK", r,
                                "OMPI_COMM_WORLD_RANK", r,
                                "OMPI_MCA_ess_base_jobid", jobid,
                                "JSING_TMPDIR", work.toString()),
                        work,
                        Duration.ofMinutes(2))))
                .toList();
        try {
            await(
                    "both ranks to start",
                    () -> Files.exists(work.resolve("rank0")) && Files.exists(work.resolve("rank1")));
            String ns0 = Files.readString(work.resolve("rank0")).trim();
            String ns1 = Files.readString(work.resolve("rank1")).trim();
            assertTrue(ns0.matches("user:\\[\\d+\\] mnt:\\[\\d+\\]"), ns0);
            assertEquals(ns0, ns1, "rank 0 and rank 1 are in the same user and mount namespaces");
            String hostNs = Commands.ok("sh", "-c", "echo $(readlink /proc/self/ns/user) $(readlink /proc/self/ns/mnt)")
                    .trim();
            assertTrue(!ns0.split(" ")[0].equals(hostNs.split(" ")[0]), "a user namespace of their own: " + ns0);
            assertEquals(1, daemons().size(), "one squashfuse for both ranks: " + daemons());
            assertEquals(1, holders().size(), "one holder for the container: " + holders());
            assertEquals(3, joinState(jobid).size(), "lock, holder and ranks files while running: " + joinState(jobid));
        } finally {
            Files.writeString(go, "");
        }
        for (CompletableFuture<Result> r : ranks) {
            Result res = r.join();
            assertEquals(0, res.exitCode(), res.describe());
            assertEquals("", res.stderr(), res.describe());
        }
        await("the holder to clean up " + joinState(jobid), () -> {
            try {
                return joinState(jobid).isEmpty();
            } catch (IOException e) {
                return false;
            }
        });
        await("the squashfuse daemon to exit " + daemons(), () -> daemons().isEmpty());
        await("the holder to exit " + holders(), () -> holders().isEmpty());
        try (Stream<Path> s = Files.list(work)) {
            assertEquals(
                    List.of("go", "join.sqfs", "rank0", "rank1"),
                    s.map(p -> p.getFileName().toString()).sorted().collect(Collectors.toList()),
                    "nothing else left in the work dir (JSING_TMPDIR)");
        }
    }
}
