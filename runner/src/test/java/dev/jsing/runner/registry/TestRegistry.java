package dev.jsing.runner.registry;

import dev.jsing.common.json.Json;
import dev.jsing.runner.testing.Commands;
import dev.jsing.runner.testing.MinbaseImage;
import dev.jsing.runner.testing.Result;
import dev.jsing.runner.testing.TestDist;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The real registries of the registry tests (scripts/start-registry.sh, started here when they are not up) and the
 * test images, made once per JVM by third-party tools: umoci makes the layers from a busybox root filesystem (a
 * two-layer image with a whiteout, an image with an 8 MiB incompressible layer, linux/amd64 and linux/arm64 variants
 * tied into an OCI index) and skopeo copies them into the registries.
 */
final class TestRegistry {
    static final String OPEN = "127.0.0.1:5000";
    static final String BASIC = "127.0.0.1:5001";
    static final String TOKEN = "127.0.0.1:5002";
    static final Path STATE = Path.of(System.getenv().getOrDefault("JSING_REGISTRY_DIR", "/var/tmp/jsing-registry"));

    private static boolean ready;

    private TestRegistry() {}

    /** Starts the registries if needed and pushes the test images (once per JVM). */
    static synchronized void setUp() {
        if (ready) {
            return;
        }
        Path script = TestDist.projectRoot().resolve("scripts/start-registry.sh");
        Result r = Commands.run(List.of("bash", script.toString()), null, null, Duration.ofMinutes(5));
        if (r.exitCode() != 0) {
            throw new IllegalStateException("scripts/start-registry.sh failed\n" + r.describe());
        }
        try {
            Path dir = Files.createTempDirectory("jsing-registry-images-");
            StringBuilder links = new StringBuilder();
            for (String a : MinbaseImage.APPLETS) {
                links.append("ln -s busybox b1/rootfs/bin/'").append(a).append("'\n");
            }
            String script1 = "set -e\n"
                    + "umoci init --layout img\n"
                    + "umoci new --image img:wh\n"
                    + "umoci unpack --rootless --image img:wh b1\n"
                    + "mkdir -p b1/rootfs/bin b1/rootfs/etc b1/rootfs/tmp\n"
                    + "cp /bin/busybox b1/rootfs/bin/busybox\n"
                    + links
                    + "echo keep > b1/rootfs/etc/keep; echo gone > b1/rootfs/etc/gone\n"
                    + "umoci repack --image img:wh b1\n"
                    + "umoci unpack --rootless --image img:wh b2\n"
                    + "rm b2/rootfs/etc/gone\n"
                    + "umoci repack --image img:wh b2\n"
                    + "umoci config --image img:wh --config.cmd /bin/sh --config.env GREETING=hello\n"
                    + "umoci unpack --rootless --image img:wh b3\n"
                    + "head -c 8388608 /dev/urandom > b3/rootfs/big.bin\n"
                    + "umoci repack --image img:big b3\n"
                    + "umoci unpack --rootless --image img:wh b4\n"
                    + "echo amd64 > b4/rootfs/etc/arch\n"
                    + "umoci repack --image img:amd64 b4\n"
                    + "umoci unpack --rootless --image img:wh b5\n"
                    + "echo arm64 > b5/rootfs/etc/arch\n"
                    + "umoci repack --image img:arm64 b5\n"
                    + "umoci config --image img:arm64 --architecture arm64\n";
            sh(dir, script1);
            addIndex(dir.resolve("img"), "multi", List.of("amd64", "arm64"));
            String copy = "skopeo copy -q --dest-tls-verify=false ";
            String creds = " --dest-creds " + TokenServer.USER + ":" + TokenServer.PASSWORD;
            sh(
                    dir,
                    "set -e\n"
                            + copy + "oci:img:wh docker://" + OPEN + "/jsingtest/busybox:wh\n"
                            + copy + "--format v2s2 oci:img:wh docker://" + OPEN + "/jsingtest/busybox:v2s2\n"
                            + copy + "oci:img:big docker://" + OPEN + "/jsingtest/big:1\n"
                            + copy + "--all oci:img:multi docker://" + OPEN + "/jsingtest/multi:1\n"
                            + copy + creds + " oci:img:wh docker://" + BASIC + "/jsingtest/busybox:wh\n");
            TokenServer ts = new TokenServer(STATE);
            try {
                sh(dir, copy + creds + " oci:img:wh docker://" + TOKEN + "/jsingtest/busybox:wh\n");
            } finally {
                ts.close();
            }
            Commands.run("rm", "-rf", dir.toString());
        } catch (Exception e) {
            throw new IllegalStateException("cannot set up the test images: " + e, e);
        }
        ready = true;
    }

