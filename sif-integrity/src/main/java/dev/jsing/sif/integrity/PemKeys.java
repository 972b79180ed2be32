package dev.jsing.sif.integrity;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.spec.InvalidKeySpecException;
import java.security.spec.PKCS8EncodedKeySpec;
import java.security.spec.X509EncodedKeySpec;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import javax.crypto.Cipher;
import javax.crypto.EncryptedPrivateKeyInfo;
import javax.crypto.SecretKeyFactory;
import javax.crypto.spec.PBEKeySpec;

/**
 * PEM key files for DSSE signatures, read with the JDK's own crypto: public keys ({@code PUBLIC KEY}, X.509
 * SubjectPublicKeyInfo), certificates ({@code CERTIFICATE}), private keys ({@code PRIVATE KEY}, PKCS#8;
 * {@code ENCRYPTED PRIVATE KEY}, PKCS#8 protected with a passphrase; {@code RSA PRIVATE KEY}, PKCS#1). The key types
 * are those of the reference library: ECDSA, Ed25519 and RSA.
 */
public final class PemKeys {
    private static final String[] ALGORITHMS = {"EC", "Ed25519", "RSA"};

    private PemKeys() {}

    /** A PEM block: its label and DER bytes. */
    record Block(String label, byte[] der) {}

    static List<Block> blocks(String text) {
        List<Block> out = new ArrayList<>();
        int at = 0;
        while (true) {
            int begin = text.indexOf("-----BEGIN ", at);
            if (begin < 0) {
                return out;
            }
            int labelEnd = text.indexOf("-----", begin + 11);
            if (labelEnd < 0) {
                return out;
            }
            String label = text.substring(begin + 11, labelEnd);
            String endMarker = "-----END " + label + "-----";
            int end = text.indexOf(endMarker, labelEnd);
            if (end < 0) {
                throw new IllegalArgumentException("PEM block '" + label + "' is not terminated");
            }
            String body = text.substring(labelEnd + 5, end);
            StringBuilder b64 = new StringBuilder();
            for (String line : body.split("\n")) {
                if (!line.contains(":")) {
                    b64.append(line.strip());
                }
            }
            out.add(new Block(label, Base64.getDecoder().decode(b64.toString())));
            at = end + endMarker.length();
        }
    }

    private static Block only(Path file, String... labels) throws IOException {
        List<Block> bs;
        try {
            bs = blocks(Files.readString(file, StandardCharsets.ISO_8859_1));
        } catch (IllegalArgumentException e) {
            throw new IntegrityException(IntegrityException.Kind.INVALID_REQUEST, file + ": " + e.getMessage());
        }
        for (Block b : bs) {
            for (String l : labels) {
                if (b.label().equals(l)) {
                    return b;
                }
            }
        }
        throw new IntegrityException(
                IntegrityException.Kind.INVALID_REQUEST,
                file + ": no PEM block of type " + String.join(" or ", labels));
    }

    /** Reads a public key from a {@code PUBLIC KEY} PEM file. */
    public static PublicKey readPublicKey(Path file) throws IOException {
        Block b = only(file, "PUBLIC KEY");
        for (String alg : ALGORITHMS) {
            try {
                return KeyFactory.getInstance(alg).generatePublic(new X509EncodedKeySpec(b.der()));
            } catch (InvalidKeySpecException | java.security.NoSuchAlgorithmException e) {
                // try the next type
            }
        }
        throw new IntegrityException(
                IntegrityException.Kind.INVALID_REQUEST, file + ": not an ECDSA, Ed25519 or RSA public key");
    }

    /** Reads an X.509 certificate from a {@code CERTIFICATE} PEM file (the first one). */
    public static X509Certificate readCertificate(Path file) throws IOException {
        return readCertificates(file).get(0);
    }

    /** Reads every certificate in a PEM file. */
    public static List<X509Certificate> readCertificates(Path file) throws IOException {
        List<X509Certificate> out = new ArrayList<>();
        try {
            CertificateFactory cf = CertificateFactory.getInstance("X.509");
            for (Block b : blocks(Files.readString(file, StandardCharsets.ISO_8859_1))) {
                if (b.label().equals("CERTIFICATE")) {
                    out.add((X509Certificate) cf.generateCertificate(new ByteArrayInputStream(b.der())));
                }
            }
        } catch (CertificateException | IllegalArgumentException e) {
            throw new IntegrityException(IntegrityException.Kind.INVALID_REQUEST, file + ": " + e.getMessage());
        }
        if (out.isEmpty()) {
            throw new IntegrityException(IntegrityException.Kind.INVALID_REQUEST, file + ": no PEM certificate");
        }
        return out;
    }

