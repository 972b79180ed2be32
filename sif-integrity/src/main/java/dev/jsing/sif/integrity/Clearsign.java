package dev.jsing.sif.integrity;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Date;
import java.util.HexFormat;
import java.util.Set;
import org.bouncycastle.bcpg.ArmoredOutputStream;
import org.bouncycastle.bcpg.BCPGOutputStream;
import org.bouncycastle.bcpg.HashAlgorithmTags;
import org.bouncycastle.openpgp.PGPException;
import org.bouncycastle.openpgp.PGPPublicKey;
import org.bouncycastle.openpgp.PGPSignature;
import org.bouncycastle.openpgp.PGPSignatureGenerator;
import org.bouncycastle.openpgp.PGPSignatureList;
import org.bouncycastle.openpgp.PGPSignatureSubpacketGenerator;
import org.bouncycastle.openpgp.PGPUtil;
import org.bouncycastle.openpgp.bc.BcPGPObjectFactory;
import org.bouncycastle.openpgp.operator.bc.BcPGPContentSignerBuilder;
import org.bouncycastle.openpgp.operator.bc.BcPGPContentVerifierBuilderProvider;

/**
 * OpenPGP cleartext signatures (RFC 4880 §7), the envelope of SIF's PGP signatures: the framing is written and read
 * here, the signature packets by Bouncy Castle. Signatures are of canonical text: trailing spaces and tabs removed
 * from each line, lines joined with CRLF, no final line break.
 */
final class Clearsign {
    /** Hashes accepted in signatures: RFC 4880's, less those NIST no longer recommends (as the reference library). */
    static final Set<Integer> ACCEPTED_HASHES = Set.of(
            HashAlgorithmTags.SHA224, HashAlgorithmTags.SHA256, HashAlgorithmTags.SHA384, HashAlgorithmTags.SHA512);

    private static final String BEGIN_MESSAGE = "-----BEGIN PGP SIGNED MESSAGE-----";
    private static final String BEGIN_SIGNATURE = "-----BEGIN PGP SIGNATURE-----";

    private Clearsign() {}

    /** A decoded cleartext-signed message: the plaintext (lines joined with LF) and its signature packets. */
    record Message(String plaintext, byte[] canonical, PGPSignatureList signatures) {}

    /** Whether {@code data} looks like a cleartext-signed message. */
    static boolean looks(byte[] data) {
        String s = new String(data, 0, Math.min(data.length, 64), StandardCharsets.ISO_8859_1);
        return s.stripLeading().startsWith(BEGIN_MESSAGE);
    }

    /** Signs {@code text} with SHA-256, as the reference library's encoder does; returns the whole message. */
    static byte[] sign(String text, PgpKey.Unlocked key, Instant time) {
        return sign(text, key, time, HashAlgorithmTags.SHA256);
    }

