package dev.jsing.runner.build.source;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.jsing.runner.error.ExitCodes;
import dev.jsing.runner.error.JsingException;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Tests for {@link DockerSource#refFor}: the image a {@code Bootstrap: docker} header names, as in Apptainer. */
class DockerSourceTest {
    private static final String DIGEST = "sha256:" + "0123456789abcdef".repeat(4);

    /** {@code refFor} of a header given as alternating key, value (keys lower-case, as the definition parser gives them). */
    private static String ref(String... kv) {
        Map<String, String> h = new LinkedHashMap<>();
        h.put("bootstrap", "docker");
        for (int i = 0; i < kv.length; i += 2) {
            h.put(kv[i], kv[i + 1]);
        }
        return DockerSource.refFor(h).toString();
    }

    /** Pins Docker Hub's defaults: library/ for one-component names, latest without a tag, docker:// accepted. */
    @Test
    void dockerHubNames() {
        assertEquals("docker://docker.io/library/ubuntu:22.04", ref("from", "ubuntu:22.04"));
        assertEquals("docker://docker.io/library/ubuntu:22.04", ref("from", "docker://ubuntu:22.04"));
        assertEquals("docker://docker.io/library/ubuntu:latest", ref("from", " ubuntu "));
        assertEquals("docker://docker.io/rocker/r-ver:4.3", ref("from", "rocker/r-ver:4.3"));
    }

    /** Pins Registry: and Namespace: for names without a host (the registry's scheme and trailing slash dropped). */
    @Test
    void registryAndNamespaceHeaders() {
        assertEquals("docker://quay.io/ubuntu:22.04", ref("from", "ubuntu:22.04", "registry", "quay.io"));
        assertEquals(
                "docker://quay.io/library/ubuntu:22.04",
                ref("from", "ubuntu:22.04", "registry", "quay.io", "namespace", "library"));
        assertEquals(
                "docker://quay.io/biocontainers/samtools:1.9",
                ref("from", "samtools:1.9", "registry", "https://quay.io/", "namespace", "biocontainers/"));
        assertEquals(
                "docker://docker.io/biocontainers/samtools:1.9",
                ref("from", "samtools:1.9", "namespace", "biocontainers"));
        assertEquals(
                "docker://docker.io/myorg/app:1",
                ref("from", "myorg/app:1", "namespace", "other"),
                "a name with a namespace of its own keeps it");
        assertEquals("docker://ghcr.io/myorg/app:1", ref("from", "myorg/app:1", "registry", "ghcr.io"));
    }

    /** Pins that a From: with a host (a dot, a port or localhost) ignores Registry: and Namespace:. */
    @Test
    void hostInFromWins() {
        assertEquals("docker://localhost:5000/app:1", ref("from", "localhost:5000/app:1", "registry", "quay.io"));
        assertEquals("docker://localhost/app:latest", ref("from", "localhost/app", "namespace", "ns"));
        assertEquals(
                "docker://registry.example.org:5000/team/app:2.0",
                ref(
                        "from",
                        "docker://registry.example.org:5000/team/app:2.0",
                        "registry",
                        "quay.io",
                        "namespace",
                        "ns"));
    }

    /** Pins digests: alone (no tag), and with a tag (both kept). */
    @Test
    void digests() {
        assertEquals("docker://docker.io/library/alpine@" + DIGEST, ref("from", "alpine@" + DIGEST));
        assertEquals("docker://docker.io/library/alpine:3.19@" + DIGEST, ref("from", "alpine:3.19@" + DIGEST));
        assertEquals("docker://127.0.0.1:5000/x/y@" + DIGEST, ref("from", "127.0.0.1:5000/x/y@" + DIGEST));
    }

    /** Pins the refusals: a missing From:, a bad digest or tag are definition errors (exit 67) with the reason. */
    @Test
    void badHeadersAreDefinitionErrors() {
        JsingException e = assertThrows(JsingException.class, () -> ref("registry", "quay.io"));
        assertEquals(ExitCodes.BAD_DEFINITION, e.exitCode());
        assertEquals("Bootstrap: docker needs a From: header", e.getMessage());
        e = assertThrows(JsingException.class, () -> ref("from", "alpine@sha256:abc"));
        assertEquals(ExitCodes.BAD_DEFINITION, e.exitCode());
        assertEquals(
                "'Bootstrap: docker From: alpine@sha256:abc': bad digest 'sha256:abc' (expected sha256:<64 hex>)",
                e.getMessage());
        e = assertThrows(JsingException.class, () -> ref("from", "Ubuntu:22.04"));
        assertEquals(ExitCodes.BAD_DEFINITION, e.exitCode());
    }
}
