package dev.jsing.oci;

import dev.jsing.common.HostArch;
import dev.jsing.common.json.Json;
import java.io.ByteArrayOutputStream;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarFile;

/**
 * A local OCI or Docker image: an OCI image layout directory ({@code oci:}), a tar of one ({@code oci-archive:}) or a
 * {@code docker save} tarball ({@code docker-archive:}). Reads the manifest and config and applies the layers in order
 * with a {@link LayerApplier}. Blob digests are checked while reading.
 *
 * <p>A registry source fits the same shape: fetch the manifest, config and layer blobs, then use {@link
 * #config(Map)} and {@link LayerApplier}.
 */
public final class OciImage implements AutoCloseable {
    private static final long MAX_JSON = 16L << 20;

    /** Where the blobs come from. */
    private interface Store extends AutoCloseable {
        InputStream open(String path) throws IOException;

        boolean exists(String path);

        @Override
        void close() throws IOException;
    }

    private final Store store;
    private final String what;
    private final List<String> layers;
    private final List<String> layerDigests;
    private final ImageConfig config;

    private OciImage(Store store, String what, List<String> layers, List<String> layerDigests, ImageConfig config) {
        this.store = store;
        this.what = what;
        this.layers = layers;
        this.layerDigests = layerDigests;
        this.config = config;
    }

    /** An OCI image layout directory; {@code ref} picks a manifest by {@code org.opencontainers.image.ref.name}. */
    public static OciImage openLayout(Path dir, String ref) throws IOException {
        if (!Files.isDirectory(dir)) {
            throw new NoSuchFileException(dir.toString());
        }
        Path real = dir.toRealPath();
        Store s = new Store() {
            @Override
            public InputStream open(String path) throws IOException {
                return Files.newInputStream(real.resolve(path));
            }

            @Override
            public boolean exists(String path) {
                return Files.isRegularFile(real.resolve(path));
            }

            @Override
            public void close() {}
        };
        return fromLayout(s, dir.toString(), ref);
    }

    /** A tar of an OCI image layout. */
    public static OciImage openOciArchive(Path tar, String ref) throws IOException {
        Store s = tarStore(tar);
        try {
            return fromLayout(s, tar.toString(), ref);
        } catch (IOException | RuntimeException e) {
            s.close();
            throw e;
        }
    }

    /** A {@code docker save} tarball; {@code ref} picks an image by RepoTags when there are several. */
    public static OciImage openDockerArchive(Path tar, String ref) throws IOException {
        Store s = tarStore(tar);
        try {
            if (!s.exists("manifest.json")) {
                throw bad(tar + ": not a docker archive (no manifest.json)");
            }
            Object m = parseJson(s, "manifest.json", tar.toString());
            if (!(m instanceof List) || ((List<?>) m).isEmpty()) {
                throw bad(tar + ": manifest.json lists no images");
            }
            Map<?, ?> chosen = null;
            for (Object o : (List<?>) m) {
                if (!(o instanceof Map)) {
                    throw bad(tar + ": bad manifest.json entry");
                }
                Map<?, ?> e = (Map<?, ?>) o;
                if (ref == null || ref.isEmpty()) {
                    chosen = e;
                    break;
                }
                Object tags = e.get("RepoTags");
                if (tags instanceof List
                        && (((List<?>) tags).contains(ref) || ((List<?>) tags).contains(ref + ":latest"))) {
                    chosen = e;
                    break;
                }
            }
            if (chosen == null) {
                throw bad(tar + ": no image tagged '" + ref + "'");
            }
            String cfgPath = str(chosen.get("Config"), tar + ": manifest.json has no Config");
            Map<String, Object> cfg = asMap(parseJson(s, cfgPath, tar.toString()), tar + ": bad config " + cfgPath);
            List<String> layers = new ArrayList<>();
            Object ls = chosen.get("Layers");
            if (!(ls instanceof List)) {
                throw bad(tar + ": manifest.json has no Layers");
            }
            for (Object l : (List<?>) ls) {
                layers.add(safeTarPath(str(l, tar + ": bad layer entry"), tar.toString()));
            }
            List<String> digests = new ArrayList<>();
            for (String l : layers) {
                // docker save >= 25 stores layers as blobs/sha256/<hex>: their names are their digests
                digests.add(l.startsWith("blobs/sha256/") ? "sha256:" + l.substring("blobs/sha256/".length()) : null);
            }
            return new OciImage(s, tar.toString(), layers, digests, config(cfg));
        } catch (IOException | RuntimeException e) {
            s.close();
            throw e;
        }
    }