    private static void sh(Path dir, String script) {
        Result r = Commands.run(List.of("/bin/sh", "-c", script), null, dir, Duration.ofMinutes(5));
        if (r.exitCode() != 0) {
            throw new IllegalStateException("image setup failed\n" + script + "\n" + r.describe());
        }
    }

    /** Adds an OCI image index named {@code name} over the manifests tagged {@code archs} (linux/ARCH each). */
    @SuppressWarnings("unchecked")
    private static void addIndex(Path layout, String name, List<String> archs) throws Exception {
        Path indexJson = layout.resolve("index.json");
        Map<String, Object> index = Json.parseObject(Files.readString(indexJson));
        List<Object> manifests = new ArrayList<>((List<Object>) index.get("manifests"));
        List<Object> entries = new ArrayList<>();
        for (String a : archs) {
            for (Object o : manifests) {
                Map<String, Object> d = (Map<String, Object>) o;
                Map<String, Object> ann = (Map<String, Object>) d.getOrDefault("annotations", Map.of());
                if (a.equals(ann.get("org.opencontainers.image.ref.name"))) {
                    Map<String, Object> e = new LinkedHashMap<>();
                    e.put("mediaType", d.get("mediaType"));
                    e.put("digest", d.get("digest"));
                    e.put("size", d.get("size"));
                    e.put("platform", Map.of("os", "linux", "architecture", a));
                    entries.add(e);
                }
            }
        }
        Map<String, Object> idx = new LinkedHashMap<>();
        idx.put("schemaVersion", 2L);
        idx.put("mediaType", "application/vnd.oci.image.index.v1+json");
        idx.put("manifests", entries);
        byte[] b = Json.write(idx).getBytes(StandardCharsets.UTF_8);
        String hex =
                HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(b));
        Files.write(layout.resolve("blobs/sha256/" + hex), b);
        Map<String, Object> ref = new LinkedHashMap<>();
        ref.put("mediaType", "application/vnd.oci.image.index.v1+json");
        ref.put("digest", "sha256:" + hex);
        ref.put("size", (long) b.length);
        ref.put("annotations", Map.of("org.opencontainers.image.ref.name", name));
        manifests.add(ref);
        index.put("manifests", manifests);
        Files.writeString(indexJson, Json.write(index));
    }

    /** The layer digests of an image in the open registry, read with skopeo. */
    @SuppressWarnings("unchecked")
    static List<String> layers(String repoTag) {
        String raw =
                Commands.ok("skopeo", "inspect", "--raw", "--tls-verify=false", "docker://" + OPEN + "/" + repoTag);
        List<String> out = new ArrayList<>();
        for (Object o : (List<Object>) Json.parseObject(raw).get("layers")) {
            out.add((String) ((Map<String, Object>) o).get("digest"));
        }
        return out;
    }

    /** Writes a Docker auth file for {@code host} with {@code user:password}. */
    static Path authFile(Path dir, String host, String user, String password) {
        String auth =
                java.util.Base64.getEncoder().encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
        Path f = dir.resolve("auth-" + host.replace(':', '_') + "-" + user + ".json");
        try {
            Files.writeString(f, "{\"auths\": {\"" + host + "\": {\"auth\": \"" + auth + "\"}}}\n");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return f;
    }
}
