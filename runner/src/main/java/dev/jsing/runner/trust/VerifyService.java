package dev.jsing.runner.trust;

import dev.jsing.runner.error.ExitCodes;
import dev.jsing.runner.error.JsingException;
import dev.jsing.sif.Descriptor;
import dev.jsing.sif.SifException;
import dev.jsing.sif.SifImage;
import dev.jsing.sif.integrity.IntegrityException;
import dev.jsing.sif.integrity.PemKeys;
import dev.jsing.sif.integrity.PgpKey;
import dev.jsing.sif.integrity.Selection;
import dev.jsing.sif.integrity.SifVerifier;
import dev.jsing.sif.integrity.SignatureCheck;
import dev.jsing.sif.integrity.VerifyReport;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.PublicKey;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * {@code jsing verify}: checks a SIF image's signatures (OpenPGP with the keyrings, or DSSE with given public keys or
 * certificates), prints who signed what as Apptainer does, and fails on the first problem found.
 */
public final class VerifyService {
    /**
     * @param keys PEM public keys (DSSE)
     * @param certificates PEM certificates whose keys are used (DSSE); checked by {@link Certificates}
     * @param roots, intermediates certificate pools for the chain check (null: the JDK's trusted roots)
     * @param legacy accept legacy signatures ({@code --legacy-insecure})
     * @param all with legacy: every object ({@code --all})
     * @param groupId, objectId the selection (0: not given)
     * @param json Apptainer's JSON output instead of text
     */
    public record Request(
            List<Path> keys,
            List<Path> certificates,
            Path roots,
            Path intermediates,
            boolean legacy,
            boolean all,
            int groupId,
            int objectId,
            boolean json) {}

    private final Keyrings rings;

    private VerifyService(Keyrings rings) {
        this.rings = rings;
    }

    public static VerifyService of(String home, Path siteDir) {
        return new VerifyService(Keyrings.of(home, siteDir));
    }

    public void verify(Path image, Request req, PrintWriter out, PrintWriter err, boolean quiet) {
        List<PublicKey> keys = new ArrayList<>();
        List<Keyrings.Source> sources = List.of();
        SifVerifier.Options o;
        try {
            if (!req.certificates().isEmpty()) {
                for (Path c : req.certificates()) {
                    SignService.info(err, quiet, "verifying image with key material from certificate '" + c + "'");
                    keys.add(Certificates.verifiedKey(c, req.intermediates(), req.roots()));
                }
            }
            for (Path k : req.keys()) {
                SignService.info(err, quiet, "verifying image with key material from '" + k + "'");
                keys.add(PemKeys.readPublicKey(k));
            }
            if (keys.isEmpty()) {
                SignService.info(err, quiet, "verifying image with PGP key material");
                sources = rings.publicSources();
                o = SifVerifier.Options.pgp(Keyrings.merged(sources));
            } else {
                o = SifVerifier.Options.dsse(keys);
            }
        } catch (NoSuchFileException e) {
            throw new JsingException(ExitCodes.NOT_FOUND, e.getFile() + ": not found");
        } catch (IOException e) {
            throw new JsingException(ExitCodes.IO_ERROR, "cannot read key material: " + e.getMessage());
        } catch (IntegrityException e) {
            throw Integrity.failure(e);
        }
        o = o.with(new Selection(
                req.groupId() != 0 ? List.of(req.groupId()) : List.of(),
                req.objectId() != 0 ? List.of(req.objectId()) : List.of()));
        if (req.legacy()) {
            o = o.withLegacy(req.all());
        }
        VerifyReport report;
        try (SifImage img = SifImage.open(image)) {
            report = SifVerifier.verify(img, o);
        } catch (NoSuchFileException e) {
            throw new JsingException(ExitCodes.NOT_FOUND, image + ": image not found");
        } catch (IOException e) {
            throw new JsingException(ExitCodes.IO_ERROR, image + ": " + e.getMessage());
        } catch (SifException e) {
            throw Integrity.failure(image, e);
        } catch (IntegrityException e) {
            if (req.json()) {
                out.println(VerifyOutput.json(List.of(), sources));
                out.flush();
            }
            throw Integrity.failure(e);
        }
        if (req.json()) {
            out.println(VerifyOutput.json(report.checks(), sources));
        } else {
            for (SignatureCheck c : report.checks()) {
                VerifyOutput.text(out, c, sources);
            }
        }
        out.flush();
        IntegrityException first = report.firstError().orElse(null);
        if (first != null) {
            throw new JsingException(
                    ExitCodes.VERIFY_FAILED, "failed to verify container: " + first.getMessage(), first);
        }
        SignService.info(err, quiet, "verified signature(s) from image '" + image + "'");
    }

    /**
     * {@code pull --verify}: verifies a pulled SIF with the keyrings; on failure the file is removed. With
     * {@code allowUnsigned} an image without signatures is kept, with a warning; a bad signature still fails.
     */
    public void verifyPulled(Path sif, boolean allowUnsigned, PrintWriter out, PrintWriter err, boolean quiet) {
        Request req = new Request(List.of(), List.of(), null, null, false, false, 0, 0, false);
        try {
            verify(sif, req, out, err, quiet);
        } catch (JsingException e) {
            if (allowUnsigned && unsignedOnly(sif)) {
                err.println("jsing: warning: " + sif + " is not signed (accepted: --allow-unsigned)");
                err.flush();
                return;
            }
            try {
                java.nio.file.Files.deleteIfExists(sif);
            } catch (IOException ignored) {
                // the failure below is what matters
            }
            throw e;
        }
    }

