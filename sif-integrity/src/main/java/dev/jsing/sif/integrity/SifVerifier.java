package dev.jsing.sif.integrity;

import dev.jsing.sif.Descriptor;
import dev.jsing.sif.HashType;
import dev.jsing.sif.SifImage;
import dev.jsing.sif.SignatureInfo;
import java.io.IOException;
import java.io.InputStream;
import java.io.SequenceInputStream;
import java.nio.charset.StandardCharsets;
import java.security.PublicKey;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.TreeSet;

/**
 * Verifies the signatures of a SIF image as the reference library does (and Apptainer's {@code verify} asks it to):
 * per selected group, every (non-legacy) signature linked to it must verify with the given key material and its
 * metadata must match the header, the descriptors and the data of exactly the group's objects; per selected object,
 * the same for that object alone. Legacy signatures (a digest of object data only: they cover neither header nor
 * descriptors) are checked only when asked for.
 */
public final class SifVerifier {
    /** Signature objects larger than this are not read. */
    static final long MAX_SIGNATURE_SIZE = 16L << 20;

    /**
     * What to verify with and what to verify.
     *
     * @param keyring OpenPGP public keys for PGP signatures (null: PGP signatures fail for lack of key material)
     * @param keys public keys for DSSE signatures (empty: DSSE signatures fail for lack of key material)
     * @param selection the groups or objects; by default every group (legacy: the primary partition)
     * @param legacy check legacy signatures instead of current ones
     * @param legacyAll with {@code legacy}: check every object in a group, each by its own legacy signature
     */
    public record Options(
            PgpKeyring keyring, List<PublicKey> keys, Selection selection, boolean legacy, boolean legacyAll) {
        public Options {
            keys = List.copyOf(keys);
        }

        public static Options pgp(PgpKeyring keyring) {
            return new Options(keyring, List.of(), Selection.allGroups(), false, false);
        }

        public static Options dsse(List<PublicKey> keys) {
            return new Options(null, keys, Selection.allGroups(), false, false);
        }

        public Options with(Selection s) {
            return new Options(keyring, keys, s, legacy, legacyAll);
        }

        public Options withLegacy(boolean all) {
            return new Options(keyring, keys, selection, true, all);
        }
    }

    private final SifImage image;
    private final Options options;

    private SifVerifier(SifImage image, Options options) {
        this.image = image;
        this.options = options;
    }

    /**
     * Checks every selected signature and reports each. Throws only for a request that cannot be served (an unknown
     * group or object, an image with no groups); failed signatures are in the report.
     */
    public static VerifyReport verify(SifImage image, Options options) throws IOException {
        return new SifVerifier(image, options).run();
    }

    private VerifyReport run() throws IOException {
        List<VerifyReport.Task> tasks = new ArrayList<>();
        for (Descriptor d : image.descriptors()) {
            if (d.groupId() == 0 && !Groups.isSignature(d)) {
                IntegrityException e = new IntegrityException(
                        IntegrityException.Kind.TAMPERED,
                        "object " + d.id() + " (" + d.dataType()
                                + ") is in no object group, so no signature covers it");
                tasks.add(new VerifyReport.Task("image", List.of(failure(0, "", "", e))));
                return new VerifyReport(tasks);
            }
        }
        List<Integer> groups = new ArrayList<>(new TreeSet<>(options.selection().groups()));
        TreeSet<Integer> objects = new TreeSet<>(options.selection().objects());
        if (options.legacy() && options.legacyAll()) {
            for (Descriptor d : image.descriptors()) {
                if (!Groups.isSignature(d) && d.groupId() != 0) {
                    objects.add(d.id());
                }
            }
        } else if (options.legacy() && groups.isEmpty() && objects.isEmpty()) {
            objects.add(image.primaryPartition()
                    .orElseThrow(() -> new IntegrityException(
                            IntegrityException.Kind.INVALID_REQUEST, "image has no primary partition"))
                    .id());
        }
        if (groups.isEmpty() && objects.isEmpty()) {
            groups = Groups.ids(image);
            if (groups.isEmpty()) {
                throw new IntegrityException(
                        IntegrityException.Kind.NOT_SIGNED, "image has no object groups, so it carries no signature");
            }
        }
        for (int g : groups) {
            Groups.objects(image, g); // exists
        }
        for (int id : objects) {
            Groups.object(image, id);
        }
        for (int g : groups) {
            tasks.add(options.legacy() ? legacyGroup(g) : group(g, Groups.objects(image, g), false));
        }
        for (int id : objects) {
            Descriptor d = Groups.object(image, id);
            if (options.legacy()) {
                tasks.add(legacyObject(d));
            } else if (d.groupId() == 0) {
                throw new IntegrityException(
                        IntegrityException.Kind.INVALID_REQUEST, "object " + id + " is in no object group");
            } else {
                tasks.add(group(d.groupId(), List.of(d), true));
            }
        }
        return new VerifyReport(tasks);
    }

