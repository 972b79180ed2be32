package dev.jsing.examples;

import static dev.jsing.examples.MpiSupport.assertNoLeftovers;
import static dev.jsing.examples.MpiSupport.ok;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.jsing.runner.testing.Commands;
import dev.jsing.runner.testing.TestUser;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * examples/mpi-java: Open MPI's Java bindings (mpi.jar built from Debian's openmpi source, libmpi_java from
 * libopenmpi3) in an image with a JRE; the Ring program (a token around the ring, then an allreduce) under srun with
 * PMIx and under the host's mpirun, as the test user.
 */
class MpiJavaIT {
    static TestUser user;
    static Path img;
    static Path dir;

    @BeforeAll
    static void setUp() {
        user = TestUser.get();
        img = MpiImages.java();
        dir = user.newDir("jsing-mpi-java-it-");
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

    static List<String> expected(int n) {
        List<String> l = new ArrayList<>();
        l.add("ring: token visited " + n + " ranks");
        for (int i = 0; i < n; i++) {
            l.add("rank " + i + " of " + n + " allreduce sum " + n * (n - 1) / 2);
        }
        return l.stream().sorted().collect(Collectors.toList());
    }

    static List<String> lines(String out) {
        return Arrays.stream(out.split("\n"))
                .map(String::trim)
                .filter(s -> !s.isEmpty())
                .sorted()
                .collect(Collectors.toList());
    }

    @Test
    void ringUnderSrunWithPmix() {
        String out = ok(user, dir, "srun -n 3 -O --mpi=pmix $J run " + img, Duration.ofMinutes(3));
        assertEquals(expected(3), lines(out));
    }

    @Test
    void ringUnderMpirun() {
        String out = ok(
                user,
                dir,
                "env -u SLURM_JOB_ID mpirun -np 3 --oversubscribe $J exec " + img + " java Ring",
                Duration.ofMinutes(3));
        assertEquals(expected(3), lines(out));
    }
}
