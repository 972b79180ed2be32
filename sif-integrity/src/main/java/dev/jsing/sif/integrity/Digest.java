package dev.jsing.sif.integrity;

import java.io.IOException;
import java.io.InputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.HexFormat;

/**
 * A digest as signature metadata carries it, {@code "<alg>:<hex>"}. Only the SHA-2 family is accepted (the
 * reference library's list): a digest named with any other algorithm, or of the wrong length, is refused.
 */
record Digest(Algorithm algorithm, byte[] value) {
    /** The digest algorithms signature metadata may use, with their names in metadata and in the JDK. */
    enum Algorithm {
        SHA224("sha224", "SHA-224", 28),
        SHA256("sha256", "SHA-256", 32),
        SHA384("sha384", "SHA-384", 48),
        SHA512("sha512", "SHA-512", 64),
        SHA512_224("sha512_224", "SHA-512/224", 28),
        SHA512_256("sha512_256", "SHA-512/256", 32);

        final String metadataName;
        final String jdkName;
        final int size;

        Algorithm(String metadataName, String jdkName, int size) {
            this.metadataName = metadataName;
            this.jdkName = jdkName;
            this.size = size;
        }

        static Algorithm named(String name) {
            for (Algorithm a : values()) {
                if (a.metadataName.equals(name)) {
                    return a;
                }
            }
            throw new IntegrityException(
                    IntegrityException.Kind.WEAK_HASH, "digest algorithm '" + name + "' is not accepted (SHA-2 only)");
        }

        MessageDigest newDigest() {
            try {
                return MessageDigest.getInstance(jdkName);
            } catch (NoSuchAlgorithmException e) {
                throw new IllegalStateException(jdkName + " missing from the JDK", e);
            }
        }
    }

    Digest {
        if (value.length != algorithm.size) {
            throw new IllegalArgumentException(
                    "digest malformed: " + value.length + " bytes for " + algorithm.metadataName);
        }
        value = value.clone();
    }

    static Digest of(Algorithm a, byte[] data) {
        return new Digest(a, a.newDigest().digest(data));
    }

    static Digest of(Algorithm a, InputStream in) throws IOException {
        MessageDigest md = a.newDigest();
        byte[] buf = new byte[1 << 16];
        int n;
        while ((n = in.read(buf)) > 0) {
            md.update(buf, 0, n);
        }
        return new Digest(a, md.digest());
    }

    /** Parses {@code "<alg>:<hex>"}. */
    static Digest parse(String s) {
        String[] parts = s.split(":", -1);
        if (parts.length != 2) {
            throw new IllegalArgumentException("digest malformed: '" + s + "'");
        }
        byte[] v;
        try {
            v = HexFormat.of().parseHex(parts[1]);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("digest malformed: '" + s + "'");
        }
        return new Digest(Algorithm.named(parts[0]), v);
    }

    boolean matches(byte[] other) {
        return MessageDigest.isEqual(value, other);
    }

    @Override
    public String toString() {
        return algorithm.metadataName + ":" + HexFormat.of().formatHex(value);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Digest d && d.algorithm == algorithm && Arrays.equals(d.value, value);
    }

    @Override
    public int hashCode() {
        return algorithm.hashCode() * 31 + Arrays.hashCode(value);
    }
}
