package dev.jsing.runner.build;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jsing.runner.testing.Commands;
import dev.jsing.runner.testing.MinbaseImage;
import dev.jsing.runner.testing.Result;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The one real debootstrap build of the test run: Debian bookworm minbase as the unprivileged test user (fakeroot with
 * subordinate ids), %post installing a small package with apt (its _apt sandbox needs the subordinate ids). Packages
 * are cached in the shared test cache, so only the first run on a machine downloads them.
 */
class DebianBuildIT {
    @Test
    void debootstrapMinbaseWithAptInPost() {
        BuildSupport b = new BuildSupport("jsing-build-debian-");
        Path cache = MinbaseImage.cacheDir().resolve(b.user.name() + "-jsing-cache");
        Commands.ok("mkdir", "-p", cache.toString());
        b.user.own(cache);
        b.write(
                "debian.def",
                "Bootstrap: debootstrap\nOSVersion: bookworm\nMirrorURL: http://deb.debian.org/debian\n\n"
                        + "%post\n    apt-get update -q\n"
                        + "    DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends hello\n"
                        + "    apt-get clean\n    rm -rf /var/lib/apt/lists/*\n\n"
                        + "%environment\n    export MY_DISTRO=debian\n\n"
                        + "%runscript\n    exec hello -g \"$*\"\n\n%labels\n    Distro Debian\n\n"
                        + "%test\n    hello | grep -q 'Hello, world!'\n");
        Result r = b.jsing(
                Duration.ofMinutes(15),
                Map.of("JSING_CACHEDIR", cache.toString()),
                "build",
                "debian.sif",
                "debian.def");
        assertEquals(0, r.exitCode(), r.describe());
        assertTrue(r.stderr().contains("%test done"), r.describe());
        assertEquals(
                "good morning",
                b.ok("run", "debian.sif", "good", "morning").stdout().trim());
        assertEquals(
                "debian /usr/bin/hello",
                b.ok("exec", "debian.sif", "sh", "-c", "echo $MY_DISTRO $(command -v hello)")
                        .stdout()
                        .trim());
        b.ok("test", "debian.sif");
        Path sif = b.dir.resolve("debian.sif");
        String ls = Commands.ok(
                "unsquashfs",
                "-lln",
                "-o",
                String.valueOf(BuildSupport.partitionOffset(sif)),
                sif.toString(),
                "/var/cache/apt/archives/partial",
                "/etc/shadow");
        // ownership inside the image is the container's: root, and _apt (uid 42) for apt's download dir
        assertTrue(ls.lines().anyMatch(l -> l.contains("archives/partial") && l.contains(" 42/0 ")), ls);
        assertTrue(ls.lines().anyMatch(l -> l.contains("/etc/shadow") && l.contains(" 0/42 ")), ls);
        assertEquals(
                List.of("Def.FILE", "JSON.Generic"),
                BuildSupport.siftoolTypes(sif).subList(0, 2));
        b.assertClean();
    }
}
