package dev.jsing.runner.trust;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jsing.runner.error.ExitCodes;
import dev.jsing.runner.testing.Commands;
import dev.jsing.runner.testing.MinbaseImage;
import dev.jsing.runner.testing.Prerequisites;
import dev.jsing.runner.testing.Result;
import dev.jsing.runner.testing.Siftool;
import dev.jsing.runner.testing.SiteFiles;
import dev.jsing.runner.testing.TestDist;
import dev.jsing.runner.testing.TestUser;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * {@code jsing key}, {@code sign}, {@code verify} and the execution control list, end to end as the unprivileged test
 * user with the installed tool: the reference corpus verifies, tampering and unknown keys fail distinctly, jsing's
 * signatures pass the reference library's verifier ({@code test-tools/sif-verify}), and {@code exec} runs only what
 * the site's list allows, loading no signature code when there is no list.
 */
class SigningIT {
    static TestUser user;
    static Path work;
    static Path home;
    static Path fixtures;
    static String fingerprint;
    final SiteFiles sites = new SiteFiles();

    @org.junit.jupiter.api.AfterEach
    void restoreSiteFiles() {
        sites.restore();
    }

    @BeforeAll
    static void setUp() throws Exception {
        user = TestUser.get();
        work = user.newDir("jsing-sign-it-");
        home = Files.createDirectories(work.resolve("home"));
        fixtures = TestDist.shared().resolve("fixtures/sif");
        for (String f : List.of("one-group.sif", "two-groups.sif", "one-group-signed-pgp.sif")) {
            Files.copy(fixtures.resolve(f), work.resolve(f));
        }
        user.own(work);
        Commands.ok("chmod", "-R", "u+w,a+rX", work.toString());
        Result r = jsing(
                Map.of(),
                "key",
                "newpair",
                "--name",
                "IT User",
                "--email",
                "it@example.org",
                "--comment",
                "it",
                "--password",
                "sesame",
                "--bit-length",
                "2048");
        assertEquals(0, r.exitCode(), r.describe());
        Matcher m = Pattern.compile("Fingerprint: ([0-9A-F]{40})").matcher(r.stdout());
        assertTrue(m.find(), r.describe());
        fingerprint = m.group(1);
    }

    static Result jsing(Map<String, String> env, String... args) {
        Map<String, String> e = new HashMap<>(env);
        e.putIfAbsent("HOME", home.toString());
        return user.run(TestDist.jsing(args), e, work, Duration.ofMinutes(3));
    }

