package dev.jsing.sif.integrity;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jsing.sif.Descriptor;
import dev.jsing.sif.SifImage;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Every signed image of the reference corpus verifies with the corpus's keys, as the reference library says. */
class FixtureVerifyTest {
    static final String FP = "12045C8C0B1004D058DE4BEDA20C27EE7FF7BA84";

    static VerifyReport verify(String image, SifVerifier.Options o) throws Exception {
        try (SifImage img = SifImage.open(Fixtures.image(image))) {
            return SifVerifier.verify(img, o);
        }
    }

    static List<Integer> ids(List<Descriptor> ds) {
        return ds.stream().map(Descriptor::id).toList();
    }

    @Test
    void corpusKeyFingerprint() {
        assertEquals(FP, Fixtures.pgp().keys().get(0).fingerprint());
        assertTrue(Fixtures.pgp().keys().get(0).hasSecret());
    }

    @ParameterizedTest
    @CsvSource({"one-group-signed-pgp.sif, 1", "two-groups-signed-pgp.sif, 2"})
    void pgp(String image, int groups) throws Exception {
        VerifyReport r = verify(image, SifVerifier.Options.pgp(Fixtures.pgpPublic()));
        assertTrue(r.ok(), () -> r.firstError().toString());
        assertEquals(groups, r.tasks().size());
        SignatureCheck c = r.checks().get(0);
        assertEquals("pgp", c.format());
        assertEquals(FP, c.signer().orElseThrow().fingerprint());
        assertEquals(List.of(1, 2), ids(c.verified()));
        if (groups == 2) {
            assertEquals(List.of(3), ids(r.checks().get(1).verified()));
        }
        assertEquals(java.util.Set.of(FP), r.verifiedInEveryTask());
    }

    @ParameterizedTest
    @CsvSource({
        "one-group-signed-dsse.sif, ed25519-public.pem",
        "one-group-signed-dsse.sif, rsa-public.pem",
        "two-groups-signed-dsse.sif, ed25519-public.pem",
        "two-groups-signed-dsse.sif, rsa-public.pem"
    })
    void dsse(String image, String key) throws Exception {
        VerifyReport r = verify(image, SifVerifier.Options.dsse(List.of(Fixtures.publicKey(key))));
        assertTrue(r.ok(), () -> r.firstError().toString());
        SignatureCheck c = r.checks().get(0);
        assertEquals("dsse", c.format());
        assertEquals(List.of(Dsse.keyId(Fixtures.publicKey(key))), c.keyIds());
        assertEquals(List.of(1, 2), ids(c.verified()));
    }

    @Test
    void dsseKeyIdsAreTheReferenceOnes() throws Exception {
        try (SifImage img = SifImage.open(Fixtures.image("one-group-signed-dsse.sif"))) {
            Descriptor sig = img.descriptor(3).orElseThrow();
            Dsse.Envelope e = Dsse.parse(img.openStream(sig).readAllBytes());
            assertEquals(
                    List.of(
                            Dsse.keyId(Fixtures.publicKey("ed25519-public.pem")),
                            Dsse.keyId(Fixtures.publicKey("rsa-public.pem"))),
                    e.signatures().stream().map(Dsse.Sig::keyId).toList());
        }
    }

    @Test
    void dsseByAnotherKeyIsUnknownKey() throws Exception {
        VerifyReport r = verify(
                "one-group-signed-dsse.sif", SifVerifier.Options.dsse(List.of(Fixtures.publicKey("ecdsa-public.pem"))));
        assertFalse(r.ok());
        assertEquals(
                IntegrityException.Kind.UNKNOWN_KEY,
                r.firstError().orElseThrow().kind());
    }

    @Test
    void pgpWithAnEmptyKeyringIsUnknownKey() throws Exception {
        VerifyReport r = verify("one-group-signed-pgp.sif", SifVerifier.Options.pgp(PgpKeyring.empty()));
        IntegrityException e = r.firstError().orElseThrow();
        assertEquals(IntegrityException.Kind.UNKNOWN_KEY, e.kind());
        assertTrue(e.getMessage().contains(FP), e.getMessage());
    }