    // ---- tasks

    private VerifyReport.Task group(int g, List<Descriptor> ods, boolean subsetOk) throws IOException {
        String what = subsetOk ? "object " + ods.get(0).id() : "object group " + g;
        List<Descriptor> sigs = new ArrayList<>();
        boolean legacyOnly = false;
        for (Descriptor s : signaturesLinkedToGroup(g)) {
            if (isLegacy(peek(s))) {
                legacyOnly = true;
            } else {
                sigs.add(s);
            }
        }
        if (sigs.isEmpty()) {
            for (Descriptor s : image.descriptors(d -> Groups.isSignature(d) && !d.isLinkedToGroup())) {
                boolean ofThisGroup = ods.stream().anyMatch(o -> o.id() == s.linkedId());
                legacyOnly |= ofThisGroup && isLegacy(peek(s));
            }
            return notSigned(what, legacyOnly);
        }
        List<SignatureCheck> checks = new ArrayList<>();
        for (Descriptor s : sigs) {
            checks.add(checkCurrent(s, g, ods, subsetOk));
        }
        return new VerifyReport.Task(what, checks);
    }

    private VerifyReport.Task legacyGroup(int g) throws IOException {
        String what = "object group " + g;
        List<Descriptor> sigs = new ArrayList<>();
        for (Descriptor s : signaturesLinkedToGroup(g)) {
            if (isLegacy(peek(s))) {
                sigs.add(s);
            }
        }
        if (sigs.isEmpty()) {
            return notSigned(what, false);
        }
        List<Descriptor> ods = Groups.objects(image, g);
        List<SignatureCheck> checks = new ArrayList<>();
        for (Descriptor s : sigs) {
            checks.add(checkLegacy(s, ods));
        }
        return new VerifyReport.Task(what, checks);
    }

    private VerifyReport.Task legacyObject(Descriptor od) throws IOException {
        String what = "object " + od.id();
        List<Descriptor> sigs =
                image.descriptors(d -> Groups.isSignature(d) && !d.isLinkedToGroup() && d.linkedId() == od.id());
        if (sigs.isEmpty()) {
            return notSigned(what, false);
        }
        List<SignatureCheck> checks = new ArrayList<>();
        for (Descriptor s : sigs) {
            checks.add(checkLegacy(s, List.of(od)));
        }
        return new VerifyReport.Task(what, checks);
    }

    private VerifyReport.Task notSigned(String what, boolean legacyPresent) {
        String msg = "no signature found for " + what;
        if (legacyPresent) {
            msg +=
                    " (it has a legacy signature, which covers neither header nor descriptors: --legacy-insecure checks it)";
        }
        return new VerifyReport.Task(
                what, List.of(failure(0, "", "", new IntegrityException(IntegrityException.Kind.NOT_SIGNED, msg))));
    }

    private List<Descriptor> signaturesLinkedToGroup(int g) {
        return image.descriptors(d -> Groups.isSignature(d) && d.isLinkedToGroup() && d.linkedId() == g);
    }

    // ---- one signature

