package dev.jsing.sif.integrity;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.HexFormat;
import java.util.Iterator;
import java.util.List;
import org.bouncycastle.bcpg.ArmoredOutputStream;
import org.bouncycastle.bcpg.HashAlgorithmTags;
import org.bouncycastle.bcpg.PublicKeyAlgorithmTags;
import org.bouncycastle.bcpg.SymmetricKeyAlgorithmTags;
import org.bouncycastle.bcpg.sig.Features;
import org.bouncycastle.bcpg.sig.KeyFlags;
import org.bouncycastle.crypto.generators.RSAKeyPairGenerator;
import org.bouncycastle.crypto.params.RSAKeyGenerationParameters;
import org.bouncycastle.openpgp.PGPException;
import org.bouncycastle.openpgp.PGPKeyPair;
import org.bouncycastle.openpgp.PGPKeyRingGenerator;
import org.bouncycastle.openpgp.PGPPrivateKey;
import org.bouncycastle.openpgp.PGPPublicKey;
import org.bouncycastle.openpgp.PGPPublicKeyRing;
import org.bouncycastle.openpgp.PGPSecretKey;
import org.bouncycastle.openpgp.PGPSecretKeyRing;
import org.bouncycastle.openpgp.PGPSignature;
import org.bouncycastle.openpgp.PGPSignatureSubpacketGenerator;
import org.bouncycastle.openpgp.operator.PBESecretKeyEncryptor;
import org.bouncycastle.openpgp.operator.bc.BcPBESecretKeyDecryptorBuilder;
import org.bouncycastle.openpgp.operator.bc.BcPBESecretKeyEncryptorBuilder;
import org.bouncycastle.openpgp.operator.bc.BcPGPContentSignerBuilder;
import org.bouncycastle.openpgp.operator.bc.BcPGPDigestCalculatorProvider;
import org.bouncycastle.openpgp.operator.bc.BcPGPKeyPair;

/**
 * One OpenPGP key (an entity: primary key, user IDs, subkeys), public only or with its secret part. Immutable. The
 * fingerprint is the primary key's, upper-case hex, as Apptainer prints it and as SIF signature descriptors store it.
 */
public final class PgpKey {
    private final PGPPublicKeyRing pub;
    private final PGPSecretKeyRing sec;

    PgpKey(PGPPublicKeyRing pub, PGPSecretKeyRing sec) {
        this.pub = pub;
        this.sec = sec;
    }

    static PgpKey ofSecret(PGPSecretKeyRing sec) {
        return new PgpKey(sec.toCertificate(), sec);
    }

    PGPPublicKeyRing publicRing() {
        return pub;
    }

    PGPSecretKeyRing secretRing() {
        return sec;
    }

    /** The primary key's fingerprint, upper-case hex (40 digits for a v4 key). */
    public String fingerprint() {
        return HexFormat.of().withUpperCase().formatHex(pub.getPublicKey().getFingerprint());
    }

    byte[] fingerprintBytes() {
        return pub.getPublicKey().getFingerprint();
    }

    /** The user IDs, e.g. {@code Jane Doe (work) <jane@example.org>}. */
    public List<String> userIds() {
        List<String> out = new ArrayList<>();
        for (Iterator<byte[]> it = pub.getPublicKey().getRawUserIDs(); it.hasNext(); ) {
            out.add(new String(it.next(), java.nio.charset.StandardCharsets.UTF_8));
        }
        return out;
    }

    /** The primary user ID (the one flagged primary, else the first), or "" when there is none. */
    public String primaryUserId() {
        PGPPublicKey k = pub.getPublicKey();
        String first = "";
        for (String id : userIds()) {
            if (first.isEmpty()) {
                first = id;
            }
            for (Iterator<PGPSignature> s = k.getSignaturesForID(id); s != null && s.hasNext(); ) {
                PGPSignature sig = s.next();
                if (sig.getHashedSubPackets() != null
                        && sig.getHashedSubPackets().isPrimaryUserID()) {
                    return id;
                }
            }
        }
        return first;
    }

    public Instant created() {
        return pub.getPublicKey().getCreationTime().toInstant();
    }

    /** The primary key's size in bits. */
    public int bitLength() {
        return pub.getPublicKey().getBitStrength();
    }

    /** Whether the secret part is present. */
    public boolean hasSecret() {
        return sec != null;
    }

    /** Whether the secret primary key is protected by a passphrase. */
    public boolean isEncrypted() {
        return sec != null && sec.getSecretKey().getS2KUsage() != 0;
    }

    /** This key without its secret part. */
    public PgpKey publicOnly() {
        return new PgpKey(pub, null);
    }