    private static Store tarStore(Path tar) throws IOException {
        TarFile tf;
        try {
            tf = new TarFile(tar);
        } catch (NoSuchFileException e) {
            throw e;
        } catch (IOException e) {
            throw new OciException(OciException.Kind.BAD_IMAGE, tar + ": not a tar archive: " + e.getMessage(), e);
        }
        Map<String, TarArchiveEntry> byName = new HashMap<>();
        for (TarArchiveEntry e : tf.getEntries()) {
            String n = e.getName();
            while (n.startsWith("./")) {
                n = n.substring(2);
            }
            if (e.isFile()) {
                byName.put(n, e);
            }
        }
        return new Store() {
            @Override
            public InputStream open(String path) throws IOException {
                TarArchiveEntry e = byName.get(path);
                if (e == null) {
                    throw new OciException(OciException.Kind.BAD_IMAGE, tar + ": missing " + path);
                }
                return tf.getInputStream(e);
            }

            @Override
            public boolean exists(String path) {
                return byName.containsKey(path);
            }

            @Override
            public void close() throws IOException {
                tf.close();
            }
        };
    }

    private static OciImage fromLayout(Store s, String what, String ref) throws IOException {
        if (!s.exists("oci-layout") || !s.exists("index.json")) {
            throw bad(what + ": not an OCI image layout (no oci-layout or index.json)");
        }
        Map<String, Object> index = asMap(parseJson(s, "index.json", what), what + ": bad index.json");
        Map<String, Object> manifest = pickManifest(s, index, what, ref, 0);
        Map<String, Object> cfgDesc = asMap(manifest.get("config"), what + ": manifest has no config");
        Map<String, Object> cfg = asMap(
                parseJsonVerified(s, str(cfgDesc.get("digest"), what + ": config has no digest"), what),
                what + ": bad image config");
        List<String> layers = new ArrayList<>();
        List<String> digests = new ArrayList<>();
        Object ls = manifest.get("layers");
        if (ls != null && !(ls instanceof List)) {
            throw bad(what + ": bad layers list");
        }
        if (ls != null) {
            for (Object o : (List<?>) ls) {
                Map<String, Object> d = asMap(o, what + ": bad layer descriptor");
                String digest = str(d.get("digest"), what + ": layer without digest");
                String mt = d.get("mediaType") instanceof String ? (String) d.get("mediaType") : "";
                if (mt.contains("encrypted")) {
                    throw new OciException(OciException.Kind.UNSUPPORTED, what + ": encrypted layers are unsupported");
                }
                layers.add(blobPath(digest, what));
                digests.add(digest);
            }
        }
        return new OciImage(s, what, layers, digests, config(cfg));
    }

