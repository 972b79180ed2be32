package dev.jsing.runner.launch;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jsing.runner.testing.Commands;
import dev.jsing.runner.testing.MinbaseImage;
import dev.jsing.runner.testing.Prerequisites;
import dev.jsing.runner.testing.Result;
import dev.jsing.runner.testing.SiteFiles;
import dev.jsing.runner.testing.SyntheticGpu;
import dev.jsing.runner.testing.TestDist;
import dev.jsing.runner.testing.TestUser;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * {@code --nv} against the synthetic driver of {@code scripts/setup-test-gpu.sh}, as the unprivileged test user, in a
 * Debian image: the driver's libraries found through the ld.so cache and bound into /.singularity.d/libs, its
 * programs found on PATH and bound into /usr/bin, /dev/nvidia* usable also under --contain, the visible-device
 * variables passed through, --no-nv, the container's library path first, the no-driver warning, and --nvccli.
 */
class NvidiaIT {
    static TestUser user;
    static Path work;
    static Path image;
    static Path cudaCount;

    @BeforeAll
    static void setUp() throws Exception {
        SyntheticGpu.require();
        user = TestUser.get();
        work = user.newDir("jsing-gpu-nvidia-it-");
        image = MinbaseImage.minbase();
        // A program of the host (bound into the container with /tmp) that loads the driver as CUDA programs do.
        Path src = work.resolve("cudacount.c");
        Files.writeString(src, """
                #include <dlfcn.h>
                #include <stdio.h>
                int main(void) {
                   void *h = dlopen("libcuda.so.1", RTLD_NOW);
                   int (*init)(unsigned), (*count)(int *), n = -1;
                   if (!h) { printf("dlopen: %s\\n", dlerror()); return 1; }
                   init = (int (*)(unsigned))dlsym(h, "cuInit");
                   count = (int (*)(int *))dlsym(h, "cuDeviceGetCount");
                   if (!init || !count || init(0) || count(&n)) return 2;
                   printf("cuDeviceGetCount: %d\\n", n);
                   return 0;
                }
                """);
        cudaCount = work.resolve("cudacount");
        Commands.ok("gcc", "-O2", "-o", cudaCount.toString(), src.toString(), "-ldl");
        user.own(work);
    }

    @AfterAll
    static void tearDown() {
        if (work != null) {
            Commands.run("rm", "-rf", work.toString());
        }
    }

    static Result jsing(Map<String, String> env, String... args) {
        Map<String, String> e = new HashMap<>(SyntheticGpu.path());
        e.putAll(env);
        return user.run(TestDist.jsing(args), e, work, Duration.ofMinutes(2));
    }

    /** Pins the driver's libraries and programs in the container: nvidia-smi runs and loads libnvidia-ml.so.1. */
    @Test
    void nvBindsTheDriverLibrariesAndPrograms() {
        Result r = jsing(
                Map.of(),
                "exec",
                "--nv",
                image.toString(),
                "sh",
                "-c",
                "nvidia-smi -L; echo LD=$LD_LIBRARY_PATH; ls /.singularity.d/libs; command -v nvidia-smi");
        assertEquals(0, r.exitCode(), r.describe());
        assertTrue(r.stdout().contains("GPU 0: jsing synthetic GPU"), r.describe());
        assertTrue(r.stdout().contains("GPU 1: jsing synthetic GPU"), r.describe());
        assertTrue(r.stdout().contains("LD=/.singularity.d/libs\n"), r.describe());
        assertTrue(r.stdout().contains("libcuda.so.1\n") && r.stdout().contains("libnvidia-ml.so.1\n"), r.describe());
        assertTrue(r.stdout().contains("/usr/bin/nvidia-smi\n"), r.describe());
        assertEquals("", r.stderr(), r.describe());
    }

    /** Pins a CUDA-style program: dlopen("libcuda.so.1") in the container finds the host's driver and its devices. */
    @Test
    void aProgramLoadsLibcudaAndCountsDevices() {
        Result r = jsing(Map.of(), "exec", "--nv", image.toString(), cudaCount.toString());
        assertEquals(0, r.exitCode(), r.describe());
        assertEquals("cuDeviceGetCount: 2\n", r.stdout(), r.describe());
        Result without = jsing(Map.of(), "exec", image.toString(), cudaCount.toString());
        assertEquals(1, without.exitCode(), "without --nv there is no libcuda: " + without.describe());
    }