    /** Whether the private key file is protected by a passphrase. */
    public static boolean isEncrypted(Path file) throws IOException {
        return Files.readString(file, StandardCharsets.ISO_8859_1).contains("-----BEGIN ENCRYPTED PRIVATE KEY-----");
    }

    /**
     * Reads a private key; {@code passphrase} is used for an {@code ENCRYPTED PRIVATE KEY} only.
     *
     * @throws IntegrityException (INVALID_REQUEST) for a wrong passphrase or an unsupported key
     */
    public static PrivateKey readPrivateKey(Path file, char[] passphrase) throws IOException {
        Block b = only(file, "PRIVATE KEY", "ENCRYPTED PRIVATE KEY", "RSA PRIVATE KEY", "EC PRIVATE KEY");
        byte[] pkcs8;
        switch (b.label()) {
            case "PRIVATE KEY" -> pkcs8 = b.der();
            case "RSA PRIVATE KEY" -> pkcs8 = wrapPkcs1(b.der());
            case "ENCRYPTED PRIVATE KEY" -> pkcs8 = decrypt(file, b.der(), passphrase);
            default ->
                throw new IntegrityException(
                        IntegrityException.Kind.INVALID_REQUEST,
                        file + ": SEC1 'EC PRIVATE KEY' files are not read; convert with 'openssl pkcs8 -topk8'");
        }
        for (String alg : ALGORITHMS) {
            try {
                return KeyFactory.getInstance(alg).generatePrivate(new PKCS8EncodedKeySpec(pkcs8));
            } catch (InvalidKeySpecException | java.security.NoSuchAlgorithmException e) {
                // try the next type
            }
        }
        throw new IntegrityException(
                IntegrityException.Kind.INVALID_REQUEST, file + ": not an ECDSA, Ed25519 or RSA private key");
    }

    private static byte[] decrypt(Path file, byte[] der, char[] passphrase) {
        if (passphrase == null) {
            throw new IntegrityException(
                    IntegrityException.Kind.INVALID_REQUEST, file + ": the key needs a passphrase");
        }
        try {
            EncryptedPrivateKeyInfo info = new EncryptedPrivateKeyInfo(der);
            // PBES2 names its parameters' algorithm, not a cipher: ask for the cipher through the parameters.
            String alg =
                    info.getAlgParameters() != null ? info.getAlgParameters().toString() : info.getAlgName();
            SecretKeyFactory skf = SecretKeyFactory.getInstance(alg);
            Cipher c = Cipher.getInstance(alg);
            c.init(Cipher.DECRYPT_MODE, skf.generateSecret(new PBEKeySpec(passphrase)), info.getAlgParameters());
            return info.getKeySpec(c).getEncoded();
        } catch (GeneralSecurityException | IOException e) {
            throw new IntegrityException(
                    IntegrityException.Kind.INVALID_REQUEST, file + ": cannot decrypt the key (wrong passphrase?)");
        }
    }

    /** PKCS#1 RSAPrivateKey inside a PKCS#8 PrivateKeyInfo: version 0, rsaEncryption with NULL parameters. */
    private static byte[] wrapPkcs1(byte[] pkcs1) {
        byte[] algId = {
            0x30,
            0x0d,
            0x06,
            0x09,
            0x2a,
            (byte) 0x86,
            0x48,
            (byte) 0x86,
            (byte) 0xf7,
            0x0d,
            0x01,
            0x01,
            0x01,
            0x05,
            0x00
        };
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        body.writeBytes(new byte[] {0x02, 0x01, 0x00});
        body.writeBytes(algId);
        body.write(0x04);
        body.writeBytes(derLength(pkcs1.length));
        body.writeBytes(pkcs1);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(0x30);
        out.writeBytes(derLength(body.size()));
        out.writeBytes(body.toByteArray());
        return out.toByteArray();
    }

    private static byte[] derLength(int n) {
        if (n < 0x80) {
            return new byte[] {(byte) n};
        }
        if (n < 0x100) {
            return new byte[] {(byte) 0x81, (byte) n};
        }
        if (n < 0x10000) {
            return new byte[] {(byte) 0x82, (byte) (n >> 8), (byte) n};
        }
        return new byte[] {(byte) 0x83, (byte) (n >> 16), (byte) (n >> 8), (byte) n};
    }
}
