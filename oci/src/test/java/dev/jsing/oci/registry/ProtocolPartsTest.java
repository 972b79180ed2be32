package dev.jsing.oci.registry;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Tests for the pure parts of the protocol: challenges, manifests, platform selection, auth files, the blob store. */
class ProtocolPartsTest {
    private static final String D1 = "sha256:" + "1".repeat(64);
    private static final String D2 = "sha256:" + "2".repeat(64);

    @Test
    void parsesBearerChallenge() {
        Map<String, String> c = Challenge.parse(
                "Bearer realm=\"https://auth.example.org/token\",service=\"registry.example.org\",scope=\"repository:a/b:pull\"");
        assertEquals("bearer", c.get(""));
        assertEquals("https://auth.example.org/token", c.get("realm"));
        assertEquals("registry.example.org", c.get("service"));
        assertEquals("repository:a/b:pull", c.get("scope"));
        assertEquals("basic", Challenge.parse("Basic realm=\"x\"").get(""));
    }

    private static RegistryClient.Fetched fetched(String json) {
        byte[] b = json.getBytes(StandardCharsets.UTF_8);
        return new RegistryClient.Fetched("", b, "sha256:" + RegistryClient.sha256(b));
    }

    @Test
    void selectsPlatformFromIndex() throws Exception {
        ImageManifest idx = ImageManifest.parse(
                fetched("{\"schemaVersion\":2,\"mediaType\":\"" + MediaTypes.DOCKER_LIST
                        + "\",\"manifests\":[{\"mediaType\":\"m\",\"digest\":\"" + D1
                        + "\",\"size\":5,\"platform\":{\"os\":\"linux\","
                        + "\"architecture\":\"amd64\"}},{\"mediaType\":\"m\",\"digest\":\"" + D2
                        + "\",\"size\":6,\"platform\":{\"os\":"
                        + "\"linux\",\"architecture\":\"arm64\",\"variant\":\"v8\"}}]}"),
                "t");
        assertTrue(idx.isIndex());
        assertEquals(D1, idx.select("amd64", "t").descriptor().digest());
        assertEquals(D2, idx.select("arm64", "t").descriptor().digest());
        assertEquals(D2, idx.select("arm64/v8", "t").descriptor().digest());
        RegistryException e = assertThrows(RegistryException.class, () -> idx.select("ppc64le", "t"));
        assertEquals(RegistryException.Kind.NOT_FOUND, e.kind());
        assertTrue(e.getMessage().contains("linux/amd64, linux/arm64/v8"), e.getMessage());
    }

    @Test
    void parsesImageManifestAndRejectsSchema1() throws Exception {
        ImageManifest m = ImageManifest.parse(
                fetched("{\"schemaVersion\":2,\"config\":{\"mediaType\":\"c\",\"digest\":\"" + D1
                        + "\",\"size\":2},\"layers\":[{\"mediaType\":\"l\",\"digest\":\"" + D2 + "\",\"size\":9}]}"),
                "t");
        assertEquals(MediaTypes.OCI_MANIFEST, m.mediaType());
        assertEquals(D1, m.config().digest());
        assertEquals(9, m.layers().get(0).size());
        assertThrows(
                RegistryException.class,
                () -> ImageManifest.parse(fetched("{\"schemaVersion\":1,\"fsLayers\":[]}"), "t"));
        assertThrows(
                RegistryException.class,
                () -> ImageManifest.parse(
                        fetched("{\"schemaVersion\":2,\"config\":{\"digest\":\"md5:x\",\"size\":1}}"), "t"));
    }

    @Test
    void readsDockerAuthFiles(@TempDir Path dir) throws Exception {
        Path f = dir.resolve("config.json");
        String auth = Base64.getEncoder().encodeToString("u:p:w".getBytes(StandardCharsets.UTF_8));
        Files.writeString(
                f,
                "{\"auths\":{\"https://reg.example.org/v2/\":{\"auth\":\"" + auth + "\"},"
                        + "\"https://index.docker.io/v1/\":{\"username\":\"hub\",\"password\":\"pw\"}}}");
        Credentials c = Credentials.load(f, Map.of(), dir);
        assertEquals(new Credentials.Login("u", "p:w"), c.forRegistry("reg.example.org"));
        assertEquals("hub", c.forRegistry("registry-1.docker.io").username());
        assertNull(c.forRegistry("other.example.org"));
        assertNull(Credentials.load(null, Map.of(), dir).forRegistry("reg.example.org"));
        assertEquals(
                "u",
                Credentials.load(null, Map.of("DOCKER_CONFIG", dir.toString()), Path.of("/nonexistent"))
                        .forRegistry("reg.example.org")
                        .username());
    }

    @Test
    void blobStoreKeepsOnlyVerifiedBlobs(@TempDir Path dir) throws Exception {
        BlobStore s = new BlobStore(dir);
        byte[] data = "hello".getBytes(StandardCharsets.UTF_8);
        Descriptor d = new Descriptor("x", "sha256:" + RegistryClient.sha256(data), data.length, Map.of());
        assertThrows(
                RegistryException.class,
                () -> s.ensure(d, partial -> {
                    Files.write(partial, "hell".getBytes(StandardCharsets.UTF_8));
                }));
        assertTrue(!s.has(d) && !Files.exists(dir.resolve("tmp").resolve(d.hex() + ".partial")));
        Path p = s.ensure(d, partial -> Files.write(partial, data));
        assertEquals("hello", Files.readString(p));
        assertEquals(p, s.ensure(d, partial -> {
            throw new AssertionError("fetched twice");
        }));
    }
}