    private static Map<String, Object> pickManifest(
            Store s, Map<String, Object> index, String what, String ref, int depth) throws IOException {
        if (depth > 4) {
            throw bad(what + ": image indexes nested too deeply");
        }
        Object ms = index.get("manifests");
        if (!(ms instanceof List) || ((List<?>) ms).isEmpty()) {
            throw bad(what + ": index lists no manifests");
        }
        List<Map<String, Object>> candidates = new ArrayList<>();
        for (Object o : (List<?>) ms) {
            Map<String, Object> d = asMap(o, what + ": bad manifest descriptor");
            if (ref != null && !ref.isEmpty() && depth == 0) {
                Object ann = d.get("annotations");
                String name = ann instanceof Map
                        ? String.valueOf(((Map<?, ?>) ann).get("org.opencontainers.image.ref.name"))
                        : "";
                if (!ref.equals(name)) {
                    continue;
                }
            }
            Object plat = d.get("platform");
            if (plat instanceof Map) {
                Map<?, ?> p = (Map<?, ?>) plat;
                if (!"linux".equals(p.get("os")) || !HostArch.goName().equals(p.get("architecture"))) {
                    continue;
                }
            }
            candidates.add(d);
        }
        if (candidates.isEmpty()) {
            throw bad(what
                    + (ref != null && !ref.isEmpty() && depth == 0
                            ? ": no manifest named '" + ref + "'"
                            : ": no manifest for linux/" + HostArch.goName()));
        }
        Map<String, Object> d = candidates.get(0);
        Map<String, Object> m = asMap(
                parseJsonVerified(s, str(d.get("digest"), what + ": manifest without digest"), what),
                what + ": bad manifest");
        String mt = String.valueOf(m.getOrDefault("mediaType", d.get("mediaType")));
        if (mt.contains("index") || mt.contains("manifest.list") || m.containsKey("manifests")) {
            return pickManifest(s, m, what, ref, depth + 1);
        }
        return m;
    }

    private static String blobPath(String digest, String what) throws OciException {
        int c = digest.indexOf(':');
        if (c <= 0
                || !digest.substring(c + 1).matches("[0-9a-fA-F]{32,128}")
                || !digest.substring(0, c).matches("[a-z0-9]+")) {
            throw bad(what + ": bad digest '" + digest + "'");
        }
        return "blobs/" + digest.substring(0, c) + "/" + digest.substring(c + 1);
    }

    private static String safeTarPath(String p, String what) throws OciException {
        LayerApplier.components(p, what);
        return p.startsWith("./") ? p.substring(2) : p;
    }

    private static Object parseJson(Store s, String path, String what) throws IOException {
        try (InputStream in = s.open(path)) {
            byte[] b = in.readNBytes((int) MAX_JSON + 1);
            if (b.length > MAX_JSON) {
                throw bad(what + ": " + path + " is too large");
            }
            return Json.parse(new String(b, StandardCharsets.UTF_8));
        } catch (IllegalArgumentException e) {
            throw bad(what + ": " + path + ": " + e.getMessage());
        }
    }

    private static Object parseJsonVerified(Store s, String digest, String what) throws IOException {
        String path = blobPath(digest, what);
        try (InputStream in = new VerifyingStream(s.open(path), digest, what)) {
            ByteArrayOutputStream bo = new ByteArrayOutputStream();
            byte[] buf = new byte[8192];
            int n;
            while ((n = in.read(buf)) > 0) {
                bo.write(buf, 0, n);
                if (bo.size() > MAX_JSON) {
                    throw bad(what + ": " + path + " is too large");
                }
            }
            return Json.parse(bo.toString(StandardCharsets.UTF_8));
        } catch (IllegalArgumentException e) {
            throw bad(what + ": " + path + ": " + e.getMessage());
        }
    }

    /** Turns an OCI/Docker image config JSON object into an {@link ImageConfig}. */
    public static ImageConfig config(Map<String, Object> cfg) {
        Object c = cfg.get("config");
        if (c == null) {
            c = cfg.get("container_config");
        }
        Map<?, ?> m = c instanceof Map ? (Map<?, ?>) c : Map.of();
        Map<String, String> labels = new LinkedHashMap<>();
        if (m.get("Labels") instanceof Map) {
            ((Map<?, ?>) m.get("Labels")).forEach((k, v) -> labels.put(String.valueOf(k), String.valueOf(v)));
        }
        return new ImageConfig(
                strings(m.get("Env")),
                strings(m.get("Entrypoint")),
                strings(m.get("Cmd")),
                m.get("WorkingDir") instanceof String ? (String) m.get("WorkingDir") : "",
                labels,
                Json.write(m),
                cfg.get("architecture") instanceof String ? (String) cfg.get("architecture") : "");
    }

