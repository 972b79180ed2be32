package dev.jsing.sif;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Delete with the reference's options; the default is what {@code siftool del} does (descriptor only: siftool 2.8.3's
 * {@code del} calls {@code DeleteObject(id)} with no options, so neither zeroing nor compaction). Cross-checked by hand
 * against sylabs/sif 2.8.3: for every object of every reference fixture, {@code siftool del} and, with each of the four
 * zero/compact combinations, the library's {@code DeleteObject}, give the same bytes as this delete (with the same
 * modification time); compaction of a non-last object fails in both and leaves the file as it was.
 */
class SifDeleteTest {
    @TempDir
    Path dir;

    @Test
    void defaultFreesTheDescriptorAndKeepsData() throws Exception {
        Path f = TestImages.fiveObjects(dir.resolve("a.sif"));
        try (SifImage img = SifImage.openWritable(f)) {
            img.delete(4, DeleteOptions.defaults());
        }
        Golden.assertMatches("SifDeleteTest", "Default", Files.readAllBytes(f));
        try (SifImage img = SifImage.open(f)) {
            assertTrue(img.descriptor(4).isEmpty());
            assertEquals(44, img.header().descriptorsFree());
            assertEquals(45056 - 32176, img.header().dataSize());
        }
    }

    @Test
    void zeroOverwritesTheObject() throws Exception {
        Path f = TestImages.fiveObjects(dir.resolve("a.sif"));
        try (SifImage img = SifImage.openWritable(f)) {
            img.delete(1, DeleteOptions.defaults().withZero(true));
        }
        Golden.assertMatches("SifDeleteTest", "Zero", Files.readAllBytes(f));
        byte[] b = Files.readAllBytes(f);
        for (int i = 32176; i < 32181; i++) {
            assertEquals(0, b[i]);
        }
    }

    @Test
    void compactTruncatesTheLastObjectWithItsPadding() throws Exception {
        Path f = TestImages.fiveObjects(dir.resolve("a.sif"));
        try (SifImage img = SifImage.openWritable(f)) {
            img.delete(5, DeleteOptions.defaults().withCompact(true));
        }
        Golden.assertMatches("SifDeleteTest", "Compact", Files.readAllBytes(f));
        assertEquals(36933, Files.size(f));
        try (SifImage img = SifImage.open(f)) {
            assertEquals(36933 - 32176, img.header().dataSize());
        }
    }

    /**
     * Compacting from the last object backwards undoes every add: the file is the freshly created empty image again,
     * byte for byte (each cut removes the object and the alignment padding before it; the header's data size, free
     * count and architecture return to their initial values). The reference library (sylabs/sif 2.8.3
     * {@code DeleteObject} with {@code OptDeleteCompact(true)}) gives the same bytes after each of these deletes.
     */
    @Test
    void compactingEveryObjectFromTheLastGivesBackTheEmptyImage() throws Exception {
        Path f = TestImages.fiveObjects(dir.resolve("a.sif"));
        long[] sizes = {36933, 36869, 36864, 32181, 32176};
        int[] ids = {5, 4, 3, 2, 1};
        try (SifImage img = SifImage.openWritable(f)) {
            for (int i = 0; i < ids.length; i++) {
                img.delete(ids[i], DeleteOptions.defaults().withCompact(true));
                assertEquals(sizes[i], Files.size(f), "after deleting " + ids[i]);
                assertEquals(sizes[i] - 32176, img.header().dataSize(), "data size after deleting " + ids[i]);
            }
        }
        Path empty = dir.resolve("empty.sif");
        SifImage.create(empty, TestImages.bare()).close();
        assertEquals(-1, Files.mismatch(empty, f));
    }