    private boolean unsignedOnly(Path sif) {
        try (SifImage img = SifImage.open(sif)) {
            VerifyReport r = SifVerifier.verify(img, SifVerifier.Options.pgp(Keyrings.merged(rings.publicSources())));
            return r.checks().stream()
                    .allMatch(
                            c -> c.error().isPresent() && c.error().get().kind() == IntegrityException.Kind.NOT_SIGNED);
        } catch (IntegrityException e) {
            return e.kind() == IntegrityException.Kind.NOT_SIGNED;
        } catch (IOException | SifException e) {
            return false;
        }
    }

    /** Apptainer's {@code verify} output, text and JSON. */
    static final class VerifyOutput {
        private VerifyOutput() {}

        static void text(PrintWriter out, SignatureCheck c, List<Keyrings.Source> sources) {
            if (c.signer().isPresent()) {
                PgpKey k = c.signer().get();
                String prefix = "[" + Keyrings.labelOf(sources, k) + "]";
                out.printf("%-18s Signing entity: %s%n", prefix, k.primaryUserId());
                out.printf("%-18s Fingerprint: %s%n", prefix, k.fingerprint());
            }
            for (String id : c.keyIds()) {
                out.printf("%-18s Public key: %s%n", "[KEY]", id);
            }
            if (!c.verified().isEmpty()) {
                out.println("Objects verified:");
                out.printf("%-4s|%-8s|%-8s|%s%n", "ID", "GROUP", "LINK", "TYPE");
                out.println("------------------------------------------------");
            }
            for (Descriptor d : c.verified()) {
                String group = d.groupId() == 0 ? "NONE" : String.valueOf(d.groupId());
                String link = d.linkedId() == 0 ? "NONE" : d.linkedId() + (d.isLinkedToGroup() ? " (G)" : "");
                out.printf("%-4d|%-8s|%-8s|%s%n", d.id(), group, link, d.dataType());
            }
            c.error()
                    .ifPresent(
                            e -> out.printf("%nError encountered during signature verification: %s%n", e.getMessage()));
        }

        /** {@code {"Signatures": N, "SignerKeys": [{"Signer": {...}}, ...]}}, Apptainer's field names. */
        static String json(List<SignatureCheck> checks, List<Keyrings.Source> sources) {
            StringBuilder b = new StringBuilder();
            int signatures = 0;
            List<String> keys = new ArrayList<>();
            for (SignatureCheck c : checks) {
                if (c.signatureId() == 0) {
                    continue;
                }
                signatures++;
                String name = c.signer()
                        .map(PgpKey::primaryUserId)
                        .orElse(c.keyIds().isEmpty() ? "unknown" : c.keyIds().get(0));
                String fp = c.signer()
                        .map(k -> k.fingerprint().toLowerCase(Locale.ROOT))
                        .orElse("");
                boolean local = c.signer()
                        .map(k -> !Keyrings.labelOf(sources, k).equals("REMOTE"))
                        .orElse(false);
                boolean keyCheck = c.signer().isPresent() || !c.keyIds().isEmpty();
                for (Descriptor d : c.verified()) {
                    keys.add(signer(d.dataType().toString(), name, fp, local, keyCheck, true));
                }
                if (c.error().isPresent() && c.error().get().kind() == IntegrityException.Kind.TAMPERED) {
                    keys.add(signer("", name, fp, local, keyCheck, false));
                }
            }
            b.append("{\n  \"Signatures\": ").append(signatures).append(",\n  \"SignerKeys\": ");
            if (keys.isEmpty()) {
                b.append("null");
            } else {
                b.append("[\n").append(String.join(",\n", keys)).append("\n  ]");
            }
            return b.append("\n}").toString();
        }

        private static String signer(
                String part, String name, String fp, boolean local, boolean keyCheck, boolean data) {
            return "    {\n      \"Signer\": {\n"
                    + "        \"Partition\": " + quote(part) + ",\n"
                    + "        \"Name\": " + quote(name) + ",\n"
                    + "        \"Fingerprint\": " + quote(fp) + ",\n"
                    + "        \"KeyLocal\": " + local + ",\n"
                    + "        \"KeyCheck\": " + keyCheck + ",\n"
                    + "        \"DataCheck\": " + data + "\n      }\n    }";
        }

        private static String quote(String s) {
            StringBuilder b = new StringBuilder("\"");
            for (char ch : s.toCharArray()) {
                switch (ch) {
                    case '"' -> b.append("\\\"");
                    case '\\' -> b.append("\\\\");
                    case '<' -> b.append("\\u003c");
                    case '>' -> b.append("\\u003e");
                    case '&' -> b.append("\\u0026");
                    default -> {
                        if (ch < 0x20) {
                            b.append(String.format("\\u%04x", (int) ch));
                        } else {
                            b.append(ch);
                        }
                    }
                }
            }
            return b.append('"').toString();
        }
    }
}
