package dev.jsing.sif;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Delete with the reference's options; the default is what {@code siftool del} does (descriptor only). */
class SifDeleteTest {
  @TempDir Path dir;

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
      SifException e =
          assertThrows(SifException.class, () -> img.delete(1, DeleteOptions.defaults().withCompact(true)));
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
