package dev.jsing.common.fs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TreesTest {
    @TempDir
    Path tmp;

    @Test
    void removesATreeWithoutFollowingSymlinksOutOfIt() throws IOException {
        Path outside = Files.createDirectories(tmp.resolve("outside/keep"));
        Files.writeString(outside.resolve("file"), "keep");
        Path tree = Files.createDirectories(tmp.resolve("tree/a/b"));
        Files.writeString(tree.resolve("f"), "x");
        Files.createSymbolicLink(tmp.resolve("tree/a/dirlink"), outside);
        Files.createSymbolicLink(tmp.resolve("tree/filelink"), outside.resolve("file"));
        Files.createSymbolicLink(tmp.resolve("tree/dangling"), tmp.resolve("nothing"));
        Trees.delete(tmp.resolve("tree"));
        assertFalse(Files.exists(tmp.resolve("tree"), LinkOption.NOFOLLOW_LINKS));
        assertEquals("keep", Files.readString(outside.resolve("file")));
    }

    @Test
    void aSymlinkToADirectoryIsRemovedAsALink() throws IOException {
        Path dir = Files.createDirectories(tmp.resolve("dir"));
        Files.writeString(dir.resolve("f"), "x");
        Path link = Files.createSymbolicLink(tmp.resolve("link"), dir);
        Trees.delete(link);
        assertFalse(Files.exists(link, LinkOption.NOFOLLOW_LINKS));
        assertTrue(Files.exists(dir.resolve("f")));
    }

    @Test
    void readOnlyDirectoriesItOwnsAreEmptiedToo() throws IOException {
        Path tree = Files.createDirectories(tmp.resolve("ro/inner/deeper"));
        Files.writeString(tree.resolve("f"), "x");
        Files.writeString(tmp.resolve("ro/inner/g"), "y");
        Files.setPosixFilePermissions(tree, PosixFilePermissions.fromString("r-x------"));
        Files.setPosixFilePermissions(tmp.resolve("ro/inner"), PosixFilePermissions.fromString("r--------"));
        Files.setPosixFilePermissions(tmp.resolve("ro"), PosixFilePermissions.fromString("---------"));
        Trees.delete(tmp.resolve("ro"));
        assertFalse(Files.exists(tmp.resolve("ro"), LinkOption.NOFOLLOW_LINKS));
    }

    @Test
    void missingAndPlainFiles() throws IOException {
        Trees.delete(tmp.resolve("none"));
        Trees.deleteQuietly(tmp.resolve("none"));
        Path f = Files.writeString(tmp.resolve("f"), "x");
        Trees.deleteQuietly(f);
        assertFalse(Files.exists(f));
    }
}
