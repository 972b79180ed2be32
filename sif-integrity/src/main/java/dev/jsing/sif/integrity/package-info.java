/**
 * SIF signatures: signing and verifying object groups as the reference library (sylabs/sif {@code pkg/integrity})
 * does, in its current format — per group, a signature object linked to the group whose data is signed metadata
 * with the digests of the header's and descriptors' protected fields and of the objects' data — as an OpenPGP
 * cleartext signature ({@link dev.jsing.sif.integrity.PgpKey}) or a DSSE envelope (ECDSA, Ed25519 or RSA keys from
 * PEM files, {@link dev.jsing.sif.integrity.KeyPairs}, {@link dev.jsing.sif.integrity.PemKeys}); and the legacy
 * format (a digest of object data only) for verification when asked. Also OpenPGP keyrings in Apptainer's file
 * format ({@link dev.jsing.sif.integrity.PgpKeyring}).
 *
 * <p>Entry points: {@link dev.jsing.sif.integrity.SifSigner}, {@link dev.jsing.sif.integrity.SifVerifier}. OpenPGP
 * packets and keys are Bouncy Castle's (its lightweight API: no JCA provider is registered); DSSE signatures use the
 * JDK's {@code java.security.Signature}.
 */
package dev.jsing.sif.integrity;
