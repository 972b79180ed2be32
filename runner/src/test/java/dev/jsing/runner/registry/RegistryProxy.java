package dev.jsing.runner.registry;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.HttpURLConnection;
import java.net.InetSocketAddress;
import java.net.URL;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A small HTTP proxy in front of a real registry, for fault injection and observation: it counts blob GETs per digest
 * (and the Range requests among them), can slow blob bodies down, and can corrupt one blob's content (same length).
 * Everything else passes through unchanged.
 */
final class RegistryProxy implements AutoCloseable {
    private static final Pattern BLOB = Pattern.compile("/v2/.+/blobs/(sha256:[0-9a-f]{64})");

    private final HttpServer server;
    private final ExecutorService pool = Executors.newCachedThreadPool();
    private final int upstream;
    final Map<String, AtomicInteger> blobGets = new ConcurrentHashMap<>();
    final List<String> ranges = new CopyOnWriteArrayList<>();
    final AtomicLong blobBytes = new AtomicLong();
    volatile String corrupt;
    volatile long bytesPerSecond;
    /** Blob GETs still to answer with 503 Service Unavailable. */
    final AtomicInteger unavailable = new AtomicInteger();
    /** When positive: the next blob body is cut (connection closed) after this many bytes, once. */
    final AtomicLong cutAfter = new AtomicLong();

    RegistryProxy(int upstreamPort) throws IOException {
        this.upstream = upstreamPort;
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 64);
        server.setExecutor(pool);
        server.createContext("/", this::handle);
        server.start();
    }

    String host() {
        return "127.0.0.1:" + server.getAddress().getPort();
    }

    int gets(String digest) {
        AtomicInteger n = blobGets.get(digest);
        return n == null ? 0 : n.get();
    }

    void reset() {
        blobGets.clear();
        ranges.clear();
        blobBytes.set(0);
        corrupt = null;
        bytesPerSecond = 0;
        unavailable.set(0);
        cutAfter.set(0);
    }

    private void handle(HttpExchange ex) throws IOException {
        try {
            String path = ex.getRequestURI().getRawPath();
            String q = ex.getRequestURI().getRawQuery();
            HttpURLConnection c = (HttpURLConnection)
                    new URL("http://127.0.0.1:" + upstream + path + (q == null ? "" : "?" + q)).openConnection();
            c.setInstanceFollowRedirects(false);
            c.setRequestMethod(ex.getRequestMethod());
            ex.getRequestHeaders().forEach((k, vs) -> {
                if (!k.equalsIgnoreCase("Host")
                        && !k.equalsIgnoreCase("Connection")
                        && !k.equalsIgnoreCase("Content-Length")) {
                    vs.forEach(v -> c.addRequestProperty(k, v));
                }
            });
            Matcher m = BLOB.matcher(path);
            boolean blobGet = m.matches() && ex.getRequestMethod().equals("GET");
            String digest = blobGet ? m.group(1) : null;
            if (blobGet) {
                blobGets.computeIfAbsent(digest, d -> new AtomicInteger()).incrementAndGet();
                String range = ex.getRequestHeaders().getFirst("Range");
                if (range != null) {
                    ranges.add(digest + " " + range);
                }
            }
            if (blobGet && unavailable.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
                ex.sendResponseHeaders(503, -1);
                return;
            }
            if (ex.getRequestMethod().equals("PUT")
                    || ex.getRequestMethod().equals("POST")
                    || ex.getRequestMethod().equals("PATCH")) {
                c.setDoOutput(true);
                try (InputStream in = ex.getRequestBody();
                        OutputStream o = c.getOutputStream()) {
                    in.transferTo(o);
                }
            }
            int code = c.getResponseCode();
            c.getHeaderFields().forEach((k, vs) -> {
                if (k != null
                        && !k.equalsIgnoreCase("Transfer-Encoding")
                        && !k.equalsIgnoreCase("Content-Length")
                        && !k.equalsIgnoreCase("Connection")) {
                    ex.getResponseHeaders().put(k, vs);
                }
            });
            long len = c.getContentLengthLong();
            boolean head = ex.getRequestMethod().equals("HEAD");
            if (head) {
                if (len >= 0) {
                    ex.getResponseHeaders().set("Content-Length", String.valueOf(len));
                }
                ex.sendResponseHeaders(code, -1);
                return;
            }
            InputStream body = code >= 400 ? c.getErrorStream() : c.getInputStream();
            long want = cutAfter.get();
            long cut = blobGet && code < 300 && want > 0 && len > want && cutAfter.compareAndSet(want, 0) ? want : 0;
            // a cut body is sent chunked, so the client sees it end (short) at once instead of waiting for more
            ex.sendResponseHeaders(code, len == 0 || body == null ? -1 : (len > 0 && cut == 0 ? len : 0));
            if (body == null || len == 0) {
                return;
            }
            try (InputStream in = body;
                    OutputStream out = ex.getResponseBody()) {
                byte[] buf = new byte[16384];
                long sent = 0;
                long start = System.nanoTime();
                boolean flipped = false;
                int n;
                while ((n = in.read(buf)) > 0) {
                    if (blobGet && code < 300 && digest.equals(corrupt) && !flipped) {
                        buf[n / 2] ^= 0x5a;
                        flipped = true;
                    }
                    if (cut > 0 && sent + n > cut) {
                        out.write(buf, 0, (int) (cut - sent));
                        out.flush();
                        blobBytes.addAndGet(cut - sent);
                        return;
                    }
                    out.write(buf, 0, n);
                    sent += n;
                    if (blobGet) {
                        blobBytes.addAndGet(n);
                        long bps = bytesPerSecond;
                        if (bps > 0) {
                            long due = start + sent * 1_000_000_000L / bps;
                            long wait = due - System.nanoTime();
                            if (wait > 0) {
                                Thread.sleep(wait / 1_000_000L, (int) (wait % 1_000_000L));
                            }
                        }
                    }
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (IOException e) {
            // the client went away (a killed pull): nothing to do
        } finally {
            ex.close();
        }
    }

    @Override
    public void close() {
        server.stop(0);
        pool.shutdownNow();
    }
}