    /**
     * Pins /dev/nvidia* under --contain (a minimal /dev): bound from the host and usable as device nodes (opening the
     * driverless node fails with ENXIO, "No such device or address", where a nodev mount would give EACCES), and
     * absent without --nv.
     */
    @Test
    void containKeepsTheDeviceNodesUsable() {
        String probe = "ls /dev; if echo x > /dev/nvidia0; then echo opened; fi";
        Result r = jsing(Map.of(), "exec", "--nv", "--contain", image.toString(), "sh", "-c", probe);
        assertTrue(r.stdout().contains("nvidia0\n") && r.stdout().contains("nvidiactl\n"), r.describe());
        assertTrue(r.stderr().contains("No such device or address"), r.describe());
        Result plain = jsing(Map.of(), "exec", "--contain", image.toString(), "ls", "/dev");
        assertEquals(0, plain.exitCode(), plain.describe());
        assertFalse(plain.stdout().contains("nvidia"), plain.describe());
    }

    /** Pins NVIDIA_VISIBLE_DEVICES / CUDA_VISIBLE_DEVICES passing through to the payload. */
    @Test
    void visibleDeviceVariablesPassThrough() {
        Result r = jsing(
                Map.of("NVIDIA_VISIBLE_DEVICES", "1", "CUDA_VISIBLE_DEVICES", "1"),
                "exec",
                "--nv",
                image.toString(),
                "sh",
                "-c",
                "echo $NVIDIA_VISIBLE_DEVICES/$CUDA_VISIBLE_DEVICES");
        assertEquals("1/1\n", r.stdout(), r.describe());
    }

    /** Pins APPTAINER_NV (the option table's key) and --no-nv cancelling it. */
    @Test
    void environmentKeyAndNoNv() {
        String probe = "test -e /.singularity.d/libs/libcuda.so.1 && echo bound || echo none";
        Result on = jsing(Map.of("APPTAINER_NV", "1"), "exec", image.toString(), "sh", "-c", probe);
        assertEquals("bound\n", on.stdout(), on.describe());
        Result off = jsing(Map.of("APPTAINER_NV", "1"), "exec", "--no-nv", image.toString(), "sh", "-c", probe);
        assertEquals("none\n", off.stdout(), off.describe());
    }

    /** Pins Apptainer 1.5's precedence: the container's own library path comes before the host's driver libraries. */
    @Test
    void containerLibraryPathComesFirst() {
        Result r = jsing(
                Map.of(),
                "exec",
                "--nv",
                "--env",
                "LD_LIBRARY_PATH=/opt/own/lib",
                image.toString(),
                "sh",
                "-c",
                "echo $LD_LIBRARY_PATH");
        assertEquals("/opt/own/lib:/.singularity.d/libs\n", r.stdout(), r.describe());
    }

    /**
     * Pins a host without the driver (a site nvliblist.conf naming libraries and programs that do not exist): one
     * warning, and the container still runs. Also pins that the site's list replaces the shipped one.
     */
    @Test
    void noDriverIsAWarningAndTheContainerRuns() {
        Prerequisites.requireRoot("writes /etc/jsing/nvliblist.conf");
        SiteFiles site = new SiteFiles();
        try {
            site.write(Path.of("/etc/jsing/nvliblist.conf"), "# test\nlibjsing-no-such-driver.so\njsing-no-such-smi\n");
            Result r =
                    jsing(Map.of(), "exec", "--nv", image.toString(), "sh", "-c", "ls /.singularity.d/libs; echo ran");
            assertEquals(0, r.exitCode(), r.describe());
            assertTrue(r.stdout().endsWith("ran\n"), r.describe());
            assertFalse(r.stdout().contains("libcuda"), "the site list replaced the shipped one: " + r.describe());
            assertEquals(
                    "jsing: warning: --nv: no NVIDIA driver libraries found on this host (nvliblist.conf names, ld.so"
                            + " cache); the container runs without them\n",
                    r.stderr().replaceAll("ls: cannot access[^\n]*\n", ""),
                    r.describe());
            Result quiet = jsing(Map.of(), "-q", "exec", "--nv", image.toString(), "true");
            assertEquals("", quiet.stderr(), "-q silences the warning: " + quiet.describe());
        } finally {
            site.restore();
        }
    }

