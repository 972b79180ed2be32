package dev.jsing.sif.integrity;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jsing.sif.SifImage;
import java.io.RandomAccessFile;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * A signature covers the header, the descriptors and the data: changing any protected byte of a signed image fails
 * verification as tampering, for PGP and DSSE signatures and legacy ones (which cover data only).
 */
class TamperTest {
    @TempDir
    Path dir;

    static final long DESCRIPTORS = 4096;
    static final int DESCRIPTOR = 585;

    static void flip(Path f, long at) throws Exception {
        try (RandomAccessFile r = new RandomAccessFile(f.toFile(), "rw")) {
            r.seek(at);
            int b = r.read();
            r.seek(at);
            r.write(b ^ 0x01);
        }
    }

    static VerifyReport verify(Path f, String image) throws Exception {
        SifVerifier.Options o = image.contains("dsse")
                ? SifVerifier.Options.dsse(List.of(Fixtures.publicKey("ed25519-public.pem")))
                : SifVerifier.Options.pgp(Fixtures.pgpPublic());
        if (image.contains("legacy")) {
            o = o.withLegacy(false);
        }
        try (SifImage img = SifImage.open(f)) {
            return SifVerifier.verify(img, o);
        }
    }

    @ParameterizedTest(name = "{0} {1}")
    @CsvSource({
        // image, what, offset, expected message part
        "one-group-signed-pgp.sif, data byte of object 1, 32768, the data of object 1 changed",
        "one-group-signed-pgp.sif, data byte of object 2, 36900, the data of object 2 changed",
        "one-group-signed-pgp.sif, header launch script, 5, the global header changed",
        "one-group-signed-pgp.sif, header image ID, 50, the global header changed",
        "one-group-signed-pgp.sif, descriptor 2 name, 4096+585+80, the descriptor of object 2 changed",
        "one-group-signed-pgp.sif, descriptor 1 size, 4096+25, the descriptor of object 1 changed",
        "one-group-signed-pgp.sif, descriptor 2 partition type, 4096+585+201+4, the descriptor of object 2 changed",
        "one-group-signed-pgp.sif, descriptor 1 creation time, 4096+41, the descriptor of object 1 changed",
        "two-groups-signed-pgp.sif, data byte of object 3, 41000, the data of object 3 changed",
        "one-group-signed-dsse.sif, data byte of object 2, 36900, the data of object 2 changed",
        "one-group-signed-dsse.sif, descriptor 1 name, 4096+80, the descriptor of object 1 changed",
        "one-group-signed-dsse.sif, header launch script, 0, the global header changed",
        "one-group-signed-legacy.sif, data byte of object 2, 36865, the data of object 2 changed"
    })
    void tampered(String image, String what, String offset, String message) throws Exception {
        Path f = Fixtures.copy(image, dir);
        long at = 0;
        for (String part : offset.split("\\+")) {
            at += Long.parseLong(part);
        }
        flip(f, at);
        VerifyReport r = verify(f, image);
        IntegrityException e = r.firstError().orElseThrow(() -> new AssertionError(what + ": still verifies"));
        assertEquals(IntegrityException.Kind.TAMPERED, e.kind(), e.getMessage());
        assertTrue(e.getMessage().contains(message), e.getMessage());
    }

    @ParameterizedTest(name = "{0} {1}")
    @CsvSource({
        // Not protected, as in the reference: the header's times and counts, a descriptor's modification time.
        "one-group-signed-pgp.sif, header modification time, 73",
        "one-group-signed-pgp.sif, descriptor 1 modification time, 4096+50"
    })
    void unprotectedFieldsMayChange(String image, String what, String offset) throws Exception {
        Path f = Fixtures.copy(image, dir);
        long at = 0;
        for (String part : offset.split("\\+")) {
            at += Long.parseLong(part);
        }
        flip(f, at);
        assertTrue(verify(f, image).ok(), what);
    }

    @ParameterizedTest
    @CsvSource({"one-group-signed-pgp.sif, 40960+200", "one-group-signed-dsse.sif, 40960+300"})
    void alteredSignatureIsInvalid(String image, String offset) throws Exception {
        Path f = Fixtures.copy(image, dir);
        String[] p = offset.split("\\+");
        flip(f, Long.parseLong(p[0]) + Long.parseLong(p[1]));
        IntegrityException e = verify(f, image).firstError().orElseThrow();
        assertTrue(
                e.kind() == IntegrityException.Kind.INVALID_SIGNATURE
                        || e.kind() == IntegrityException.Kind.UNKNOWN_KEY,
                e.kind() + ": " + e.getMessage());
    }
}