    /** The reference library's verifier, built by scripts/build-test-tools.sh, keyed by its source. */
    static Path referenceVerifier() throws Exception {
        Path src = TestDist.projectRoot().resolve("test-tools/sif-verify/main.go");
        String key = HexFormat.of()
                .formatHex(MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(src)))
                .substring(0, 16);
        String cache = System.getenv("JSING_TEST_CACHE");
        Path bin = Path.of(
                cache != null && !cache.isEmpty() ? cache : "/var/tmp/jsing-test-cache",
                "test-tools",
                "sif-verify-" + key);
        Prerequisites.require(
                Files.isExecutable(bin), bin + " (scripts/build-test-tools.sh, run by setup-host.sh --test)");
        return bin;
    }

    @Test
    void keyListShowsFingerprintsAsApptainer() {
        Result pub = jsing(Map.of(), "key", "list");
        assertEquals(0, pub.exitCode(), pub.describe());
        assertTrue(
                pub.stdout()
                        .startsWith("Public key listing (" + home.resolve(".jsing/keys/pgp-public")
                                + "):\n\n0)  User:              IT User (it) <it@example.org>\n"),
                pub.stdout());
        assertTrue(
                pub.stdout().contains("\n    Fingerprint:       " + fingerprint + "\n    Length (in bits):  2048\n"),
                pub.stdout());
        Result sec = jsing(Map.of(), "key", "list", "--secret");
        assertTrue(
                sec.stdout().startsWith("Private key listing (" + home.resolve(".jsing/keys/pgp-secret") + "):"),
                sec.stdout());
    }

    @Test
    void keyExportImportRemove() throws Exception {
        Path h2 = Files.createDirectories(work.resolve("home2"));
        user.own(h2);
        Result ex = jsing(
                Map.of(), "key", "export", "--armor", work.resolve("pub.asc").toString());
        assertEquals(0, ex.exitCode(), ex.describe());
        assertTrue(Files.readString(work.resolve("pub.asc")).startsWith("-----BEGIN PGP PUBLIC KEY BLOCK-----"));
        Result im = jsing(
                Map.of("HOME", h2.toString()),
                "key",
                "import",
                work.resolve("pub.asc").toString());
        assertEquals(0, im.exitCode(), im.describe());
        assertTrue(im.stdout().contains(fingerprint), im.describe());
        Result again = jsing(
                Map.of("HOME", h2.toString()),
                "key",
                "import",
                work.resolve("pub.asc").toString());
        assertTrue(again.stdout().contains("already belongs to the keyring"), again.describe());
        Result rm = jsing(Map.of("HOME", h2.toString()), "key", "remove", fingerprint);
        assertEquals(0, rm.exitCode(), rm.describe());
        assertFalse(jsing(Map.of("HOME", h2.toString()), "key", "list").stdout().contains(fingerprint));
        // An Apptainer keyring is read, never changed.
        Path app = Files.createDirectories(h2.resolve(".apptainer/keys"));
        Files.copy(home.resolve(".jsing/keys/pgp-public"), app.resolve("pgp-public"));
        user.own(h2);
        assertTrue(jsing(Map.of("HOME", h2.toString()), "key", "list").stdout().contains(fingerprint));
        Result rm2 = jsing(Map.of("HOME", h2.toString()), "key", "remove", fingerprint);
        assertEquals(ExitCodes.USAGE, rm2.exitCode(), rm2.describe());
        assertTrue(rm2.stderr().contains("Apptainer's keyring"), rm2.describe());
    }

    @Test
    void signVerifyAndTheReferenceLibraryAgrees() throws Exception {
        Path verifier = referenceVerifier();
        Path img = work.resolve("rt.sif");
        Files.copy(work.resolve("two-groups.sif"), img);
        user.own(img);
        Result wrong = jsing(Map.of("JSING_SIGN_PASSPHRASE", "nope"), "sign", img.toString());
        assertEquals(ExitCodes.USAGE, wrong.exitCode(), wrong.describe());
        assertTrue(wrong.stderr().contains("wrong passphrase"), wrong.describe());
        Result s = jsing(Map.of("APPTAINER_SIGN_PASSPHRASE", "sesame"), "sign", img.toString());
        assertEquals(0, s.exitCode(), s.describe());
        Result v = jsing(Map.of(), "verify", img.toString());
        assertEquals(0, v.exitCode(), v.describe());
        assertTrue(
                v.stdout().contains("[LOCAL]            Signing entity: IT User (it) <it@example.org>\n"), v.stdout());
        assertTrue(v.stdout().contains("[LOCAL]            Fingerprint: " + fingerprint + "\n"), v.stdout());
        assertTrue(v.stdout().contains("Objects verified:\nID  |GROUP   |LINK    |TYPE\n"), v.stdout());
        assertTrue(v.stdout().contains("\n3   |2       |NONE    |FS\n"), v.stdout());
        assertTrue(v.stderr().contains("verified signature(s) from image"), v.describe());

        jsing(Map.of(), "key", "export", work.resolve("rt.pub").toString());
        Result ref = Commands.run(verifier.toString(), work.resolve("rt.pub").toString(), img.toString());
        assertEquals(0, ref.exitCode(), ref.describe());
        assertEquals(
                "signature 4 by " + fingerprint + ": objects 1,2\nsignature 5 by " + fingerprint + ": objects 3\n",
                ref.stdout());

        // One group, by --group-id, and one object, by --sif-id.
        Path g = work.resolve("g2.sif");
        Files.copy(work.resolve("two-groups.sif"), g);
        user.own(g);
        assertEquals(
                0,
                jsing(Map.of("JSING_SIGN_PASSPHRASE", "sesame"), "sign", "--group-id", "2", g.toString())
                        .exitCode());
        assertEquals(
                0,
                Commands.run(
                                verifier.toString(),
                                "-group",
                                "2",
                                work.resolve("rt.pub").toString(),
                                g.toString())
                        .exitCode());
        assertEquals(
                ExitCodes.VERIFY_FAILED, jsing(Map.of(), "verify", g.toString()).exitCode());
        assertEquals(
                0, jsing(Map.of(), "verify", "--group-id", "2", g.toString()).exitCode());
        Path o = work.resolve("o1.sif");
        Files.copy(work.resolve("two-groups.sif"), o);
        user.own(o);
        assertEquals(
                0,
                jsing(Map.of("JSING_SIGN_PASSPHRASE", "sesame"), "sign", "--sif-id", "1", o.toString())
                        .exitCode());
        assertEquals(
                0,
                Commands.run(
                                verifier.toString(),
                                "-object",
                                "1",
                                work.resolve("rt.pub").toString(),
                                o.toString())
                        .exitCode());
        assertEquals(0, jsing(Map.of(), "verify", "--sif-id", "1", o.toString()).exitCode());
    }

    @Test
    void dsseSignAndVerify() throws Exception {
        Path img = work.resolve("dsse.sif");
        Files.copy(work.resolve("one-group.sif"), img);
        user.own(img);
        for (String k : List.of("ecdsa", "ed25519", "rsa")) {
            Result s = jsing(
                    Map.of(),
                    "sign",
                    "--key",
                    fixtures.resolve("keys/" + k + "-private.pem").toString(),
                    img.toString());
            assertEquals(0, s.exitCode(), s.describe());
        }
        for (String k : List.of("ecdsa", "ed25519", "rsa")) {
            Result v = jsing(
                    Map.of(),
                    "verify",
                    "--key",
                    fixtures.resolve("keys/" + k + "-public.pem").toString(),
                    "--sif-id",
                    "2",
                    img.toString());
            // Three envelopes, one per key: with one key, the other two are by unknown keys.
            assertEquals(ExitCodes.VERIFY_FAILED, v.exitCode(), v.describe());
            assertTrue(v.stdout().contains("[KEY]"), v.describe());
        }
        Result all = jsing(
                Map.of(),
                "verify",
                "--key",
                fixtures.resolve("keys/ecdsa-public.pem").toString(),
                "--key",
                fixtures.resolve("keys/ed25519-public.pem").toString(),
                "--key",
                fixtures.resolve("keys/rsa-public.pem").toString(),
                img.toString());
        assertEquals(0, all.exitCode(), all.describe());
    }

    @Test
    void referenceCorpusVerifies() throws Exception {
        Path h = Files.createDirectories(work.resolve("home-corpus"));
        user.own(h);
        Map<String, String> env = Map.of("HOME", h.toString());
        assertEquals(
                0,
                jsing(env, "key", "import", fixtures.resolve("keys/private.asc").toString())
                        .exitCode());
        String[][] ok = {
            {"one-group-signed-pgp.sif"},
            {"two-groups-signed-pgp.sif"},
            {
                "one-group-signed-dsse.sif",
                "--key",
                fixtures.resolve("keys/ed25519-public.pem").toString()
            },
            {
                "two-groups-signed-dsse.sif",
                "--key",
                fixtures.resolve("keys/rsa-public.pem").toString()
            },
            {"one-group-signed-legacy.sif", "--legacy-insecure"},
            {"one-group-signed-legacy-group.sif", "--legacy-insecure", "--group-id", "1"},
            {"one-group-signed-legacy-all.sif", "--legacy-insecure", "--all"},
            {"two-groups-signed-legacy.sif", "--legacy-insecure"},
            {"two-groups-signed-legacy-group.sif", "--legacy-insecure", "--group-id", "1"},
            {"two-groups-signed-legacy-all.sif", "--legacy-insecure", "--sif-id", "1"},
        };
        for (String[] c : ok) {
            List<String> args = new java.util.ArrayList<>(List.of("verify"));
            args.addAll(List.of(c).subList(1, c.length));
            args.add(fixtures.resolve(c[0]).toString());
            Result r = jsing(env, args.toArray(String[]::new));
            assertEquals(0, r.exitCode(), c[0] + ": " + r.describe());
            assertTrue(r.stdout().contains("Objects verified:"), r.describe());
        }
        Result j = jsing(
                env,
                "verify",
                "--json",
                fixtures.resolve("two-groups-signed-pgp.sif").toString());
        assertEquals(0, j.exitCode(), j.describe());
        assertTrue(
                j.stdout()
                        .startsWith(
                                "{\n  \"Signatures\": 2,\n  \"SignerKeys\": [\n    {\n      \"Signer\": {\n        \"Partition\": \"FS\",\n"),
                j.stdout());
        assertTrue(j.stdout().contains("\"Fingerprint\": \"12045c8c0b1004d058de4beda20c27ee7ff7ba84\""), j.stdout());
    }

    @Test
    void unsignedTamperedAndUnknownKeyFailDistinctly() throws Exception {
        Path h = Files.createDirectories(work.resolve("home-distinct"));
        user.own(h);
        Map<String, String> env = Map.of("HOME", h.toString());
        Result unknown =
                jsing(env, "verify", work.resolve("one-group-signed-pgp.sif").toString());
        assertEquals(ExitCodes.VERIFY_FAILED, unknown.exitCode(), unknown.describe());
        assertTrue(
                unknown.stderr()
                        .contains(
                                "signed by key 12045C8C0B1004D058DE4BEDA20C27EE7FF7BA84, which is not in the keyring"),
                unknown.describe());
        jsing(env, "key", "import", fixtures.resolve("keys/private.asc").toString());
        Result unsigned = jsing(env, "verify", work.resolve("one-group.sif").toString());
        assertEquals(ExitCodes.VERIFY_FAILED, unsigned.exitCode(), unsigned.describe());
        assertTrue(
                unsigned.stderr()
                        .endsWith("jsing: error: failed to verify container: no signature found for object group 1\n"),
                unsigned.describe());
        Path t = work.resolve("tampered.sif");
        Files.copy(fixtures.resolve("one-group-signed-pgp.sif"), t);
        try (RandomAccessFile f = new RandomAccessFile(t.toFile(), "rw")) {
            f.seek(36900);
            f.write(0x42);
        }
        user.own(t);
        Result tampered = jsing(env, "verify", t.toString());
        assertEquals(ExitCodes.VERIFY_FAILED, tampered.exitCode(), tampered.describe());
        assertTrue(tampered.stderr().contains("the data of object 2 changed after signing"), tampered.describe());
        assertTrue(tampered.stdout().contains("Error encountered during signature verification"), tampered.describe());
    }

    @Test
    void executionControl() throws Exception {
        Path images = Files.createDirectories(work.resolve("images"));
        Path other = Files.createDirectories(work.resolve("other"));
        Path site = Path.of("/etc/jsing");
        Path siteFile = sites.keep(site.resolve("jsing.yaml"));
        sites.keep(site.resolve("global-pgp-public"));
        Files.createDirectories(site);
        Path signed = images.resolve("signed.sif");
        Siftool.primarySif(signed, MinbaseImage.busybox());
        Files.copy(signed, images.resolve("unsigned.sif"));
        user.own(work);
        Commands.ok("chmod", "-R", "u+w,a+rX", work.toString());
        assertEquals(
                0,
                jsing(Map.of("JSING_SIGN_PASSPHRASE", "sesame"), "sign", signed.toString())
                        .exitCode());
        Files.copy(signed, other.resolve("signed.sif"));
        Commands.ok("chmod", "a+r", other.resolve("signed.sif").toString());
        assertEquals(
                0,
                jsing(
                                Map.of(),
                                "key",
                                "export",
                                work.resolve("global-pgp-public").toString())
                        .exitCode());
        Files.copy(
                work.resolve("global-pgp-public"),
                site.resolve("global-pgp-public"),
                java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        Commands.ok("chmod", "a+r", site.resolve("global-pgp-public").toString());
        Map<String, String> env = Map.of();

        sites.write(
                siteFile,
                "execution-control:\n  activated: true\n  groups:\n"
                        + "    - name: trusted\n      mode: whitelist\n      dir: " + images.toRealPath()
                        + "\n      fingerprints: [" + fingerprint + "]\n");
        Result ok = jsing(env, "exec", signed.toString(), "/bin/echo", "allowed");
        assertEquals(0, ok.exitCode(), ok.describe());
        assertEquals("allowed\n", ok.stdout());
        Result unsigned = jsing(env, "run", images.resolve("unsigned.sif").toString());
        assertEquals(ExitCodes.EXECUTION_DENIED, unsigned.exitCode(), unsigned.describe());
        assertTrue(unsigned.stderr().contains("no signature found for object group 1"), unsigned.describe());
        Result elsewhere = jsing(env, "shell", other.resolve("signed.sif").toString());
        assertEquals(ExitCodes.EXECUTION_DENIED, elsewhere.exitCode(), elsewhere.describe());
        assertTrue(elsewhere.stderr().contains("belongs to no execution group"), elsewhere.describe());
        Result sandbox = jsing(env, "exec", work.toString(), "/bin/true");
        assertEquals(ExitCodes.EXECUTION_DENIED, sandbox.exitCode(), sandbox.describe());

        sites.write(
                siteFile,
                "execution-control:\n  activated: true\n  groups:\n" + "    - mode: blacklist\n      fingerprints: ["
                        + fingerprint + "]\n");
        Result black = jsing(env, "test", signed.toString());
        assertEquals(ExitCodes.EXECUTION_DENIED, black.exitCode(), black.describe());
        assertTrue(black.stderr().contains("forbids (blacklist)"), black.describe());

        // A user layer cannot switch the list off.
        Path userCfg = work.resolve("user.yaml");
        Files.writeString(userCfg, "execution-control:\n  activated: false\n");
        Commands.ok("chmod", "a+r", userCfg.toString());
        Result off = jsing(Map.of("JSING_CONFIG", userCfg.toString()), "exec", signed.toString(), "/bin/true");
        assertEquals(ExitCodes.BAD_CONFIG, off.exitCode(), off.describe());
    }

    @Test
    void noSignatureCodeOnTheLaunchPathWithoutTheList() throws Exception {
        Path img = work.resolve("plain.sif");
        Siftool.primarySif(img, MinbaseImage.busybox());
        Path log = work.resolve("classes.log");
        Files.createFile(log);
        user.own(work);
        Commands.ok("chmod", "a+rw", log.toString(), img.toString());
        sites.keep(Path.of("/etc/jsing/jsing.yaml")); // no site file: no list
        Result r = jsing(
                Map.of("JSING_JAVA_OPTS", "-Xlog:class+load=info:file=" + log), "exec", img.toString(), "/bin/true");
        assertEquals(0, r.exitCode(), r.describe());
        String loaded = Files.readString(log);
        assertTrue(loaded.contains("dev.jsing.runner.launch.Launcher"), "class log is empty?");
        assertFalse(loaded.contains("org.bouncycastle"), "Bouncy Castle loaded on the exec path");
        assertFalse(loaded.contains("dev.jsing.sif.integrity"), "the signature library loaded on the exec path");
        assertFalse(loaded.contains("dev.jsing.runner.trust"), "the trust package loaded on the exec path");
    }

    @Test
    void certificatesAndProtectedPemKeys() throws Exception {
        Path pki = Files.createDirectories(work.resolve("pki"));
        // A CA, a code-signing leaf and a leaf without that usage (ECDSA P-256); the leaf's key as PKCS#8 protected by
        // a
        // passphrase (OpenSSL 3's default: PBES2, PBKDF2-HMAC-SHA256, AES-256-CBC).
        Result gen = Commands.run(
                List.of(
                        "/bin/sh",
                        "-ec",
                        String.join(
                                "\n",
                                "cd " + pki,
                                "openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -keyout ca.key -out ca.crt -days 2"
                                        + " -subj /CN=jsing-test-ca -addext basicConstraints=critical,CA:true -addext keyUsage=critical,keyCertSign 2>/dev/null",
                                "for n in leaf plain; do",
                                "  openssl req -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -keyout $n.key -out $n.csr -subj /CN=$n 2>/dev/null",
                                "done",
                                "printf 'extendedKeyUsage=codeSigning\\n' > leaf.ext",
                                "printf 'extendedKeyUsage=serverAuth\\n' > plain.ext",
                                "for n in leaf plain; do",
                                "  openssl x509 -req -in $n.csr -CA ca.crt -CAkey ca.key -CAcreateserial -out $n.crt -days 2 -extfile $n.ext 2>/dev/null",
                                "done",
                                "openssl pkcs8 -topk8 -in leaf.key -out leaf-protected.pem -passout pass:open-sesame",
                                "chmod a+r *")),
                null,
                null,
                Duration.ofMinutes(1));
        assertEquals(0, gen.exitCode(), gen.describe());
        assertTrue(Files.readString(pki.resolve("leaf-protected.pem"))
                .startsWith("-----BEGIN ENCRYPTED PRIVATE KEY-----"));
        Path img = work.resolve("cert.sif");
        Files.copy(work.resolve("one-group.sif"), img);
        user.own(img);
        String key = pki.resolve("leaf-protected.pem").toString();
        Result wrong = jsing(Map.of("JSING_SIGN_PASSPHRASE", "nope"), "sign", "--key", key, img.toString());
        assertEquals(ExitCodes.USAGE, wrong.exitCode(), wrong.describe());
        Result s = jsing(Map.of("JSING_SIGN_PASSPHRASE", "open-sesame"), "sign", "--key", key, img.toString());
        assertEquals(0, s.exitCode(), s.describe());
        Result v = jsing(
                Map.of(),
                "verify",
                "--certificate",
                pki.resolve("leaf.crt").toString(),
                "--certificate-roots",
                pki.resolve("ca.crt").toString(),
                img.toString());
        assertEquals(0, v.exitCode(), v.describe());
        Result untrusted = jsing(
                Map.of(), "verify", "--certificate", pki.resolve("leaf.crt").toString(), img.toString());
        assertEquals(ExitCodes.VERIFY_FAILED, untrusted.exitCode(), untrusted.describe());
        assertTrue(untrusted.stderr().contains("certificate not trusted"), untrusted.describe());
        Result usage = jsing(
                Map.of(),
                "verify",
                "--certificate",
                pki.resolve("plain.crt").toString(),
                "--certificate-roots",
                pki.resolve("ca.crt").toString(),
                img.toString());
        assertEquals(ExitCodes.VERIFY_FAILED, usage.exitCode(), usage.describe());
        assertTrue(usage.stderr().contains("does not allow code signing"), usage.describe());
    }
}