    /** As {@link #sign(String, PgpKey.Unlocked, Instant)} with another hash (tests make weak signatures with it). */
    static byte[] sign(String text, PgpKey.Unlocked key, Instant time, int hash) {
        PGPPublicKey pub = key.key().publicRing().getPublicKey();
        try {
            PGPSignatureGenerator gen =
                    new PGPSignatureGenerator(new BcPGPContentSignerBuilder(pub.getAlgorithm(), hash), pub);
            gen.init(PGPSignature.CANONICAL_TEXT_DOCUMENT, key.privateKey());
            // The subpackets the reference library writes, in its order: creation time (critical), issuer key ID and
            // issuer fingerprint, all hashed; RSA PKCS#1 v1.5 being deterministic, the signature is then the same
            // bytes.
            PGPSignatureSubpacketGenerator hashed = new PGPSignatureSubpacketGenerator();
            hashed.setSignatureCreationTime(true, Date.from(time));
            hashed.setIssuerKeyID(false, pub.getKeyID());
            hashed.setIssuerFingerprint(false, pub);
            gen.setHashedSubpackets(hashed.generate());
            gen.setUnhashedSubpackets(new PGPSignatureSubpacketGenerator().generate());
            gen.update(canonical(text.lines().toList()));
            PGPSignature sig = gen.generate();

            ByteArrayOutputStream out = new ByteArrayOutputStream();
            out.writeBytes((BEGIN_MESSAGE + "\nHash: " + hashName(hash).replace("-", "") + "\n\n")
                    .getBytes(StandardCharsets.US_ASCII));
            for (String line : text.split("\n", -1)) {
                if (line.startsWith("-")) {
                    out.writeBytes("- ".getBytes(StandardCharsets.US_ASCII));
                }
                out.writeBytes(line.getBytes(StandardCharsets.UTF_8));
                out.write('\n');
            }
            ByteArrayOutputStream armored = new ByteArrayOutputStream();
            try (ArmoredOutputStream a = ArmoredOutputStream.builder()
                    .clearHeaders()
                    .enableCRC(false)
                    .build(armored)) {
                try (BCPGOutputStream b = new BCPGOutputStream(a)) {
                    sig.encode(b);
                }
            }
            byte[] arm = armored.toByteArray();
            int len = arm.length;
            while (len > 0 && arm[len - 1] == '\n') {
                len--; // the reference ends the message at the armour's last dash
            }
            out.write(arm, 0, len);
            return out.toByteArray();
        } catch (PGPException e) {
            throw new IntegrityException(
                    IntegrityException.Kind.INVALID_REQUEST, "signing failed: " + e.getMessage(), e);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Decodes a cleartext-signed message; throws INVALID_SIGNATURE when it is not one. Line endings may be LF or CRLF;
     * dash-escaped lines are unescaped.
     */
    static Message decode(byte[] data) {
        String s = new String(data, StandardCharsets.UTF_8);
        String[] lines = s.split("\r?\n", -1);
        int i = 0;
        while (i < lines.length && lines[i].isBlank()) {
            i++;
        }
        if (i >= lines.length || !lines[i].stripTrailing().equals(BEGIN_MESSAGE)) {
            throw invalid("not an OpenPGP cleartext-signed message");
        }
        i++;
        while (i < lines.length && !lines[i].isEmpty()) {
            if (!lines[i].contains(": ")) {
                throw invalid("malformed armour header '" + lines[i] + "'");
            }
            i++;
        }
        if (i >= lines.length) {
            throw invalid("cleartext message truncated");
        }
        i++;
        java.util.List<String> text = new java.util.ArrayList<>();
        int sigAt = -1;
        for (; i < lines.length; i++) {
            String l = lines[i];
            if (l.stripTrailing().equals(BEGIN_SIGNATURE)) {
                sigAt = i;
                break;
            }
            text.add(l.startsWith("- ") ? l.substring(2) : l);
        }
        if (sigAt < 0) {
            throw invalid("cleartext message has no signature");
        }
        StringBuilder armour = new StringBuilder();
        for (int k = sigAt; k < lines.length; k++) {
            armour.append(lines[k]).append('\n');
        }
        PGPSignatureList list = null;
        try (InputStream in = PGPUtil.getDecoderStream(
                new ByteArrayInputStream(armour.toString().getBytes(StandardCharsets.US_ASCII)))) {
            Object o = new BcPGPObjectFactory(in).nextObject();
            if (o instanceof PGPSignatureList l) {
                list = l;
            }
        } catch (IOException | RuntimeException e) {
            throw invalid("malformed signature armour: " + e.getMessage());
        }
        if (list == null || list.isEmpty()) {
            throw invalid("no signature packet in the armour");
        }
        return new Message(String.join("\n", text), canonical(text), list);
    }

    static byte[] canonical(java.util.List<String> lines) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (int k = 0; k < lines.size(); k++) {
            if (k > 0) {
                out.write('\r');
                out.write('\n');
            }
            String l = lines.get(k);
            int end = l.length();
            while (end > 0 && (l.charAt(end - 1) == ' ' || l.charAt(end - 1) == '\t' || l.charAt(end - 1) == '\r')) {
                end--;
            }
            out.writeBytes(l.substring(0, end).getBytes(StandardCharsets.UTF_8));
        }
        return out.toByteArray();
    }

    /** The result of checking a message's signature against a keyring. */
    record Check(PgpKey signer) {}

    /**
     * Verifies the message's signature with a key from {@code keyring}. Fails with UNKNOWN_KEY when no key in the
     * keyring made it (naming the issuer), WEAK_HASH for a refused hash, INVALID_SIGNATURE when it does not verify.
     */
    static Check verify(Message m, PgpKeyring keyring) {
        PGPSignature sig = m.signatures().get(0);
        if (sig.getSignatureType() != PGPSignature.CANONICAL_TEXT_DOCUMENT
                && sig.getSignatureType() != PGPSignature.BINARY_DOCUMENT) {
            throw invalid("unexpected OpenPGP signature type " + sig.getSignatureType());
        }
        if (!ACCEPTED_HASHES.contains(sig.getHashAlgorithm())) {
            throw new IntegrityException(
                    IntegrityException.Kind.WEAK_HASH,
                    "signature uses hash algorithm " + hashName(sig.getHashAlgorithm()) + ", which is not accepted"
                            + " (SHA-224, SHA-256, SHA-384, SHA-512 only)");
        }
        long keyId = sig.getKeyID();
        byte[] issuerFp =
                sig.getHashedSubPackets() != null && sig.getHashedSubPackets().getIssuerFingerprint() != null
                        ? sig.getHashedSubPackets().getIssuerFingerprint().getFingerprint()
                        : null;
        for (PgpKey k : keyring.keys()) {
            for (PGPPublicKey pk : k.publicRing()) {
                boolean match = issuerFp != null
                        ? java.util.Arrays.equals(pk.getFingerprint(), issuerFp)
                        : pk.getKeyID() == keyId;
                if (!match) {
                    continue;
                }
                checkUsable(k, pk, sig);
                try {
                    sig.init(new BcPGPContentVerifierBuilderProvider(), pk);
                    sig.update(m.canonical());
                    if (sig.verify()) {
                        return new Check(k);
                    }
                } catch (PGPException e) {
                    throw invalid("signature check failed: " + e.getMessage());
                }
                throw invalid(
                        "OpenPGP signature does not verify with key " + k.fingerprint() + " (signed data altered?)");
            }
        }
        String who =
                issuerFp != null ? HexFormat.of().withUpperCase().formatHex(issuerFp) : String.format("%016X", keyId);
        throw new IntegrityException(
                IntegrityException.Kind.UNKNOWN_KEY, "signed by key " + who + ", which is not in the keyring");
    }

    private static void checkUsable(PgpKey k, PGPPublicKey pk, PGPSignature sig) {
        if (pk.hasRevocation() || k.publicRing().getPublicKey().hasRevocation()) {
            throw invalid("signing key " + k.fingerprint() + " is revoked");
        }
        long valid = pk.getValidSeconds();
        if (valid > 0
                && sig.getCreationTime().getTime() / 1000 > pk.getCreationTime().getTime() / 1000 + valid) {
            throw invalid("signing key " + k.fingerprint() + " had expired when the signature was made");
        }
        if (sig.getCreationTime().getTime() + 1000 < pk.getCreationTime().getTime()) {
            throw invalid("signature predates its key " + k.fingerprint());
        }
    }

    static String hashName(int tag) {
        return switch (tag) {
            case HashAlgorithmTags.MD5 -> "MD5";
            case HashAlgorithmTags.SHA1 -> "SHA-1";
            case HashAlgorithmTags.RIPEMD160 -> "RIPEMD-160";
            case HashAlgorithmTags.SHA224 -> "SHA-224";
            case HashAlgorithmTags.SHA256 -> "SHA-256";
            case HashAlgorithmTags.SHA384 -> "SHA-384";
            case HashAlgorithmTags.SHA512 -> "SHA-512";
            default -> "#" + tag;
        };
    }

    private static IntegrityException invalid(String msg) {
        return new IntegrityException(IntegrityException.Kind.INVALID_SIGNATURE, msg);
    }
}
