package dev.jsing.oci;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jsing.common.json.Json;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class OciImageTest {
    @TempDir
    Path tmp;

    private static String sha(byte[] b) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(b));
    }

    /** Writes an OCI layout with two layers (the second whiting out a file of the first) and returns its dir. */
    private Path layout(boolean corrupt) throws Exception {
        Path dir = Files.createDirectories(tmp.resolve("layout"));
        Path blobs = Files.createDirectories(dir.resolve("blobs/sha256"));
        byte[] l1 = new LayerApplierTest.Layer()
                .dir("etc", 0755)
                .file("etc/a", "A", 0644)
                .file("etc/b", "B", 0644)
                .gzip();
        byte[] l2 = new LayerApplierTest.Layer()
                .file("etc/.wh.b", "", 0644)
                .file("etc/c", "C", 0600)
                .tar();
        String cfg = "{\"architecture\":\"" + dev.jsing.common.HostArch.goName()
                + "\",\"os\":\"linux\",\"config\":{\"Env\":[\"PATH=/usr/bin:/bin\","
                + "\"GREETING=hello world\"],\"Entrypoint\":[\"/bin/echo\"],\"Cmd\":[\"a b\",\"c\"],"
                + "\"WorkingDir\":\"/work\",\"Labels\":{\"org.example.x\":\"1\"}},\"rootfs\":{\"type\":\"layers\"}}";
        byte[] cfgB = cfg.getBytes(StandardCharsets.UTF_8);
        Files.write(blobs.resolve(sha(l1)), corrupt ? "garbage".getBytes(StandardCharsets.UTF_8) : l1);
        Files.write(blobs.resolve(sha(l2)), l2);
        Files.write(blobs.resolve(sha(cfgB)), cfgB);
        String manifest =
                "{\"schemaVersion\":2,\"mediaType\":\"application/vnd.oci.image.manifest.v1+json\",\"config\":{\"mediaType\":"
                        + "\"application/vnd.oci.image.config.v1+json\",\"digest\":\"sha256:" + sha(cfgB)
                        + "\",\"size\":"
                        + cfgB.length + "},\"layers\":[{\"mediaType\":\"application/vnd.oci.image.layer.v1.tar+gzip\","
                        + "\"digest\":\"sha256:" + sha(l1) + "\",\"size\":" + l1.length + "},{\"mediaType\":"
                        + "\"application/vnd.oci.image.layer.v1.tar\",\"digest\":\"sha256:" + sha(l2) + "\",\"size\":"
                        + l2.length + "}]}";
        byte[] mB = manifest.getBytes(StandardCharsets.UTF_8);
        Files.write(blobs.resolve(sha(mB)), mB);
        Files.writeString(dir.resolve("oci-layout"), "{\"imageLayoutVersion\":\"1.0.0\"}");
        Files.writeString(
                dir.resolve("index.json"),
                "{\"schemaVersion\":2,\"manifests\":[{\"mediaType\":\"application/vnd.oci.image.manifest.v1+json\","
                        + "\"digest\":\"sha256:" + sha(mB) + "\",\"size\":" + mB.length
                        + ",\"annotations\":{\"org.opencontainers.image.ref.name\":\"v1\"}}]}");
        return dir;
    }

    private static void tarDir(Path dir, Path out) throws IOException {
        try (OutputStream o = Files.newOutputStream(out);
                TarArchiveOutputStream t = new TarArchiveOutputStream(o)) {
            t.setLongFileMode(TarArchiveOutputStream.LONGFILE_POSIX);
            try (var s = Files.walk(dir)) {
                for (Path p : (Iterable<Path>) s.sorted()::iterator) {
                    if (p.equals(dir)) {
                        continue;
                    }
                    TarArchiveEntry e =
                            new TarArchiveEntry(p.toFile(), dir.relativize(p).toString());
                    t.putArchiveEntry(e);
                    if (Files.isRegularFile(p)) {
                        Files.copy(p, t);
                    }
                    t.closeArchiveEntry();
                }
            }
        }
    }

    private static void checkUnpacked(Path root) throws IOException {
        assertEquals("A", Files.readString(root.resolve("etc/a")));
        assertFalse(Files.exists(root.resolve("etc/b")));
        assertEquals("C", Files.readString(root.resolve("etc/c")));
    }

    @Test
    void layoutDirectoryUnpacksWithConfig() throws Exception {
        Path dir = layout(false);
        try (OciImage img = OciImage.openLayout(dir, "v1")) {
            assertEquals(2, img.layerCount());
            ImageConfig c = img.config();
            assertEquals(List.of("PATH=/usr/bin:/bin", "GREETING=hello world"), c.env());
            assertEquals(List.of("/bin/echo"), c.entrypoint());
            assertEquals(List.of("a b", "c"), c.cmd());
            assertEquals("/work", c.workingDir());
            assertEquals(Map.of("org.example.x", "1"), c.labels());
            Path root = tmp.resolve("root");
            img.unpack(new LayerApplier(root, false));
            checkUnpacked(root);
        }
        OciException e = assertThrows(OciException.class, () -> OciImage.openLayout(dir, "nope"));
        assertTrue(e.getMessage().contains("no manifest named 'nope'"), e.getMessage());
    }

    @Test
    void ociArchiveUnpacks() throws Exception {
        Path dir = layout(false);
        Path tar = tmp.resolve("img.tar");
        tarDir(dir, tar);
        try (OciImage img = OciImage.openOciArchive(tar, null)) {
            Path root = tmp.resolve("root2");
            img.unpack(new LayerApplier(root, false));
            checkUnpacked(root);
        }
    }

    @Test
    void corruptBlobFailsWithDigestMismatch() throws Exception {
        Path dir = layout(true);
        try (OciImage img = OciImage.openLayout(dir, null)) {
            OciException e =
                    assertThrows(OciException.class, () -> img.unpack(new LayerApplier(tmp.resolve("r"), false)));
            assertEquals(OciException.Kind.BAD_IMAGE, e.kind());
        }
    }

    @Test
    void dockerArchiveUnpacks() throws Exception {
        Path d = Files.createDirectories(tmp.resolve("docker"));
        Files.createDirectories(d.resolve("l1"));
        Files.createDirectories(d.resolve("l2"));
        Files.write(
                d.resolve("l1/layer.tar"),
                new LayerApplierTest.Layer()
                        .dir("etc", 0755)
                        .file("etc/a", "A", 0644)
                        .file("etc/b", "B", 0644)
                        .tar());
        Files.write(
                d.resolve("l2/layer.tar"),
                new LayerApplierTest.Layer()
                        .file("etc/.wh.b", "", 0644)
                        .file("etc/c", "C", 0644)
                        .gzip());
        Files.writeString(d.resolve("cfg.json"), "{\"config\":{\"Cmd\":[\"/bin/sh\"],\"Env\":[\"A=1\"]}}");
        Files.writeString(
                d.resolve("manifest.json"),
                "[{\"Config\":\"cfg.json\",\"RepoTags\":[\"demo:1\"],\"Layers\":[\"l1/layer.tar\",\"l2/layer.tar\"]}]");
        Path tar = tmp.resolve("docker.tar");
        tarDir(d, tar);
        try (OciImage img = OciImage.openDockerArchive(tar, "demo:1")) {
            assertEquals(List.of("/bin/sh"), img.config().cmd());
            Path root = tmp.resolve("root3");
            img.unpack(new LayerApplier(root, false));
            checkUnpacked(root);
        }
    }

    @Test
    void jsonRoundTrip() {
        Map<String, Object> m = Json.parseObject("{\"b\":[1,2.5,\"x\\n\\u0041\"],\"a\":{\"t\":true,\"n\":null}}");
        assertEquals("{\"a\":{\"n\":null,\"t\":true},\"b\":[1,2.5,\"x\\nA\"]}", Json.writeSorted(m));
        assertThrows(IllegalArgumentException.class, () -> Json.parse("{\"a\":}"));
    }
}
