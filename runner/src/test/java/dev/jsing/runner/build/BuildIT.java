package dev.jsing.runner.build;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jsing.common.json.Json;
import dev.jsing.runner.error.ExitCodes;
import dev.jsing.runner.testing.Commands;
import dev.jsing.runner.testing.MinbaseImage;
import dev.jsing.runner.testing.Prerequisites;
import dev.jsing.runner.testing.Result;
import dev.jsing.runner.testing.TestDist;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Real builds with the installed jsing, as the unprivileged test user (fakeroot with subordinate ids). */
class BuildIT {
    private static final String BUSYBOX_HEADER = "Bootstrap: localimage\nFrom: " + MinbaseImage.busybox() + "\n";

    @Test
    void scratchWithSetupFilesLabelsIsReproducible() {
        BuildSupport b = new BuildSupport("jsing-build-scratch-");
        b.write("my file.txt", "spaced\n");
        b.write("a.dat", "A\n");
        b.write("b.dat", "B\n");
        b.write(
                "scratch.def",
                "Bootstrap: scratch\n\n%setup\n    mkdir -p $JSING_ROOTFS/opt/setup\n"
                        + "    echo from-setup > $APPTAINER_ROOTFS/opt/setup/s.txt\n\n"
                        + "%files\n    \"my file.txt\" /opt/data/\n    *.dat /opt/dats/\n\n"
                        + "%labels\n    Author Someone Else\n    Version 1.0\n\n"
                        + "%environment\n    export GREETING=hi\n\n%runscript\n    echo run\n\n%help\n    Some help.\n");
        b.ok("build", "--reproducible", "one.sif", "scratch.def");
        b.ok("build", "--reproducible", "two.sif", "scratch.def");
        Path one = b.dir.resolve("one.sif");
        assertEquals(
                BuildSupport.sha256(one), BuildSupport.sha256(b.dir.resolve("two.sif")), "reproducible builds differ");
        Result r = b.jsing(
                Duration.ofMinutes(2), Map.of("SOURCE_DATE_EPOCH", "1700000000"), "build", "three.sif", "scratch.def");
        assertEquals(0, r.exitCode(), r.describe());
        assertNotEquals(BuildSupport.sha256(one), BuildSupport.sha256(b.dir.resolve("three.sif")));

        assertEquals(
                List.of(
                        "Def.FILE",
                        "JSON.Generic",
                        "FS (Squashfs/*System/" + dev.jsing.sif.Arch.host().goName() + ")"),
                BuildSupport.siftoolTypes(one));
        List<String> files = BuildSupport.list(one);
        for (String p : List.of(
                "/opt/data/my file.txt",
                "/opt/dats/a.dat",
                "/opt/dats/b.dat",
                "/opt/setup/s.txt",
                "/.singularity.d/actions/run",
                "/.singularity.d/env/90-environment.sh",
                "/.singularity.d/labels.json",
                "/.singularity.d/Singularity",
                "/.singularity.d/runscript.help",
                "/etc/resolv.conf",
                "/etc/hosts",
                "/dev",
                "/proc",
                "/sys",
                "/tmp",
                "/var/tmp",
                "/home",
                "/root",
                "/singularity",
                "/environment")) {
            assertTrue(files.contains(p), p + " missing: " + files);
        }
        assertEquals("spaced\n", BuildSupport.cat(one, "/opt/data/my file.txt"));
        Map<String, Object> labels = Json.parseObject(BuildSupport.cat(one, "/.singularity.d/labels.json"));
        assertEquals("Someone Else", labels.get("Author"));
        assertEquals("1970-01-01T00:00:00Z", labels.get("org.opencontainers.image.created"));
        assertEquals("scratch", labels.get("org.label-schema.usage.singularity.deffile.bootstrap"));
        assertTrue(
                BuildSupport.cat(one, "/.singularity.d/env/90-environment.sh").contains("export GREETING=hi"));
        // The inspect metadata object is Apptainer's shape.
        String meta = Commands.ok("siftool", "dump", "2", one.toString());
        Map<?, ?> attrs = (Map<?, ?>) ((Map<?, ?>) Json.parseObject(meta).get("data")).get("attributes");
        assertEquals("Someone Else", ((Map<?, ?>) attrs.get("labels")).get("Author"));
        assertTrue(String.valueOf(attrs.get("deffile")).startsWith("Bootstrap: scratch"), meta);
        assertTrue(Commands.ok("siftool", "dump", "1", one.toString()).contains("%files"));
        b.assertClean();
    }

