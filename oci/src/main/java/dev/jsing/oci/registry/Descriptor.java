package dev.jsing.oci.registry;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * An OCI content descriptor: media type, digest ({@code sha256:HEX}) and size, plus annotations.
 *
 * @param mediaType the media type
 * @param digest {@code sha256:HEX}
 * @param size the size in bytes
 * @param annotations the annotations (may be empty)
 */
public record Descriptor(String mediaType, String digest, long size, Map<String, String> annotations) {
    private static final Pattern DIGEST = Pattern.compile("sha256:[0-9a-f]{64}");

    public Descriptor {
        if (digest == null || !DIGEST.matcher(digest).matches()) {
            throw new IllegalArgumentException("unsupported or malformed digest '" + digest + "'");
        }
        if (size < 0) {
            throw new IllegalArgumentException("negative size for " + digest);
        }
        annotations = Map.copyOf(annotations);
    }

    /** The hex part of the digest. */
    public String hex() {
        return digest.substring("sha256:".length());
    }

    /** Reads a descriptor object of a manifest or index. */
    static Descriptor fromJson(Object o, String what) throws RegistryException {
        if (!(o instanceof Map)) {
            throw new RegistryException(RegistryException.Kind.PROTOCOL, what + ": bad descriptor");
        }
        Map<?, ?> m = (Map<?, ?>) o;
        Map<String, String> ann = new LinkedHashMap<>();
        if (m.get("annotations") instanceof Map) {
            ((Map<?, ?>) m.get("annotations")).forEach((k, v) -> ann.put(String.valueOf(k), String.valueOf(v)));
        }
        try {
            if (!(m.get("size") instanceof Long)) {
                throw new IllegalArgumentException("descriptor without size");
            }
            return new Descriptor(
                    m.get("mediaType") instanceof String ? (String) m.get("mediaType") : "",
                    m.get("digest") instanceof String ? (String) m.get("digest") : null,
                    (Long) m.get("size"),
                    ann);
        } catch (IllegalArgumentException e) {
            throw new RegistryException(RegistryException.Kind.PROTOCOL, what + ": " + e.getMessage());
        }
    }

    /** This descriptor as a JSON object (for writing manifests and indexes). */
    Map<String, Object> toJson() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("mediaType", mediaType);
        m.put("digest", digest);
        m.put("size", size);
        if (!annotations.isEmpty()) {
            m.put("annotations", new LinkedHashMap<>(annotations));
        }
        return m;
    }
}
