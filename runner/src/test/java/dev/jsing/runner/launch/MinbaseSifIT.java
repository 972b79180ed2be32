package dev.jsing.runner.launch;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jsing.runner.testing.Commands;
import dev.jsing.runner.testing.MinbaseImage;
import dev.jsing.runner.testing.Result;
import dev.jsing.runner.testing.Siftool;
import dev.jsing.runner.testing.TestDist;
import dev.jsing.runner.testing.TestUser;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** A SIF made with siftool from a debootstrap minbase squashfs: a real distribution with dynamic binaries and bash. */
class MinbaseSifIT {
    @Test
    void debianMinbaseSifRunsAsTheUser() {
        TestUser user = TestUser.get();
        Path work = user.newDir("jsing-minbase-it-");
        Path sif = work.resolve("minbase.sif");
        Siftool.primarySif(sif, MinbaseImage.minbase());
        Commands.ok("chmod", "-R", "a+rX", work.toString());
        Result r = user.run(
                TestDist.jsing(
                        "exec",
                        sif.toString(),
                        "bash",
                        "-c",
                        "id -u; id -un; . /etc/os-release; echo $ID; ls /usr/bin/apt-get"),
                Map.of(),
                work,
                Duration.ofMinutes(2));
        assertEquals(0, r.exitCode(), r.describe());
        assertEquals(user.uid() + "\n" + user.name() + "\ndebian\n/usr/bin/apt-get\n", r.stdout(), r.describe());
        Result shell = user.run(
                java.util.List.of("sh", "-c", "echo 'echo $0' | " + TestDist.jsing() + " shell " + sif),
                Map.of(),
                work,
                Duration.ofMinutes(2));
        assertTrue(shell.stdout().trim().endsWith("bash"), shell.describe());
        Commands.run("rm", "-rf", work.toString());
    }
}
