package dev.jsing.sif.integrity;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.PublicKey;

/** The reference corpus, {@code ../shared/fixtures/sif}, and its test keys. */
final class Fixtures {
    private Fixtures() {}

    static Path dir() {
        String shared = System.getProperty("jsing.shared");
        Path p = shared != null ? Path.of(shared) : Path.of("..", "..", "shared");
        return p.resolve("fixtures/sif");
    }

    static Path image(String name) {
        Path p = dir().resolve(name);
        if (!Files.isRegularFile(p)) {
            throw new IllegalStateException("fixture missing: " + p);
        }
        return p;
    }

    static Path key(String name) {
        return dir().resolve("keys").resolve(name);
    }

    /** The corpus's PGP key (secret and public). */
    static PgpKeyring pgp() {
        try {
            return PgpKeyring.parse(Files.readAllBytes(key("private.asc")));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static PgpKeyring pgpPublic() {
        return PgpKeyring.of(pgp().keys().stream().map(PgpKey::publicOnly).toList());
    }

    static PublicKey publicKey(String name) {
        try {
            return PemKeys.readPublicKey(key(name));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A writable copy of a fixture in {@code dir}. */
    static Path copy(String name, Path dir) throws IOException {
        Path out = dir.resolve(name);
        Files.copy(image(name), out);
        out.toFile().setWritable(true);
        return out;
    }
}