    /** The binary OpenPGP encoding: the transferable public key, or with {@code secret} the secret key. */
    public byte[] encoded(boolean secret) {
        try {
            if (secret) {
                requireSecret();
                return sec.getEncoded();
            }
            return pub.getEncoded();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The ASCII-armoured encoding ({@code PGP PUBLIC KEY BLOCK} or {@code PGP PRIVATE KEY BLOCK}). */
    @SuppressWarnings("deprecation") // clearHeaders on the stream: the bytes the tests and keyrings expect
    public String armored(boolean secret) {
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        try (ArmoredOutputStream a = new ArmoredOutputStream(buf)) {
            a.clearHeaders();
            a.write(encoded(secret));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return buf.toString(java.nio.charset.StandardCharsets.US_ASCII);
    }

    private void requireSecret() {
        if (sec == null) {
            throw new IntegrityException(
                    IntegrityException.Kind.INVALID_REQUEST, "key " + fingerprint() + " has no secret part");
        }
    }

    /**
     * The secret primary key, decrypted with {@code passphrase} (ignored for an unprotected key), ready to sign.
     *
     * @throws IntegrityException (INVALID_REQUEST) when the passphrase is wrong or the key has no secret part
     */
    public Unlocked unlock(char[] passphrase) {
        requireSecret();
        PGPSecretKey sk = sec.getSecretKey();
        try {
            PGPPrivateKey pk =
                    sk.extractPrivateKey(new BcPBESecretKeyDecryptorBuilder(new BcPGPDigestCalculatorProvider())
                            .build(passphrase == null ? new char[0] : passphrase));
            if (pk == null) {
                throw new IntegrityException(
                        IntegrityException.Kind.INVALID_REQUEST,
                        "key " + fingerprint() + " has no usable secret primary key");
            }
            return new Unlocked(this, pk);
        } catch (PGPException e) {
            throw new IntegrityException(
                    IntegrityException.Kind.INVALID_REQUEST,
                    "cannot unlock key " + fingerprint() + ": wrong passphrase or unsupported protection");
        }
    }

    /** A key whose secret primary key has been decrypted. */
    public static final class Unlocked {
        private final PgpKey key;
        private final PGPPrivateKey privateKey;

        private Unlocked(PgpKey key, PGPPrivateKey privateKey) {
            this.key = key;
            this.privateKey = privateKey;
        }

        public PgpKey key() {
            return key;
        }

        PGPPrivateKey privateKey() {
            return privateKey;
        }
    }

    /**
     * Generates an RSA key pair as Apptainer's {@code key newpair} does: an RSA primary key for signing and certifying
     * and an RSA encryption subkey, self-signed with SHA-384; the secret keys protected with {@code passphrase} (AES-256,
     * iterated and salted S2K) unless it is empty.
     */
    public static PgpKey generate(String name, String comment, String email, int bits, char[] passphrase) {
        if (bits < 2048 || bits > 8192) {
            throw new IntegrityException(IntegrityException.Kind.INVALID_REQUEST, "key length must be 2048..8192 bits");
        }
        StringBuilder uid = new StringBuilder(name);
        if (!comment.isEmpty()) {
            uid.append(" (").append(comment).append(')');
        }
        if (!email.isEmpty()) {
            uid.append(" <").append(email).append('>');
        }
        try {
            Date now = new Date((System.currentTimeMillis() / 1000) * 1000);
            SecureRandom random = new SecureRandom();
            RSAKeyPairGenerator gen = new RSAKeyPairGenerator();
            gen.init(new RSAKeyGenerationParameters(BigInteger.valueOf(65537), random, bits, 80));
            PGPKeyPair primary = new BcPGPKeyPair(
                    org.bouncycastle.bcpg.PublicKeyPacket.VERSION_4,
                    PublicKeyAlgorithmTags.RSA_GENERAL,
                    gen.generateKeyPair(),
                    now);
            PGPKeyPair sub = new BcPGPKeyPair(
                    org.bouncycastle.bcpg.PublicKeyPacket.VERSION_4,
                    PublicKeyAlgorithmTags.RSA_GENERAL,
                    gen.generateKeyPair(),
                    now);

            PGPSignatureSubpacketGenerator primaryAttrs = new PGPSignatureSubpacketGenerator();
            primaryAttrs.setKeyFlags(true, KeyFlags.SIGN_DATA | KeyFlags.CERTIFY_OTHER);
            primaryAttrs.setPrimaryUserID(false, true);
            primaryAttrs.setPreferredHashAlgorithms(
                    false, new int[] {HashAlgorithmTags.SHA384, HashAlgorithmTags.SHA256, HashAlgorithmTags.SHA512});
            primaryAttrs.setPreferredSymmetricAlgorithms(
                    false, new int[] {SymmetricKeyAlgorithmTags.AES_256, SymmetricKeyAlgorithmTags.AES_128});
            primaryAttrs.setFeature(false, Features.FEATURE_MODIFICATION_DETECTION);
            PGPSignatureSubpacketGenerator subAttrs = new PGPSignatureSubpacketGenerator();
            subAttrs.setKeyFlags(true, KeyFlags.ENCRYPT_COMMS | KeyFlags.ENCRYPT_STORAGE);

            PBESecretKeyEncryptor enc = null;
            if (passphrase != null && passphrase.length > 0) {
                enc = new BcPBESecretKeyEncryptorBuilder(
                                SymmetricKeyAlgorithmTags.AES_256,
                                new BcPGPDigestCalculatorProvider().get(HashAlgorithmTags.SHA256),
                                0x90)
                        .setSecureRandom(random)
                        .build(passphrase);
            }
            PGPKeyRingGenerator rings = new PGPKeyRingGenerator(
                    PGPSignature.POSITIVE_CERTIFICATION,
                    primary,
                    uid.toString(),
                    new BcPGPDigestCalculatorProvider().get(HashAlgorithmTags.SHA1),
                    primaryAttrs.generate(),
                    null,
                    new BcPGPContentSignerBuilder(PublicKeyAlgorithmTags.RSA_GENERAL, HashAlgorithmTags.SHA384),
                    enc);
            rings.addSubKey(sub, subAttrs.generate(), null);
            return ofSecret(rings.generateSecretKeyRing());
        } catch (PGPException e) {
            throw new IllegalStateException("key generation failed: " + e.getMessage(), e);
        }
    }

    @Override
    public String toString() {
        return "PgpKey[" + fingerprint() + (sec != null ? ", secret" : "") + "]";
    }
}