    /** The object last in the file may sit in any slot (here the reused slot 3): it is the one compaction can cut. */
    @Test
    void compactCutsTheLastObjectInTheFileWhateverItsSlot() throws Exception {
        Path f = TestImages.fiveObjects(dir.resolve("a.sif"));
        byte[] before = Files.readAllBytes(f);
        try (SifImage img = SifImage.openWritable(f)) {
            img.delete(3, DeleteOptions.defaults());
            assertEquals(
                    45056, img.add(TestImages.bytes(DataType.GENERIC, "again")).offset());
            SifException e = assertThrows(
                    SifException.class,
                    () -> img.delete(5, DeleteOptions.defaults().withCompact(true)));
            assertEquals(SifException.Reason.INVALID_REQUEST, e.reason());
            img.delete(3, DeleteOptions.defaults().withCompact(true));
            assertEquals(45056, Files.size(f));
            assertEquals(45056 - 32176, img.header().dataSize());
            assertTrue(img.descriptor(3).isEmpty());
        }
        byte[] after = Files.readAllBytes(f);
        // only the free count and descriptor 3 (now free) differ from the image before the first delete
        int free = Layout.H_DESC_FREE;
        int slot3 = 4096 + 2 * 585;
        assertEquals(-1, java.util.Arrays.mismatch(before, 0, free, after, 0, free));
        assertEquals(-1, java.util.Arrays.mismatch(before, free + 8, slot3, after, free + 8, slot3));
        assertEquals(
                -1, java.util.Arrays.mismatch(before, slot3 + 585, before.length, after, slot3 + 585, after.length));
        assertEquals(44, Layout.i64(after, Layout.H_DESC_FREE));
    }

    /**
     * A plain delete keeps the object's bytes and its share of the data size, so once it is freed the object before it
     * counts as last: compacting that one cuts the file there, leftovers included, but takes only its own padded size
     * off the header's data size. The reference does exactly this (the next add then lands past the end of the file).
     */
    @Test
    void compactAfterAPlainDeleteOfTheLastObjectCutsItsDataButKeepsItsDataSize() throws Exception {
        Path f = TestImages.fiveObjects(dir.resolve("a.sif"));
        try (SifImage img = SifImage.openWritable(f)) {
            img.delete(5, DeleteOptions.defaults());
            img.delete(4, DeleteOptions.defaults().withCompact(true));
            assertEquals(36869, Files.size(f));
            assertEquals(45056 - 32176 - 64, img.header().dataSize());
            assertEquals(
                    32176 + 45056 - 32176 - 64,
                    img.add(TestImages.bytes(DataType.GENERIC, "x")).offset());
        }
    }

    @Test
    void deleteRecordsTheGivenTime() throws Exception {
        Path f = TestImages.fiveObjects(dir.resolve("a.sif"));
        try (SifImage img = SifImage.openWritable(f)) {
            img.delete(1, DeleteOptions.defaults().withTime(TestImages.T1));
            assertEquals(TestImages.T1, img.header().modifiedAt());
            assertEquals(SifImage.ZERO_TIME, img.header().createdAt());
        }
    }

    @Test
    void deletingThePrimaryPartitionClearsTheHeaderArch() throws Exception {
        Path f = TestImages.fiveObjects(dir.resolve("a.sif"));
        try (SifImage img = SifImage.openWritable(f)) {
            img.delete(2, DeleteOptions.defaults());
            assertEquals(Arch.UNKNOWN, img.header().arch());
            assertTrue(img.primaryPartition().isEmpty());
        }
    }

    @Test
    void compactOfANonLastObjectIsRefused() throws Exception {
        Path f = TestImages.fiveObjects(dir.resolve("a.sif"));
        byte[] before = Files.readAllBytes(f);
        try (SifImage img = SifImage.openWritable(f)) {
            SifException e = assertThrows(
                    SifException.class,
                    () -> img.delete(1, DeleteOptions.defaults().withCompact(true)));
            assertEquals(SifException.Reason.INVALID_REQUEST, e.reason());
        }
        assertEquals(-1, java.util.Arrays.mismatch(before, Files.readAllBytes(f)));
    }

    @Test
    void unknownIdIsNotFound() throws Exception {
        Path f = TestImages.fiveObjects(dir.resolve("a.sif"));
        try (SifImage img = SifImage.openWritable(f)) {
            SifException e = assertThrows(SifException.class, () -> img.delete(9, DeleteOptions.defaults()));
            assertEquals(SifException.Reason.OBJECT_NOT_FOUND, e.reason());
            assertEquals(f + ": object 9 not found", e.getMessage());
        }
    }

    @Test
    void freedSlotIsReusedByTheNextAdd() throws Exception {
        Path f = TestImages.fiveObjects(dir.resolve("a.sif"));
        try (SifImage img = SifImage.openWritable(f)) {
            img.delete(3, DeleteOptions.defaults());
            Descriptor d = img.add(TestImages.bytes(DataType.GENERIC, "again"));
            assertEquals(3, d.id());
            assertEquals(45056, d.offset());
        }
    }
}
