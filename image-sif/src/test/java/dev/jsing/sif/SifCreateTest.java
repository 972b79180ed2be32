package dev.jsing.sif;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SifCreateTest {
    @TempDir
    Path dir;

    @Test
    void deterministicEmptyImageMatchesGolden() throws Exception {
        Path f = dir.resolve("a.sif");
        SifImage.create(f, TestImages.bare()).close();
        assertEquals(32176, Files.size(f));
        Golden.assertMatches("SifCreateTest", "Empty", Files.readAllBytes(f));
    }

    @Test
    void defaultLaunchScriptIdAndTimeAreRecorded() throws Exception {
        Path f = dir.resolve("b.sif");
        UUID id = UUID.fromString("3fa802cc-358b-45e3-bcc0-69dc7a45f9f8");
        SifImage.create(f, CreateOptions.defaults().withId(id).withTime(TestImages.T1))
                .close();
        Golden.assertMatches("SifCreateTest", "LaunchScriptIdTime", Files.readAllBytes(f));
        try (SifImage img = SifImage.open(f)) {
            Header h = img.header();
            assertEquals("#!/usr/bin/env run-singularity\n", h.launchScript());
            assertEquals(id, h.id());
            assertEquals(TestImages.T1, h.createdAt());
            assertEquals(48, h.descriptorsTotal());
            assertEquals(48, h.descriptorsFree());
            assertEquals(4096, h.descriptorsOffset());
            assertEquals(28080, h.descriptorsSize());
            assertEquals(32176, h.dataOffset());
            assertEquals(0, h.dataSize());
            assertEquals(Arch.UNKNOWN, h.arch());
        }
        assertTrue(Files.getPosixFilePermissions(f).contains(PosixFilePermission.OWNER_EXECUTE));
    }

    @Test
    void deterministicImagesAreReproducible() throws Exception {
        Path a = TestImages.fiveObjects(dir.resolve("a.sif"));
        Path b = TestImages.fiveObjects(dir.resolve("b.sif"));
        assertEquals(-1, Files.mismatch(a, b));
        try (SifImage img = SifImage.open(a)) {
            assertTrue(img.header().isDeterministic());
            assertEquals(SifImage.ZERO_TIME, img.descriptors().get(0).createdAt());
        }
    }

    @Test
    void smallDescriptorCapacity() throws Exception {
        Path f = dir.resolve("c.sif");
        SifImage.create(f, TestImages.bare().withDescriptorCapacity(2)).close();
        Golden.assertMatches("SifCreateTest", "Capacity2", Files.readAllBytes(f));
        assertEquals(4096 + 2 * 585, Files.size(f));
    }
}