    /** Pins --nvccli: a clear error without nvidia-container-cli; with it, its configure run on the container's root. */
    @Test
    void nvccliDelegatesToNvidiaContainerCli() {
        Result missing = jsing(Map.of(), "exec", "--nvccli", image.toString(), "true");
        assertEquals(69, missing.exitCode(), missing.describe());
        assertEquals(
                "jsing: error: --nvccli: nvidia-container-cli is not installed (not found on PATH); use --nv without"
                        + " --nvccli\n",
                missing.stderr());
        Result r = jsing(
                Map.of("PATH", SyntheticGpu.NVCCLI_BIN + ":/usr/bin:/bin", "NVIDIA_DRIVER_CAPABILITIES", "compute"),
                "exec",
                "--nvccli",
                image.toString(),
                "cat",
                "/jsing-nvccli-ran");
        assertEquals(0, r.exitCode(), r.describe());
        assertTrue(
                r.stdout()
                        .matches("(?s)args: --user configure --no-cgroups --compute --device=all"
                                + " --ldconfig=@/s?bin/ldconfig /proc/self/fd/\\d+\n.*"),
                r.describe());
        assertTrue(r.stdout().contains("NVIDIA_VISIBLE_DEVICES=all\n"), r.describe());
    }

    /**
     * Pins --nv on the fast path: a repeated launch replays without a JVM (the driver files' stamps are part of the
     * entry), and a new device node makes the entry stale (a full launch, which then binds it).
     */
    @Test
    void nvLaunchesReplay() {
        String probe = "echo " + System.nanoTime() + "; ls /.singularity.d/libs | grep -c libcuda";
        Map<String, String> trace = Map.of("JSING_FAST_TRACE", "1");
        jsing(trace, "exec", "--nv", "--contain", image.toString(), "sh", "-c", probe);
        Result again = jsing(trace, "exec", "--nv", "--contain", image.toString(), "sh", "-c", probe);
        assertEquals(0, again.exitCode(), again.describe());
        assertTrue(again.stderr().matches("jsing: replay: [0-9a-f]+\n"), again.describe());
        assertTrue(again.stdout().endsWith("\n1\n"), again.describe());
    }

    /**
     * Pins the same in a Slurm step (srun, two tasks on the one node, one container for both): each task's own
     * CUDA_VISIBLE_DEVICES and SLURM_STEP_GPUS (set per task here, as Slurm's GPU binding does) reach its payload.
     */
    @Test
    void eachTaskOfASlurmStepSeesItsOwnDevices() {
        Prerequisites.require(
                Commands.run("sinfo", "-h", "-o", "%T").stdout().matches("(?s).*(idle|mixed|allocated).*"),
                "Slurm up (scripts/start-slurm.sh)");
        String inner =
                "echo task $SLURM_PROCID sees $CUDA_VISIBLE_DEVICES/$SLURM_STEP_GPUS $(readlink /proc/self/ns/mnt)";
        String task = "CUDA_VISIBLE_DEVICES=$SLURM_PROCID SLURM_STEP_GPUS=$SLURM_PROCID exec " + TestDist.jsing()
                + " exec --nv " + image + " sh -c '" + inner + "'";
        Result step = user.run(
                List.of("srun", "-n", "2", "-O", "--mpi=none", "sh", "-c", task),
                SyntheticGpu.path(),
                work,
                Duration.ofMinutes(2));
        assertEquals(0, step.exitCode(), step.describe());
        List<String> lines = step.stdout().lines().sorted().toList();
        assertEquals(2, lines.size(), step.describe());
        assertTrue(lines.get(0).matches("task 0 sees 0/0 mnt:\\[\\d+\\]"), step.describe());
        assertTrue(lines.get(1).matches("task 1 sees 1/1 mnt:\\[\\d+\\]"), step.describe());
        assertEquals(lines.get(0).split(" ")[4], lines.get(1).split(" ")[4], "one container: " + step.describe());
    }

