package dev.jsing.runner.registry;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jsing.runner.error.UsageException;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Tests for {@link CacheService}'s Apptainer-style types, summary and per-type clean. */
class CacheServiceTest {
    @TempDir
    Path root;

    private void populate() throws IOException {
        Files.createDirectories(root.resolve("sif"));
        Files.createDirectories(root.resolve("blobs/sha256"));
        Files.write(root.resolve("sif/aa.sif"), new byte[2048]);
        Files.writeString(root.resolve("sif/aa.ref"), "docker://example/x:1\n");
        Files.write(root.resolve("blobs/sha256/bb"), new byte[1024]);
        Files.write(root.resolve("blobs/sha256/cc"), new byte[1024]);
    }

    private String list(List<String> types, boolean verbose) throws IOException {
        StringWriter w = new StringWriter();
        new CacheService(root).list(types, verbose, new PrintWriter(w));
        return w.toString();
    }

    @Test
    void summaryAsApptainerPrintsIt() throws IOException {
        populate();
        assertEquals(
                "There are 1 container file(s) using 2.0 KiB and 2 oci blob file(s) using 2.0 KiB of space\n"
                        + "Total space used: 4.0 KiB in " + root + "\n",
                list(List.of(), false));
        assertTrue(list(List.of("oci"), false).startsWith("There are 1 container file(s) using 2.0 KiB and 0 oci"));
        String verbose = list(List.of(), true);
        assertTrue(verbose.startsWith("TYPE"), verbose);
        assertTrue(verbose.contains("docker://example/x:1@sha256:aa"), verbose);
    }

    @Test
    void cleanSelectsTypes() throws IOException {
        populate();
        StringWriter w = new StringWriter();
        assertEquals(2, new CacheService(root).clean(List.of("blob"), null, false, new PrintWriter(w)));
        assertTrue(Files.exists(root.resolve("sif/aa.sif")));
        assertFalse(Files.exists(root.resolve("blobs/sha256/bb")));
        assertEquals(1, new CacheService(root).clean(List.of("all"), null, false, new PrintWriter(w)));
        assertFalse(Files.exists(root.resolve("sif/aa.ref")), "the ref goes with its SIF");
    }

    @Test
    void unknownTypesAreUsageErrors() {
        assertThrows(UsageException.class, () -> CacheService.checkTypes(List.of("oci", "images")));
        CacheService.checkTypes(List.of("all", "oci", "blob", "oras", "partial", "meta", "library", "shub", "net"));
    }

    /** Pins that cache list and clean know the image metadata entries (type meta), stale ones marked. */
    @Test
    void metadataEntriesAreListedAndCleaned() throws IOException {
        populate();
        Path img = Files.write(root.resolveSibling(root.getFileName() + "-img.sif"), new byte[10]);
        Path gone = Files.write(root.resolveSibling(root.getFileName() + "-gone.sif"), new byte[10]);
        dev.jsing.runner.config.MetaCache meta = dev.jsing.runner.config.MetaCache.in(root);
        assertTrue(meta.write(img, 0, 3, new byte[100]));
        assertTrue(meta.write(gone, 0, 3, new byte[100]));
        Files.delete(gone);
        String summary = list(List.of(), false);
        assertTrue(summary.contains("There are 2 image metadata file(s) using"), summary);
        String verbose = list(List.of("meta"), true);
        assertTrue(verbose.contains("meta ") && verbose.contains(img.toString()), verbose);
        assertTrue(verbose.contains(gone + " (stale)"), verbose);
        assertFalse(verbose.contains("docker://"), "-T meta lists only metadata: " + verbose);
        StringWriter w = new StringWriter();
        assertEquals(2, new CacheService(root).clean(List.of("meta"), null, false, new PrintWriter(w)));
        assertTrue(meta.entries().isEmpty());
        assertTrue(Files.exists(root.resolve("sif/aa.sif")), "-T meta removes only metadata");
        Files.delete(img);
    }
}