    private static List<String> strings(Object o) {
        List<String> out = new ArrayList<>();
        if (o instanceof List) {
            for (Object x : (List<?>) o) {
                out.add(String.valueOf(x));
            }
        }
        return out;
    }

    public ImageConfig config() {
        return config;
    }

    /** Number of layers. */
    public int layerCount() {
        return layers.size();
    }

    /** Applies every layer, lowest first, to {@code applier}'s root. */
    public void unpack(LayerApplier applier) throws IOException {
        for (int k = 0; k < layers.size(); k++) {
            String name = what + " layer " + (k + 1) + "/" + layers.size();
            String digest = layerDigests.get(k);
            InputStream raw = store.open(layers.get(k));
            try (InputStream in = digest != null ? new VerifyingStream(raw, digest, name) : raw) {
                applier.apply(in, name);
            }
        }
    }

    @Override
    public void close() throws IOException {
        store.close();
    }

    private static OciException bad(String msg) {
        return new OciException(OciException.Kind.BAD_IMAGE, msg);
    }

    private static String str(Object o, String err) throws OciException {
        if (!(o instanceof String)) {
            throw bad(err);
        }
        return (String) o;
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> asMap(Object o, String err) throws OciException {
        if (!(o instanceof Map)) {
            throw bad(err);
        }
        return (Map<String, Object>) o;
    }

    /** Checks a blob's digest when it has been read to its end (on close). */
    private static final class VerifyingStream extends FilterInputStream {
        private final MessageDigest md;
        private final String expected;
        private final String what;
        private boolean eof;
        private boolean closed;

        VerifyingStream(InputStream in, String digest, String what) throws OciException {
            super(in);
            this.what = what;
            int c = digest.indexOf(':');
            String algo = digest.substring(0, c);
            this.expected = digest.substring(c + 1).toLowerCase(java.util.Locale.ROOT);
            try {
                md = MessageDigest.getInstance(
                        algo.equals("sha256") ? "SHA-256" : algo.equals("sha512") ? "SHA-512" : algo);
            } catch (NoSuchAlgorithmException e) {
                throw new OciException(OciException.Kind.UNSUPPORTED, what + ": unsupported digest algorithm " + algo);
            }
        }

        @Override
        public int read() throws IOException {
            int b = super.read();
            if (b < 0) {
                eof = true;
            } else {
                md.update((byte) b);
            }
            return b;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            int n = super.read(b, off, len);
            if (n < 0) {
                eof = true;
            } else {
                md.update(b, off, n);
            }
            return n;
        }

        @Override
        public long skip(long n) throws IOException {
            byte[] buf = new byte[8192];
            long done = 0;
            while (done < n) {
                int r = read(buf, 0, (int) Math.min(buf.length, n - done));
                if (r < 0) {
                    break;
                }
                done += r;
            }
            return done;
        }

        @Override
        public void close() throws IOException {
            if (closed) {
                return;
            }
            closed = true;
            try {
                if (!eof) {
                    byte[] buf = new byte[65536];
                    while (read(buf, 0, buf.length) >= 0) {
                        // drain to check the digest
                    }
                }
                String got = HexFormat.of().formatHex(md.digest());
                if (!got.equals(expected)) {
                    throw new OciException(
                            OciException.Kind.BAD_IMAGE,
                            what + ": digest mismatch (expected " + expected + ", got " + got + ")");
                }
            } finally {
                super.close();
            }
        }

        @Override
        public boolean markSupported() {
            return false;
        }
    }
}