    /**
     * Pins bench/gpu-check.sh against the synthetic driver: every step passes (nvidia-smi -L and cuDeviceGetCount with
     * --nv, --nv --contain and CDI), and the output says plainly which driver it ran against.
     */
    @Test
    void benchGpuCheckRunsAgainstTheSyntheticDriver() {
        Result r = user.run(
                List.of(
                        "bash",
                        TestDist.projectRoot().resolve("bench/gpu-check.sh").toString(),
                        "1"),
                Map.of("JSING", TestDist.jsing()),
                work,
                Duration.ofMinutes(5));
        assertEquals(0, r.exitCode(), r.describe());
        assertTrue(
                r.stdout()
                        .startsWith("gpu-check: running against the SYNTHETIC driver of scripts/setup-test-gpu.sh (no"
                                + " GPU on this host)\n"),
                r.describe());
        assertEquals(3, r.stdout().split("cuDeviceGetCount: 2\n", -1).length - 1, r.describe());
        assertTrue(r.stdout().contains("gpu-check: cudacount CDI: OK\n"), r.describe());
        assertTrue(r.stdout().endsWith("(no GPU on this host): all steps OK\n"), r.describe());
    }

    /**
     * Pins the per-rank environment in one container per node: two local ranks (mpirun's variables) with --nv share
     * one container, and each sees the CUDA_VISIBLE_DEVICES its own launch had (as Slurm sets it per task).
     */
    @Test
    void eachRankOfASharedContainerSeesItsOwnDevices() throws Exception {
        String jobid = "77" + ProcessHandle.current().pid() + System.nanoTime() % 10000;
        Path go = work.resolve("go");
        String payload = "echo $(readlink /proc/self/ns/mnt) $CUDA_VISIBLE_DEVICES > " + work + "/gpu-rank$R.tmp"
                + " && mv " + work + "/gpu-rank$R.tmp " + work + "/gpu-rank$R;"
                + " i=0; while [ ! -e " + go + " ] && [ $i -lt 600 ]; do sleep 0.1; i=$((i+1)); done";
        List<CompletableFuture<Result>> ranks = Stream.of("0", "1")
                .map(rank -> CompletableFuture.supplyAsync(() -> jsing(
                        Map.of(
                                "R", rank,
                                "CUDA_VISIBLE_DEVICES", rank,
                                "OMPI_COMM_WORLD_SIZE", "2",
                                "OMPI_COMM_WORLD_LOCAL_SIZE", "2",
                                "OMPI_COMM_WORLD_LOCAL_RANK", rank,
                                "OMPI_COMM_WORLD_RANK", rank,
                                "OMPI_MCA_ess_base_jobid", jobid,
                                "JSING_TMPDIR", work.toString()),
                        "exec",
                        "--nv",
                        image.toString(),
                        "sh",
                        "-c",
                        payload)))
                .toList();
        try {
            for (int i = 0;
                    i < 600 && !(Files.exists(work.resolve("gpu-rank0")) && Files.exists(work.resolve("gpu-rank1")));
                    i++) {
                Thread.sleep(100);
            }
            String r0 = Files.readString(work.resolve("gpu-rank0")).trim();
            String r1 = Files.readString(work.resolve("gpu-rank1")).trim();
            assertTrue(r0.matches("mnt:\\[\\d+\\] 0"), r0);
            assertTrue(r1.matches("mnt:\\[\\d+\\] 1"), r1);
            assertEquals(r0.split(" ")[0], r1.split(" ")[0], "one container for both ranks: " + r0 + " / " + r1);
        } finally {
            Files.writeString(go, "");
            Commands.ok("chmod", "a+r", go.toString());
            for (CompletableFuture<Result> f : ranks) {
                Result r = f.get();
                assertEquals(0, r.exitCode(), r.describe());
            }
        }
    }
}
