package dev.jsing.runner.registry;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jsing.runner.error.ExitCodes;
import dev.jsing.runner.testing.Commands;
import dev.jsing.runner.testing.HostArch;
import dev.jsing.runner.testing.Result;
import dev.jsing.runner.testing.TestDist;
import dev.jsing.runner.testing.TestUser;
import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * {@code jsing pull/push/build/exec/cache} against real registries (CNCF distribution from Debian) holding images made
 * by umoci and copied in by skopeo, run by the installed tool as the unprivileged test user. A proxy in front of the
 * open registry counts blob downloads and injects faults (slow bodies, a corrupted blob).
 */
class RegistryIT {
    private static RegistryProxy proxy;
    private final TestUser user = TestUser.get();
    private Path dir;
    private Path cache;

    @BeforeAll
    static void registries() throws IOException {
        TestRegistry.setUp();
        proxy = new RegistryProxy(5000);
    }

    @AfterAll
    static void stopProxy() {
        if (proxy != null) {
            proxy.close();
        }
    }

    @BeforeEach
    void fresh() {
        proxy.reset();
        dir = user.newDir("jsing-registry-it-");
        cache = dir.resolve("cache");
    }

    private Map<String, String> env(String... kv) {
        Map<String, String> e = new LinkedHashMap<>();
        e.put("JSING_CACHEDIR", cache.toString());
        for (int i = 0; i + 1 < kv.length; i += 2) {
            e.put(kv[i], kv[i + 1]);
        }
        return e;
    }

    private Result jsing(Map<String, String> env, String... args) {
        return user.run(TestDist.jsing(args), env, dir, Duration.ofMinutes(3));
    }

    private Result ok(String... args) {
        Result r = jsing(env(), args);
        assertEquals(0, r.exitCode(), r.describe());
        return r;
    }

    private static String via(String repoTag) {
        return "docker://" + proxy.host() + "/" + repoTag;
    }

    private List<Path> files(String sub) throws IOException {
        Path d = cache.resolve(sub);
        if (!Files.isDirectory(d)) {
            return List.of();
        }
        try (Stream<Path> s = Files.list(d)) {
            return s.toList();
        }
    }