    @Test
    void postRunscriptTestAppAndTemplatingRunWithJsing() {
        BuildSupport b = new BuildSupport("jsing-build-bb-");
        b.write(
                "bb.def",
                BUSYBOX_HEADER
                        + "\n%arguments\n    WHO=world\n\n"
                        + "%post\n    echo \"hello {{ WHO }}\" > /hello.txt\n    id -u > /post-uid\n"
                        + "    echo 'export FROM_POST=yes' >> $APPTAINER_ENVIRONMENT\n    pwd > /post-cwd\n\n"
                        + "%environment\n    export ENV_VAR=\"from env\"\n\n"
                        + "%runscript\n    echo \"args: $# [$1] [$2] $ENV_VAR\"\n\n"
                        + "%test\n    grep -q 'hello jsing' /hello.txt\n    echo test-ran > /tmp/marker\n\n"
                        + "%apprun foo\n    echo \"app foo $SCIF_APPNAME\"\n\n%appinstall foo\n    echo installed > installed.txt\n\n"
                        + "%applabels foo\n    Kind tool\n");
        Result build = b.ok("build", "--build-arg", "WHO=jsing", "bb.sif", "bb.def");
        assertTrue(build.stderr().contains("%test"), build.describe());
        assertTrue(build.stderr().contains("%post done in"), build.describe());
        Result run = b.ok("run", "bb.sif", "a", "b c");
        assertEquals("args: 2 [a] [b c] from env", run.stdout().trim());
        assertEquals(
                "hello jsing\n0\n/\ninstalled\n",
                b.ok("exec", "bb.sif", "cat", "/hello.txt", "/post-uid", "/post-cwd", "/scif/apps/foo/installed.txt")
                        .stdout());
        assertEquals(
                "yes",
                b.ok("exec", "bb.sif", "sh", "-c", "echo $FROM_POST").stdout().trim());
        b.ok("test", "bb.sif");
        Map<String, Object> appLabels =
                Json.parseObject(BuildSupport.cat(b.dir.resolve("bb.sif"), "/scif/apps/foo/scif/labels.json"));
        assertEquals("tool", appLabels.get("Kind"));
        assertEquals("foo", appLabels.get("SCIF_APP_NAME"));
        assertTrue(BuildSupport.list(b.dir.resolve("bb.sif")).contains("/scif/data/foo/input"));
        // an unused build argument is an error, or a warning on request
        Result unused = b.jsing("build", "--build-arg", "NOPE=1", "--build-arg", "WHO=x", "u.sif", "bb.def");
        assertEquals(ExitCodes.BAD_DEFINITION, unused.exitCode(), unused.describe());
        Result dry = b.jsing("build", "--dry-run", "--json", "--build-arg", "WHO=dry", "bb.def");
        assertEquals(0, dry.exitCode(), dry.describe());
        assertTrue(dry.stdout().contains("hello dry"), dry.describe());
        assertFalse(Files.exists(b.dir.resolve("u.sif")));
        b.assertClean();
    }

    @Test
    void twoStagesCopyABinaryFromTheBuildStage() {
        BuildSupport b = new BuildSupport("jsing-build-multi-");
        b.write("tool.sh", "#!/bin/sh\necho \"tool says $*\"\n");
        b.write(
                "multi.def",
                BUSYBOX_HEADER + "Stage: build\n\n%files\n    tool.sh /src/tool.sh\n\n"
                        + "%post\n    mkdir -p /out && cp /src/tool.sh /out/tool && chmod 755 /out/tool\n\n"
                        + "Bootstrap: localimage\nFrom: " + MinbaseImage.busybox() + "\nStage: final\n\n"
                        + "%files from build\n    /out/tool /usr/local/bin/tool\n\n%runscript\n    exec tool \"$@\"\n");
        b.ok("build", "--sandbox", "multi.dir", "multi.def");
        assertTrue(Files.isDirectory(b.dir.resolve("multi.dir/.singularity.d")));
        b.ok("build", "multi.sif", "multi.dir");
        assertEquals(
                "tool says x y", b.ok("run", "multi.sif", "x", "y").stdout().trim());
        assertFalse(
                BuildSupport.list(b.dir.resolve("multi.sif")).contains("/src/tool.sh"), "only the last stage is kept");
        String deffile =
                Commands.ok("siftool", "dump", "1", b.dir.resolve("multi.sif").toString());
        assertTrue(deffile.contains("Bootstrap: localimage"), deffile);
        b.assertClean();
    }

