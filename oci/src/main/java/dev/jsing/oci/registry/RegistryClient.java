package dev.jsing.oci.registry;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.ConnectException;
import java.net.HttpURLConnection;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * A client for one registry speaking the OCI distribution protocol over {@link HttpURLConnection} (lighter to start
 * than {@code java.net.http}, which a cached pull would spend a third of its time loading): manifests and indexes
 * (OCI and Docker v2), blobs, and monolithic uploads. It answers {@code WWW-Authenticate} challenges (Bearer tokens from
 * the realm, with the user's credentials when there are any; Basic), follows redirects itself (credentials are sent
 * only to the registry's own host), retries transient failures (connection errors, timeouts, 429, 5xx) with
 * exponential backoff, resumes blob downloads with {@code Range} requests, and verifies the digest and size of
 * everything it downloads. Not thread-safe; one instance per pull.
 */
public final class RegistryClient {
    /** Media types accepted for manifests, in order of preference. */
    public static final String MANIFEST_ACCEPT = String.join(
            ", ", MediaTypes.OCI_INDEX, MediaTypes.OCI_MANIFEST, MediaTypes.DOCKER_LIST, MediaTypes.DOCKER_MANIFEST);

    private static final long MAX_MANIFEST = 4L << 20;
    private static final int ATTEMPTS = 4;

    private final String host;
    private final String scheme;
    private final Credentials.Login login;
    private final TransferListener listener;
    private final String actions;
    private final long backoffMillis;
    /** The current Authorization header value for the registry's host, or null. */
    private String authorization;

    /**
     * @param apiHost host[:port] to talk to
     * @param plainHttp use http:// (local and test registries), never https
     * @param credentials where to find a login for {@code apiHost}
     * @param push ask for push rights as well as pull in token scopes
     * @param listener told about blob transfers
     */
    public RegistryClient(
            String apiHost, boolean plainHttp, Credentials credentials, boolean push, TransferListener listener) {
        this.host = apiHost;
        this.scheme = plainHttp ? "http" : "https";
        this.login = credentials.forRegistry(apiHost);
        this.listener = listener;
        this.actions = push ? "pull,push" : "pull";
        this.backoffMillis = Long.getLong("jsing.registry.backoffMillis", 500L);
    }

    /** A manifest or index as fetched: its media type, bytes and digest (verified). */
    public record Fetched(String mediaType, byte[] bytes, String digest) {}

    /** Fetches the manifest or index {@code reference} (a tag or digest) of {@code repo}. */
    public Fetched manifest(String repo, String reference) throws RegistryException {
        String what = host + "/" + repo + (reference.startsWith("sha256:") ? "@" : ":") + reference;
        Resp r = send(what, "GET", url(repo, "manifests/" + reference), Map.of("Accept", MANIFEST_ACCEPT), null, repo);
        try (InputStream in = r.body()) {
            if (r.status() == 404) {
                throw new RegistryException(
                        RegistryException.Kind.NOT_FOUND, what + ": manifest unknown (no such image or tag)");
            }
            expect(r, what, 200);
            byte[] b = in.readNBytes((int) MAX_MANIFEST + 1);
            if (b.length > MAX_MANIFEST) {
                throw new RegistryException(RegistryException.Kind.PROTOCOL, what + ": manifest larger than 4 MiB");
            }
            String digest = "sha256:" + sha256(b);
            if (reference.startsWith("sha256:") && !reference.equals(digest)) {
                throw new RegistryException(
                        RegistryException.Kind.DIGEST, what + ": manifest digest mismatch (got " + digest + ")");
            }
            Optional<String> hd = r.header("Docker-Content-Digest");
            if (hd.isPresent() && hd.get().startsWith("sha256:") && !hd.get().equals(digest)) {
                throw new RegistryException(
                        RegistryException.Kind.DIGEST,
                        what + ": manifest digest mismatch (" + hd.get() + " announced, " + digest + " received)");
            }
            String mt = r.header("Content-Type").orElse("").split(";")[0].trim();
            return new Fetched(mt, b, digest);
        } catch (IOException e) {
            throw asRegistry(what, e);
        }
    }

    /**
     * Downloads blob {@code d} of {@code repo} into {@code partial}, resuming from what {@code partial} already holds,
     * and checks its size and digest. On a mismatch {@code partial} is deleted and the download fails.
     */
    public void downloadBlob(String repo, Descriptor d, Path partial, String what) throws RegistryException {
        boolean fromScratchTried = false;
        for (int attempt = 1; ; attempt++) {
            long have;
            try {
                have = Files.exists(partial) ? Files.size(partial) : 0;
                if (have > d.size()) {
                    Files.delete(partial);
                    have = 0;
                }
                if (have == 0) {
                    fromScratchTried = true;
                }
                fetchRange(repo, d, partial, have, what);
            } catch (RegistryException e) {
                if (e.kind() == RegistryException.Kind.NETWORK && attempt < ATTEMPTS) {
                    sleep(what, e.getMessage(), attempt);
                    continue;
                }
                throw e;
            } catch (IOException e) {
                if (attempt < ATTEMPTS) {
                    sleep(what, String.valueOf(e.getMessage()), attempt);
                    continue;
                }
                throw asRegistry(what, e);
            }
            String got;
            try {
                got = "sha256:" + sha256(partial);
                if (Files.size(partial) == d.size() && got.equals(d.digest())) {
                    return;
                }
                Files.deleteIfExists(partial);
            } catch (IOException e) {
                throw asRegistry(what, e);
            }
            if (!fromScratchTried) {
                // the resumed prefix may have been bad: once more from the start
                fromScratchTried = true;
                attempt = 0;
                continue;
            }
            throw new RegistryException(
                    RegistryException.Kind.DIGEST,
                    what + ": digest mismatch: expected " + d.digest() + ", got " + got + "; discarded");
        }
    }

    private void fetchRange(String repo, Descriptor d, Path partial, long have, String what) throws IOException {
        if (have == d.size()) {
            return;
        }
        Map<String, String> h = have > 0 ? Map.of("Range", "bytes=" + have + "-") : Map.of();
        Resp r = send(what, "GET", url(repo, "blobs/" + d.digest()), h, null, repo);
        try (InputStream in = r.body()) {
            if (r.status() == 404) {
                throw new RegistryException(RegistryException.Kind.NOT_FOUND, what + ": blob unknown to the registry");
            }
            boolean append;
            if (r.status() == 206 && have > 0) {
                String cr = r.header("Content-Range").orElse("");
                if (!cr.startsWith("bytes " + have + "-")) {
                    throw new RegistryException(
                            RegistryException.Kind.NETWORK, what + ": unexpected Content-Range '" + cr + "'");
                }
                append = true;
            } else if (r.status() == 416 && have > 0) {
                Files.deleteIfExists(partial);
                throw new RegistryException(
                        RegistryException.Kind.NETWORK, what + ": range not satisfiable; restarting");
            } else {
                expect(r, what, 200);
                append = false;
                have = 0;
            }
            listener.start(what, d.size(), have);
            boolean ok = false;
            try (FileChannel ch = FileChannel.open(
                    partial,
                    StandardOpenOption.CREATE,
                    StandardOpenOption.WRITE,
                    append ? StandardOpenOption.APPEND : StandardOpenOption.TRUNCATE_EXISTING)) {
                byte[] buf = new byte[1 << 16];
                long total = have;
                int n;
                while ((n = in.read(buf)) > 0) {
                    total += n;
                    if (total > d.size()) {
                        throw new RegistryException(
                                RegistryException.Kind.DIGEST,
                                what + ": registry sent more than the " + d.size() + " bytes announced");
                    }
                    ByteBuffer bb = ByteBuffer.wrap(buf, 0, n);
                    while (bb.hasRemaining()) {
                        ch.write(bb);
                    }
                    listener.progress(n);
                }
                if (total < d.size()) {
                    throw new IOException("connection closed after " + total + " of " + d.size() + " bytes");
                }
                ok = true;
            } finally {
                listener.end(ok);
            }
        }
    }

    /** Whether {@code repo} already has blob {@code digest}. */
    public boolean blobExists(String repo, String digest) throws RegistryException {
        String what = host + "/" + repo + "@" + digest;
        Resp r = send(what, "HEAD", url(repo, "blobs/" + digest), Map.of(), null, repo);
        close(r);
        if (r.status() == 404) {
            return false;
        }
        expect(r, what, 200);
        return true;
    }

    /** Starts a monolithic upload (POST); returns the URL to PUT the blob with {@code digest} to. */
    private URI startUpload(String repo, String digest, String what) throws RegistryException {
        Resp r = send(what, "POST", url(repo, "blobs/uploads/"), Map.of(), null, repo);
        close(r);
        expect(r, what, 202);
        String loc = r.header("Location")
                .orElseThrow(() -> new RegistryException(
                        RegistryException.Kind.PROTOCOL, what + ": upload started without a Location"));
        URI u = URI.create(scheme + "://" + host + "/").resolve(loc);
        return URI.create(u + (u.getRawQuery() == null ? "?" : "&") + "digest="
                + URLEncoder.encode(digest, StandardCharsets.UTF_8));
    }

    /** Uploads {@code file} as blob {@code d} (monolithic: POST, then PUT with the digest). */
    public void uploadBlob(String repo, Descriptor d, Path file, String what) throws RegistryException {
        URI put = startUpload(repo, d.digest(), what);
        listener.start(what, d.size(), 0);
        boolean ok = false;
        try {
            Resp p = send(
                    what,
                    "PUT",
                    put,
                    Map.of("Content-Type", "application/octet-stream"),
                    new Body(() -> new CountingStream(Files.newInputStream(file), listener), d.size()),
                    repo);
            close(p);
            expect(p, what, 201);
            ok = true;
        } finally {
            listener.end(ok);
        }
    }

    /** Uploads small content (a config) as a blob unless it is there. */
    public void uploadBytes(String repo, Descriptor d, byte[] data, String what) throws RegistryException {
        if (blobExists(repo, d.digest())) {
            return;
        }
        URI put = startUpload(repo, d.digest(), what);
        Resp p = send(
                what,
                "PUT",
                put,
                Map.of("Content-Type", "application/octet-stream"),
                new Body(() -> new java.io.ByteArrayInputStream(data), data.length),
                repo);
        close(p);
        expect(p, what, 201);
    }

    /** Puts a manifest under {@code tag}; returns its digest. */
    public String putManifest(String repo, String tag, String mediaType, byte[] body) throws RegistryException {
        String what = host + "/" + repo + ":" + tag;
        Resp r = send(
                what,
                "PUT",
                url(repo, "manifests/" + tag),
                Map.of("Content-Type", mediaType),
                new Body(() -> new java.io.ByteArrayInputStream(body), body.length),
                repo);
        close(r);
        expect(r, what, 201);
        return "sha256:" + sha256(body);
    }

    // ---- HTTP with auth, redirects and retries ----

    private interface Opener {
        InputStream open() throws IOException;
    }

    /** A request body: how to open it (again, for a retry) and its length. */
    private record Body(Opener opener, long length) {}

    /** A response: status, headers (looked up case-insensitively) and the body stream (the error stream for 4xx/5xx). */
    private record Resp(int status, HttpURLConnection conn, InputStream body) {
        Optional<String> header(String name) {
            return Optional.ofNullable(conn.getHeaderField(name));
        }
    }

    private static Resp exchange(String method, URI uri, Map<String, String> headers, Body body, int readTimeoutMs)
            throws IOException {
        HttpURLConnection c = (HttpURLConnection) uri.toURL().openConnection();
        c.setInstanceFollowRedirects(false);
        c.setUseCaches(false);
        c.setConnectTimeout(20_000);
        c.setReadTimeout(readTimeoutMs);
        c.setRequestMethod(method);
        headers.forEach(c::setRequestProperty);
        c.setRequestProperty("User-Agent", "jsing");
        if (body != null) {
            c.setDoOutput(true);
            c.setFixedLengthStreamingMode(body.length());
            try (InputStream in = body.opener().open();
                    OutputStream o = c.getOutputStream()) {
                in.transferTo(o);
            }
        } else if (method.equals("POST") || method.equals("PUT")) {
            c.setDoOutput(true);
            c.setFixedLengthStreamingMode(0);
            c.getOutputStream().close();
        }
        int status = c.getResponseCode();
        InputStream in = status >= 400 ? c.getErrorStream() : c.getInputStream();
        return new Resp(status, c, in != null ? in : InputStream.nullInputStream());
    }

    private URI url(String repo, String tail) {
        return URI.create(scheme + "://" + host + "/v2/" + repo + "/" + tail);
    }

    private Resp send(String what, String method, URI uri, Map<String, String> headers, Body body, String repo)
            throws RegistryException {
        boolean authTried = false;
        URI target = uri;
        int redirects = 0;
        for (int attempt = 1; ; attempt++) {
            Resp r;
            try {
                Map<String, String> h = new java.util.LinkedHashMap<>(headers);
                boolean sameHost = target.getHost().equals(uri.getHost()) && target.getPort() == uri.getPort();
                if (authorization != null && sameHost) {
                    h.put("Authorization", authorization);
                }
                r = exchange(method, target, h, body, 120_000);
            } catch (SocketTimeoutException | ConnectException e) {
                if (attempt < ATTEMPTS) {
                    sleep(what, describe(e), attempt);
                    continue;
                }
                throw new RegistryException(
                        RegistryException.Kind.NETWORK,
                        what + ": " + describe(e) + " (" + scheme + "://" + host + ")",
                        e);
            } catch (IOException e) {
                if (attempt < ATTEMPTS) {
                    sleep(what, describe(e), attempt);
                    continue;
                }
                throw new RegistryException(RegistryException.Kind.NETWORK, what + ": " + describe(e), e);
            }
            int s = r.status();
            if (s == 401 && !authTried) {
                close(r);
                authTried = true;
                authenticate(what, r.header("WWW-Authenticate").orElse(""), repo);
                attempt--;
                continue;
            }
            if (s == 401 || s == 403) {
                close(r);
                throw new RegistryException(
                        RegistryException.Kind.AUTH,
                        what + ": "
                                + (login == null
                                        ? "authentication required (no credentials for " + host
                                                + "; use --authfile or docker login)"
                                        : "access denied for user '" + login.username() + "'"));
            }
            if ((s == 301 || s == 302 || s == 303 || s == 307 || s == 308)
                    && r.header("Location").isPresent()) {
                close(r);
                if (++redirects > 5) {
                    throw new RegistryException(RegistryException.Kind.PROTOCOL, what + ": too many redirects");
                }
                target = target.resolve(r.header("Location").get());
                attempt--;
                continue;
            }
            if ((s == 429 || s == 500 || s == 502 || s == 503 || s == 504) && attempt < ATTEMPTS) {
                close(r);
                sleep(what, "HTTP " + s, attempt);
                continue;
            }
            if (s == 429 || s >= 500) {
                close(r);
                throw new RegistryException(RegistryException.Kind.NETWORK, what + ": registry answered HTTP " + s);
            }
            return r;
        }
    }

    /** Answers a challenge: fetches a Bearer token from its realm, or uses Basic credentials. */
    private void authenticate(String what, String challenge, String repo) throws RegistryException {
        Map<String, String> c = Challenge.parse(challenge);
        String kind = c.getOrDefault("", "");
        if (kind.equals("basic")) {
            if (login == null) {
                throw new RegistryException(
                        RegistryException.Kind.AUTH,
                        what + ": authentication required (no credentials for " + host
                                + "; use --authfile or docker login)");
            }
            authorization = basic(login);
            return;
        }
        if (!kind.equals("bearer") || !c.containsKey("realm")) {
            throw new RegistryException(
                    RegistryException.Kind.AUTH, what + ": unsupported authentication challenge '" + challenge + "'");
        }
        StringBuilder q = new StringBuilder();
        if (c.containsKey("service")) {
            q.append("service=").append(URLEncoder.encode(c.get("service"), StandardCharsets.UTF_8));
        }
        String scope = c.containsKey("scope") && !c.get("scope").contains(repo)
                ? c.get("scope")
                : "repository:" + repo + ":" + actions;
        q.append(q.length() > 0 ? "&" : "").append("scope=").append(URLEncoder.encode(scope, StandardCharsets.UTF_8));
        URI realm;
        try {
            realm = URI.create(c.get("realm") + (c.get("realm").contains("?") ? "&" : "?") + q);
        } catch (IllegalArgumentException e) {
            throw new RegistryException(
                    RegistryException.Kind.AUTH, what + ": bad token realm '" + c.get("realm") + "'");
        }
        String json = null;
        for (int attempt = 1; ; attempt++) {
            try {
                Map<String, String> th = new java.util.LinkedHashMap<>();
                if (login != null) {
                    th.put("Authorization", basic(login));
                }
                Resp r = exchange("GET", realm, th, null, 60_000);
                String text;
                try (InputStream in = r.body()) {
                    text = new String(in.readNBytes(1 << 20), StandardCharsets.UTF_8);
                }
                if ((r.status() == 429 || r.status() >= 500) && attempt < ATTEMPTS) {
                    sleep(what, "token server answered HTTP " + r.status(), attempt);
                    continue;
                }
                if (r.status() == 401 || r.status() == 403) {
                    throw new RegistryException(
                            RegistryException.Kind.AUTH,
                            what + ": the token server at " + realm.getHost() + " refused "
                                    + (login == null
                                            ? "anonymous access (use --authfile or docker login)"
                                            : "user '" + login.username() + "'"));
                }
                if (r.status() != 200) {
                    throw new RegistryException(
                            RegistryException.Kind.AUTH, what + ": the token server answered HTTP " + r.status());
                }
                json = text;
                break;
            } catch (IOException e) {
                if (e instanceof RegistryException) {
                    throw (RegistryException) e;
                }
                if (attempt < ATTEMPTS) {
                    sleep(what, describe(e), attempt);
                    continue;
                }
                throw new RegistryException(
                        RegistryException.Kind.NETWORK,
                        what + ": token server " + realm.getHost() + ": " + describe(e),
                        e);
            }
        }
        Object tok;
        try {
            Map<String, Object> m = dev.jsing.common.json.Json.parseObject(json);
            tok = m.get("token") instanceof String ? m.get("token") : m.get("access_token");
        } catch (IllegalArgumentException e) {
            throw new RegistryException(
                    RegistryException.Kind.AUTH, what + ": bad token server answer: " + e.getMessage());
        }
        if (!(tok instanceof String) || ((String) tok).isEmpty()) {
            throw new RegistryException(RegistryException.Kind.AUTH, what + ": the token server sent no token");
        }
        authorization = "Bearer " + tok;
    }

    private static String basic(Credentials.Login l) {
        return "Basic "
                + Base64.getEncoder()
                        .encodeToString((l.username() + ":" + l.password()).getBytes(StandardCharsets.UTF_8));
    }

    private void sleep(String what, String why, int attempt) throws RegistryException {
        long ms = backoffMillis << (attempt - 1);
        listener.retrying(what, why, ms);
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new RegistryException(RegistryException.Kind.NETWORK, what + ": interrupted");
        }
    }

    private static void expect(Resp r, String what, int status) throws RegistryException {
        if (r.status() != status) {
            String detail = "";
            try (InputStream in = r.body()) {
                detail = errorDetail(new String(in.readNBytes(4096), StandardCharsets.UTF_8));
            } catch (IOException ignored) {
                // the status says enough
            }
            throw new RegistryException(
                    r.status() == 404 ? RegistryException.Kind.NOT_FOUND : RegistryException.Kind.PROTOCOL,
                    what + ": registry answered HTTP " + r.status() + (detail.isEmpty() ? "" : " (" + detail + ")"));
        }
    }

    /** The first error message of a distribution error body ({@code {"errors":[{"code":..,"message":..}]}}). */
    static String errorDetail(String body) {
        try {
            Object errs = dev.jsing.common.json.Json.parseObject(body).get("errors");
            if (errs instanceof List && !((List<?>) errs).isEmpty() && ((List<?>) errs).get(0) instanceof Map) {
                Map<?, ?> e = (Map<?, ?>) ((List<?>) errs).get(0);
                return (e.get("code") + ": " + e.get("message")).toLowerCase(Locale.ROOT);
            }
        } catch (IllegalArgumentException ignored) {
            // not JSON
        }
        return "";
    }

    private static void close(Resp r) {
        try {
            r.body().close();
        } catch (IOException ignored) {
            // nothing to do
        }
    }

    private static String describe(IOException e) {
        if (e instanceof ConnectException) {
            return "connection refused or unreachable";
        }
        if (e instanceof SocketTimeoutException) {
            return "timed out";
        }
        return e.getMessage() != null ? e.getMessage() : e.getClass().getSimpleName();
    }

    private static RegistryException asRegistry(String what, IOException e) {
        if (e instanceof RegistryException) {
            return (RegistryException) e;
        }
        return new RegistryException(RegistryException.Kind.NETWORK, what + ": " + describe(e), e);
    }

    /** Lower-case hex SHA-256 of {@code b}. */
    public static String sha256(byte[] b) {
        return HexFormat.of().formatHex(md().digest(b));
    }

    /** Lower-case hex SHA-256 of a file. */
    public static String sha256(Path p) throws IOException {
        MessageDigest md = md();
        try (FileChannel ch = FileChannel.open(p, StandardOpenOption.READ)) {
            ByteBuffer buf = ByteBuffer.allocateDirect(1 << 20);
            while (ch.read(buf) >= 0) {
                buf.flip();
                md.update(buf);
                buf.clear();
            }
        }
        return HexFormat.of().formatHex(md.digest());
    }

    static MessageDigest md() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Counts bytes read for upload progress. */
    private static final class CountingStream extends java.io.FilterInputStream {
        private final TransferListener l;

        CountingStream(InputStream in, TransferListener l) {
            super(in);
            this.l = l;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            int n = super.read(b, off, len);
            if (n > 0) {
                l.progress(n);
            }
            return n;
        }
    }
}
