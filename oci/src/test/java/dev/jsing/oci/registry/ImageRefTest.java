package dev.jsing.oci.registry;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** Tests for {@link ImageRef}. */
class ImageRefTest {
    @Test
    void hostPortRepoTag() {
        ImageRef r = ImageRef.parse("docker://127.0.0.1:5000/jsing/busybox:1.36");
        assertEquals("docker", r.scheme());
        assertEquals("127.0.0.1:5000", r.registry());
        assertEquals("jsing/busybox", r.repository());
        assertEquals("1.36", r.tag());
        assertNull(r.digest());
        assertEquals("1.36", r.reference());
        assertEquals("127.0.0.1:5000", r.apiHost());
    }

    @Test
    void dockerHubDefaults() {
        ImageRef r = ImageRef.parse("docker://ubuntu");
        assertEquals("docker.io", r.registry());
        assertEquals("library/ubuntu", r.repository());
        assertEquals("latest", r.tag());
        assertEquals("registry-1.docker.io", r.apiHost());
        assertEquals("library/x", ImageRef.parse("docker://x:1").repository());
        assertEquals("user/x", ImageRef.parse("docker://user/x").repository());
        assertEquals("localhost", ImageRef.parse("docker://localhost/x").registry());
    }

    @Test
    void digestWinsOverTag() {
        String d = "sha256:" + "ab".repeat(32);
        ImageRef r = ImageRef.parse("oras://reg.example.org/a/b:t@" + d);
        assertEquals("oras", r.scheme());
        assertEquals("t", r.tag());
        assertEquals(d, r.reference());
        assertEquals("oras://reg.example.org/a/b:t@" + d, r.toString());
        ImageRef p = ImageRef.parse("docker://reg.example.org/a/b:t").withDigest(d);
        assertEquals(d, p.reference());
        assertEquals(p, ImageRef.parse(p.toString()));
    }

    @Test
    void rejectsBadReferences() {
        assertThrows(IllegalArgumentException.class, () -> ImageRef.parse("http://x/y"));
        assertThrows(IllegalArgumentException.class, () -> ImageRef.parse("docker://x/Upper"));
        assertThrows(IllegalArgumentException.class, () -> ImageRef.parse("docker://x/y@sha256:short"));
        assertThrows(IllegalArgumentException.class, () -> ImageRef.parse("docker://reg:5000/"));
        assertThrows(IllegalArgumentException.class, () -> ImageRef.parse("docker://x/y:bad/tag"));
        assertTrue(ImageRef.isRegistryUri("oras://a/b") && !ImageRef.isRegistryUri("/tmp/a.sif"));
    }
}