    @Test
    void failuresAreOneLineWithDistinctCodesAndLeaveNothing() {
        BuildSupport b = new BuildSupport("jsing-build-fail-");
        b.write("fail.def", BUSYBOX_HEADER + "Stage: app\n\n%post\n    echo step one\n    false\n    echo never\n");
        Result post = b.jsing("build", "fail.sif", "fail.def");
        assertEquals(ExitCodes.BUILD_FAILED, post.exitCode(), post.describe());
        String err = post.stderr()
                .lines()
                .filter(l -> l.startsWith("jsing: error:"))
                .findFirst()
                .orElse("");
        assertEquals(
                "jsing: error: stage 'app' %post failed with exit status 1 at line 2 of the section; last command: false",
                err);
        assertFalse(Files.exists(b.dir.resolve("fail.sif")));
        b.assertClean();

        b.write("ok.def", "Bootstrap: scratch\n\n%setup\n    touch $JSING_ROOTFS/x\n");
        b.ok("build", "ok.sif", "ok.def");
        String before = BuildSupport.sha256(b.dir.resolve("ok.sif"));
        Result exists = b.jsing("build", "ok.sif", "ok.def");
        assertEquals(ExitCodes.CANT_CREATE, exists.exitCode(), exists.describe());
        assertEquals(1, exists.stderr().lines().count(), exists.describe());
        assertTrue(exists.stderr().contains("already exists (use --force to overwrite)"), exists.describe());
        assertEquals(before, BuildSupport.sha256(b.dir.resolve("ok.sif")));
        b.ok("build", "--force", "ok.sif", "ok.def");

        b.write("bad.def", "Bootstrap: scratch\n\n%psot\n    true\n");
        Result bad = b.jsing("build", "bad.sif", "bad.def");
        assertEquals(ExitCodes.BAD_DEFINITION, bad.exitCode(), bad.describe());
        assertEquals(1, bad.stderr().lines().count(), bad.describe());
        assertTrue(bad.stderr().contains("bad.def:3:"), bad.describe());
        assertFalse(bad.stderr().contains("\tat "));
        b.assertClean();
    }

    @Test
    void asRootPostRunsAsPlainRoot() {
        Prerequisites.requireRoot("a build as real root");
        Path d = new BuildSupport("jsing-build-root-").dir;
        Path def = d.resolve("root.def");
        try {
            Files.writeString(
                    def,
                    BUSYBOX_HEADER + "\n%post\n    id -u > /uid\n    chown 1234:1234 /uid\n"
                            + "    cat /proc/self/uid_map > /uid_map\n");
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        Result r = Commands.run(
                TestDist.jsing("build", d.resolve("root.sif").toString(), def.toString()),
                null,
                d,
                Duration.ofMinutes(2));
        assertEquals(0, r.exitCode(), r.describe());
        Path sif = d.resolve("root.sif");
        assertEquals("0\n", BuildSupport.cat(sif, "/uid"));
        String ls = Commands.ok(
                "unsquashfs", "-lln", "-o", String.valueOf(BuildSupport.partitionOffset(sif)), sif.toString(), "/uid");
        assertTrue(ls.contains("1234/1234"), ls);
        assertEquals(
                "0 0 4294967295",
                BuildSupport.cat(sif, "/uid_map").trim().replaceAll("\\s+", " "),
                "no user namespace");
    }

    @Test
    void asRootFakerootBuildsInAUserNamespace() throws Exception {
        Prerequisites.requireRoot("build --fakeroot as root");
        Path d = new BuildSupport("jsing-build-rootfake-").dir;
        Path def = d.resolve("fake.def");
        Files.writeString(def, BUSYBOX_HEADER + "\n%post\n    id -u > /uid\n    cat /proc/self/uid_map > /uid_map\n");
        Result r = Commands.run(
                TestDist.jsing("build", "--fakeroot", d.resolve("fake.sif").toString(), def.toString()),
                null,
                d,
                Duration.ofMinutes(2));
        assertEquals(0, r.exitCode(), r.describe());
        Path sif = d.resolve("fake.sif");
        assertEquals("0\n", BuildSupport.cat(sif, "/uid"));
        // Root of a user namespace: uid 0 mapped to root alone, plus root's subordinate range when it has one
        // (Apptainer's
        // fakeroot engine does the same for root); a plain root build sees the full identity map "0 0 4294967295".
        String sub = Files.readAllLines(Path.of("/etc/subuid")).stream()
                .filter(x -> x.startsWith("root:") || x.startsWith("0:"))
                .findFirst()
                .orElse(null);
        String expected = "0 0 1\n" + (sub == null ? "" : "1 " + sub.split(":")[1] + " " + sub.split(":")[2] + "\n");
        String map = BuildSupport.cat(sif, "/uid_map")
                .lines()
                .map(l -> l.trim().replaceAll("\\s+", " ") + "\n")
                .collect(java.util.stream.Collectors.joining());
        assertEquals(expected, map, r.describe());
        if (sub == null) {
            assertTrue(r.stderr().contains("no /etc/subuid and /etc/subgid ranges for root"), r.describe());
        }
    }
}
