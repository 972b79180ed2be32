package dev.jsing.runner.build;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.List;
import java.util.UUID;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * %files never follows a symlink of the image being built, or of an earlier stage, out to the host: destinations and
 * stage sources are resolved inside their root (chroot semantics). Real builds as the unprivileged test user, whose
 * own host files are the targets the image's links name.
 */
class FilesEscapeIT {
    @Test
    void destinationSymlinksAreResolvedInsideTheRoot() throws IOException {
        BuildSupport b = new BuildSupport("jsing-files-escape-");
        Path outDir = b.write("outside/keep.txt", "keep\n").getParent();
        Path outFile = b.write("outside-file.txt", "host original\n");
        b.write("payload.txt", "payload\n");
        b.write("flink.txt", "flink payload\n");
        b.write(
                "dst.def",
                "Bootstrap: scratch\n\n%setup\n    mkdir -p $JSING_ROOTFS/opt $JSING_ROOTFS/etc\n"
                        + "    ln -s " + outDir + " $JSING_ROOTFS/opt/link\n"
                        + "    ln -s " + outFile + " $JSING_ROOTFS/etc/flink\n\n"
                        + "%files\n    payload.txt /opt/link/x/file\n    flink.txt /etc/flink\n");
        b.ok("build", "--sandbox", "dst.dir", "dst.def");

        // the host is untouched
        try (Stream<Path> s = Files.list(outDir)) {
            assertEquals(List.of(outDir.resolve("keep.txt")), s.toList(), "a file was written into the host directory");
        }
        assertEquals("host original\n", Files.readString(outFile), "the host file was written through a symlink");

        // the files landed where the links point inside the image
        Path sandbox = b.dir.resolve("dst.dir");
        Path inDir = sandbox.resolve(outDir.toString().substring(1));
        Path inFile = sandbox.resolve(outFile.toString().substring(1));
        assertEquals("payload\n", Files.readString(inDir.resolve("x/file")));
        assertEquals("flink payload\n", Files.readString(inFile));
        assertTrue(Files.isSymbolicLink(sandbox.resolve("opt/link")), "the image's own link is kept");
        assertTrue(Files.isSymbolicLink(sandbox.resolve("etc/flink")), "the image's own link is kept");
        b.assertClean();
    }

    @Test
    void stageSourcesAreNotDereferencedOnTheHost() throws IOException {
        BuildSupport b = new BuildSupport("jsing-files-stage-");
        String secretText = "host secret " + UUID.randomUUID() + "\n";
        Path secret = b.write("secret.txt", secretText);
        b.write(
                "stages.def",
                "Bootstrap: scratch\nStage: one\n\n%setup\n    mkdir -p $JSING_ROOTFS/data\n"
                        + "    echo stage-data > $JSING_ROOTFS/data/own\n"
                        + "    ln -s " + secret + " $JSING_ROOTFS/data/secret\n"
                        + "\n"
                        + "Bootstrap: scratch\nStage: two\n\n"
                        + "%files from one\n    /data/secret /secret\n    /data/own /own\n");
        b.ok("build", "--sandbox", "stages.dir", "stages.def");

        Path sandbox = b.dir.resolve("stages.dir");
        Path copied = sandbox.resolve("secret");
        assertTrue(Files.exists(copied, LinkOption.NOFOLLOW_LINKS), "/secret missing");
        assertFalse(secretText.equals(readIfFile(copied)), "the host file was copied into the image");
        assertTrue(Files.isSymbolicLink(copied), "the stage's dangling link is copied as a link");
        assertEquals(secret, Files.readSymbolicLink(copied));
        assertEquals("stage-data\n", Files.readString(sandbox.resolve("own")));
        b.assertClean();
    }

    private static String readIfFile(Path p) throws IOException {
        return Files.isRegularFile(p, LinkOption.NOFOLLOW_LINKS) ? Files.readString(p) : null;
    }
}
