package dev.jsing.sif;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SifSetPrimaryTest {
    @TempDir
    Path dir;

    @Test
    void promotesSystemPartitionAndDemotesTheOldPrimary() throws Exception {
        Path f = TestImages.fiveObjects(dir.resolve("a.sif"));
        try (SifImage img = SifImage.openWritable(f)) {
            img.setPrimaryPartition(5);
        }
        Golden.assertMatches("SifSetPrimaryTest", "Promote", Files.readAllBytes(f));
        try (SifImage img = SifImage.open(f)) {
            Descriptor prim = img.primaryPartition().orElseThrow();
            assertEquals(5, prim.id());
            assertEquals(Arch.ARM64, prim.partition().orElseThrow().arch());
            assertEquals(FsType.EXT3, prim.partition().orElseThrow().fsType());
            assertEquals(
                    PartType.SYSTEM,
                    img.descriptor(2).orElseThrow().partition().orElseThrow().partType());
            assertEquals(Arch.ARM64, img.header().arch());
            assertEquals(
                    1,
                    img.descriptors(Selectors.withPartitionType(PartType.PRIM_SYS))
                            .size());
        }
    }

    @Test
    void alreadyPrimaryChangesNothing() throws Exception {
        Path f = TestImages.fiveObjects(dir.resolve("a.sif"));
        byte[] before = Files.readAllBytes(f);
        try (SifImage img = SifImage.openWritable(f)) {
            img.setPrimaryPartition(2, java.util.Optional.of(TestImages.T1));
        }
        assertEquals(-1, java.util.Arrays.mismatch(before, Files.readAllBytes(f)));
    }

    @Test
    void refusesNonPartitionsAndNonSystemPartitions() throws Exception {
        Path f = TestImages.fiveObjects(dir.resolve("a.sif"));
        try (SifImage img = SifImage.openWritable(f)) {
            img.add(TestImages.bytes(DataType.PARTITION, "d").withPartition(FsType.RAW, PartType.DATA, Arch.AMD64));
            SifException e1 = assertThrows(SifException.class, () -> img.setPrimaryPartition(1));
            assertEquals(SifException.Reason.NOT_A_PARTITION, e1.reason());
            assertEquals(f + ": data object not a partition", e1.getMessage());
            SifException e2 = assertThrows(SifException.class, () -> img.setPrimaryPartition(6));
            assertEquals(SifException.Reason.NOT_A_SYSTEM_PARTITION, e2.reason());
        }
    }
}
