package dev.jsing.oci.registry;

import dev.jsing.common.json.Json;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Registry credentials from a Docker-style auth file ({@code {"auths": {"HOST": {"auth": base64(user:pass)}}}}): the
 * file given with {@code --authfile}, else {@code $DOCKER_CONFIG/config.json}, else {@code ~/.docker/config.json}.
 * Credential helpers ({@code credsStore}) are not run.
 */
public final class Credentials {
    /** A user name and password (or token) for one registry. */
    public record Login(String username, String password) {
        @Override
        public String toString() {
            return "Login[" + username + ", ****]";
        }
    }

    private final Map<String, Login> byHost;

    private Credentials(Map<String, Login> byHost) {
        this.byHost = Map.copyOf(byHost);
    }

    /** No credentials. */
    public static Credentials none() {
        return new Credentials(Map.of());
    }

    /** The credentials for {@code host}, or null. Docker Hub's legacy keys are understood. */
    public Login forRegistry(String host) {
        Login l = byHost.get(host);
        if (l == null && (host.equals(ImageRef.DOCKER_HUB) || host.equals("registry-1.docker.io"))) {
            for (String k :
                    new String[] {"https://index.docker.io/v1/", "index.docker.io", "registry-1.docker.io", "docker.io"
                    }) {
                l = byHost.get(k);
                if (l != null) {
                    break;
                }
            }
        }
        return l;
    }

    /**
     * Loads {@code authFile} when given (it must exist), else the user's Docker config when it exists.
     *
     * @param env the environment ({@code DOCKER_CONFIG})
     * @param home the user's home directory
     */
    public static Credentials load(Path authFile, Map<String, String> env, Path home) throws IOException {
        if (authFile != null) {
            if (!Files.isRegularFile(authFile)) {
                throw new NoSuchFileException(authFile.toString());
            }
            return parse(authFile);
        }
        String dc = env.get("DOCKER_CONFIG");
        Path p = dc != null && !dc.isEmpty() ? Path.of(dc, "config.json") : home.resolve(".docker/config.json");
        return Files.isRegularFile(p) ? parse(p) : none();
    }

    /** Parses one auth file. */
    public static Credentials parse(Path file) throws IOException {
        Map<String, Login> m = new LinkedHashMap<>();
        Object root;
        try {
            root = Json.parse(Files.readString(file, StandardCharsets.UTF_8));
        } catch (IllegalArgumentException e) {
            throw new IOException(file + ": " + e.getMessage());
        }
        if (!(root instanceof Map) || !(((Map<?, ?>) root).get("auths") instanceof Map)) {
            return new Credentials(m);
        }
        for (Map.Entry<?, ?> e : ((Map<?, ?>) ((Map<?, ?>) root).get("auths")).entrySet()) {
            if (!(e.getValue() instanceof Map)) {
                continue;
            }
            Map<?, ?> v = (Map<?, ?>) e.getValue();
            String host = normalizeKey(String.valueOf(e.getKey()));
            if (v.get("auth") instanceof String && !((String) v.get("auth")).isEmpty()) {
                String dec;
                try {
                    dec = new String(
                            Base64.getDecoder().decode(((String) v.get("auth")).trim()), StandardCharsets.UTF_8);
                } catch (IllegalArgumentException x) {
                    throw new IOException(file + ": bad base64 'auth' for " + e.getKey());
                }
                int c = dec.indexOf(':');
                if (c < 0) {
                    throw new IOException(file + ": 'auth' for " + e.getKey() + " is not user:password");
                }
                m.put(host, new Login(dec.substring(0, c), dec.substring(c + 1)));
            } else if (v.get("username") instanceof String && v.get("password") instanceof String) {
                m.put(host, new Login((String) v.get("username"), (String) v.get("password")));
            }
        }
        return new Credentials(m);
    }

    private static String normalizeKey(String k) {
        if (k.equals("https://index.docker.io/v1/")) {
            return k;
        }
        String s = k.replaceFirst("^[a-z]+://", "");
        int slash = s.indexOf('/');
        return slash >= 0 ? s.substring(0, slash) : s;
    }
}
