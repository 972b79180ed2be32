package dev.jsing.oci.registry;

import dev.jsing.common.json.Json;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * An image manifest (OCI or Docker v2) or an index (OCI image index or Docker manifest list), parsed.
 *
 * @param mediaType the manifest's media type
 * @param digest the digest of its bytes
 * @param bytes the manifest as fetched
 * @param config the config descriptor (null for an index)
 * @param layers the layer descriptors, base first (empty for an index)
 * @param manifests an index's entries (empty for a manifest)
 */
public record ImageManifest(
        String mediaType,
        String digest,
        byte[] bytes,
        Descriptor config,
        List<Descriptor> layers,
        List<Entry> manifests) {

    /** An index entry: a manifest descriptor and its platform. */
    public record Entry(Descriptor descriptor, String os, String architecture, String variant) {
        /** {@code os/arch[/variant]}. */
        public String platform() {
            return os + "/" + architecture + (variant == null || variant.isEmpty() ? "" : "/" + variant);
        }
    }

    public ImageManifest {
        layers = List.copyOf(layers);
        manifests = List.copyOf(manifests);
    }

    /** Whether this is an index. */
    public boolean isIndex() {
        return config == null;
    }

    /** The descriptor of this manifest itself. */
    public Descriptor descriptor() {
        return new Descriptor(mediaType, digest, bytes.length, Map.of());
    }

    /** Parses fetched bytes; the media type comes from the document, else from the Content-Type header. */
    public static ImageManifest parse(RegistryClient.Fetched f, String what) throws RegistryException {
        Map<String, Object> m;
        try {
            m = Json.parseObject(new String(f.bytes(), StandardCharsets.UTF_8));
        } catch (IllegalArgumentException e) {
            throw new RegistryException(RegistryException.Kind.PROTOCOL, what + ": bad manifest: " + e.getMessage());
        }
        String mt = m.get("mediaType") instanceof String ? (String) m.get("mediaType") : f.mediaType();
        Object sv = m.get("schemaVersion");
        if (sv instanceof Long && (Long) sv == 1L) {
            throw new RegistryException(
                    RegistryException.Kind.PROTOCOL,
                    what + ": Docker schema 1 manifests are not supported (push the image again with a current tool)");
        }
        if (MediaTypes.isIndex(mt) || (m.get("manifests") instanceof List && !(m.get("config") instanceof Map))) {
            List<Entry> entries = new ArrayList<>();
            for (Object o : (List<?>) m.getOrDefault("manifests", List.of())) {
                Descriptor d = Descriptor.fromJson(o, what);
                Map<?, ?> p = o instanceof Map && ((Map<?, ?>) o).get("platform") instanceof Map
                        ? (Map<?, ?>) ((Map<?, ?>) o).get("platform")
                        : Map.of();
                entries.add(new Entry(d, str(p.get("os")), str(p.get("architecture")), str(p.get("variant"))));
            }
            return new ImageManifest(
                    mt.isEmpty() ? MediaTypes.OCI_INDEX : mt, f.digest(), f.bytes(), null, List.of(), entries);
        }
        if (!(m.get("config") instanceof Map)) {
            throw new RegistryException(RegistryException.Kind.PROTOCOL, what + ": manifest has no config");
        }
        Descriptor cfg = Descriptor.fromJson(m.get("config"), what);
        List<Descriptor> layers = new ArrayList<>();
        if (m.get("layers") instanceof List) {
            for (Object o : (List<?>) m.get("layers")) {
                layers.add(Descriptor.fromJson(o, what));
            }
        }
        return new ImageManifest(
                mt.isEmpty() ? MediaTypes.OCI_MANIFEST : mt, f.digest(), f.bytes(), cfg, layers, List.of());
    }

    /**
     * The index entry for {@code linux/arch} ({@code arch} may carry a variant, {@code arm64/v8}); an entry without a
     * variant matches any variant asked for, as in the OCI platform matching rules.
     */
    public Entry select(String arch, String what) throws RegistryException {
        String a = arch;
        String variant = null;
        int slash = arch.indexOf('/');
        if (slash > 0) {
            a = arch.substring(0, slash);
            variant = arch.substring(slash + 1);
        }
        Entry loose = null;
        List<String> have = new ArrayList<>();
        for (Entry e : manifests) {
            have.add(e.platform());
            if (!"linux".equals(e.os()) || !a.equals(e.architecture())) {
                continue;
            }
            if (variant == null || variant.equals(e.variant())) {
                return e;
            }
            if (e.variant() == null || e.variant().isEmpty()) {
                loose = e;
            }
        }
        if (loose != null) {
            return loose;
        }
        throw new RegistryException(
                RegistryException.Kind.NOT_FOUND,
                what + ": no image for linux/" + arch + " (the index has " + String.join(", ", have) + ")");
    }

    private static String str(Object o) {
        return o instanceof String ? (String) o : null;
    }
}
