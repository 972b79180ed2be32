package dev.jsing.sif;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ImageFormatTest {
    @TempDir
    Path tmp;

    private Path write(String name, byte[] b) throws IOException {
        return Files.write(tmp.resolve(name), b);
    }

    @Test
    void aSifMadeByTheLibrary() throws IOException {
        Path sif = tmp.resolve("a.sif");
        SifImage.create(sif, CreateOptions.defaults()).close();
        assertEquals(ImageFormat.SIF, ImageFormat.sniff(sif));
        // without a launch script too: the magic's place is fixed
        Path bare = tmp.resolve("b.sif");
        SifImage.create(bare, CreateOptions.defaults().withLaunchScript("")).close();
        assertEquals(ImageFormat.SIF, ImageFormat.sniff(bare));
        assertTrue(ImageFormat.SIF.isImageFile());
    }

    @Test
    void squashfsDirectoryAndOther() throws IOException {
        assertEquals(
                ImageFormat.SQUASHFS,
                ImageFormat.sniff(write("s", "hsqs\0\0\0\0".getBytes(StandardCharsets.US_ASCII))));
        assertEquals(ImageFormat.DIRECTORY, ImageFormat.sniff(Files.createDirectory(tmp.resolve("sandbox"))));
        assertEquals(
                ImageFormat.OTHER, ImageFormat.sniff(write("def", "Bootstrap: docker\nFrom: alpine\n".getBytes())));
        assertEquals(ImageFormat.OTHER, ImageFormat.sniff(write("empty", new byte[0])));
        assertEquals(ImageFormat.OTHER, ImageFormat.sniff(write("hsq", "hsq".getBytes())));
        assertFalse(ImageFormat.DIRECTORY.isImageFile());
        assertFalse(ImageFormat.OTHER.isImageFile());
    }

    @Test
    void theSifMagicCountsOnlyAtOffset32() throws IOException {
        byte[] at0 = new byte[64];
        System.arraycopy("SIF_MAGIC\0".getBytes(StandardCharsets.US_ASCII), 0, at0, 0, 10);
        assertEquals(ImageFormat.OTHER, ImageFormat.of(at0));
        byte[] at32 = new byte[42];
        System.arraycopy("SIF_MAGIC\0".getBytes(StandardCharsets.US_ASCII), 0, at32, 32, 10);
        assertEquals(ImageFormat.SIF, ImageFormat.of(at32));
        byte[] cut = new byte[41];
        System.arraycopy("SIF_MAGIC".getBytes(StandardCharsets.US_ASCII), 0, cut, 32, 9);
        assertEquals(ImageFormat.OTHER, ImageFormat.of(cut));
    }

    @Test
    void missingFiles() {
        assertThrows(NoSuchFileException.class, () -> ImageFormat.sniff(tmp.resolve("none")));
    }

    /** Issue #17: a FIFO given as an image blocked every command in open(); /dev/zero was "a truncated file". */
    @Test
    void fifoAndDevicesAreNeverOpened() throws Exception {
        Path fifo = tmp.resolve("fifo");
        assertEquals(0, new ProcessBuilder("mkfifo", fifo.toString()).start().waitFor());
        assertEquals("a FIFO", ImageFormat.special(fifo));
        assertEquals("a character device", ImageFormat.special(Path.of("/dev/zero")));
        assertEquals(null, ImageFormat.special(tmp));
        assertEquals(null, ImageFormat.special(tmp.resolve("missing")));
        org.junit.jupiter.api.Assertions.assertTimeoutPreemptively(java.time.Duration.ofSeconds(10), () -> {
            assertEquals(ImageFormat.OTHER, ImageFormat.sniff(fifo));
            SifFormatException e = assertThrows(SifFormatException.class, () -> SifImage.open(fifo));
            assertTrue(e.getMessage().contains("a FIFO, not a regular file"), e.getMessage());
            e = assertThrows(SifFormatException.class, () -> SifImage.open(Path.of("/dev/zero")));
            assertTrue(e.getMessage().contains("a character device, not a regular file"), e.getMessage());
        });
    }
}
