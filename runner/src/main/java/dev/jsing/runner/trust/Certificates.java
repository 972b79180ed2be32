package dev.jsing.runner.trust;

import dev.jsing.runner.error.ExitCodes;
import dev.jsing.runner.error.JsingException;
import dev.jsing.sif.integrity.PemKeys;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.PublicKey;
import java.security.cert.CertPathBuilder;
import java.security.cert.CertStore;
import java.security.cert.CollectionCertStoreParameters;
import java.security.cert.PKIXBuilderParameters;
import java.security.cert.TrustAnchor;
import java.security.cert.X509CertSelector;
import java.security.cert.X509Certificate;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * {@code verify --certificate}: the certificate must chain, through the given intermediates, to one of the given
 * roots (default: the JDK's trusted roots), and allow code signing, as Apptainer requires; its public key then
 * verifies DSSE signatures. No revocation check (Apptainer's {@code --ocsp-verify} is not implemented).
 */
final class Certificates {
    static final String CODE_SIGNING = "1.3.6.1.5.5.7.3.3";

    private Certificates() {}

    static PublicKey verifiedKey(Path certFile, Path intermediates, Path roots) throws IOException {
        X509Certificate cert = PemKeys.readCertificate(certFile);
        try {
            List<String> eku = cert.getExtendedKeyUsage();
            if (eku == null || !eku.contains(CODE_SIGNING)) {
                throw new JsingException(
                        ExitCodes.VERIFY_FAILED,
                        certFile + ": the certificate does not allow code signing (extended key usage)");
            }
            Set<TrustAnchor> anchors = new HashSet<>();
            if (roots != null) {
                for (X509Certificate r : PemKeys.readCertificates(roots)) {
                    anchors.add(new TrustAnchor(r, null));
                }
            } else {
                KeyStore ks = KeyStore.getInstance(KeyStore.getDefaultType());
                Path cacerts = Path.of(System.getProperty("java.home"), "lib", "security", "cacerts");
                try (InputStream in = Files.newInputStream(cacerts)) {
                    ks.load(in, null);
                }
                for (String alias : java.util.Collections.list(ks.aliases())) {
                    if (ks.getCertificate(alias) instanceof X509Certificate x) {
                        anchors.add(new TrustAnchor(x, null));
                    }
                }
            }
            X509CertSelector target = new X509CertSelector();
            target.setCertificate(cert);
            PKIXBuilderParameters p = new PKIXBuilderParameters(anchors, target);
            p.setRevocationEnabled(false);
            List<X509Certificate> pool = new java.util.ArrayList<>(List.of(cert));
            if (intermediates != null) {
                pool.addAll(PemKeys.readCertificates(intermediates));
            }
            p.addCertStore(CertStore.getInstance("Collection", new CollectionCertStoreParameters(pool)));
            CertPathBuilder.getInstance("PKIX").build(p);
        } catch (GeneralSecurityException e) {
            throw new JsingException(
                    ExitCodes.VERIFY_FAILED, certFile + ": certificate not trusted: " + e.getMessage());
        }
        return cert.getPublicKey();
    }
}
