package dev.jsing.runner.trust;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jsing.runner.config.ExecutionControl;
import dev.jsing.runner.error.ExitCodes;
import dev.jsing.runner.error.JsingException;
import dev.jsing.sif.integrity.PgpKey;
import dev.jsing.sif.integrity.PgpKeyring;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The execution control list's decisions over the reference corpus's signed images. */
class ExecutionCheckTest {
    static final String FP = "12045C8C0B1004D058DE4BEDA20C27EE7FF7BA84";
    static final String OTHER = "0000000000000000000000000000000000000001";

    @TempDir
    Path dir;

    Path site;
    Path images;

    static Path fixtures() {
        String s = System.getProperty("jsing.shared");
        return (s != null ? Path.of(s) : Path.of("..", "..", "shared")).resolve("fixtures/sif");
    }

    @BeforeEach
    void setUp() throws Exception {
        site = Files.createDirectories(dir.resolve("site"));
        images = Files.createDirectories(dir.resolve("images"));
        PgpKeyring corpus = PgpKeyring.parse(Files.readAllBytes(fixtures().resolve("keys/private.asc")));
        PgpKeyring.of(corpus.keys().stream().map(PgpKey::publicOnly).toList())
                .write(site.resolve("global-pgp-public"), false);
        for (String f : List.of(
                "one-group-signed-pgp.sif",
                "one-group.sif",
                "one-group-signed-legacy.sif",
                "two-groups-signed-pgp.sif",
                "one-group-signed-dsse.sif")) {
            Files.copy(fixtures().resolve(f), images.resolve(f));
        }
    }

    ExecutionControl ecl(String mode, List<String> fps, boolean legacy) throws java.io.IOException {
        return new ExecutionControl(
                true,
                legacy,
                "",
                List.of(new ExecutionControl.Group(
                        "g", mode, images.toRealPath().toString(), fps)));
    }

    String refusal(String image, ExecutionControl e) throws Exception {
        return ExecutionCheck.refusal(images.resolve(image), true, e, site);
    }

    ExecutionControl ecl(String mode, List<String> fps) {
        try {
            return ecl(mode, fps, false);
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    @Test
    void whitelist() throws Exception {
        assertNull(refusal("one-group-signed-pgp.sif", ecl("whitelist", List.of(OTHER, FP))));
        assertNull(refusal("two-groups-signed-pgp.sif", ecl("whitelist", List.of(FP))));
        assertTrue(refusal("one-group-signed-pgp.sif", ecl("whitelist", List.of(OTHER)))
                .contains("not signed by any key"));
        assertTrue(refusal("one-group.sif", ecl("whitelist", List.of(FP)))
                .contains("no signature found for object group 1"));
        // A DSSE signature carries no OpenPGP signer: the list cannot accept it.
        assertTrue(refusal("one-group-signed-dsse.sif", ecl("whitelist", List.of(FP)))
                .contains("not valid"));
    }

    @Test
    void whitestrict() throws Exception {
        assertNull(refusal("one-group-signed-pgp.sif", ecl("whitestrict", List.of(FP))));
        assertTrue(refusal("one-group-signed-pgp.sif", ecl("whitestrict", List.of(FP, OTHER)))
                .contains("not signed by " + OTHER));
    }

    @Test
    void blacklist() throws Exception {
        assertNull(refusal("one-group-signed-pgp.sif", ecl("blacklist", List.of(OTHER))));
        assertTrue(refusal("one-group-signed-pgp.sif", ecl("blacklist", List.of(FP)))
                .contains("forbids"));
        // An unsigned image does not pass verification, whatever the mode (as in Apptainer).
        assertTrue(refusal("one-group.sif", ecl("blacklist", List.of(OTHER))).contains("not valid"));
    }

    @Test
    void unknownKeyIsNotASigner() throws Exception {
        Files.delete(site.resolve("global-pgp-public"));
        assertTrue(refusal("one-group-signed-pgp.sif", ecl("whitelist", List.of(FP)))
                .contains("not signed by any key"));
    }

    @Test
    void tamperedImageIsRefused() throws Exception {
        try (RandomAccessFile r =
                new RandomAccessFile(images.resolve("one-group-signed-pgp.sif").toFile(), "rw")) {
            r.seek(36900);
            r.write(0x55);
        }
        assertTrue(refusal("one-group-signed-pgp.sif", ecl("whitelist", List.of(FP)))
                .contains("changed after signing"));
    }

    @Test
    void legacyOnlyWhenAllowed() throws Exception {
        assertTrue(refusal("one-group-signed-legacy.sif", ecl("whitelist", List.of(FP)))
                .contains("--legacy-insecure"));
        assertNull(refusal("one-group-signed-legacy.sif", ecl("whitelist", List.of(FP), true)));
    }

    @Test
    void directoryAndKind() throws Exception {
        Path elsewhere = Files.createDirectories(dir.resolve("elsewhere"));
        Files.copy(images.resolve("one-group-signed-pgp.sif"), elsewhere.resolve("x.sif"));
        assertTrue(ExecutionCheck.refusal(elsewhere.resolve("x.sif"), true, ecl("whitelist", List.of(FP)), site)
                .contains("belongs to no execution group"));
        // A symlink into the governed directory is judged by where the image really is.
        Files.createSymbolicLink(elsewhere.resolve("link.sif"), images.resolve("one-group-signed-pgp.sif"));
        assertNull(ExecutionCheck.refusal(elsewhere.resolve("link.sif"), true, ecl("whitelist", List.of(FP)), site));
        assertTrue(ExecutionCheck.refusal(images, false, ecl("whitelist", List.of(FP)), site)
                .contains("not a SIF file"));
        JsingException e = assertThrows(
                JsingException.class,
                () -> ExecutionCheck.require(
                        images.resolve("one-group.sif"), true, ecl("whitelist", List.of(FP)), site));
        assertEquals(ExitCodes.EXECUTION_DENIED, e.exitCode());
        assertTrue(
                e.getMessage().startsWith("execution control: " + images.resolve("one-group.sif") + " may not run: "));
    }
}
