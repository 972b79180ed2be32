package dev.jsing.sif.integrity;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jsing.sif.Descriptor;
import dev.jsing.sif.SifImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import org.bouncycastle.bcpg.HashAlgorithmTags;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** jsing signs, jsing verifies; and jsing's signatures are the reference library's bytes. */
class RoundTripTest {
    @TempDir
    Path dir;

    static final Instant FIXTURE_TIME = Instant.parse("2020-06-30T00:01:56Z");

    static PgpKey.Unlocked corpusKey() {
        return Fixtures.pgp().keys().get(0).unlock(new char[0]);
    }

    @ParameterizedTest
    @CsvSource({"one-group.sif, one-group-signed-pgp.sif", "two-groups.sif, two-groups-signed-pgp.sif"})
    void pgpSignaturesAreTheReferenceBytes(String unsigned, String signed) throws Exception {
        Path f = Fixtures.copy(unsigned, dir);
        try (SifImage img = SifImage.openWritable(f)) {
            List<Descriptor> added =
                    SifSigner.pgp(corpusKey()).withTime(FIXTURE_TIME).sign(img, Selection.allGroups());
            assertEquals(unsigned.startsWith("two") ? 2 : 1, added.size());
        }
        assertArrayEquals(Files.readAllBytes(Fixtures.image(signed)), Files.readAllBytes(f));
    }

    @Test
    void pgpRoundTripWithAGeneratedKey() throws Exception {
        PgpKey key = PgpKey.generate("Round Trip", "test", "rt@example.org", 2048, "secret".toCharArray());
        assertTrue(key.isEncrypted());
        assertThrows(IntegrityException.class, () -> key.unlock("wrong".toCharArray()));
        Path f = Fixtures.copy("two-groups.sif", dir);
        try (SifImage img = SifImage.openWritable(f)) {
            SifSigner.pgp(key.unlock("secret".toCharArray())).sign(img, Selection.group(2));
        }
        try (SifImage img = SifImage.open(f)) {
            PgpKeyring ring = PgpKeyring.parse(key.armored(false).getBytes(java.nio.charset.StandardCharsets.US_ASCII));
            VerifyReport g2 =
                    SifVerifier.verify(img, SifVerifier.Options.pgp(ring).with(Selection.group(2)));
            assertTrue(g2.ok(), () -> g2.firstError().toString());
            assertEquals(
                    key.fingerprint(), g2.checks().get(0).signer().orElseThrow().fingerprint());
            assertEquals(
                    key.fingerprint(),
                    img.descriptor(4).orElseThrow().signature().orElseThrow().entity());
            // Group 1 was not signed.
            VerifyReport all = SifVerifier.verify(img, SifVerifier.Options.pgp(ring));
            assertEquals(
                    IntegrityException.Kind.NOT_SIGNED,
                    all.firstError().orElseThrow().kind());
        }
    }

    @Test
    void signObjectsSignsTheirGroups() throws Exception {
        Path f = Fixtures.copy("two-groups.sif", dir);
        try (SifImage img = SifImage.openWritable(f)) {
            SifSigner.pgp(corpusKey()).sign(img, new Selection(List.of(), List.of(3, 1)));
            // One signature per group, each covering only the named objects.
            assertEquals(
                    List.of(1, 2),
                    img.descriptors(Groups::isSignature).stream()
                            .map(Descriptor::linkedId)
                            .toList());
            VerifyReport o1 = SifVerifier.verify(
                    img, SifVerifier.Options.pgp(Fixtures.pgpPublic()).with(Selection.object(1)));
            assertTrue(o1.ok(), () -> o1.firstError().toString());
            // Group 1 as a whole: object 2 is not covered.
            VerifyReport g1 = SifVerifier.verify(
                    img, SifVerifier.Options.pgp(Fixtures.pgpPublic()).with(Selection.group(1)));
            assertEquals(
                    IntegrityException.Kind.TAMPERED,
                    g1.firstError().orElseThrow().kind());
        }
    }

