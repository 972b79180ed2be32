package dev.jsing.sif;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SelectorsTest {
    @TempDir
    Path dir;

    private static List<Integer> ids(List<Descriptor> ds) {
        return ds.stream().map(Descriptor::id).toList();
    }

    @Test
    void selectByTypeGroupPartitionAndLink() throws Exception {
        Path f = TestImages.fiveObjects(dir.resolve("a.sif"));
        try (SifImage img = SifImage.open(f)) {
            assertEquals(List.of(2, 5), ids(img.descriptors(Selectors.withDataType(DataType.PARTITION))));
            assertEquals(List.of(2), ids(img.descriptors(Selectors.withGroupId(1))));
            assertEquals(List.of(1, 3, 5), ids(img.descriptors(Selectors.withGroupId(0))));
            assertEquals(List.of(5), ids(img.descriptors(Selectors.withPartitionType(PartType.SYSTEM))));
            assertEquals(List.of(3), ids(img.descriptors(Selectors.linkedToObject(2))));
            assertEquals(List.of(), ids(img.descriptors(Selectors.linkedToGroup(2))));
            assertEquals(
                    List.of(5),
                    ids(img.descriptors(
                            Selectors.withDataType(DataType.PARTITION).and(Selectors.withGroupId(0)))));
            assertEquals(2, img.primaryPartition().orElseThrow().id());
            PartitionInfo p = img.primaryPartition().orElseThrow().partition().orElseThrow();
            assertEquals(FsType.SQUASHFS, p.fsType());
            assertEquals(Arch.AMD64, p.arch());
            assertEquals(
                    SbomFormat.SPDX_JSON,
                    img.descriptor(4).orElseThrow().sbomFormat().orElseThrow());
            assertEquals(
                    "433FE984155206BD962725E20E8713472A879943",
                    img.descriptor(3).orElseThrow().signature().orElseThrow().entity());
        }
    }

    @Test
    void enumCodesAreTheOnDiskValues() {
        assertEquals(0x4001, DataType.DEFFILE.code());
        assertEquals(0x400B, DataType.OCI_BLOB.code());
        assertEquals(DataType.SBOM, DataType.of(0x4009));
        assertEquals(DataType.UNKNOWN, DataType.of(0x4100));
        assertEquals("02", Arch.AMD64.code());
        assertEquals(Arch.LOONG64, Arch.ofCode("13"));
        assertEquals(PartType.PRIM_SYS, PartType.of(2));
        assertEquals(HashType.BLAKE2B, HashType.of(5));
        assertEquals(SbomFormat.GITHUB_JSON, SbomFormat.parse("github").orElseThrow());
    }
}