    private SignatureCheck checkCurrent(Descriptor sig, int g, List<Descriptor> ods, boolean subsetOk)
            throws IOException {
        SignatureInfo info = sig.signature().orElseThrow();
        byte[] data = peek(sig);
        String format = Dsse.looks(data) ? "dsse" : "pgp";
        Optional<PgpKey> signer = Optional.empty();
        List<String> keyIds = List.of();
        try {
            String plaintext;
            if (format.equals("dsse")) {
                if (options.keys().isEmpty()) {
                    throw new IntegrityException(
                            IntegrityException.Kind.NO_KEY_MATERIAL,
                            "signature object " + sig.id()
                                    + " is a DSSE signature: verify it with --key PUBLIC.pem or --certificate");
                }
                Digest.Algorithm h = dsseHash(info.hashType());
                Dsse.Envelope env;
                try {
                    env = Dsse.parse(data);
                } catch (IllegalArgumentException e) {
                    throw invalid(sig, "malformed DSSE envelope: " + e.getMessage());
                }
                List<PublicKey> ok = Dsse.verifiers(env, options.keys(), h);
                if (ok.isEmpty()) {
                    List<String> mine = options.keys().stream().map(Dsse::keyId).toList();
                    List<String> theirs =
                            env.signatures().stream().map(Dsse.Sig::keyId).toList();
                    if (theirs.stream().anyMatch(k -> !k.isEmpty() && mine.contains(k))) {
                        throw invalid(sig, "DSSE signature does not verify with the given key (signed data altered?)");
                    }
                    throw new IntegrityException(
                            IntegrityException.Kind.UNKNOWN_KEY,
                            "signature object " + sig.id() + " was made by "
                                    + (theirs.stream().allMatch(String::isEmpty)
                                            ? "an unnamed key"
                                            : "key(s) " + String.join(", ", theirs))
                                    + ", not by the given key(s)");
                }
                keyIds = ok.stream().map(Dsse::keyId).toList();
                plaintext = new String(env.payload(), StandardCharsets.UTF_8);
            } else {
                if (!Clearsign.looks(data)) {
                    throw invalid(sig, "signature format not recognized (neither OpenPGP cleartext nor DSSE)");
                }
                PgpKey k = pgpCheck(sig, info, data);
                signer = Optional.of(k);
                plaintext = Clearsign.decode(data).plaintext();
            }
            ImageMetadata md;
            try {
                md = ImageMetadata.parse(plaintext);
            } catch (IllegalArgumentException e) {
                throw invalid(sig, "signed metadata malformed: " + e.getMessage());
            }
            List<Descriptor> verified = matches(md, g, ods, subsetOk);
            return new SignatureCheck(sig.id(), format, info.entity(), signer, keyIds, verified, Optional.empty());
        } catch (IntegrityException e) {
            return new SignatureCheck(sig.id(), format, info.entity(), signer, keyIds, List.of(), Optional.of(e));
        }
    }

    private PgpKey pgpCheck(Descriptor sig, SignatureInfo info, byte[] data) {
        if (options.keyring() == null) {
            throw new IntegrityException(
                    IntegrityException.Kind.NO_KEY_MATERIAL,
                    "signature object " + sig.id()
                            + " is an OpenPGP signature: verify it without --key, with the keyring");
        }
        Clearsign.Message m = Clearsign.decode(data);
        PgpKey k;
        try {
            k = Clearsign.verify(m, options.keyring()).signer();
        } catch (IntegrityException e) {
            throw new IntegrityException(e.kind(), "signature object " + sig.id() + ": " + e.getMessage(), e);
        }
        if (!k.fingerprint().equalsIgnoreCase(info.entity())) {
            throw invalid(
                    sig,
                    "the fingerprint in its descriptor (" + (info.entity().isEmpty() ? "none" : info.entity())
                            + ") is not the signing key's (" + k.fingerprint() + ")");
        }
        return k;
    }

    private List<Descriptor> matches(ImageMetadata md, int g, List<Descriptor> ods, boolean subsetOk)
            throws IOException {
        int min = Groups.minId(image, g);
        List<Long> signedIds = new ArrayList<>();
        for (ImageMetadata.ObjectDigests o : md.objects()) {
            signedIds.add(min + o.relativeId());
        }
        if (!subsetOk) {
            for (Descriptor d : ods) {
                if (!signedIds.contains((long) d.id())) {
                    throw tampered(
                            "object " + d.id() + " is in object group " + g + " but not covered by the signature");
                }
            }
            for (long id : signedIds) {
                if (ods.stream().noneMatch(d -> d.id() == id)) {
                    throw tampered("signed object " + id + " is no longer in object group " + g);
                }
            }
        }
        byte[] header = IntegrityFields.header(image.header());
        if (!md.header().matches(md.header().algorithm().newDigest().digest(header))) {
            throw tampered("the global header changed after signing (header integrity compromised)");
        }
        List<Descriptor> verified = new ArrayList<>();
        for (Descriptor d : ods) {
            ImageMetadata.ObjectDigests om = null;
            for (ImageMetadata.ObjectDigests o : md.objects()) {
                if (min + o.relativeId() == d.id()) {
                    om = o;
                    break;
                }
            }
            if (om == null) {
                throw tampered("object " + d.id() + " is not covered by the signature");
            }
            byte[] fields = IntegrityFields.descriptor(d, min);
            if (!om.descriptor().matches(om.descriptor().algorithm().newDigest().digest(fields))) {
                throw tampered("the descriptor of object " + d.id()
                        + " changed after signing (descriptor integrity compromised)");
            }
            Digest actual;
            try (InputStream in = image.openStream(d)) {
                actual = Digest.of(om.object().algorithm(), in);
            }
            if (!om.object().equals(actual)) {
                throw tampered(
                        "the data of object " + d.id() + " changed after signing (object integrity compromised)");
            }
            verified.add(d);
        }
        return verified;
    }

