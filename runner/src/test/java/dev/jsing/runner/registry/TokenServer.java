package dev.jsing.runner.registry;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.jsing.common.json.Json;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.Signature;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The token server of the token-auth test registry (127.0.0.1:5002, see scripts/start-registry.sh): at
 * {@code http://127.0.0.1:5003/token} it checks Basic credentials (jsingtest / jsingtest-pw) and answers with an RS256
 * JWT that grants the scope asked for, signed with the key whose certificate the registry trusts ({@code x5c}).
 */
final class TokenServer implements AutoCloseable {
    static final String USER = "jsingtest";
    static final String PASSWORD = "jsingtest-pw";

    private final HttpServer server;
    private final PrivateKey key;
    private final String certB64;
    final AtomicInteger issued = new AtomicInteger();

    TokenServer(Path dir) throws Exception {
        key = KeyFactory.getInstance("RSA").generatePrivate(new PKCS8EncodedKeySpec(pem(dir.resolve("token.key"))));
        certB64 = Base64.getEncoder().encodeToString(pem(dir.resolve("token.crt")));
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 5003), 16);
        server.createContext("/token", this::handle);
        server.start();
    }

    private static byte[] pem(Path p) throws IOException {
        String s = Files.readString(p).replaceAll("-----[A-Z ]+-----", "").replaceAll("\\s", "");
        return Base64.getDecoder().decode(s);
    }

    private void handle(HttpExchange ex) throws IOException {
        try {
            String auth = ex.getRequestHeaders().getFirst("Authorization");
            String expect = "Basic "
                    + Base64.getEncoder().encodeToString((USER + ":" + PASSWORD).getBytes(StandardCharsets.UTF_8));
            if (!expect.equals(auth)) {
                ex.sendResponseHeaders(401, -1);
                return;
            }
            Map<String, String> q = new LinkedHashMap<>();
            String raw = ex.getRequestURI().getRawQuery();
            for (String kv : raw == null ? new String[0] : raw.split("&")) {
                int eq = kv.indexOf('=');
                if (eq > 0) {
                    q.put(kv.substring(0, eq), URLDecoder.decode(kv.substring(eq + 1), StandardCharsets.UTF_8));
                }
            }
            List<Object> access = new ArrayList<>();
            String scope = q.get("scope");
            if (scope != null) {
                String[] p = scope.split(":");
                if (p.length == 3 && p[0].equals("repository")) {
                    Map<String, Object> a = new LinkedHashMap<>();
                    a.put("type", "repository");
                    a.put("name", p[1]);
                    a.put("actions", List.of(p[2].split(",")));
                    access.add(a);
                }
            }
            long now = System.currentTimeMillis() / 1000;
            Map<String, Object> h = new LinkedHashMap<>();
            h.put("alg", "RS256");
            h.put("typ", "JWT");
            h.put("x5c", List.of(certB64));
            Map<String, Object> c = new LinkedHashMap<>();
            c.put("iss", "jsing-test-issuer");
            c.put("sub", USER);
            c.put("aud", q.getOrDefault("service", "jsing-test-registry"));
            c.put("exp", now + 600);
            c.put("nbf", now - 30);
            c.put("iat", now);
            c.put("jti", UUID.randomUUID().toString());
            c.put("access", access);
            Base64.Encoder b64 = Base64.getUrlEncoder().withoutPadding();
            String signing = b64.encodeToString(Json.write(h).getBytes(StandardCharsets.UTF_8)) + "."
                    + b64.encodeToString(Json.write(c).getBytes(StandardCharsets.UTF_8));
            Signature s = Signature.getInstance("SHA256withRSA");
            s.initSign(key);
            s.update(signing.getBytes(StandardCharsets.US_ASCII));
            String jwt = signing + "." + b64.encodeToString(s.sign());
            byte[] body = ("{\"token\":\"" + jwt + "\",\"access_token\":\"" + jwt + "\",\"expires_in\":600}")
                    .getBytes(StandardCharsets.UTF_8);
            issued.incrementAndGet();
            ex.getResponseHeaders().set("Content-Type", "application/json");
            ex.sendResponseHeaders(200, body.length);
            try (OutputStream o = ex.getResponseBody()) {
                o.write(body);
            }
        } catch (Exception e) {
            ex.sendResponseHeaders(500, -1);
        } finally {
            ex.close();
        }
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
