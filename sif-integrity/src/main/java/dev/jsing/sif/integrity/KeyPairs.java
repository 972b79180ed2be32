package dev.jsing.sif.integrity;

import java.io.IOException;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.interfaces.ECPrivateKey;
import java.security.interfaces.EdECPrivateKey;
import java.security.interfaces.RSAPrivateCrtKey;
import java.security.spec.ECPoint;
import java.security.spec.ECPublicKeySpec;
import java.security.spec.RSAPublicKeySpec;

/** Private keys for DSSE signing, with the public key each implies (for the envelope's key ID). */
public final class KeyPairs {
    private KeyPairs() {}

    /** A private key and its public key. */
    public record Signing(PrivateKey privateKey, PublicKey publicKey) {}

    /** Reads a PEM private key (see {@link PemKeys}) and derives its public key. */
    public static Signing read(Path pem, char[] passphrase) throws IOException {
        PrivateKey k = PemKeys.readPrivateKey(pem, passphrase);
        return new Signing(k, publicOf(k));
    }

    static PublicKey publicOf(PrivateKey k) {
        try {
            if (k instanceof RSAPrivateCrtKey rsa) {
                return KeyFactory.getInstance("RSA")
                        .generatePublic(new RSAPublicKeySpec(rsa.getModulus(), rsa.getPublicExponent()));
            }
            if (k instanceof ECPrivateKey ec) {
                // The JDK signs but does not expose scalar multiplication: Bouncy Castle's EC arithmetic derives Q =
                // dG.
                org.bouncycastle.jce.spec.ECParameterSpec bc =
                        org.bouncycastle.jcajce.provider.asymmetric.util.EC5Util.convertSpec(ec.getParams());
                org.bouncycastle.math.ec.ECPoint q = new org.bouncycastle.math.ec.FixedPointCombMultiplier()
                        .multiply(bc.getG(), ec.getS())
                        .normalize();
                ECPoint w = new ECPoint(
                        q.getAffineXCoord().toBigInteger(), q.getAffineYCoord().toBigInteger());
                return KeyFactory.getInstance("EC").generatePublic(new ECPublicKeySpec(w, ec.getParams()));
            }
            if (k instanceof EdECPrivateKey ed) {
                byte[] seed =
                        ed.getBytes().orElseThrow(() -> new GeneralSecurityException("Ed25519 key without its seed"));
                byte[] pub = new org.bouncycastle.crypto.params.Ed25519PrivateKeyParameters(seed, 0)
                        .generatePublicKey()
                        .getEncoded();
                byte[] prefix = {0x30, 0x2a, 0x30, 0x05, 0x06, 0x03, 0x2b, 0x65, 0x70, 0x03, 0x21, 0x00};
                byte[] x509 = new byte[prefix.length + pub.length];
                System.arraycopy(prefix, 0, x509, 0, prefix.length);
                System.arraycopy(pub, 0, x509, prefix.length, pub.length);
                return KeyFactory.getInstance("Ed25519")
                        .generatePublic(new java.security.spec.X509EncodedKeySpec(x509));
            }
        } catch (GeneralSecurityException e) {
            throw new IntegrityException(IntegrityException.Kind.INVALID_REQUEST, "cannot derive the public key: " + e);
        }
        throw new IntegrityException(
                IntegrityException.Kind.INVALID_REQUEST, "unsupported private key type " + k.getAlgorithm());
    }
}