    @Test
    void formatNeedsItsKeyMaterial() throws Exception {
        VerifyReport a = verify("one-group-signed-dsse.sif", SifVerifier.Options.pgp(Fixtures.pgpPublic()));
        assertEquals(
                IntegrityException.Kind.NO_KEY_MATERIAL,
                a.firstError().orElseThrow().kind());
        VerifyReport b = verify(
                "one-group-signed-pgp.sif", SifVerifier.Options.dsse(List.of(Fixtures.publicKey("rsa-public.pem"))));
        assertEquals(
                IntegrityException.Kind.NO_KEY_MATERIAL,
                b.firstError().orElseThrow().kind());
    }

    @Test
    void unsignedImage() throws Exception {
        VerifyReport r = verify("one-group.sif", SifVerifier.Options.pgp(Fixtures.pgpPublic()));
        IntegrityException e = r.firstError().orElseThrow();
        assertEquals(IntegrityException.Kind.NOT_SIGNED, e.kind());
        assertEquals("no signature found for object group 1", e.getMessage());
        IntegrityException empty = assertThrows(
                IntegrityException.class, () -> verify("empty.sif", SifVerifier.Options.pgp(Fixtures.pgpPublic())));
        assertEquals(IntegrityException.Kind.NOT_SIGNED, empty.kind());
    }

    @ParameterizedTest
    @CsvSource({
        // image, --group-id, --sif-id, --all, verified objects
        "one-group-signed-legacy.sif, 0, 0, false, 2",
        "one-group-signed-legacy-group.sif, 1, 0, false, 1 2",
        "one-group-signed-legacy-all.sif, 0, 0, true, 1 2",
        "one-group-signed-legacy-all.sif, 0, 0, false, 2",
        "two-groups-signed-legacy.sif, 0, 0, false, 2",
        "two-groups-signed-legacy-group.sif, 1, 0, false, 1 2",
        "two-groups-signed-legacy-all.sif, 0, 1, false, 1"
    })
    void legacy(String image, int group, int object, boolean all, String want) throws Exception {
        Selection s =
                group != 0 ? Selection.group(group) : object != 0 ? Selection.object(object) : Selection.allGroups();
        VerifyReport r = verify(
                image, SifVerifier.Options.pgp(Fixtures.pgpPublic()).with(s).withLegacy(all));
        assertTrue(r.ok(), () -> r.firstError().toString());
        List<Integer> got = r.checks().stream()
                .flatMap(c -> c.verified().stream())
                .map(Descriptor::id)
                .distinct()
                .sorted()
                .toList();
        assertEquals(want, String.join(" ", got.stream().map(String::valueOf).toList()));
        assertTrue(r.checks().stream().allMatch(c -> c.format().equals("legacy-pgp")));
    }

    @Test
    void legacyAllNeedsEveryObjectSigned() throws Exception {
        // In this image object 3 (group 2) has no legacy signature, so --all fails on it, as the reference's does.
        VerifyReport r = verify(
                "two-groups-signed-legacy-all.sif",
                SifVerifier.Options.pgp(Fixtures.pgpPublic()).withLegacy(true));
        assertEquals(
                "no signature found for object 3", r.firstError().orElseThrow().getMessage());
        assertEquals(3, r.tasks().size());
    }

    @Test
    void legacySignaturesAreNotAcceptedWithoutAsking() throws Exception {
        VerifyReport r = verify("one-group-signed-legacy-group.sif", SifVerifier.Options.pgp(Fixtures.pgpPublic()));
        IntegrityException e = r.firstError().orElseThrow();
        assertEquals(IntegrityException.Kind.NOT_SIGNED, e.kind());
        assertTrue(e.getMessage().contains("--legacy-insecure"), e.getMessage());
    }

    @Test
    void groupAndObjectSelection() throws Exception {
        VerifyReport g2 = verify(
                "two-groups-signed-pgp.sif",
                SifVerifier.Options.pgp(Fixtures.pgpPublic()).with(Selection.group(2)));
        assertTrue(g2.ok());
        assertEquals(List.of(3), ids(g2.checks().get(0).verified()));
        VerifyReport o1 = verify(
                "two-groups-signed-pgp.sif",
                SifVerifier.Options.pgp(Fixtures.pgpPublic()).with(Selection.object(1)));
        assertTrue(o1.ok());
        assertEquals(List.of(1), ids(o1.checks().get(0).verified()));
        assertThrows(
                IntegrityException.class,
                () -> verify(
                        "two-groups-signed-pgp.sif",
                        SifVerifier.Options.pgp(Fixtures.pgpPublic()).with(Selection.group(3))));
    }
}
