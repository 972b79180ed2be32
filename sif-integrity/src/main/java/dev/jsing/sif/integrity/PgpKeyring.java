package dev.jsing.sif.integrity;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import org.bouncycastle.openpgp.PGPException;
import org.bouncycastle.openpgp.PGPPublicKeyRing;
import org.bouncycastle.openpgp.PGPSecretKeyRing;
import org.bouncycastle.openpgp.PGPUtil;
import org.bouncycastle.openpgp.bc.BcPGPObjectFactory;

/**
 * An ordered list of OpenPGP keys, read from or written to a keyring file in the format Apptainer uses for
 * {@code ~/.apptainer/keys/pgp-public} and {@code pgp-secret}: the binary transferable keys, concatenated. Reading
 * also accepts ASCII armour. Immutable: the edits return a new keyring.
 */
public final class PgpKeyring {
    private final List<PgpKey> keys;

    private PgpKeyring(List<PgpKey> keys) {
        this.keys = Collections.unmodifiableList(new ArrayList<>(keys));
    }

    public static PgpKeyring empty() {
        return new PgpKeyring(List.of());
    }

    public static PgpKeyring of(List<PgpKey> keys) {
        return new PgpKeyring(keys);
    }

    /** Reads a keyring file; a missing file is an empty keyring. */
    public static PgpKeyring read(Path file) throws IOException {
        byte[] data;
        try {
            data = Files.readAllBytes(file);
        } catch (NoSuchFileException e) {
            return empty();
        }
        try {
            return parse(data);
        } catch (IntegrityException e) {
            throw new IOException(file + ": " + e.getMessage(), e);
        }
    }

    /**
     * Parses keys: binary or ASCII-armoured, public or secret, one or more. A secret key yields one key with both parts.
     *
     * @throws IntegrityException (INVALID_REQUEST) when the data holds no OpenPGP key
     */
    public static PgpKeyring parse(byte[] data) {
        List<PgpKey> out = new ArrayList<>();
        try {
            if (data.length > 0) {
                readObjects(data, out);
            }
        } catch (IOException | PGPException | RuntimeException e) {
            throw new IntegrityException(
                    IntegrityException.Kind.INVALID_REQUEST, "not an OpenPGP keyring: " + e.getMessage(), e);
        }
        return new PgpKeyring(out);
    }

    private static void readObjects(byte[] data, List<PgpKey> out) throws IOException, PGPException {
        String head = new String(data, 0, Math.min(data.length, 64), java.nio.charset.StandardCharsets.ISO_8859_1);
        if (head.stripLeading().startsWith("-----BEGIN PGP")) {
            // Armoured: each block in turn (an export may concatenate several).
            String text = new String(data, java.nio.charset.StandardCharsets.ISO_8859_1);
            int at = text.indexOf("-----BEGIN PGP");
            while (at >= 0) {
                int end = text.indexOf("-----END PGP", at);
                if (end < 0) {
                    throw new IOException("unterminated armour");
                }
                int close = text.indexOf('\n', end);
                close = close < 0 ? text.length() : close + 1;
                byte[] block = text.substring(at, close).getBytes(java.nio.charset.StandardCharsets.ISO_8859_1);
                try (InputStream in = PGPUtil.getDecoderStream(new ByteArrayInputStream(block))) {
                    readBinary(in, out);
                }
                at = text.indexOf("-----BEGIN PGP", close);
            }
            return;
        }
        readBinary(new ByteArrayInputStream(data), out);
    }

    private static void readBinary(InputStream in, List<PgpKey> out) throws IOException {
        BcPGPObjectFactory f = new BcPGPObjectFactory(in);
        Object o;
        while ((o = f.nextObject()) != null) {
            if (o instanceof PGPPublicKeyRing r) {
                out.add(new PgpKey(r, null));
            } else if (o instanceof PGPSecretKeyRing r) {
                out.add(PgpKey.ofSecret(r));
            } else {
                throw new IOException("unexpected " + o.getClass().getSimpleName() + " in keyring");
            }
        }
    }

    public List<PgpKey> keys() {
        return keys;
    }

    public boolean isEmpty() {
        return keys.isEmpty();
    }

    /** The key with this primary fingerprint (hex, any case). */
    public Optional<PgpKey> byFingerprint(String hex) {
        return keys.stream().filter(k -> k.fingerprint().equalsIgnoreCase(hex)).findFirst();
    }

    /** This keyring with {@code key} added, or replacing the key with the same fingerprint in place. */
    public PgpKeyring with(PgpKey key) {
        List<PgpKey> out = new ArrayList<>(keys);
        for (int i = 0; i < out.size(); i++) {
            if (out.get(i).fingerprint().equals(key.fingerprint())) {
                out.set(i, key);
                return new PgpKeyring(out);
            }
        }
        out.add(key);
        return new PgpKeyring(out);
    }

    /** This keyring without the key with this fingerprint. */
    public PgpKeyring without(String fingerprint) {
        List<PgpKey> out = new ArrayList<>(keys);
        out.removeIf(k -> k.fingerprint().equalsIgnoreCase(fingerprint));
        return new PgpKeyring(out);
    }

    /** This keyring's keys, then those of {@code other} whose fingerprints are not in it. */
    public PgpKeyring plus(PgpKeyring other) {
        List<PgpKey> out = new ArrayList<>(keys);
        for (PgpKey k : other.keys) {
            if (byFingerprint(k.fingerprint()).isEmpty()) {
                out.add(k);
            }
        }
        return new PgpKeyring(out);
    }

    /**
     * Writes the keys, binary, to {@code file} (mode 0600, replaced atomically); the secret parts only with
     * {@code secret}, and then only keys that have one.
     */
    public void write(Path file, boolean secret) throws IOException {
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        for (PgpKey k : keys) {
            if (secret && !k.hasSecret()) {
                continue;
            }
            buf.write(k.encoded(secret));
        }
        Path dir = file.toAbsolutePath().getParent();
        Path tmp = Files.createTempFile(
                dir,
                "." + file.getFileName() + ".",
                ".tmp",
                PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        try {
            Files.write(tmp, buf.toByteArray());
            try {
                Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING);
            }
        } finally {
            Files.deleteIfExists(tmp);
        }
    }
}
