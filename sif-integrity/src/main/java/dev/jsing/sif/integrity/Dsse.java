package dev.jsing.sif.integrity;

import java.io.ByteArrayOutputStream;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.PublicKey;
import java.security.Signature;
import java.security.interfaces.ECPublicKey;
import java.security.interfaces.EdECPublicKey;
import java.security.interfaces.RSAPublicKey;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;

/**
 * DSSE envelopes (Dead Simple Signing Envelope, v1) as the reference library writes them for SIF: the metadata JSON
 * as payload of type {@value #PAYLOAD_TYPE}, each signature over the pre-authentication encoding
 * {@code "DSSEv1" SP len(type) SP type SP len(payload) SP payload}. Keys and signatures use the JDK: Ed25519 (over the
 * encoding itself), ECDSA (ASN.1 DER) and RSA PKCS#1 v1.5, both over its SHA-256 digest unless another hash is named.
 */
final class Dsse {
    static final String PAYLOAD_TYPE = "application/vnd.sylabs.sif-metadata+json";

    private Dsse() {}

    record Envelope(String payloadType, byte[] payload, List<Sig> signatures) {}

    record Sig(String keyId, byte[] sig) {}

    /** Whether {@code data} is a JSON envelope of the SIF metadata type. */
    static boolean looks(byte[] data) {
        try {
            return PAYLOAD_TYPE.equals(parse(data).payloadType());
        } catch (RuntimeException e) {
            return false;
        }
    }

    static Envelope parse(byte[] data) {
        Map<String, Object> m = Json.object(Json.parse(new String(data, StandardCharsets.UTF_8)), "DSSE envelope");
        String type = Json.string(m.get("payloadType"), "payloadType");
        byte[] payload = b64(Json.string(m.get("payload"), "payload"));
        List<Sig> sigs = new ArrayList<>();
        Object list = m.get("signatures");
        if (list != null) {
            for (Object o : Json.array(list, "signatures")) {
                Map<String, Object> s = Json.object(o, "signature");
                Object kid = s.get("keyid");
                sigs.add(new Sig(kid == null ? "" : Json.string(kid, "keyid"), b64(Json.string(s.get("sig"), "sig"))));
            }
        }
        return new Envelope(type, payload, sigs);
    }

    private static byte[] b64(String s) {
        try {
            return Base64.getDecoder().decode(s);
        } catch (IllegalArgumentException e) {
            try {
                return Base64.getUrlDecoder().decode(s);
            } catch (IllegalArgumentException e2) {
                throw new IllegalArgumentException("invalid base64 in envelope");
            }
        }
    }

