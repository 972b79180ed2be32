package dev.jsing.runner.launch;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jsing.runner.testing.MinbaseImage;
import dev.jsing.runner.testing.Result;
import dev.jsing.runner.testing.SyntheticGpu;
import dev.jsing.runner.testing.TestDist;
import dev.jsing.runner.testing.TestUser;
import java.time.Duration;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * {@code --rocm} against the synthetic driver ({@code libamdocl64.so.1}, a name of rocmliblist.conf, in the ld.so
 * cache; {@code rocm-smi} on PATH), as the unprivileged test user.
 */
class RocmIT {
    static TestUser user;

    @BeforeAll
    static void setUp() {
        SyntheticGpu.require();
        user = TestUser.get();
    }

    /** Pins the ROCm list's libraries in /.singularity.d/libs (on LD_LIBRARY_PATH) and rocm-smi in /usr/bin. */
    @Test
    void rocmBindsTheListedLibrariesAndPrograms() {
        Result r = user.run(
                TestDist.jsing(
                        "exec",
                        "--rocm",
                        MinbaseImage.minbase().toString(),
                        "sh",
                        "-c",
                        "rocm-smi; ls /.singularity.d/libs; echo LD=$LD_LIBRARY_PATH"),
                SyntheticGpu.path(),
                null,
                Duration.ofMinutes(2));
        assertEquals(0, r.exitCode(), r.describe());
        assertTrue(r.stdout().startsWith("jsing synthetic rocm-smi (no GPU)\n"), r.describe());
        assertTrue(r.stdout().contains("libamdocl64.so.1\n"), r.describe());
        assertTrue(r.stdout().contains("LD=/.singularity.d/libs\n"), r.describe());
        Result off = user.run(
                TestDist.jsing(
                        "exec", "--rocm", "--no-rocm", MinbaseImage.minbase().toString(), "ls", "/.singularity.d/libs"),
                SyntheticGpu.path(),
                null,
                Duration.ofMinutes(2));
        assertTrue(!off.stdout().contains("libamdocl64"), "--no-rocm: " + off.describe());
    }
}