    private SignatureCheck checkLegacy(Descriptor sig, List<Descriptor> ods) throws IOException {
        SignatureInfo info = sig.signature().orElseThrow();
        Optional<PgpKey> signer = Optional.empty();
        try {
            byte[] data = read(sig);
            if (!Clearsign.looks(data)) {
                throw invalid(sig, "not an OpenPGP cleartext signature");
            }
            PgpKey k = pgpCheck(sig, info, data);
            signer = Optional.of(k);
            String text = Clearsign.decode(data).plaintext();
            if (!text.startsWith("SIFHASH:\n")) {
                throw invalid(sig, "not a legacy signature");
            }
            String hex = text.substring("SIFHASH:\n".length()).strip();
            Digest.Algorithm alg = legacyHash(info.hashType());
            Digest want;
            try {
                want = new Digest(alg, HexFormat.of().parseHex(hex));
            } catch (IllegalArgumentException e) {
                throw invalid(sig, "legacy digest malformed");
            }
            List<InputStream> streams = new ArrayList<>();
            for (Descriptor d : ods) {
                streams.add(image.openStream(d));
            }
            Digest actual;
            try (InputStream all = new SequenceInputStream(Collections.enumeration(streams))) {
                actual = Digest.of(alg, all);
            }
            if (!want.equals(actual)) {
                throw tampered(
                        ods.size() == 1
                                ? "the data of object " + ods.get(0).id()
                                        + " changed after signing (object integrity compromised)"
                                : "the data of the signed objects changed after signing (object integrity compromised)");
            }
            return new SignatureCheck(sig.id(), "legacy-pgp", info.entity(), signer, List.of(), ods, Optional.empty());
        } catch (IntegrityException e) {
            return new SignatureCheck(
                    sig.id(), "legacy-pgp", info.entity(), signer, List.of(), List.of(), Optional.of(e));
        }
    }

    // ---- helpers

    private byte[] read(Descriptor sig) throws IOException {
        if (sig.size() > MAX_SIGNATURE_SIZE) {
            throw invalid(sig, "signature object is " + sig.size() + " bytes, more than any signature needs");
        }
        try (InputStream in = image.openStream(sig)) {
            return in.readAllBytes();
        }
    }

    /** The signature's bytes, or none when it is too large to be one (then it fails as unrecognized). */
    private byte[] peek(Descriptor sig) throws IOException {
        return sig.size() > MAX_SIGNATURE_SIZE ? new byte[0] : read(sig);
    }

    private static boolean isLegacy(byte[] data) {
        if (!Clearsign.looks(data)) {
            return false;
        }
        try {
            return Clearsign.decode(data).plaintext().startsWith("SIFHASH:\n");
        } catch (IntegrityException e) {
            return false;
        }
    }

    private static Digest.Algorithm dsseHash(HashType h) {
        return switch (h) {
            case SHA256 -> Digest.Algorithm.SHA256;
            case SHA384 -> Digest.Algorithm.SHA384;
            case SHA512 -> Digest.Algorithm.SHA512;
            default ->
                throw new IntegrityException(
                        IntegrityException.Kind.WEAK_HASH,
                        "signature hash " + h + " is not accepted (SHA-256/384/512 only)");
        };
    }

    private static Digest.Algorithm legacyHash(HashType h) {
        return dsseHash(h);
    }

    private static SignatureCheck failure(int id, String format, String fp, IntegrityException e) {
        return new SignatureCheck(id, format, fp, Optional.empty(), List.of(), List.of(), Optional.of(e));
    }

    private static IntegrityException invalid(Descriptor sig, String msg) {
        return new IntegrityException(
                IntegrityException.Kind.INVALID_SIGNATURE, "signature object " + sig.id() + ": " + msg);
    }

    private static IntegrityException tampered(String msg) {
        return new IntegrityException(IntegrityException.Kind.TAMPERED, msg);
    }
}