    static byte[] pae(String type, byte[] payload) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        byte[] t = type.getBytes(StandardCharsets.UTF_8);
        out.writeBytes(("DSSEv1 " + t.length + " ").getBytes(StandardCharsets.US_ASCII));
        out.writeBytes(t);
        out.writeBytes((" " + payload.length + " ").getBytes(StandardCharsets.US_ASCII));
        out.writeBytes(payload);
        return out.toByteArray();
    }

    /** Signs {@code payload} with each key (and its public key, for the key ID); returns the envelope's JSON. */
    static byte[] sign(byte[] payload, List<KeyPairs.Signing> keys, Digest.Algorithm hash) {
        byte[] pae = pae(PAYLOAD_TYPE, payload);
        StringBuilder b = new StringBuilder();
        b.append("{\"payloadType\":").append(Json.quote(PAYLOAD_TYPE));
        b.append(",\"payload\":").append(Json.quote(Base64.getEncoder().encodeToString(payload)));
        b.append(",\"signatures\":[");
        for (int k = 0; k < keys.size(); k++) {
            KeyPairs.Signing key = keys.get(k);
            if (k > 0) {
                b.append(',');
            }
            byte[] sig;
            try {
                Signature s = Signature.getInstance(algorithm(key.privateKey().getAlgorithm(), hash));
                s.initSign(key.privateKey());
                s.update(pae);
                sig = s.sign();
            } catch (GeneralSecurityException e) {
                throw new IntegrityException(
                        IntegrityException.Kind.INVALID_REQUEST, "DSSE signing failed: " + e.getMessage(), e);
            }
            b.append("{\"keyid\":").append(Json.quote(keyId(key.publicKey())));
            b.append(",\"sig\":")
                    .append(Json.quote(Base64.getEncoder().encodeToString(sig)))
                    .append('}');
        }
        return b.append("]}").toString().getBytes(StandardCharsets.UTF_8);
    }

    /** The keys (of {@code keys}) with which at least one of the envelope's signatures verifies. */
    static List<PublicKey> verifiers(Envelope e, List<PublicKey> keys, Digest.Algorithm hash) {
        byte[] pae = pae(e.payloadType(), e.payload());
        List<PublicKey> ok = new ArrayList<>();
        for (PublicKey k : keys) {
            for (Sig s : e.signatures()) {
                try {
                    Signature v = Signature.getInstance(algorithm(k.getAlgorithm(), hash));
                    v.initVerify(k);
                    v.update(pae);
                    if (v.verify(s.sig())) {
                        ok.add(k);
                        break;
                    }
                } catch (GeneralSecurityException | RuntimeException ex) {
                    // a signature of another key type, or malformed: not made by this key
                }
            }
        }
        return ok;
    }

    static String algorithm(String keyAlgorithm, Digest.Algorithm hash) {
        String h = switch (hash) {
            case SHA256 -> "SHA256";
            case SHA384 -> "SHA384";
            case SHA512 -> "SHA512";
            default ->
                throw new IntegrityException(
                        IntegrityException.Kind.WEAK_HASH,
                        "hash " + hash.jdkName + " is not accepted for DSSE signatures");
        };
        return switch (keyAlgorithm) {
            case "EC" -> h + "withECDSA";
            case "RSA" -> h + "withRSA";
            case "Ed25519", "EdDSA" -> "Ed25519";
            default ->
                throw new IntegrityException(
                        IntegrityException.Kind.INVALID_REQUEST, "unsupported key type " + keyAlgorithm);
        };
    }

    /**
     * The key ID the reference library records: {@code SHA256:} and the unpadded base64 of the SHA-256 of the key's SSH
     * wire encoding (the OpenSSH fingerprint).
     */
    static String keyId(PublicKey k) {
        ByteArrayOutputStream w = new ByteArrayOutputStream();
        if (k instanceof EdECPublicKey ed) {
            sshString(w, "ssh-ed25519".getBytes(StandardCharsets.US_ASCII));
            sshString(w, ed25519Bytes(ed));
        } else if (k instanceof RSAPublicKey rsa) {
            sshString(w, "ssh-rsa".getBytes(StandardCharsets.US_ASCII));
            sshString(w, rsa.getPublicExponent().toByteArray());
            sshString(w, rsa.getModulus().toByteArray());
        } else if (k instanceof ECPublicKey ec) {
            int bits = ec.getParams().getCurve().getField().getFieldSize();
            String curve = bits == 256 ? "nistp256" : bits == 384 ? "nistp384" : bits == 521 ? "nistp521" : null;
            if (curve == null) {
                return "";
            }
            sshString(w, ("ecdsa-sha2-" + curve).getBytes(StandardCharsets.US_ASCII));
            sshString(w, curve.getBytes(StandardCharsets.US_ASCII));
            int n = (bits + 7) / 8;
            ByteArrayOutputStream pt = new ByteArrayOutputStream();
            pt.write(4);
            pt.writeBytes(fixed(ec.getW().getAffineX(), n));
            pt.writeBytes(fixed(ec.getW().getAffineY(), n));
            sshString(w, pt.toByteArray());
        } else {
            return "";
        }
        try {
            byte[] d = MessageDigest.getInstance("SHA-256").digest(w.toByteArray());
            return "SHA256:" + Base64.getEncoder().withoutPadding().encodeToString(d);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The 32-byte RFC 8032 encoding of an Ed25519 public key: the last 32 bytes of its X.509 encoding. */
    private static byte[] ed25519Bytes(EdECPublicKey ed) {
        byte[] x509 = ed.getEncoded();
        return java.util.Arrays.copyOfRange(x509, x509.length - 32, x509.length);
    }

    private static byte[] fixed(BigInteger v, int n) {
        byte[] b = v.toByteArray();
        byte[] out = new byte[n];
        int copy = Math.min(b.length, n);
        System.arraycopy(b, b.length - copy, out, n - copy, copy);
        return out;
    }

    private static void sshString(ByteArrayOutputStream w, byte[] b) {
        w.write(b.length >>> 24);
        w.write(b.length >>> 16);
        w.write(b.length >>> 8);
        w.write(b.length);
        w.writeBytes(b);
    }
}