    @ParameterizedTest
    @CsvSource({
        "ed25519-private.pem, ed25519-public.pem",
        "ecdsa-private.pem, ecdsa-public.pem",
        "rsa-private.pem, rsa-public.pem"
    })
    void dsseRoundTrip(String priv, String pub) throws Exception {
        Path f = Fixtures.copy("two-groups.sif", dir);
        KeyPairs.Signing k = KeyPairs.read(Fixtures.key(priv), null);
        assertEquals(Dsse.keyId(Fixtures.publicKey(pub)), Dsse.keyId(k.publicKey()));
        try (SifImage img = SifImage.openWritable(f)) {
            SifSigner.dsse(List.of(k)).sign(img, Selection.allGroups());
        }
        try (SifImage img = SifImage.open(f)) {
            VerifyReport r = SifVerifier.verify(img, SifVerifier.Options.dsse(List.of(Fixtures.publicKey(pub))));
            assertTrue(r.ok(), () -> r.firstError().toString());
            assertEquals(2, r.checks().size());
            VerifyReport other = SifVerifier.verify(
                    img,
                    SifVerifier.Options.dsse(List.of(
                            Fixtures.publicKey(pub.startsWith("rsa") ? "ed25519-public.pem" : "rsa-public.pem"))));
            assertEquals(
                    IntegrityException.Kind.UNKNOWN_KEY,
                    other.firstError().orElseThrow().kind());
        }
    }

    @Test
    void dsseEd25519SignaturesAreTheReferenceBytes() throws Exception {
        // Ed25519 is deterministic: the first signature of the reference's envelope is reproduced exactly.
        Path f = Fixtures.copy("one-group.sif", dir);
        KeyPairs.Signing k = KeyPairs.read(Fixtures.key("ed25519-private.pem"), null);
        try (SifImage img = SifImage.openWritable(f)) {
            SifSigner.dsse(List.of(k)).sign(img, Selection.allGroups());
        }
        try (SifImage mine = SifImage.open(f);
                SifImage ref = SifImage.open(Fixtures.image("one-group-signed-dsse.sif"))) {
            Dsse.Envelope a =
                    Dsse.parse(mine.openStream(mine.descriptor(3).orElseThrow()).readAllBytes());
            Dsse.Envelope b =
                    Dsse.parse(ref.openStream(ref.descriptor(3).orElseThrow()).readAllBytes());
            assertArrayEquals(b.payload(), a.payload());
            assertArrayEquals(b.signatures().get(0).sig(), a.signatures().get(0).sig());
            assertEquals(b.signatures().get(0).keyId(), a.signatures().get(0).keyId());
        }
    }

    @Test
    void weakHashesAreRefused() throws Exception {
        Path f = Fixtures.copy("one-group.sif", dir);
        try (SifImage img = SifImage.openWritable(f)) {
            SifSigner.pgp(corpusKey()).withPgpHash(HashAlgorithmTags.SHA1).sign(img, Selection.allGroups());
        }
        try (SifImage img = SifImage.open(f)) {
            IntegrityException e = SifVerifier.verify(img, SifVerifier.Options.pgp(Fixtures.pgpPublic()))
                    .firstError()
                    .orElseThrow();
            assertEquals(IntegrityException.Kind.WEAK_HASH, e.kind());
            assertTrue(e.getMessage().contains("SHA-1"), e.getMessage());
        }
    }

    @Test
    void weakMetadataDigestsAreRefused() {
        IntegrityException e = assertThrows(
                IntegrityException.class,
                () -> ImageMetadata.parse(
                        "{\"version\":1,\"header\":{\"digest\":\"md5:00112233445566778899aabbccddeeff\"}}"));
        assertEquals(IntegrityException.Kind.WEAK_HASH, e.kind());
    }

    @Test
    void keyringFileRoundTrip() throws Exception {
        PgpKeyring ring = Fixtures.pgp();
        Path pub = dir.resolve("pgp-public");
        Path sec = dir.resolve("pgp-secret");
        ring.write(pub, false);
        ring.write(sec, true);
        assertEquals(
                "rw-------", java.nio.file.attribute.PosixFilePermissions.toString(Files.getPosixFilePermissions(sec)));
        PgpKeyring p = PgpKeyring.read(pub);
        PgpKeyring s = PgpKeyring.read(sec);
        assertEquals(ring.keys().get(0).fingerprint(), p.keys().get(0).fingerprint());
        assertTrue(!p.keys().get(0).hasSecret() && s.keys().get(0).hasSecret());
        assertTrue(PgpKeyring.read(dir.resolve("missing")).isEmpty());
        assertTrue(ring.without(ring.keys().get(0).fingerprint().toLowerCase()).isEmpty());
    }
}