    private static String sha(Path p) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(p)));
    }

    @Test
    void pullConvertsRunsAndIsServedFromCache() throws IOException {
        ok("pull", "--no-https", "wh.sif", via("jsingtest/busybox:wh"));
        List<String> layers = TestRegistry.layers("jsingtest/busybox:wh");
        for (String l : layers) {
            assertEquals(1, proxy.gets(l), "layer " + l + " fetched once");
        }
        assertEquals("keep", ok("exec", "wh.sif", "cat", "/etc/keep").stdout().trim());
        assertFalse(ok("exec", "wh.sif", "ls", "/etc").stdout().contains("gone"), "whiteout not applied");
        assertEquals(
                "hello",
                ok("exec", "wh.sif", "sh", "-c", "echo $GREETING").stdout().trim());
        // the destination exists: refused without --force, nothing changed
        Result again = jsing(env(), "pull", "--no-https", "wh.sif", via("jsingtest/busybox:wh"));
        assertEquals(ExitCodes.CANT_CREATE, again.exitCode(), again.describe());
        // second pull: from the cache, no blob downloaded
        proxy.reset();
        ok("pull", "-F", "--no-https", "wh.sif", via("jsingtest/busybox:wh"));
        assertTrue(proxy.blobGets.isEmpty(), "second pull downloaded " + proxy.blobGets);
        // --dir/--name choose where the file goes; --disable-cache neither reads nor fills the cache
        Files.createDirectories(dir.resolve("out"));
        user.own(dir.resolve("out"));
        ok(
                "pull",
                "--no-https",
                "--dir",
                dir.resolve("out").toString(),
                "--name",
                "named.sif",
                via("jsingtest/busybox:wh"));
        assertTrue(Files.isRegularFile(dir.resolve("out/named.sif")));
        proxy.reset();
        List<Path> cached = files("blobs/sha256");
        ok("pull", "--no-https", "--disable-cache", "--name", "nocache.sif", via("jsingtest/busybox:wh"));
        assertFalse(proxy.blobGets.isEmpty(), "--disable-cache used the cache");
        assertEquals(cached, files("blobs/sha256"), "--disable-cache filled the cache");
        assertEquals(
                "keep", ok("exec", "nocache.sif", "cat", "/etc/keep").stdout().trim());
        // a Docker v2 schema 2 manifest (skopeo --format v2s2) converts too
        ok("pull", "--no-https", "v2.sif", via("jsingtest/busybox:v2s2"));
        assertEquals("keep", ok("exec", "v2.sif", "cat", "/etc/keep").stdout().trim());
        // cache list / clean
        String list = ok("cache", "list", "-v").stdout();
        assertTrue(list.contains("sif ") && list.contains("jsingtest/busybox:wh") && list.contains("blob "), list);
        String summary = ok("cache", "list").stdout();
        assertTrue(
                summary.matches("(?s)There are [1-9]\\d* container file\\(s\\) using .* and [1-9]\\d* oci blob file"
                        + "\\(s\\) using .* of space\n(There are \\d+ image metadata file\\(s\\) using .*\n)?"
                        + "Total space used: .*"),
                summary);
        assertTrue(ok("cache", "list", "-T", "blob").stdout().startsWith("There are 0 container file(s)"));
        String dry = ok("cache", "clean", "--dry-run").stdout();
        assertTrue(dry.contains("would remove sif"), dry);
        assertFalse(files("sif").isEmpty(), "dry run removed something");
        String days = ok("cache", "clean", "-f", "--days", "1").stdout();
        assertTrue(days.contains("Removed 0 entries"), days);
        Result asked = jsing(env(), "cache", "clean");
        assertEquals(ExitCodes.USAGE, asked.exitCode(), "no answer on stdin: " + asked.describe());
        assertFalse(files("sif").isEmpty(), "cleaned without an answer");
        ok("cache", "clean", "-f", "-T", "oci");
        assertTrue(files("sif").stream().noneMatch(p -> p.toString().endsWith(".sif")), "sif left after clean -T oci");
        assertFalse(files("blobs/sha256").isEmpty(), "-T oci removed blobs");
        ok("cache", "clean", "--force");
        assertTrue(files("sif").stream().noneMatch(p -> p.toString().endsWith(".sif")), "sif left after clean");
        assertTrue(files("blobs/sha256").isEmpty(), "blobs left after clean");
        assertTrue(ok("cache", "list").stdout().startsWith("There are 0 container file(s) using 0 B and 0 oci blob"));
    }

    @Test
    void execPullsOnceAndBuildUsesBootstrapDocker() {
        Map<String, String> e = env("JSING_NOHTTPS", "1");
        Result first = jsing(env(), "exec", "--no-https", via("jsingtest/busybox:wh"), "cat", "/etc/keep");
        assertEquals(0, first.exitCode(), first.describe());
        assertEquals("keep", first.stdout().trim());
        proxy.reset();
        Result second = jsing(e, "exec", via("jsingtest/busybox:wh"), "cat", "/etc/keep");
        assertEquals("keep", second.stdout().trim(), second.describe());
        assertTrue(proxy.blobGets.isEmpty(), "exec of a cached image downloaded " + proxy.blobGets);
        // Bootstrap: docker with Registry: and %post
        String def = "Bootstrap: docker\nRegistry: " + proxy.host() + "\nFrom: jsingtest/busybox:wh\n\n"
                + "%post\n    echo built > /etc/built\n";
        try {
            Files.writeString(dir.resolve("app.def"), def);
        } catch (IOException x) {
            throw new java.io.UncheckedIOException(x);
        }
        Result b = jsing(env(), "build", "--no-https", "app.sif", "app.def");
        assertEquals(0, b.exitCode(), b.describe());
        assertEquals(
                "built", ok("exec", "app.sif", "cat", "/etc/built").stdout().trim());
        assertEquals("keep", ok("exec", "app.sif", "cat", "/etc/keep").stdout().trim());
        // jsing build out.sif docker://…
        ok("build", "--no-https", "direct.sif", via("jsingtest/busybox:wh"));
        assertEquals(
                "hello",
                ok("exec", "direct.sif", "sh", "-c", "echo $GREETING").stdout().trim());
    }

    @Test
    void execWithDisableCacheLeavesNoCacheAndNoDownload() throws Exception {
        Path tmp = dir.resolve("tmp");
        Files.createDirectories(tmp);
        user.own(tmp);
        Map<String, String> e = env("JSING_TMPDIR", tmp.toString());
        for (String[] how : new String[][] {{"--disable-cache"}, {}}) {
            List<String> args = new java.util.ArrayList<>(List.of("exec", "--no-https"));
            args.addAll(List.of(how));
            args.addAll(List.of(via("jsingtest/busybox:wh"), "cat", "/etc/keep"));
            Map<String, String> env = new LinkedHashMap<>(e);
            if (how.length == 0) {
                env.put("APPTAINER_DISABLE_CACHE", "1"); // the option's key
            }
            proxy.reset();
            Result r = jsing(env, args.toArray(new String[0]));
            assertEquals(0, r.exitCode(), r.describe());
            assertEquals("keep", r.stdout().trim());
            assertFalse(proxy.blobGets.isEmpty(), "nothing downloaded: the cache was used");
            assertFalse(Files.exists(cache), "--disable-cache created the cache " + cache);
            // The download directory goes once the container is gone (the starter's watcher).
            for (int i = 0; i < 100 && !files(tmp).isEmpty(); i++) {
                Thread.sleep(100);
            }
            assertEquals(List.of(), files(tmp), "left in the temporary directory");
        }
    }

    private static List<Path> files(Path d) throws IOException {
        try (Stream<Path> s = Files.list(d)) {
            return s.toList();
        }
    }

    @Test
    void multiArchIndexSelectsThePlatform() {
        ok("pull", "--no-https", "host.sif", via("jsingtest/multi:1"));
        assertEquals(
                HostArch.oci(),
                ok("exec", "host.sif", "cat", "/etc/arch").stdout().trim());
        ok("pull", "--no-https", "--arch", "arm64", "arm.sif", via("jsingtest/multi:1"));
        assertEquals("arm64", ok("exec", "arm.sif", "cat", "/etc/arch").stdout().trim());
        Result none = jsing(env(), "pull", "--no-https", "--arch", "s390x", "s.sif", via("jsingtest/multi:1"));
        assertEquals(ExitCodes.REGISTRY, none.exitCode(), none.describe());
        assertTrue(none.stderr().contains("no image for linux/s390x"), none.describe());
        assertFalse(Files.exists(dir.resolve("s.sif")));
    }

    @Test
    void killedPullResumesWithRange() throws Exception {
        List<String> bigLayers = TestRegistry.layers("jsingtest/big:1");
        String big = bigLayers.get(bigLayers.size() - 1);
        proxy.bytesPerSecond = 1L << 20;
        List<String> argv = new ArrayList<>();
        if ("root".equals(System.getProperty("user.name"))) {
            argv.addAll(List.of("setpriv", "--reuid=" + user.uid(), "--regid=" + user.gid(), "--init-groups", "--"));
        }
        argv.addAll(TestDist.jsing("pull", "--no-https", "big.sif", via("jsingtest/big:1")));
        ProcessBuilder pb = new ProcessBuilder(argv).directory(dir.toFile());
        pb.environment().clear();
        pb.environment().putAll(user.environment(env()));
        pb.redirectOutput(new File("/dev/null")).redirectError(new File("/dev/null"));
        Process p = pb.start();
        Path partial = cache.resolve("tmp").resolve(big.substring(7) + ".partial");
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (!(Files.exists(partial) && Files.size(partial) > (2L << 20)) && System.nanoTime() < deadline) {
            Thread.sleep(100);
        }
        assertTrue(Files.exists(partial), "no partial download appeared");
        p.descendants().forEach(ProcessHandle::destroyForcibly);
        p.destroyForcibly();
        p.waitFor();
        long had = Files.size(partial);
        assertTrue(had > 0 && had < (8L << 20), "partial has " + had);
        assertFalse(Files.exists(dir.resolve("big.sif")), "killed pull left a destination file");
        assertFalse(Files.exists(cache.resolve("blobs/sha256").resolve(big.substring(7))), "half blob in the cache");
        proxy.bytesPerSecond = 0;
        proxy.blobBytes.set(0);
        ok("pull", "--no-https", "big.sif", via("jsingtest/big:1"));
        assertTrue(
                proxy.ranges.stream().anyMatch(r -> r.startsWith(big + " bytes=")),
                "no Range request: " + proxy.ranges);
        assertTrue(
                proxy.blobBytes.get() < (8L << 20) + (1L << 20) - had + (64L << 10),
                "resumed pull downloaded " + proxy.blobBytes.get() + " bytes after " + had + " were kept");
        assertFalse(Files.exists(partial), "partial left behind");
        assertEquals(
                "8388608",
                ok("exec", "big.sif", "sh", "-c", "wc -c < /big.bin").stdout().trim());
    }

    @Test
    void transientErrorsAreRetriedAndCutDownloadsResumed() throws Exception {
        List<String> bigLayers = TestRegistry.layers("jsingtest/big:1");
        String big = bigLayers.get(bigLayers.size() - 1);
        proxy.unavailable.set(2);
        proxy.cutAfter.set(3L << 20);
        Result r = jsing(env(), "pull", "--no-https", "big.sif", via("jsingtest/big:1"));
        assertEquals(0, r.exitCode(), r.describe());
        assertTrue(r.stderr().contains("HTTP 503; retrying in"), r.describe());
        assertTrue(
                proxy.ranges.stream().anyMatch(x -> x.startsWith(big + " bytes=")),
                "no Range request: " + proxy.ranges);
        assertEquals(
                "8388608",
                ok("exec", "big.sif", "sh", "-c", "wc -c < /big.bin").stdout().trim());
    }

    @Test
    void fourConcurrentPullsDownloadOnce() throws Exception {
        proxy.bytesPerSecond = 4L << 20;
        List<String> base = new ArrayList<>();
        if ("root".equals(System.getProperty("user.name"))) {
            base.addAll(List.of("setpriv", "--reuid=" + user.uid(), "--regid=" + user.gid(), "--init-groups", "--"));
        }
        List<Process> ps = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            List<String> argv = new ArrayList<>(base);
            argv.addAll(TestDist.jsing("-q", "pull", "--no-https", "c" + i + ".sif", via("jsingtest/big:1")));
            ProcessBuilder pb = new ProcessBuilder(argv).directory(dir.toFile());
            pb.environment().clear();
            pb.environment().putAll(user.environment(env()));
            pb.redirectErrorStream(true)
                    .redirectOutput(dir.resolve("c" + i + ".log").toFile());
            ps.add(pb.start());
        }
        for (int i = 0; i < 4; i++) {
            Process p = ps.get(i);
            assertTrue(p.waitFor(3, java.util.concurrent.TimeUnit.MINUTES), "pull " + i + " hung");
            assertEquals(0, p.exitValue(), Files.readString(dir.resolve("c" + i + ".log")));
        }
        for (String l : TestRegistry.layers("jsingtest/big:1")) {
            assertEquals(1, proxy.gets(l), "layer " + l + " downloaded " + proxy.gets(l) + " times");
        }
        String s0 = sha(dir.resolve("c0.sif"));
        for (int i = 1; i < 4; i++) {
            assertEquals(s0, sha(dir.resolve("c" + i + ".sif")));
        }
        assertEquals(
                1,
                files("sif").stream().filter(p -> p.toString().endsWith(".sif")).count());
    }

    @Test
    void corruptedBlobIsRejectedAndNothingIsCached() throws IOException {
        String layer = TestRegistry.layers("jsingtest/busybox:wh").get(0);
        proxy.corrupt = layer;
        Result r = jsing(env(), "pull", "--no-https", "bad.sif", via("jsingtest/busybox:wh"));
        assertEquals(ExitCodes.REGISTRY, r.exitCode(), r.describe());
        assertTrue(r.stderr().contains("digest mismatch"), r.describe());
        assertEquals(1, r.stderr().strip().lines().count(), "not one line: " + r.stderr());
        assertFalse(Files.exists(dir.resolve("bad.sif")));
        assertFalse(Files.exists(cache.resolve("blobs/sha256").resolve(layer.substring(7))), "corrupt blob cached");
        assertTrue(files("tmp").isEmpty(), "leftovers in tmp: " + files("tmp"));
        assertTrue(files("sif").isEmpty(), "a SIF was cached");
    }

    @Test
    void basicAndTokenAuthWithAuthfile() throws Exception {
        String ref = "docker://" + TestRegistry.BASIC + "/jsingtest/busybox:wh";
        Result anon = jsing(env(), "pull", "--no-https", "a.sif", ref);
        assertEquals(ExitCodes.REGISTRY, anon.exitCode(), anon.describe());
        assertEquals(
                "jsing: error: " + TestRegistry.BASIC
                        + "/jsingtest/busybox:wh: authentication required (no credentials for " + TestRegistry.BASIC
                        + "; use --authfile or docker login)\n",
                anon.stderr());
        Path wrong = TestRegistry.authFile(dir, TestRegistry.BASIC, "jsingtest", "wrong");
        Result bad = jsing(env(), "pull", "--no-https", "--authfile", wrong.toString(), "a.sif", ref);
        assertEquals(ExitCodes.REGISTRY, bad.exitCode(), bad.describe());
        assertEquals(
                "jsing: error: " + TestRegistry.BASIC + "/jsingtest/busybox:wh: access denied for user 'jsingtest'\n",
                bad.stderr());
        Path good = TestRegistry.authFile(dir, TestRegistry.BASIC, TokenServer.USER, TokenServer.PASSWORD);
        ok("pull", "--no-https", "--authfile", good.toString(), "a.sif", ref);
        assertEquals("keep", ok("exec", "a.sif", "cat", "/etc/keep").stdout().trim());
        try (TokenServer ts = new TokenServer(TestRegistry.STATE)) {
            String tref = "docker://" + TestRegistry.TOKEN + "/jsingtest/busybox:wh";
            Result noCreds = jsing(env(), "pull", "--no-https", "t.sif", tref);
            assertEquals(ExitCodes.REGISTRY, noCreds.exitCode(), noCreds.describe());
            assertEquals(
                    "jsing: error: " + TestRegistry.TOKEN
                            + "/jsingtest/busybox:wh: the token server at 127.0.0.1 refused"
                            + " anonymous access (use --authfile or docker login)\n",
                    noCreds.stderr());
            Path tok = TestRegistry.authFile(dir, TestRegistry.TOKEN, TokenServer.USER, TokenServer.PASSWORD);
            ok("pull", "--no-https", "--authfile", tok.toString(), "t.sif", tref);
            assertTrue(ts.issued.get() > 0, "no token was issued");
            assertEquals(
                    "keep", ok("exec", "t.sif", "cat", "/etc/keep").stdout().trim());
        }
    }

    @Test
    void pushSifAsOrasArtifactAndPullItBack() throws Exception {
        ok("pull", "--no-https", "src.sif", via("jsingtest/busybox:wh"));
        ok("push", "--no-https", "src.sif", "oras://" + TestRegistry.OPEN + "/jsingtest/sif:1");
        String raw = Commands.ok(
                "skopeo",
                "inspect",
                "--raw",
                "--tls-verify=false",
                "docker://" + TestRegistry.OPEN + "/jsingtest/sif:1");
        assertTrue(
                raw.contains("application/vnd.sylabs.sif.config.v1+json")
                        && raw.contains("application/vnd.sylabs.sif.layer.v1.sif")
                        && raw.contains("\"src.sif\""),
                raw);
        ok("pull", "--no-https", "back.sif", "oras://" + proxy.host() + "/jsingtest/sif:1");
        assertEquals(sha(dir.resolve("src.sif")), sha(dir.resolve("back.sif")));
        Result e = jsing(
                env("JSING_NOHTTPS", "1"), "exec", "oras://" + proxy.host() + "/jsingtest/sif:1", "cat", "/etc/keep");
        assertEquals("keep", e.stdout().trim(), e.describe());
    }

    @Test
    void pullVerifyChecksOrasSifSignatures() throws Exception {
        Path fixtures = TestDist.shared().resolve("fixtures/sif");
        Files.copy(fixtures.resolve("one-group-signed-pgp.sif"), dir.resolve("signed.sif"));
        Files.copy(fixtures.resolve("one-group.sif"), dir.resolve("unsigned.sif"));
        Path home = Files.createDirectories(dir.resolve("home"));
        Path stranger = Files.createDirectories(dir.resolve("stranger"));
        user.own(dir);
        Commands.ok("chmod", "-R", "u+w,a+rX", dir.toString());
        ok("push", "--no-https", "signed.sif", "oras://" + TestRegistry.OPEN + "/jsingtest/signed:1");
        ok("push", "--no-https", "unsigned.sif", "oras://" + TestRegistry.OPEN + "/jsingtest/unsigned:1");
        Map<String, String> withKey = env("HOME", home.toString());
        assertEquals(
                0,
                jsing(
                                withKey,
                                "key",
                                "import",
                                fixtures.resolve("keys/private.asc").toString())
                        .exitCode());

        Result good = jsing(
                withKey,
                "pull",
                "--no-https",
                "--verify",
                "a.sif",
                "oras://" + TestRegistry.OPEN + "/jsingtest/signed:1");
        assertEquals(0, good.exitCode(), good.describe());
        assertTrue(good.stdout().contains("Fingerprint: 12045C8C0B1004D058DE4BEDA20C27EE7FF7BA84"), good.describe());
        Result unsigned = jsing(
                withKey,
                "pull",
                "--no-https",
                "--verify",
                "b.sif",
                "oras://" + TestRegistry.OPEN + "/jsingtest/unsigned:1");
        assertEquals(ExitCodes.VERIFY_FAILED, unsigned.exitCode(), unsigned.describe());
        assertFalse(Files.exists(dir.resolve("b.sif")), "a failed pull --verify leaves no file");
        Result allowed = jsing(
                withKey,
                "pull",
                "--no-https",
                "--verify",
                "-U",
                "c.sif",
                "oras://" + TestRegistry.OPEN + "/jsingtest/unsigned:1");
        assertEquals(0, allowed.exitCode(), allowed.describe());
        assertTrue(allowed.stderr().contains("is not signed (accepted: --allow-unsigned)"), allowed.describe());
        // -U accepts no signature, not a signature by an unknown key.
        Result unknown = jsing(
                env("HOME", stranger.toString()),
                "pull",
                "--no-https",
                "--verify",
                "-U",
                "d.sif",
                "oras://" + TestRegistry.OPEN + "/jsingtest/signed:1");
        assertEquals(ExitCodes.VERIFY_FAILED, unknown.exitCode(), unknown.describe());
        assertTrue(unknown.stderr().contains("not in the keyring"), unknown.describe());
        assertFalse(Files.exists(dir.resolve("d.sif")));
    }

    @Test
    void registryErrorsAreOneLineWithExitCode75() {
        Result missing = jsing(env(), "pull", "--no-https", "m.sif", via("jsingtest/busybox:nosuchtag"));
        assertEquals(ExitCodes.REGISTRY, missing.exitCode(), missing.describe());
        assertTrue(missing.stderr().contains("manifest unknown"), missing.describe());
        assertEquals(1, missing.stderr().strip().lines().count(), missing.describe());
        Result refused = jsing(env(), "-q", "pull", "--no-https", "m.sif", "docker://127.0.0.1:9/x/y:1");
        assertEquals(ExitCodes.REGISTRY, refused.exitCode(), refused.describe());
        assertEquals(1, refused.stderr().strip().lines().count(), refused.describe());
        Result usage = jsing(env(), "pull", "m.sif", "docker://127.0.0.1:5000/Bad Name");
        assertEquals(ExitCodes.USAGE, usage.exitCode(), usage.describe());
        assertFalse(Files.exists(dir.resolve("m.sif")));
    }
}
