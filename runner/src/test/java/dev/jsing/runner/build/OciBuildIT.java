package dev.jsing.runner.build;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jsing.runner.error.ExitCodes;
import dev.jsing.runner.testing.HostArch;
import dev.jsing.runner.testing.Result;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.junit.jupiter.api.Test;

/** Builds from OCI archives: one made by umoci (with a whiteout in an upper layer), and hostile hand-made layers. */
class OciBuildIT {
    @Test
    void umociArchiveWithWhiteoutBuildsAndRuns() {
        BuildSupport b = new BuildSupport("jsing-build-oci-");
        String script = "set -e\n"
                + "umoci init --layout img\n"
                + "umoci new --image img:t\n"
                + "umoci unpack --rootless --image img:t b1\n"
                + "mkdir -p b1/rootfs/bin b1/rootfs/etc\n"
                + "cp /bin/busybox b1/rootfs/bin/busybox\n"
                + "for a in sh echo cat ls; do ln -s busybox b1/rootfs/bin/$a; done\n"
                + "echo keep > b1/rootfs/etc/keep; echo gone > b1/rootfs/etc/gone\n"
                + "umoci repack --image img:t b1\n"
                + "umoci unpack --rootless --image img:t b2\n"
                + "rm b2/rootfs/etc/gone\n"
                + "umoci repack --image img:t b2\n"
                + "umoci config --image img:t --config.entrypoint /bin/echo --config.cmd 'from cmd'"
                + " --config.env GREETING='hello there' --config.label org.example.k=v\n"
                + "tar -C img -cf img.tar .\n";
        Result made = b.user.run(List.of("/bin/sh", "-c", script), Map.of(), b.dir, Duration.ofMinutes(2));
        assertEquals(0, made.exitCode(), made.describe());
        Result build = b.ok("build", "oci.sif", "oci-archive:img.tar:t");
        assertTrue(
                build.stderr().contains("applied 2 layer(s)") && build.stderr().contains("1 whiteouts"),
                build.describe());
        Path sif = b.dir.resolve("oci.sif");
        List<String> files = BuildSupport.list(sif);
        assertTrue(files.contains("/etc/keep"), files.toString());
        assertFalse(files.contains("/etc/gone"), "whiteout not applied: " + files);
        assertTrue(files.contains("/.singularity.d/env/10-docker2singularity.sh"), files.toString());
        assertEquals("from cmd", b.ok("run", "oci.sif").stdout().trim());
        assertEquals("a b c", b.ok("run", "oci.sif", "a", "b c").stdout().trim());
        assertEquals(
                "hello there",
                b.ok("exec", "oci.sif", "sh", "-c", "echo $GREETING").stdout().trim());
        assertTrue(BuildSupport.cat(sif, "/.singularity.d/labels.json").contains("\"org.example.k\": \"v\""));
        List<String> types = BuildSupport.siftoolTypes(sif);
        assertEquals(List.of("Def.FILE", "JSON.Generic", "JSON.Generic"), types.subList(0, 3), types.toString());
        // oci: layout directories and definition files with Bootstrap: oci-archive work too
        b.write("from-oci.def", "Bootstrap: oci\nFrom: img:t\n\n%post\n    echo extra > /etc/extra\n");
        b.ok("build", "def.sif", "from-oci.def");
        assertEquals("extra\n", BuildSupport.cat(b.dir.resolve("def.sif"), "/etc/extra"));
        b.assertClean();
    }

    private static String sha(byte[] x) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(x));
    }

    private static byte[] layer(String[][] entries) throws IOException {
        ByteArrayOutputStream o = new ByteArrayOutputStream();
        try (TarArchiveOutputStream t = new TarArchiveOutputStream(o)) {
            for (String[] e : entries) {
                TarArchiveEntry te;
                if (e[0].equals("link")) {
                    te = new TarArchiveEntry(e[1], TarArchiveEntry.LF_SYMLINK);
                    te.setLinkName(e[2]);
                    t.putArchiveEntry(te);
                } else {
                    te = new TarArchiveEntry(e[1], true);
                    byte[] b = e[2].getBytes(StandardCharsets.UTF_8);
                    te.setSize(b.length);
                    t.putArchiveEntry(te);
                    t.write(b);
                }
                t.closeArchiveEntry();
            }
        }
        return o.toByteArray();
    }

    private static void layout(Path dir, byte[] layer) throws Exception {
        Path blobs = Files.createDirectories(dir.resolve("blobs/sha256"));
        byte[] cfg = ("{\"architecture\":\"" + HostArch.oci() + "\",\"os\":\"linux\",\"config\":{}}")
                .getBytes(StandardCharsets.UTF_8);
        Files.write(blobs.resolve(sha(layer)), layer);
        Files.write(blobs.resolve(sha(cfg)), cfg);
        byte[] m =
                ("{\"schemaVersion\":2,\"config\":{\"mediaType\":\"application/vnd.oci.image.config.v1+json\",\"digest\":"
                                + "\"sha256:" + sha(cfg) + "\",\"size\":" + cfg.length + "},\"layers\":[{\"mediaType\":"
                                + "\"application/vnd.oci.image.layer.v1.tar\",\"digest\":\"sha256:" + sha(layer)
                                + "\",\"size\":" + layer.length
                                + "}]}")
                        .getBytes(StandardCharsets.UTF_8);
        Files.write(blobs.resolve(sha(m)), m);
        Files.writeString(dir.resolve("oci-layout"), "{\"imageLayoutVersion\":\"1.0.0\"}");
        Files.writeString(
                dir.resolve("index.json"),
                "{\"schemaVersion\":2,\"manifests\":[{\"mediaType\":"
                        + "\"application/vnd.oci.image.manifest.v1+json\",\"digest\":\"sha256:" + sha(m)
                        + "\",\"size\":" + m.length + "}]}");
    }

    @Test
    void hostileLayersAreRejectedAndWriteNothingOutside() throws Exception {
        BuildSupport b = new BuildSupport("jsing-build-evil-");
        Path outside = Files.createDirectories(b.dir.resolve("outside"));
        layout(b.dir.resolve("dotdot"), layer(new String[][] {
            {"file", "ok", "fine"}, {"file", "../../../outside/pwned", "x"}
        }));
        layout(b.dir.resolve("escape"), layer(new String[][] {
            {"link", "up", "../../../../outside"}, {"file", "up/pwned", "x"}
        }));
        b.user.own(b.dir);
        Result dd = b.jsing("build", "dd.sif", "oci:dotdot");
        assertEquals(ExitCodes.BAD_IMAGE, dd.exitCode(), dd.describe());
        assertTrue(dd.stderr().contains("leaves the root"), dd.describe());
        Result esc = b.jsing("build", "--sandbox", "esc.dir", "oci:escape");
        assertEquals(ExitCodes.BAD_IMAGE, esc.exitCode(), esc.describe());
        assertTrue(esc.stderr().contains("outside the root through a symlink"), esc.describe());
        try (var s = Files.list(outside)) {
            assertEquals(0, s.count(), "something was written outside the root");
        }
        assertFalse(Files.exists(b.dir.resolve("dd.sif")));
        assertFalse(Files.exists(b.dir.resolve("esc.dir")));
        b.assertClean();
    }
}
