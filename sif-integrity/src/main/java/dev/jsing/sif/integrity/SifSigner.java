package dev.jsing.sif.integrity;

import dev.jsing.sif.DataType;
import dev.jsing.sif.Descriptor;
import dev.jsing.sif.HashType;
import dev.jsing.sif.ObjectInput;
import dev.jsing.sif.SifImage;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Signs object groups of a SIF image as the reference library does: per group, one signature object, in no group and
 * linked to the group, whose data is the group's {@link ImageMetadata} (SHA-256 digests of the header's protected
 * fields and of each object's descriptor and data) signed either as an OpenPGP cleartext message (the descriptor
 * records SHA-256 and the signer's fingerprint) or in a DSSE envelope (SHA-256, no fingerprint).
 */
public final class SifSigner {
    private final PgpKey.Unlocked pgp;
    private final List<KeyPairs.Signing> dsse;
    private final Instant time;
    private final int pgpHash;

    private SifSigner(PgpKey.Unlocked pgp, List<KeyPairs.Signing> dsse, Instant time, int pgpHash) {
        this.pgp = pgp;
        this.dsse = List.copyOf(dsse);
        this.time = time;
        this.pgpHash = pgpHash;
    }

    /** Signs with an OpenPGP key (its primary key). */
    public static SifSigner pgp(PgpKey.Unlocked key) {
        return new SifSigner(key, List.of(), null, org.bouncycastle.bcpg.HashAlgorithmTags.SHA256);
    }

    /** Signs with one or more ECDSA, Ed25519 or RSA keys: one DSSE envelope per group, one signature per key. */
    public static SifSigner dsse(List<KeyPairs.Signing> keys) {
        if (keys.isEmpty()) {
            throw new IntegrityException(IntegrityException.Kind.INVALID_REQUEST, "no key to sign with");
        }
        return new SifSigner(null, keys, null, 0);
    }

    /** Uses {@code t} as the signature time and the signature objects' time (default: now). */
    public SifSigner withTime(Instant t) {
        return new SifSigner(pgp, dsse, t, pgpHash);
    }

    /** The OpenPGP hash to sign with (tests only: jsing signs with SHA-256, as the reference library). */
    SifSigner withPgpHash(int hashTag) {
        return new SifSigner(pgp, dsse, time, hashTag);
    }

    /**
     * Signs the selected groups (or the selected objects, one signature per group they belong to; or, by default, every
     * group) and adds the signature objects; returns their descriptors.
     */
    public List<Descriptor> sign(SifImage image, Selection sel) throws IOException {
        Map<Integer, List<Descriptor>> plan = plan(image, sel);
        Instant t = time != null ? time : Instant.ofEpochSecond(Instant.now().getEpochSecond());
        List<Descriptor> added = new ArrayList<>();
        for (Map.Entry<Integer, List<Descriptor>> e : plan.entrySet()) {
            int group = e.getKey();
            ImageMetadata md = metadata(image, group, e.getValue(), Digest.Algorithm.SHA256);
            byte[] json = md.toJson().getBytes(StandardCharsets.UTF_8);
            byte[] data;
            byte[] fingerprint;
            if (pgp != null) {
                data = Clearsign.sign(md.toJson(), pgp, t, pgpHash);
                fingerprint = pgp.key().fingerprintBytes();
            } else {
                data = Dsse.sign(json, dsse, Digest.Algorithm.SHA256);
                fingerprint = new byte[0];
            }
            try (InputStream in = new ByteArrayInputStream(data)) {
                ObjectInput obj = ObjectInput.of(DataType.SIGNATURE, in)
                        .withNoGroup()
                        .withLinkedGroupId(group)
                        .withSignature(HashType.SHA256, fingerprint);
                // A deterministic image stays deterministic: the object gets the zero time, as the reference's
                // OptSignDeterministic gives it.
                added.add(image.add(image.header().isDeterministic() ? obj : obj.withTime(t)));
            }
        }
        return added;
    }

    /** Group ID to the objects to sign in it, sorted by ID; groups ascending within each kind of request. */
    private static Map<Integer, List<Descriptor>> plan(SifImage image, Selection sel) {
        Map<Integer, List<Descriptor>> plan = new LinkedHashMap<>();
        for (int g : sel.groups()) {
            plan.put(g, Groups.sortedById(Groups.objects(image, g)));
        }
        if (!sel.objects().isEmpty()) {
            TreeMap<Integer, List<Descriptor>> byGroup = new TreeMap<>();
            for (int id : sel.objects()) {
                Descriptor d = Groups.object(image, id);
                if (d.groupId() == 0) {
                    throw new IntegrityException(
                            IntegrityException.Kind.INVALID_REQUEST,
                            "object " + id + " is in no object group and cannot be signed");
                }
                List<Descriptor> l = byGroup.computeIfAbsent(d.groupId(), k -> new ArrayList<>());
                if (l.stream().noneMatch(o -> o.id() == id)) {
                    l.add(d);
                }
            }
            for (Map.Entry<Integer, List<Descriptor>> e : byGroup.entrySet()) {
                plan.put(e.getKey(), Groups.sortedById(e.getValue()));
            }
        }
        if (plan.isEmpty()) {
            List<Integer> ids = Groups.ids(image);
            if (ids.isEmpty()) {
                throw new IntegrityException(
                        IntegrityException.Kind.INVALID_REQUEST, "image has no object groups to sign");
            }
            for (int g : ids) {
                plan.put(g, Groups.sortedById(Groups.objects(image, g)));
            }
        }
        return plan;
    }

    static ImageMetadata metadata(SifImage image, int group, List<Descriptor> objects, Digest.Algorithm alg)
            throws IOException {
        int min = Groups.minId(image, group);
        Digest header = Digest.of(alg, IntegrityFields.header(image.header()));
        List<ImageMetadata.ObjectDigests> out = new ArrayList<>();
        for (Descriptor d : objects) {
            Digest dd = Digest.of(alg, IntegrityFields.descriptor(d, min));
            Digest od;
            try (InputStream in = image.openStream(d)) {
                od = Digest.of(alg, in);
            }
            out.add(new ImageMetadata.ObjectDigests(Integer.toUnsignedLong(d.id() - min), dd, od));
        }
        return new ImageMetadata(header, out);
    }
}
